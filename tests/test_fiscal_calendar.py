"""The fiscal calendar (`labormatch.fiscal`): hand-computed known answers for single dates and vectorised months."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from labormatch import fiscal

MONTHS = pd.Series(pd.to_datetime(["2023-09-01", "2023-10-01", "2024-03-31", "2024-04-01", "2024-09-30", None]))


def test_a_fiscal_year_runs_october_to_september():
    assert fiscal.fiscal_year_start(2024) == dt.date(2023, 10, 1)
    assert fiscal.fiscal_year_end(2024) == dt.date(2024, 9, 30)
    months = fiscal.fiscal_months(2024)
    assert (len(months), months[0], months[fiscal.APRIL], months[-1]) == (
        12,
        dt.date(2023, 10, 1),
        dt.date(2024, 4, 1),
        dt.date(2024, 9, 1),
    )


def test_halves_split_at_april():
    assert fiscal.half_window(2024, "H1") == (dt.date(2023, 10, 1), dt.date(2024, 3, 31))
    assert fiscal.half_window(2024, "H2") == (dt.date(2024, 4, 1), dt.date(2024, 9, 30))
    assert [fiscal.half_of(dt.date(2024, m, 1)) for m in (10, 12, 1, 3, 4, 9)] == ["H1"] * 4 + ["H2"] * 2
    months = fiscal.fiscal_months(2024)
    assert [months[fiscal.HALF_SLICES[h]][0] for h in fiscal.HALVES] == [dt.date(2023, 10, 1), dt.date(2024, 4, 1)]


def test_vectorised_fiscal_years_halves_and_half_starts():
    np.testing.assert_array_equal(fiscal.fiscal_years(MONTHS), [2023, 2024, 2024, 2024, 2024, np.nan])
    assert list(fiscal.halves(MONTHS)) == ["H2", "H1", "H1", "H2", "H2", "H2"]
    starts = pd.DatetimeIndex(fiscal.half_starts(MONTHS))
    assert list(starts[:5].strftime("%Y-%m-%d")) == [
        "2023-04-01",
        "2023-10-01",
        "2023-10-01",
        "2024-04-01",
        "2024-04-01",
    ]
    assert pd.isna(starts[5])
    np.testing.assert_array_equal(fiscal.fiscal_years(pd.DatetimeIndex(["2025-10-01"])), [2026])


def test_month_positions_and_month_counts():
    np.testing.assert_array_equal(fiscal.month_index(np.arange(1, 13)), [3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2])
    positions = fiscal.month_positions(pd.to_datetime(["2023-09-01", "2023-10-01", "2024-09-01"]).to_numpy(), 2024)
    np.testing.assert_array_equal(positions, [-1, 0, 11])
    assert fiscal.months_between(pd.Timestamp("2025-12-01"), pd.Timestamp("2026-12-01")) == 12
    assert fiscal.month_number(2024, 1) - fiscal.month_number(2023, 12) == 1


def _hand_calendar_arithmetic(path) -> list[str]:
    """Half or fiscal-year arithmetic written by hand: a month axis sliced at the half's boundary (`[:, :6]`), or
    a date's year plus a comparison (`start.year + (half == "H1")`)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            bounds = [b for s in node.slice.elts if isinstance(s, ast.Slice) for b in (s.lower, s.upper)]
            if any(isinstance(b, ast.Constant) and b.value == fiscal.HALF_MONTHS for b in bounds):
                found.append(f"{node.lineno}: month axis sliced at {fiscal.HALF_MONTHS}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            sides = (node.left, node.right)
            year = any(isinstance(n, ast.Attribute) and n.attr == "year" for s in sides for n in ast.walk(s))
            if year and any(isinstance(s, ast.Compare) for s in sides):
                found.append(f"{node.lineno}: a year plus a comparison")
    return sorted(found, key=lambda hit: int(hit.split(":")[0]))


def test_no_half_or_fiscal_year_arithmetic_outside_the_fiscal_module():
    """Halves are `fiscal.HALF_SLICES`, fiscal years `fiscal.fiscal_years` / `fiscal_year_of`: nowhere by hand."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    paths = sorted([*(root / "labormatch").rglob("*.py"), *(root / "app_pages").rglob("*.py")])
    found = [
        f"{path.relative_to(root)}:{hit}"
        for path in paths
        if path != root / "labormatch" / "fiscal.py"
        for hit in _hand_calendar_arithmetic(path)
    ]
    assert not found, f"calendar arithmetic outside labormatch/fiscal.py: {found}"


def test_the_calendar_arithmetic_scan_finds_what_it_looks_for(tmp_path):
    path = tmp_path / "module.py"
    path.write_text("a = m[:, :6].sum()\nb = m[:, 6:]\nc = s[:6]\nd = start.year + (half == 'H1')\ne = day.year + 1\n")
    assert _hand_calendar_arithmetic(path) == [
        "1: month axis sliced at 6",
        "2: month axis sliced at 6",
        "4: a year plus a comparison",
    ]
