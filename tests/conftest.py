"""Shared fixtures: where the real raw files are, and skips that say why."""

from __future__ import annotations

import pytest

from labormatch import paths


@pytest.fixture(scope="session")
def raw_dir():
    """The real public files in ../shared/data/raw; tests that need them skip where they are absent."""
    root = paths.raw_dir()
    if not (root / "oflc").is_dir():
        pytest.skip(f"raw public files not found at {root} (a user's clone has only the embedded snapshot)")
    return root


@pytest.fixture
def cli_on_hand_made_inputs(monkeypatch, tmp_path):
    """CLI commands run the model on small hand-made inputs (tests/example_inputs.py) with a temporary scenario
    store, reports folder and forecast fit cache."""
    from example_inputs import demand_inputs

    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", demand_inputs)
    monkeypatch.setenv("LABORMATCH_STORE", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("LABORMATCH_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("LABORMATCH_CACHE", str(tmp_path / "cache"))
