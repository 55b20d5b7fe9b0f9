"""The versioned scenario store, on SQLite and on a real PostgreSQL server (see `store_backends.py`)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import select, update
from store_backends import backend, store  # noqa: F401  (fixtures)

from labormatch import __version__
from labormatch.assumptions import ORIGIN_SHARE_FIELDS
from labormatch.errors import LabormatchError
from labormatch.model import ScenarioResult
from labormatch.reproduction import check_saved
from labormatch.scenario import Provenance, Scenario, save_scenario_file
from labormatch.store import (
    STORE_FORMAT,
    Actor,
    Store,
    StoreError,
    canonical_json,
    default_store_url,
    document_sha256,
    store_info,
    versions,
)

VINTAGE = {"snapshot": "test", "built": "2026-01-01T00:00:00Z"}


def _scenario(notes: str = "", **assumptions) -> Scenario:
    return Scenario(
        title="Test scenario", author="tester", notes=notes, assumptions={"fiscal_year": 2024, **assumptions}
    )


def _run(scenario: Scenario) -> ScenarioResult:
    """A tiny deterministic stand-in for the model: the cap halves as the only table."""
    first, second = scenario.assumptions.half_caps()
    table = pd.DataFrame({"half": ["H1", "H2"], "numbers": [first, second]})
    return ScenarioResult(
        scenario.assumptions, VINTAGE, {"halves": table}, {"h2b_statutory_cap": float(first + second)}
    )


def _save(store: Store, name: str, scenario: Scenario):
    return store.save_result(name, scenario, _run(scenario))


def _contents(store: Store) -> list[tuple]:
    """Everything the store holds, deleted scenarios included."""
    rows = []
    for summary in store.list_scenarios(include_deleted=True):
        for saved in store.history(summary.name):
            rows.append((summary.name, summary.deleted, saved.version, saved.document, saved.result_hash))
    return rows


def test_each_save_is_a_new_version(store):
    for i in range(3):
        _save(store, "plan", _scenario(notes=f"draft {i}", cap_multiplier=1 + i))
    history = store.history("plan")
    assert [v.version for v in history] == [1, 2, 3]
    assert [v.document["notes"] for v in history] == ["draft 0", "draft 1", "draft 2"]
    assert store.get("plan").version == 3
    assert store.get("plan", version=1).scenario().assumptions.cap_multiplier == 1.0
    assert history[0].saved_at <= history[1].saved_at <= history[2].saved_at


def test_version_records_hash_vintage_and_package(store):
    scenario = _scenario(cap_multiplier=2.0)
    result = _run(scenario)
    saved = store.acting_as(Actor("analyst", "analyst@agency.gov")).save_result("doubled", scenario, result)
    got = store.get("doubled")
    assert got == saved
    assert got.result_hash == result.hash()
    assert got.data_vintage == VINTAGE
    assert got.package_version == __version__
    assert got.headline == {"h2b_statutory_cap": 132_000.0}
    assert (got.saved_by, got.saved_by_email) == ("analyst", "analyst@agency.gov")
    assert got.saved_at.tzinfo is not None
    assert got.scenario() == scenario
    # re-running the stored scenario reproduces the stored hash
    assert _run(got.scenario()).hash() == got.result_hash


def test_list_shows_latest_version_of_each(store):
    _save(store, "b_second", _scenario())
    _save(store, "a_first", _scenario())
    _save(store, "a_first", _scenario(notes="again"))
    listed = store.list_scenarios()
    assert [(s.name, s.versions) for s in listed] == [("a_first", 2), ("b_second", 1)]
    assert listed[0].title == "Test scenario"


def test_delete_is_soft(store):
    _save(store, "gone", _scenario(notes="v1"))
    _save(store, "gone", _scenario(notes="v2"))
    _save(store, "kept", _scenario())
    store.delete("gone")
    assert [s.name for s in store.list_scenarios()] == ["kept"]
    assert [(s.name, s.deleted) for s in store.list_scenarios(include_deleted=True)] == [
        ("gone", True),
        ("kept", False),
    ]
    with pytest.raises(StoreError, match="deleted; `restore`"):
        store.get("gone")
    assert store.get("gone", include_deleted=True).version == 2
    assert [v.document["notes"] for v in store.history("gone")] == ["v1", "v2"]
    store.restore("gone")
    assert store.get("gone").document["notes"] == "v2"


def test_saving_a_deleted_name_revives_it_with_history(store):
    _save(store, "plan", _scenario(notes="v1"))
    store.delete("plan")
    _save(store, "plan", _scenario(notes="v2"))
    assert store.get("plan").version == 2
    assert [v.version for v in store.history("plan")] == [1, 2]


def test_unknown_names_and_versions(store):
    _save(store, "plan", _scenario())
    with pytest.raises(StoreError, match="no scenario named 'nope'"):
        store.get("nope")
    with pytest.raises(StoreError, match="no version 7 of scenario named 'plan'"):
        store.get("plan", version=7)
    with pytest.raises(StoreError, match="no scenario named 'nope'"):
        store.history("nope")
    with pytest.raises(StoreError, match="no scenario named 'nope'"):
        store.delete("nope")


@pytest.mark.parametrize("name", ["", "has space", "../escape", "-leading", "x" * 101, "naïve"])
def test_bad_names_are_refused(store, name):
    with pytest.raises(StoreError, match="is not allowed"):
        _save(store, name, _scenario())
    assert _contents(store) == []


def test_saved_versions_survive_reopening(backend):
    with backend.open() as first:
        _save(first, "plan", _scenario(notes="persisted"))
    with backend.open() as second:
        assert second.get("plan").document["notes"] == "persisted"
        assert second.verify() == []


def test_verify_finds_a_tampered_document(store):
    _save(store, "plan", _scenario())
    with store._engine.begin() as conn:
        conn.execute(update(versions).values(document='{"title": "changed behind the store\'s back"}'))
    assert store.verify() == ["plan v1: document does not match its checksum"]


def test_a_version_saved_with_one_origin_table_for_both_classes_reruns_to_its_hash(store):
    """Before per-class origin shares a saved document held one `origin_shares` table (every field written): it
    loads as both classes' shares and its re-run reproduces the hash it was saved with."""
    shares = {"Mexico": 0.6, "Guatemala": 0.4}
    saved = _save(store, "plan", _scenario(h2a_origin_shares=shares, h2b_origin_shares=shares))
    fields = {k: v for k, v in saved.document["assumptions"].items() if k not in ORIGIN_SHARE_FIELDS.values()}
    older = canonical_json({**saved.document, "assumptions": {**fields, "origin_shares": shares}})
    with store._engine.begin() as conn:
        conn.execute(update(versions).values(document=older, document_sha256=document_sha256(older)))
    loaded = store.get("plan")
    assert "origin_shares" in loaded.document["assumptions"] and store.verify() == []
    assert (loaded.scenario().assumptions.h2a_origin_shares, loaded.scenario().assumptions.h2b_origin_shares) == (
        shares,
        shares,
    )
    assert check_saved(loaded, _run(loaded.scenario())).reproduced


def test_store_with_a_newer_layout_is_refused(backend):
    with backend.open() as opened, opened._engine.begin() as conn:
        conn.execute(update(store_info).where(store_info.c.key == "format").values(value="99"))
        assert conn.execute(select(store_info.c.value)).scalar() == "99"
    with pytest.raises(StoreError, match=f"layout '99'.*reads layout '{STORE_FORMAT}'"):
        backend.open()


# ---- import: a bad file changes nothing --------------------------------------------------------------


def test_import_saves_a_new_version_and_checks_the_recorded_hash(store, tmp_path):
    scenario = _scenario(cap_multiplier=2.0)
    provenance = Provenance(
        name="shared_plan",
        version=4,
        saved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        result_hash=_run(scenario).hash(),
        data_vintage=VINTAGE,
        package_version=__version__,
    )
    path = save_scenario_file(scenario.model_copy(update={"provenance": provenance}), tmp_path / "export.yaml")
    outcome = store.import_file(path, run=_run)
    assert (outcome.saved.name, outcome.saved.version, outcome.matches) == ("shared_plan", 1, True)
    assert store.get("shared_plan").scenario() == scenario

    changed = provenance.model_copy(update={"result_hash": "0" * 64})
    path = save_scenario_file(scenario.model_copy(update={"provenance": changed}), tmp_path / "export2.yaml")
    outcome = store.import_file(path, run=_run, name="copy")
    assert (outcome.saved.name, outcome.matches, outcome.recorded_hash) == ("copy", False, "0" * 64)


def test_import_without_provenance_is_named_after_the_file(store, tmp_path):
    path = save_scenario_file(_scenario(), tmp_path / "my plan (v2).yaml")
    outcome = store.import_file(path, run=_run)
    assert (outcome.saved.name, outcome.matches) == ("my_plan__v2_", None)


def test_import_refuses_an_empty_name_instead_of_choosing_one(store, tmp_path):
    path = save_scenario_file(_scenario(), tmp_path / "plan.yaml")
    with pytest.raises(LabormatchError, match="name"):
        store.import_file(path, run=_run, name="")
    assert store.list_scenarios() == []


BAD_FILES = {
    "python_object.yaml": b"title: x\nassumptions: !!python/object/apply:os.system ['echo pwned']\n",
    "binary.yaml": bytes(range(256)) * 8,
    "foreign.yaml": b"apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n",
    "wrong_field.yaml": b"title: x\nassumptions:\n  h2b_cap: lots\n",
    "out_of_range.yaml": b"title: x\nassumptions:\n  return_rate: 1.8\n",
    "truncated.yaml": b"title: x\nassumptions:\n  h2b_cap: [66000,\n",
    "empty.yaml": b"",
}


@pytest.mark.parametrize("filename", sorted(BAD_FILES))
def test_bad_import_gives_a_clear_error_and_changes_nothing(store, tmp_path, filename):
    _save(store, "existing", _scenario(notes="before"))
    store.delete("existing")
    _save(store, "other", _scenario())
    before = _contents(store)
    path = tmp_path / filename
    path.write_bytes(BAD_FILES[filename])
    with pytest.raises(LabormatchError) as caught:
        store.import_file(path, run=_run, name="existing")
    assert str(path) in str(caught.value)
    assert _contents(store) == before
    assert store.verify() == []


def test_import_whose_run_fails_changes_nothing(store, tmp_path):
    _save(store, "existing", _scenario())
    before = _contents(store)

    def failing_run(scenario):
        raise LabormatchError("data snapshot missing")

    path = save_scenario_file(_scenario(), tmp_path / "existing.yaml")
    with pytest.raises(LabormatchError, match="snapshot missing"):
        store.import_file(path, run=failing_run)
    assert _contents(store) == before


# ---- opening -------------------------------------------------------------------------------------------


def test_default_store_is_a_per_user_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("LABORMATCH_STORE", raising=False)
    monkeypatch.setattr("platformdirs.user_data_path", lambda app: tmp_path / "userdata" / app)
    assert default_store_url() == f"sqlite:///{tmp_path / 'userdata' / 'labormatch' / 'scenarios.sqlite'}"
    monkeypatch.setenv("LABORMATCH_STORE", "postgresql+psycopg://agency/db")
    assert default_store_url() == "postgresql+psycopg://agency/db"


def test_store_creates_its_folder(tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'scenarios.sqlite'}"
    with Store(url) as opened:
        _save(opened, "plan", _scenario())
    assert (tmp_path / "new" / "folder" / "scenarios.sqlite").is_file()


def test_non_database_file_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the scenario store"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not a database" * 100


@pytest.mark.parametrize(
    ("url", "expected"),
    [("not a url", "not a SQLAlchemy URL"), ("nosuchdb://host/db", "driver not installed")],
)
def test_bad_store_urls(url, expected):
    with pytest.raises(StoreError, match=expected):
        Store(url)


def test_password_is_hidden_in_errors():
    with pytest.raises(StoreError) as caught:
        Store("postgresql+psycopg://lm:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cret" not in str(caught.value)
    assert "***" in str(caught.value)


def test_numpy_values_and_missing_figures_are_stored(store):
    import numpy as np

    saved = store.save(
        "plan",
        _scenario(),
        result_hash="a" * 64,
        data_vintage={"years": np.arange(2, dtype=np.int64), "built": dt.date(2026, 1, 2), "rows": np.int64(7)},
        headline={"late_start_share": float("nan"), "h2b_unmet": np.float64(1.5)},
    )
    got = store.get("plan")
    assert got.data_vintage == {"years": [0, 1], "built": "2026-01-02", "rows": 7}
    assert math.isnan(got.headline["late_start_share"]) and got.headline["h2b_unmet"] == 1.5
    assert saved.version == got.version == 1
