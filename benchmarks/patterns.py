"""Every pattern file against adversarial strings: how long one finditer pass takes.

Prints, per pattern, the seconds for 100 KB of blank lines, of brackets and of a repeated heading,
and the ratio between 100 KB and 50 KB (about 2 for a linear pattern, 4 for a quadratic one).
A figure, not a test (see README, benchmarks):

    .venv/bin/python benchmarks/patterns.py
"""
from __future__ import annotations

import time
from importlib import resources

from extractor.patterns import load_patterns

ADVERSARIAL = {
    "blank lines": "\n",
    "spaces and newlines": " \n\t",
    "brackets": "(",
    "a repeated heading": "URGENT ACTION\nSEND APPEALS TO:\n",
}


def seconds(regex, text: str) -> float:
    start = time.perf_counter()
    for _ in regex.finditer(text):
        pass
    return time.perf_counter() - start


def main() -> None:
    files = sorted(p.name[:-5] for p in resources.files("extractor.recognisers").joinpath("patterns").iterdir()
                   if p.name.endswith(".json") and p.name != "people.json")
    worst = (0.0, "")
    for name in files:
        for pats in load_patterns(name).values():
            for pat in pats:
                for label, unit in ADVERSARIAL.items():
                    big = unit * (100_000 // len(unit))
                    t100, t50 = seconds(pat.regex, big), seconds(pat.regex, big[: len(big) // 2])
                    if t100 > worst[0]:
                        worst = (t100, f"{pat.id} on {label}")
                    if t100 > 0.05:
                        print(f"{pat.id:55s} {label:20s} {t100:7.3f} s  x{t100 / max(t50, 1e-9):4.1f}")
    print(f"slowest: {worst[1]} {worst[0]:.3f} s for 100 KB")


if __name__ == "__main__":
    main()
