"""Two processes saving 500 versions each into the same scenario at once: nothing lost, nothing corrupt."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import text
from store_backends import Backend, backend  # noqa: F401  (fixture)

from labormatch.scenario import Scenario
from labormatch.store import Store

SAVES_PER_PROCESS = 500
PROCESSES = 2


def _writer(backend: Backend, writer: int, start, failures) -> None:
    """Child process: wait for the start signal, then save SAVES_PER_PROCESS versions of `shared`."""
    try:
        with backend.open() as store:
            start.wait(timeout=60)
            for i in range(SAVES_PER_PROCESS):
                scenario = Scenario(
                    title=f"writer {writer}",
                    notes=f"{writer}:{i}",
                    assumptions={"fiscal_year": 2024, "cap_multiplier": 1 + i / 1000},
                )
                store.save("shared", scenario, result_hash=f"{writer:032x}{i:032x}", data_vintage={"writer": writer})
    except Exception as exc:  # reported to the parent, which fails the test with it
        failures.put(f"writer {writer}: {type(exc).__name__}: {exc}")
        raise


@pytest.mark.slow
def test_two_processes_saving_at_once_lose_nothing(backend):
    with backend.open() as store:  # create the tables before the race starts
        pass
    context = multiprocessing.get_context("fork")
    start, failures = context.Event(), context.Queue()
    writers = [context.Process(target=_writer, args=(backend, w, start, failures)) for w in range(PROCESSES)]
    for process in writers:
        process.start()
    time.sleep(0.5)
    began = time.perf_counter()
    start.set()
    for process in writers:
        process.join(timeout=120)
    elapsed = time.perf_counter() - began
    errors = [failures.get() for _ in range(failures.qsize())] if not failures.empty() else []
    assert errors == [] and [p.exitcode for p in writers] == [0] * PROCESSES

    with backend.open() as store:
        history = store.history("shared")
        assert [v.version for v in history] == list(range(1, PROCESSES * SAVES_PER_PROCESS + 1))
        saved = sorted(v.document["notes"] for v in history)
        assert saved == sorted(f"{w}:{i}" for w in range(PROCESSES) for i in range(SAVES_PER_PROCESS))
        for v in history:  # each row is whole: its hash and vintage belong to the same save as its document
            writer, i = (int(part) for part in v.document["notes"].split(":"))
            assert v.result_hash == f"{writer:032x}{i:032x}"
            assert v.data_vintage == {"writer": writer}
            assert v.scenario().assumptions.cap_multiplier == 1 + i / 1000
        assert store.verify() == []
        if backend.kind == "sqlite":
            with store._engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    print(
        f"\n{backend.kind}: {PROCESSES} x {SAVES_PER_PROCESS} concurrent saves in {elapsed:.2f} s "
        f"({PROCESSES * SAVES_PER_PROCESS / elapsed:.0f} saves/s)"
    )


def _opener(backend: Backend, start, failures) -> None:
    """Child process: open (and so create) the store the moment the start signal comes."""
    try:
        start.wait(timeout=60)
        with backend.open() as store:
            store.save("first", Scenario(title="opened", assumptions={}), result_hash="0" * 64, data_vintage={})
    except Exception as exc:
        failures.put(f"{type(exc).__name__}: {exc}")
        raise


def test_processes_creating_a_new_store_at_once_all_succeed(backend):
    context = multiprocessing.get_context("fork")
    start, failures = context.Event(), context.Queue()
    openers = [context.Process(target=_opener, args=(backend, start, failures)) for _ in range(3)]
    for process in openers:
        process.start()
    time.sleep(0.5)
    start.set()
    for process in openers:
        process.join(timeout=60)
    errors = [failures.get() for _ in range(failures.qsize())] if not failures.empty() else []
    assert errors == [] and [p.exitcode for p in openers] == [0, 0, 0]
    with backend.open() as store:
        assert [v.version for v in store.history("first")] == [1, 2, 3]


def _create(url: str, start, failures) -> None:
    try:
        start.wait(timeout=60)
        with Store(url):
            pass
    except Exception as exc:
        failures.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_creating_one_sqlite_file_at_once_all_succeed(tmp_path):
    """Switching a new file to WAL can fail at once with "database is locked" (SQLite skips the busy handler
    where waiting could deadlock); before the store retried it, about 1 opener in 45 failed like this."""
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for attempt in range(30):
        start = context.Event()
        url = f"sqlite:///{tmp_path / f'{attempt}.sqlite'}"
        openers = [context.Process(target=_create, args=(url, start, failures)) for _ in range(6)]
        for process in openers:
            process.start()
        start.set()
        for process in openers:
            process.join(timeout=60)
    errors = [failures.get() for _ in range(failures.qsize())] if not failures.empty() else []
    assert errors == []
