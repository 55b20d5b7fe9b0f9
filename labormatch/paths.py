"""Where things live: the embedded snapshot, the raw public files, exported reports.

Each location can be overridden by an environment variable so tests and deployments never
touch the user's copy.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def data_dir() -> Path:
    """The embedded snapshot folder (`data/` in the project; `LABORMATCH_DATA` overrides)."""
    return Path(os.environ.get("LABORMATCH_DATA", PROJECT_DIR / "data"))


def raw_dir() -> Path:
    """The raw public files (`../shared/data/raw` beside the project; `LABORMATCH_RAW` overrides)."""
    return Path(os.environ.get("LABORMATCH_RAW", PROJECT_DIR.parent / "shared" / "data" / "raw"))


def reports_dir() -> Path:
    """Where exported workbooks go (`reports/`; `LABORMATCH_REPORTS` overrides)."""
    return Path(os.environ.get("LABORMATCH_REPORTS", PROJECT_DIR / "reports"))
