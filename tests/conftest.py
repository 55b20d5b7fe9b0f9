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
