"""The national demand table as pages and sheets show it (`labormatch.demand_baseline`): known answers."""

import pandas as pd

from labormatch.demand_baseline import basis_rows, with_gaps


def _national(visa_class, years, kinds, bases=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "visa_class": visa_class,
            "fiscal_year": years,
            "kind": kinds,
            "median": [float(y) for y in years],
            "basis": bases if bases is not None else "file.xlsx",
        }
    )


def test_unknown_years_inside_the_known_figures_get_an_empty_row_and_split_the_line():
    national = pd.concat(
        [
            _national("H-2B", [2004, 2005, 2008, 2010, 2011], ["observed"] * 4 + ["forecast"]),
            _national("H-2A", [2019, 2020], ["observed", "converted"]),
        ],
        ignore_index=True,
    )
    table = with_gaps(national)
    h2b = table[table["visa_class"] == "H-2B"]
    assert h2b["fiscal_year"].tolist() == [2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011]
    assert h2b["kind"].tolist() == ["observed"] * 2 + ["unknown"] * 2 + ["observed", "unknown", "observed", "forecast"]
    assert h2b.loc[h2b["kind"] == "unknown", "median"].isna().all()  # unknown, never 0
    assert h2b["segment"].tolist() == [0, 0, 1, 2, 2, 3, 3, 3]
    # the forecast years are not known figures: no gap is filled after the last known year
    h2a = table[table["visa_class"] == "H-2A"]
    assert (h2a["kind"].tolist(), h2a["segment"].tolist()) == (["observed", "converted"], [0, 0])


def test_each_basis_is_listed_once_with_the_years_it_covers():
    national = _national(
        "H-2A",
        [2008, 2009, 2010, 2011, 2012],
        ["observed", "observed", "observed", "converted", "forecast"],
        ["a.xlsx", "a.xlsx", "a.xlsx", "EPI x ratio", None],
    )
    rows = basis_rows(national)
    assert rows.to_dict("records") == [
        {"visa_class": "H-2A", "fiscal_years": "FY2008-FY2010 (3 years)", "basis": "a.xlsx"},
        {"visa_class": "H-2A", "fiscal_years": "FY2011", "basis": "EPI x ratio"},
    ]
