"""How current each source is in the snapshot (labormatch.update.data_ends) and the Data page that shows it."""

from __future__ import annotations

import pandas as pd
from app_testing import (
    app,  # noqa: F401  (fixture)
    open_page,
)

from labormatch import snapshot
from labormatch.update.data_ends import source_data_ends


def test_data_ends_per_source_from_a_small_snapshot(tmp_path):
    coverage = pd.DataFrame(
        {
            "visa_class": ["H-2A", "H-2A", "H-2A", "H-2B"],
            "fiscal_year": [2019, 2020, 2022, 2019],
            "disclosure": ["complete", "none", "partial", "complete"],
            "source_file": "",
        }
    )
    meta = pd.DataFrame(
        {
            "series_id": ["a", "b", "c", "d"],
            "survey": ["JOLTS", "JOLTS", "JOLTS", "CES"],
            "sector": ["construction", "information", "", "construction"],
            "last_month": pd.to_datetime(["2026-08-01", "2022-08-01", "2026-10-01", "2025-07-01"]),
        }
    )
    snapshot.write_snapshot(tmp_path, {"h2_coverage": coverage, "bls_series_meta": meta}, {}, {"sources": []}, 0.1)
    ends = source_data_ends(tmp_path).set_index("source")["data through"]
    assert ends["OFLC H-2A disclosure files"] == "FY2019 complete; FY2022 partial"
    assert ends["OFLC H-2B disclosure files"] == "FY2019 complete"
    # series "c" has no sector: the panel does not use it, so its later month does not count
    assert ends["BLS JOLTS (series the panel uses)"] == "2026-08 (earliest series 2022-08)"
    assert ends["BLS CES (series the panel uses)"] == "2025-07"
    assert ends["BLS CPS (series the panel uses)"] == "no series"
    assert ends["State Department H-2 issuances by nationality"] == "not in the snapshot"


def test_data_page_shows_the_data_ends_and_the_refresh_command(app):
    open_page(app, "app_pages/data.py")
    assert not app.error, [e.value for e in app.error]
    (shown,) = [t.value for t in app.table if t.value.index.name == "source"]
    assert list(shown.columns) == ["data through", "refresh with"]
    assert shown.reset_index().equals(source_data_ends())
    assert any("`labormatch data update`" in c.value and "BLS_API_KEY" in c.value for c in app.caption)
