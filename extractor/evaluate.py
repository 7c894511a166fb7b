"""Per-field precision, recall and F1 of records against gold files (``docs/gold-format.md``),
shared by ``ua-extract eval``, the notebook and the golden tests, so anyone can measure a change.

Scalars: a wrong value is one false positive and one false negative. Lists: items are matched
one to one after normalisation (names fuzzily). Only fields a gold file lists under "graded" count;
``recipients.title`` and ``recipients.organization`` count only where every gold recipient has the key
(gold files written before those keys existed are not scored on them).

Predictions are keyed by their source path (or by id): a gold file is the gold of every prediction
whose file stem is its id, so the ``.txt`` and the ``.pdf`` of one document are both scored and both
counted, each under its own path.
"""
from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.normalise.codes import index_key
from extractor.text_helpers import fold_key
from models import UrgentAction
from models.gold import load_gold as read_gold
from models.gold import load_gold_folder

SCALARS = ["kind", "ua_series", "ua_number", "update_number", "ai_index", "issue_date", "appeal_deadline", "country"]
LISTS = ["subjects", "related_ua_numbers", "recipients.name", "recipients.title", "recipients.organization",
         "recipients.address", "recipients.fax", "recipients.phone", "recipients.email", "recipients.salutation"]
#: Recipient parts that older gold files lack: scored only where the gold states them.
_OPTIONAL_PARTS = ("recipients.title", "recipients.organization")
_COUNTRY_ALIASES = {"russian federation": "russia", "usa": "united states", "united states of america": "united states",
                    "us": "united states", "viet nam": "vietnam", "turkiye": "turkey", "burma": "myanmar",
                    "occupied palestinian territories": "palestine", "dr congo": "democratic republic of the congo"}


def _key(s: str) -> str:
    return fold_key(s, drop_punctuation=True)


def _scalar(name: str, v: Any) -> Any:
    if v is None or v == "":
        return None
    if name == "ai_index":
        # by meaning, as the project's scorer compares them (normalise.codes holds the rules)
        return index_key(" ".join(str(v).split())) or str(v).upper()
    if name == "country":
        f = " ".join(re.sub(r"[^a-z ]+", " ", _key(v)).split())
        return _COUNTRY_ALIASES.get(f, f)
    if name in ("issue_date", "appeal_deadline"):
        return str(v)[:10]
    if name in ("ua_number", "kind", "ua_series"):
        return " ".join(str(v).split()).upper()
    return v


def _names_match(a: str, b: str) -> bool:
    fa, fb = _key(a), _key(b)
    return fa == fb or sorted(fa.split()) == sorted(fb.split()) or difflib.SequenceMatcher(None, fa, fb).ratio() >= 0.9


def _address_match(gold: str, pred: str) -> bool:
    g, p = re.findall(r"\w+", _key(gold)), re.findall(r"\w+", _key(pred))
    return bool(g and p) and sum(t in p for t in g) / len(g) >= 0.9 and len(p) <= 2 * len(g) + 4


def _digits(v: Any) -> str | None:
    d = re.sub(r"\D", "", str(v or ""))
    return "+" + d if d else None


def _list(name: str, rec: dict[str, Any]) -> list[str]:
    if name == "subjects":
        names = [s.get("name") if isinstance(s, dict) else s for s in rec.get("subjects") or []]
        return [str(n) for n in names if n]
    if name == "related_ua_numbers":
        return [" ".join(str(x).split()).upper() for x in rec.get("related_ua_numbers") or []]
    key = name.split(".", 1)[1]
    out: list[Any] = []
    for r in rec.get("recipients") or []:
        if key == "address":
            lines = r.get("address_lines") or r.get("address") or []
            if lines:
                out.append(", ".join(lines))
            continue
        v = r.get(key)
        out.extend(v if isinstance(v, list) else [v] if v else [])
    if key in ("fax", "phone"):
        out = [_digits(x) for x in out]
    return [x for x in out if x]


def _same(name: str) -> Callable[[str, str], bool]:
    if name == "recipients.address":
        return _address_match
    if name in ("subjects", "recipients.name", "recipients.title", "recipients.organization",
                "recipients.salutation"):
        return _names_match
    if name == "recipients.email":
        return lambda a, b: a.strip().lower() == b.strip().lower()
    return lambda a, b: a == b


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    documents: int = 0  # documents scored: one per prediction of a gold document, one per gold without any
    predicted: int = 0  # of those, the ones with a prediction
    gold_files: int = 0

    @property
    def macro_f1(self) -> float:
        scored = [f for f in self.fields.values() if f.tp + f.fp + f.fn]
        return sum(f.f1 for f in scored) / len(scored) if scored else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"gold_files": self.gold_files, "documents": self.documents, "predicted": self.predicted,
                "macro_f1": self.macro_f1,
                "fields": {k: {"tp": v.tp, "fp": v.fp, "fn": v.fn, "precision": v.precision, "recall": v.recall,
                               "f1": v.f1} for k, v in self.fields.items() if v.tp + v.fp + v.fn},
                "misses": [{"id": i, "field": f, "gold": g, "pred": p} for i, f, g, p in self.misses]}


def load_gold(folder: Path) -> list[dict[str, Any]]:
    """Gold files: <id>.json or <id>.expected.json (the samples keep theirs beside the document),
    read and validated by ``models.gold``; as dicts, the form ``score`` and the project's scorer use."""
    return [g.as_dict() for g in load_gold_folder(folder)]


@dataclass(frozen=True)
class Judgement:
    """One graded field of one document: the gold and predicted values (normalised as compared) and
    the counts; ``ok`` when they agree."""

    field: str
    gold: Any
    pred: Any
    tp: int
    fp: int
    fn: int

    @property
    def ok(self) -> bool:
        return self.fp == 0 and self.fn == 0


def judge(gold: dict[str, Any], pred: dict[str, Any] | UrgentAction) -> list[Judgement]:
    """Every graded field of one gold file against one prediction (a record, or one as a JSON dict),
    in the scorer's field order. An empty ``pred`` is a document with no prediction."""
    if isinstance(pred, UrgentAction):
        pred = pred.model_dump(mode="json")
    graded = set(gold.get("graded") or [])
    out: list[Judgement] = []
    for f in SCALARS:
        if f not in graded:
            continue
        g, p = _scalar(f, gold.get(f)), _scalar(f, pred.get(f))
        hit = g is not None and p == g
        out.append(Judgement(f, g, p, int(hit), int(not hit and p is not None), int(not hit and g is not None)))
    for f in LISTS:
        if f.split(".")[0] not in graded and f not in graded:
            continue
        if f in _OPTIONAL_PARTS and not all(f.split(".")[1] in r for r in gold.get("recipients") or []):
            continue
        gl, pl = _list(f, gold), _list(f, pred)
        same, left, tp = _same(f), list(pl), 0
        for g in gl:
            hit = next((i for i, p in enumerate(left) if same(g, p)), None)
            if hit is not None:
                tp += 1
                del left[hit]
        out.append(Judgement(f, gl, pl, tp, len(left), len(gl) - tp))
    return out


def _matches(gid: str, preds: dict[str, dict[str, Any]]) -> list[str]:
    """The prediction keys a gold id is gold for: the id itself, or paths whose stem is the id."""
    return [k for k in preds if k == gid or stem(k) == gid]


def score(golds: Iterable[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> Report:
    """``preds`` maps a source path (or an id) to a record as a JSON dict; every prediction of a gold
    document is one scored document (a misses entry names its path), a gold document with none is
    one document not predicted."""
    rep = Report(fields={f: FieldScore() for f in SCALARS + LISTS})
    for gold in golds:
        rep.gold_files += 1
        gid = gold["id"]
        keys = _matches(gid, preds)
        for key in keys or [gid]:
            rep.documents += 1
            rep.predicted += bool(keys)
            for j in judge(gold, preds.get(key, {}) if keys else {}):
                c = rep.fields[j.field]
                c.tp, c.fp, c.fn = c.tp + j.tp, c.fp + j.fp, c.fn + j.fn
                if not j.ok:
                    rep.misses.append((key, j.field, j.gold, j.pred))
    return rep


def gold_files(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every gold file in a folder, validated, as dicts (``load_gold``); [] when the folder is missing."""
    return load_gold(Path(folder)) if Path(folder).is_dir() else []


def score_records(records: Iterable[UrgentAction], golds: Iterable[dict[str, Any]]) -> Report:
    """``score`` for records in memory (each keyed by its source path, as ``ua-extract eval`` does)."""
    return score(golds, {r.source.path: r.model_dump(mode="json") for r in records})


def gold_for(record: UrgentAction | str | os.PathLike[str], folders: Iterable[str | os.PathLike[str]]
             ) -> dict[str, Any] | None:
    """The gold file of a record (or of a document path) from the first folder that has one:
    ``<stem>.json`` or ``<stem>.expected.json`` (the samples keep theirs beside the document),
    validated; None when no folder has one."""
    name = Path(record.source.path if isinstance(record, UrgentAction) else os.fspath(record)).name
    gid = stem(name)
    for folder in folders:
        for candidate in (Path(folder) / f"{gid}.json", Path(folder) / f"{gid}.expected.json"):
            if candidate.is_file():
                return read_gold(candidate).as_dict()
    return None


def stem(path: str) -> str:
    name = Path(path).name
    return name.rsplit(".", 1)[0] if "." in name else name
