"""CPU time of the rules per document, by recogniser (the statistical model's entities computed first
and left out of the figure). Not a test: it prints figures.

The texts are the dev corpus when ../shared is beside the checkout, else samples/ and the written
held-out sets. A first pass over samples/ warms the caches of the data files and compiled patterns, so
the figure is the steady cost of one more document, not of the first one.

    .venv/bin/python benchmarks/rules.py
"""
from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from extractor.nlp import load_pipeline
from extractor.normalise.language import RULE_LANGUAGES, detect_language
from extractor.recognisers import REGISTRY, Context
from extractor.segment import reading_view

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def texts(folder: Path | None) -> list[str]:
    paths = sorted(folder.glob("*.txt")) if folder else []
    if not paths:
        paths = sorted(ROOT.glob("samples/*.txt")) + sorted(ROOT.glob("tests/heldout*/*.txt"))
    return [reading_view(p.read_text("utf-8", errors="replace")) for p in paths]


def rules(text: str, entities: list[tuple[int, int, str]], clock: collections.Counter[str] | None = None) -> None:
    started = time.process_time()
    detected = detect_language(text)[0]
    ctx = Context(text, language=detected if detected in RULE_LANGUAGES else "en", entities=entities,
                  detected_language=detected)
    _ = ctx.sections
    if clock is not None:
        clock["language + segmenting"] += time.process_time() - started
    for rec in REGISTRY:
        started = time.process_time()
        ctx.scope = rec.sections
        ctx.spans.extend(rec.find(ctx))
        if clock is not None:
            clock[rec.name] += time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEV if DEV.is_dir() else None)
    args = parser.parse_args()
    corpus = texts(args.corpus)
    nlp = load_pipeline("auto").nlp
    with nlp.select_pipes(disable=["ua_language", "ua_rules"]):
        entities = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(corpus)]
    for text in texts(None)[:10]:  # warm-up on other texts
        rules(text, [])
    clock: collections.Counter[str] = collections.Counter()
    for text, ents in zip(corpus, entities, strict=True):
        rules(text, ents, clock)
    n = len(corpus)
    print(f"rules on {n} documents ({sum(map(len, corpus)) // n} characters on average), CPU ms per document:")
    for name, seconds in clock.most_common():
        print(f"  {name:24s} {seconds / n * 1000:6.2f}")
    print(f"  {'total':24s} {sum(clock.values()) / n * 1000:6.2f}")


if __name__ == "__main__":
    main()
