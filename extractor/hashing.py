"""The project's one way to hash a file: regular files only, never blocking, streamed."""
from __future__ import annotations

import hashlib
import os
import stat

CHUNK = 1 << 20
_KINDS = ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISCHR, "character device"),
          (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder"))


def kind_of(mode: int) -> str:
    """'regular file', 'named pipe (FIFO)', 'character device' ... for an ``st_mode``."""
    if stat.S_ISREG(mode):
        return "regular file"
    return next((name for test, name in _KINDS if test(mode)), "special file")


def open_regular(path: str) -> int:
    """A read-only descriptor of ``path`` if it is a regular file, else OSError. O_NONBLOCK makes
    opening a FIFO return at once instead of waiting for a writer; the type is then checked on the
    descriptor itself, so a file swapped for a FIFO after a stat() cannot slip through."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise OSError(f"{path} is a {kind_of(mode)}, not a regular file")
    return fd


def file_sha256(path: str, max_bytes: int | None = None) -> str | None:
    """sha256 of a regular file's bytes, streamed; None when it is not a regular file, cannot be read,
    or holds more than ``max_bytes`` (so a caller can bound the work)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    return None
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
