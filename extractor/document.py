"""The one shape every reader returns: text plus a map from character offsets to page and box."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from models import ContainerPart

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left


@dataclass(frozen=True)
class Segment:
    """A run of text characters [start, end) that sits on one page inside one box (a word or line)."""

    start: int
    end: int
    page: int  # 1-based
    bbox: BBox


@dataclass
class Document:
    path: str  # exactly as given by the caller ("-" for stdin)
    sha256: str  # of the input bytes
    media_type: str  # "text/plain" | "application/pdf" | "text/html"
    text: str
    pages: int | None = None  # PDF page count, else None
    segments: list[Segment] = field(default_factory=list)  # sorted by start; empty for plain text
    warnings: list[str] = field(default_factory=list)
    resolved: str | None = None  # the real absolute path of a file read from disk (links resolved)
    part: ContainerPart | None = None  # a part of a container (ingest/containers.py): text is the part's

    def locate(self, start: int, end: int) -> tuple[int | None, BBox | None]:
        """Page and bounding box of text[start:end]: the page of its first character and the union
        of the boxes of that page's segments overlapping the span. (None, None) for plain text."""
        if not self.segments:
            return None, None
        starts = [s.start for s in self.segments]
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        hits: list[Segment] = []
        while i < len(self.segments) and self.segments[i].start < end:
            seg = self.segments[i]
            if seg.end > start and (not hits or seg.page == hits[0].page):
                hits.append(seg)
            i += 1
        if not hits:
            return None, None
        x0 = min(s.bbox[0] for s in hits)
        top = min(s.bbox[1] for s in hits)
        x1 = max(s.bbox[2] for s in hits)
        bottom = max(s.bbox[3] for s in hits)
        return hits[0].page, (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
