# shellcheck shell=sh
# Tesseract OCR for the OCR tests (tests/test_archives.py, tests/test_ingest.py). POSIX sh.
#
#   . ci/tesseract.sh        install it when missing (root + apt-get), then check it runs
#   sh ci/tesseract.sh       the same
#
# Installs Debian's tesseract-ocr with the English, Spanish and French language packs
# (tesseract-ocr-eng, -spa, -fra) when the tesseract program or one of those packs is missing, and
# fonts-dejavu-core (the font the tests render their scanned sheets in, accents included). Needs
# root and apt-get; otherwise it says what to install and fails (make test then skips the OCR tests
# outside CI; with CI=true they fail, like the PostgreSQL tests). Idempotent: ~20 ms when all is there.
# Safe to source from a 'set -eu' script: it changes no shell options and defines only _ua_ocr_* names.

_ua_ocr_log() { printf 'ci/tesseract.sh: %s\n' "$*" >&2; }

_ua_ocr_missing() {
    command -v tesseract >/dev/null 2>&1 || {
        echo " tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-fra fonts-dejavu-core"; return; }
    _ua_ocr_langs=$(tesseract --list-langs 2>/dev/null)
    _ua_ocr_need=""
    for _ua_ocr_l in eng spa fra; do
        printf '%s\n' "$_ua_ocr_langs" | grep -qx "$_ua_ocr_l" || _ua_ocr_need="$_ua_ocr_need tesseract-ocr-$_ua_ocr_l"
    done
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || _ua_ocr_need="$_ua_ocr_need fonts-dejavu-core"
    echo "$_ua_ocr_need"
}

_ua_ocr_main() {
    _ua_ocr_pkgs=$(_ua_ocr_missing)
    [ -z "$_ua_ocr_pkgs" ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        _ua_ocr_log "missing:$_ua_ocr_pkgs; cannot install (need root and apt-get): install them by hand"
        return 1
    fi
    _ua_ocr_log "installing$_ua_ocr_pkgs with apt-get"
    # shellcheck disable=SC2086 # the package list is meant to split
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $_ua_ocr_pkgs >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                 $_ua_ocr_pkgs >&2; } || { _ua_ocr_log "apt-get install failed"; return 1; }
    _ua_ocr_pkgs=$(_ua_ocr_missing)
    [ -z "$_ua_ocr_pkgs" ] || { _ua_ocr_log "still missing after install:$_ua_ocr_pkgs"; return 1; }
}

case ${0##*/} in
    tesseract.sh) _ua_ocr_main || exit 1 ;;
    *) _ua_ocr_main || return 1 ;;
esac
