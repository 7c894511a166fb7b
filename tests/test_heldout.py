"""The held-out documents (tests/heldout/, written without looking at the extractor) as a
regression floor: a change that loses ground on formats it once read fails here."""
from __future__ import annotations

import pytest
from conftest import ROOT

from extractor import evaluate
from extractor.api import extract_parts
from models import ErrorEntry

HELDOUT_SETS = sorted(p for p in (ROOT / "tests").glob("heldout*") if (p / "gold").is_dir())

# Each field's own F1 floor per set: the F1 measured when the floor was set, less 0.02, rounded down.
# A field at 1.0 has the default 0.98: on 12+ documents one lost value already falls below it.
# Raise a floor when a fix lifts its field; a new set needs its line here.
DEFAULT_FLOOR = 0.98
FLOORS: dict[str, dict[str, float]] = {
    # measured on main 70386c8; "was" = on ff0e366, before the segmenting-stage commits (lost ground to win back)
    "heldout": {"subjects": 0.94, "recipients.name": 0.96, "recipients.fax": 0.96,  # 0.967, 0.983 (was 1.0), 0.98 (1.0)
                "recipients.email": 0.94, "recipients.salutation": 0.95},  # 0.963 (was 1.0), 0.976 (was 1.0)
    "heldout2": {"subjects": 0.95, "recipients.address": 0.94},  # 0.970 (was 0.985), 0.966
    "heldout3": {"subjects": 0.96},  # 0.986
    "heldout4": {"subjects": 0.90},  # 0.923 (was 0.962)
    "heldout5": {"subjects": 0.96, "recipients.address": 0.91},  # 0.983 (was 1.0), 0.938
    "heldout6": {"subjects": 0.96, "recipients.address": 0.95, "recipients.salutation": 0.93},  # 0.982 (1.0), 0.970, 0.952
    "heldout7": {},
    # written in formats no set had (section sites, Usenet, Lotus Notes, BBS, USSR, US death penalty...);
    # first contact 0.863 (the landed extractor 0.834); kind 0.933: a blog that quotes a UA reads as one
    "heldout8": {"kind": 0.91, "dates": 0.92, "recipients.name": 0.88, "recipients.address": 0.91},
    # OCR'd typewritten UAs, section pages, a fax, a Gopher page, a digest, a two-column bulletin; first
    # contact 0.894 (0.874 with main as that session began); the two-column bulletin is still misread, and
    # its recipients are left out (with a warning) rather than read from lines that mix both columns
    "heldout10": {"issue_date": 0.87, "appeal_deadline": 0.94, "subjects": 0.95, "dates": 0.95,
                  "recipients.name": 0.90, "recipients.address": 0.92, "recipients.fax": 0.90,
                  "recipients.salutation": 0.93},
    # a telex, a Medical Group circular, DSpace, antiword, Web 1.0, lynx, Wayback, pdftotext, Facebook, an
    # Outlook forward, a partner NGO's appeal; first contact 0.856 (written while no class of it had been fixed)
    "heldout11": {},
    # TEI, a mimeographed bulletin, a newspaper, a government's reply, LISTSERV, unrtf, the Congressional
    # Record, mojibake, Yahoo! Groups, phpBB, a raw .eml, pdfminer, html2text, WhatsApp, Reader View; first
    # contact 0.881 (0.853 with main as that session began); still missed: the two non-UAs, the WhatsApp export
    "heldout12": {"kind": 0.91, "issue_date": 0.90, "appeal_deadline": 0.93, "subjects": 0.91, "related_ua_numbers": 0.94,
                  "dates": 0.91, "recipients.name": 0.90, "recipients.address": 0.91, "recipients.fax": 0.95,
                  "recipients.phone": 0.78, "recipients.email": 0.88, "recipients.salutation": 0.92},
    # mostly ordinary UAs as sections and groups circulate them (CompuServe, RSS, Joomla, Jekyll, Google Sites,
    # a diskette file, Word text); first contact 0.968 (0.864 with main as that session began)
    "heldout13": {"subjects": 0.93, "recipients.name": 0.96, "recipients.address": 0.96,
                  "recipients.fax": 0.91},  # 0.990 after its classes were fixed
    # weighted to subjects, kind and recipient layouts (w3m tables, wikitext, Notion, Mastodon, an Access report,
    # prose recipients of 1982, Portuguese offices, non-UAs); first contact 0.841; the w3m table's recipients are
    # left out with a warning
    "heldout14": {"subjects": 0.93, "related_ua_numbers": 0.94, "dates": 0.94, "recipients.name": 0.89,
                  "recipients.address": 0.86, "recipients.fax": 0.88, "recipients.salutation": 0.90},
}


# Sets whose remaining misses are known and noted in their READMEs (set 12: 0.971, set 14: 0.970)
MACRO_FLOORS = {"heldout12": 0.93, "heldout14": 0.96}


def _record(path, settings) -> dict:
    """The file's record; a file that reads as a container of one UA (a digest with mail headers) gives its part's."""
    (record,) = [r for r in extract_parts(str(path), settings) if not isinstance(r, ErrorEntry)][:1]
    return record.model_dump(mode="json")


@pytest.mark.parametrize("folder", HELDOUT_SETS, ids=lambda p: p.name)
def test_heldout_documents_score_at_least_their_floor(folder, settings):
    golds = evaluate.load_gold(folder / "gold")
    assert len(golds) >= 12
    preds = {g["id"]: _record(folder / f"{g['id']}.txt", settings) for g in golds}
    report = evaluate.score(golds, preds)
    misses = "\n".join(f"{i} {f}: gold={g!r} pred={p!r}" for i, f, g, p in report.misses)
    assert report.macro_f1 >= MACRO_FLOORS.get(folder.name, 0.97), misses
    for name in ("kind", "ua_number", "ai_index", "issue_date", "country"):
        assert report.fields[name].f1 >= FLOORS.get(folder.name, {}).get(name, 1.0), misses
    assert folder.name in FLOORS, f"{folder.name}: set its per-field floors in FLOORS"
    scored = {name: f.f1 for name, f in report.fields.items() if f.tp + f.fp + f.fn}
    low = {name: round(f1, 3) for name, f1 in scored.items() if f1 < FLOORS[folder.name].get(name, DEFAULT_FLOOR)}
    assert not low, f"fields below their floor: {low}\n{misses}"
    assert {"appeal_deadline", "subjects", "recipients.name"} <= set(scored)  # the gold grades them
