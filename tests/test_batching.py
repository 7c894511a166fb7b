"""Batched extraction and the worker pool (issue 16), on real documents and real processes: NER in
shared batches gives the same records as one document at a time; the fork server's model is loaded
once, not by each worker; a batch that runs over its time limit or whose worker dies costs only the
document at fault. No timing is asserted."""
from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from extractor.api import extract_batch, extract_or_error
from extractor.batch.local import process_chunk_with_limit
from extractor.batch.outcome import json_line
from extractor.batch.pool import Pool
from extractor.nlp import NER_BATCH_CHARS, NER_CHUNK_CHARS, load_pipeline, recognise
from extractor.settings import Limits, Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
TEXTS = SAMPLES + sorted(ROOT.glob("tests/heldout*/*.txt"))
DEV = ROOT.parent / "shared" / "corpus" / "dev"
SETTINGS = Settings()


def long_text(chars: int) -> str:
    ua = SAMPLES[0].read_text("utf-8").rstrip("\n") + "\n\n"
    return (ua * (chars // len(ua) + 1))[:chars]


def test_batches_give_the_same_records_as_one_document_at_a_time(tmp_path: Path) -> None:
    """Every bundled text (and the dev corpus beside the project), with a text longer than a NER piece
    and a broken file among them: the same line for each, in order, batched or alone."""
    big = tmp_path / "long.txt"
    big.write_text(long_text(2 * NER_CHUNK_CHARS + 5_000), "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths = [str(p) for p in TEXTS + (sorted(DEV.glob("*.txt")) if DEV.is_dir() else [])]
    paths[3:3] = [str(big), str(empty)]
    alone = [json_line(extract_or_error(p, SETTINGS)) for p in paths]
    batched = [json_line(r) for i in range(0, len(paths), 8) for r in extract_batch(paths[i:i + 8], SETTINGS)]
    assert batched == alone
    assert '"error":"empty"' in alone[4] and '"ua_number"' in alone[3]


def test_entities_of_a_text_do_not_depend_on_its_batch() -> None:
    """The statistical entities of each text are its own, whatever shares its batch."""
    nlp = load_pipeline().nlp
    if "ner" not in nlp.pipe_names:
        pytest.skip("no statistical model installed")
    texts = [p.read_text("utf-8") for p in SAMPLES]
    ents = lambda doc: [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    together = [ents(d) for d in recognise(nlp, texts)]
    assert sum(map(len, texts)) > NER_BATCH_CHARS  # more than one batch
    assert together == [ents(recognise(nlp, [t])[0]) for t in texts]
    assert any(together)


@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four samples and a 1,900,000-character text (many seconds of NER), all in one batch."""
    folder = tmp_path_factory.mktemp("slow")
    for p in SAMPLES[:4]:
        shutil.copyfile(p, folder / p.name)
    (folder / "zz-huge.txt").write_text(long_text(1_900_000), "utf-8")
    return folder


def slow_settings() -> Settings:
    return SETTINGS.with_(limits=Limits(max_chars=2_000_000, seconds_per_document=1.5), workers=2)


def test_a_batch_over_the_time_limit_times_out_only_its_slow_document_here(slow_folder: Path) -> None:
    paths = sorted(str(p) for p in slow_folder.iterdir())
    results = process_chunk_with_limit(paths, slow_settings())
    assert [getattr(r, "error", "record") for r in results] == ["record"] * 4 + ["timeout"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is used on Linux")
def test_pool_batch_over_the_time_limit_and_workers_forked_with_the_model(slow_folder: Path) -> None:
    paths = sorted(str(p) for p in slow_folder.iterdir())
    pool = Pool(slow_settings(), 2, chunk=8)
    outcomes = list(pool.outcomes(iter(paths)))
    assert sorted(o.path for o in outcomes) == paths  # one line per input
    kinds = {Path(o.path).name: (o.entry.error if o.entry else o.kind) for o in outcomes}
    assert kinds.pop("zz-huge.txt") == "timeout" and set(kinds.values()) == {"record"}
    # every worker, the replacement of the killed one included, started with the model already loaded
    assert len(pool.preloaded) >= 3 and all(pool.preloaded)


def kill_when_busy(pool: Pool, stop: threading.Event) -> list[list[str]]:
    """In a thread: SIGKILL the first worker seen busy, once; what it was working on."""
    killed: list[list[str]] = []

    def watch() -> None:
        while not stop.is_set() and not killed:
            for w in list(pool.workers):
                if w.busy and w.ready and w.proc.pid:
                    killed.append(list(w.paths))
                    os.kill(w.proc.pid, signal.SIGKILL)
                    return
            time.sleep(0.01)

    threading.Thread(target=watch, daemon=True).start()
    return killed


@pytest.mark.parametrize("chunk", [1, 8])
def test_a_worker_killed_mid_unit_costs_at_most_its_document(tmp_path: Path, chunk: int) -> None:
    """A worker killed while it works: alone, its document gets a worker_crashed line; in a batch, the
    batch is done again one document at a time (the kill is not the documents' fault: all records)."""
    paths = []
    for k, p in enumerate(SAMPLES[:5]):
        dst = tmp_path / f"{k}.txt"
        dst.write_text(p.read_text("utf-8") + long_text(60_000), "utf-8")  # about a second of work each
        paths.append(str(dst))
    pool = Pool(SETTINGS.with_(workers=2), 2, chunk=chunk)
    stop = threading.Event()
    killed = kill_when_busy(pool, stop)
    try:
        outcomes = list(pool.outcomes(iter(paths)))
    finally:
        stop.set()
    assert killed and sorted(o.path for o in outcomes) == sorted(paths)
    crashed = [o.path for o in outcomes if o.entry is not None]
    if chunk == 1:
        assert crashed == killed[0] and outcomes[[o.path for o in outcomes].index(crashed[0])].entry.error == "worker_crashed"
    else:
        assert crashed == [] and len(killed[0]) > 1


def test_the_fork_server_starts_before_the_pipeline_is_imported() -> None:
    """The command line starts the fork server as soon as a run has inputs for workers, so the server's
    imports and model load overlap the parent's own: that needs ``extractor.batch`` (finding inputs)
    and ``server.start`` to import no spaCy. A real server starts, in a fresh interpreter."""
    code = ("import sys\nfrom extractor import batch\nfrom extractor.batch import server\n"
            "from extractor.settings import Settings\n"
            "batch.find_inputs(['samples'])\nserver.start(Settings(model='blank'))\n"
            "import multiprocessing.forkserver as fs\n"
            "assert fs._forkserver._forkserver_pid, 'no server'\n"
            "print(sorted(m for m in ('spacy', 'extractor.api', 'extractor.nlp') if m in sys.modules))\n")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
