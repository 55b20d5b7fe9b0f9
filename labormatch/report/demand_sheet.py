"""The "Demand track record" sheet: the national demand model's backtest on published figures and the composition
checks; and the "Control totals" sheet: the national series with its forecast and intervals, and every published
national figure the model rests on, from a scenario result's demand tables. Text columns wrap at widths that let each
sheet print one page wide at about 70% (the tables with long source texts on a sheet of their own)."""

from __future__ import annotations

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from labormatch.composition import check_summary
from labormatch.control_totals import CERTIFIED
from labormatch.crosswalk import sector_labels
from labormatch.demand_backtest import summary
from labormatch.demand_baseline import data_through
from labormatch.model import ScenarioResult
from labormatch.report import style
from labormatch.report.layout import (
    HEADER_ROW,
    Column,
    frame_rows,
    write_note,
    write_paragraph,
    write_table,
    write_title,
)
from labormatch.report.provenance import (
    UNKNOWN,
    case_files_through,
    month_of,
    raw_files,
    snapshot_through,
    with_months,
    write_source,
)

SHEET = "Demand track record"
TOTALS_SHEET = "Control totals"
_COUNT = 10  # width of a column of position counts (up to 9,999,999; the header wraps)
BACKTEST = (
    ("visa_class", Column("Visa class", width=7)),
    ("fiscal_year", Column("Fiscal year", style.TEXT, width=8)),
    ("origin", Column("Forecast made (origin)", style.DATE, width=11)),
    ("last_known_year", Column("Last known FY", width=7)),
    ("check", Column("Measure", width=12, wrap=True)),
    ("actual", Column("Published (positions)", style.WORKERS, width=_COUNT)),
    ("model", Column("Model median (positions)", style.WORKERS, width=_COUNT)),
    ("model_error_pct", Column("Model error (%)", "0.0", width=8)),
    ("naive_last", Column("Naive: last value", style.WORKERS, width=_COUNT)),
    ("naive_last_error_pct", Column("Naive last error (%)", "0.0", width=8)),
    ("naive_growth", Column("Naive: last x 3-yr growth", style.WORKERS, width=_COUNT)),
    ("naive_growth_error_pct", Column("Naive growth error (%)", "0.0", width=8)),
    ("lo80", Column("80% low", style.WORKERS, width=_COUNT)),
    ("hi80", Column("80% high", style.WORKERS, width=_COUNT)),
    ("lo95", Column("95% low", style.WORKERS, width=_COUNT)),
    ("hi95", Column("95% high", style.WORKERS, width=_COUNT)),
    ("inside80", Column("Inside 80%", width=7)),
    ("inside95", Column("Inside 95%", width=7)),
)
_SECTOR = 20  # sector labels wrap a little narrower here than elsewhere (18 columns share the width)
FORECAST = (
    ("visa_class", Column("Visa class", width=7)),
    ("fiscal_year", Column("Fiscal year", style.TEXT, width=8)),
    ("kind", Column("Figure", width=11)),
    ("median", Column("Positions certified (median)", style.WORKERS, width=_COUNT)),
    ("lo80", Column("80% low ", style.WORKERS, width=_COUNT)),
    ("hi80", Column("80% high ", style.WORKERS, width=_COUNT)),
    ("lo95", Column("95% low ", style.WORKERS, width=_COUNT)),
    ("hi95", Column("95% high ", style.WORKERS, width=_COUNT)),
    ("driver", Column("Driver (log change)", style.SCORE, width=8)),
    ("basis", Column("Source or model", width=40, wrap=True)),
)
CURRENT = (
    ("dimension", Column("Dimension", width=10, wrap=True)),
    ("key", Column("Sector or state", width=_SECTOR, wrap=True)),
    ("model_share", Column("Model FY2026 share", style.SHARE, width=11)),
    ("job_orders_share", Column("Job orders share (picture: source line)", style.SHARE, width=12)),
    ("jan_peak_share", Column("FY2024 January peak share (applications)", style.SHARE, width=_COUNT)),
    ("job_orders_positions", Column("Job-order positions", style.WORKERS, width=_COUNT)),
    ("note", Column("Note", width=16, wrap=True)),
)
CHECK = (
    ("visa_class", Column("Visa class", width=7)),
    ("sector", Column("Sector", width=_SECTOR, wrap=True)),
    ("years", Column("Out-of-sample years", width=11, wrap=True)),
    ("mean_share", Column("Mean share", style.SHARE, width=12)),
    ("mae_trend", Column("Trend: mean abs error", style.SHARE, width=_COUNT)),
    ("mae_last_year", Column("Last year's shares: mean abs error", style.SHARE, width=_COUNT)),
)
TOTALS = (
    ("visa_class", Column("Visa class", width=7)),
    ("fiscal_year", Column("Fiscal year", style.TEXT, width=8)),
    ("period", Column("Period", width=8, wrap=True)),
    ("measure", Column("Measure", width=16, wrap=True)),
    ("value", Column("Value", style.WORKERS, width=_COUNT)),
    ("unit", Column("Unit", width=13, wrap=True)),
    ("partial", Column("Partial", width=7)),
    ("published", Column("Public on", style.DATE, width=11)),
    ("published_basis", Column("How the date is known", width=22, wrap=True)),
    ("source", Column("Source", width=40, wrap=True)),  # the column of the national series' sources (FORECAST)
    ("verified", Column("Verified", width=14, wrap=True)),
    ("note", Column("Note ", width=20, wrap=True)),
)


def _block(
    ws: Worksheet, top: int, title: str, name: str, columns, frame: pd.DataFrame, note: str, source: tuple[str, str]
) -> int:
    """A titled table with a note above and its source line below; returns the next block's header row."""
    write_note(ws, top - 2, 1, title, style.SECTION_FONT)
    if note:
        write_paragraph(ws, top - 1, 1, len(columns), note)
    _, last = write_table(
        ws, name, [c for _, c in columns], frame_rows(frame, [k for k, _ in columns]), top=top, freeze=False
    )
    write_source(ws, max(last, top) + 1, *source)
    return max(last, top) + 5


def shared_notes(current: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The composition check's notes, one per dimension ("sector rows: ..."), as one line for above the table, and
    the table without its Note column, when every row of a dimension carries the same note (it then repeats dozens
    of times in a narrow column, making each row several lines tall); else the table as is and no line."""
    notes = current.groupby("dimension", sort=False)["note"].unique()
    if notes.map(len).gt(1).any():
        return current, ""
    line = "  |  ".join(f"{dimension} rows: {note[0]}" for dimension, note in notes.items() if note[0])
    return current.drop(columns="note"), line


def _published_through(totals: pd.DataFrame) -> str:
    """The latest full-year published figure of each visa class and the latest publication date, from the table."""
    if totals.empty:
        return UNKNOWN
    annual = totals[(totals["period"] == "FY") & ~totals["partial"].astype(bool)]
    years = "; ".join(f"{v} FY{int(y)}" for v, y in annual.groupby("visa_class")["fiscal_year"].max().items())
    return f"{with_months(years)}; latest publication {month_of(totals['published'].max())}"


def _composition_accuracy(check: pd.DataFrame, vintage: dict) -> str:
    """Per visa class, the out-of-sample mean absolute share error of the trend and of last year's shares, and
    which the model keeps."""
    errors = check.assign(
        trend=(check["share_trend"] - check["share_actual"]).abs(),
        held=(check["share_last_year"] - check["share_actual"]).abs(),
    )
    lines = [
        f"{v}: mean abs share error, trend {g['trend'].mean():.2%} vs last year's shares {g['held'].mean():.2%} "
        f"over {g['fiscal_year'].nunique()} years"
        for v, g in errors.groupby("visa_class")
    ]
    return "  |  ".join(lines + list(vintage.get("demand_composition", [])))


def write_demand_record(ws: Worksheet, result: ScenarioResult, manifest: dict | None = None) -> None:
    """The backtest with its MAPE lines and the composition checks."""
    tables = result.tables
    backtest = tables.get("demand_backtest", pd.DataFrame())
    write_title(
        ws,
        "Demand track record",
        "National H-2A/H-2B demand in OFLC positions certified: each year forecast "
        "from the figures public before it, against two naive benchmarks, and where it goes (composition); the "
        "national series with its forecast and the published figures it rests on are on the Control totals sheet.",
    )
    if backtest.empty:
        write_note(ws, HEADER_ROW, 1, "This result carries no demand record (made before the demand model existed).")
        return
    lines = [
        f"{s['visa_class']}: MAPE model {s['model_mape']:.1f}%, naive last value {s['naive_last_mape']:.1f}%, "
        f"naive growth {s['naive_growth_mape']:.1f}%; outcomes inside 80% {int(s['inside80'])}/{int(s['years'])}, "
        f"inside 95% {int(s['inside95'])}/{int(s['years'])}"
        for _, s in summary(backtest).iterrows()
    ]
    totals = tables.get("control_totals", pd.DataFrame())
    published = _published_through(totals)
    cases = "; ".join(f"{v} {case_files_through(result.data_vintage, v)}" for v in ("H-2A", "H-2B"))
    top = _block(
        ws,
        HEADER_ROW + 2,
        "Backtest on published figures",
        "DemandBacktest",
        BACKTEST,
        backtest.assign(fiscal_year=backtest["fiscal_year"].map(lambda y: f"FY{y}")),
        "  |  ".join(lines),
        ("the published national figures of the Control totals sheet (each with its source)", published),
    )
    labels = sector_labels()
    current = tables.get("composition_current", pd.DataFrame())
    if len(current):
        orders = snapshot_through(manifest, "reference/job_orders")
        shown, notes = shared_notes(current)
        top = _block(
            ws,
            top,
            "Composition check: the model's FY2026 H-2B shares next to current filings",
            "CompositionCurrent",
            [(key, column) for key, column in CURRENT if key in shown.columns],
            shown.assign(key=shown["key"].map(lambda k: labels.get(k, k))),
            notes,
            (
                (
                    f"composition model (OFLC case files), DOL job orders ({_job_order_files(manifest)}), "
                    f"OFLC FY2024 January-peak list ({raw_files(manifest, 'recent/h2/Randomization')})"
                ),
                f"job orders {orders}; case files {cases}",
            ),
        )
    check = tables.get("composition_check", pd.DataFrame())
    if len(check):
        _block(
            ws,
            top,
            "Composition accuracy out of sample (sector shares, one fold per fiscal year)",
            "CompositionCheck",
            CHECK,
            check_summary(check).pipe(lambda t: t.assign(sector=t["sector"].map(lambda k: labels.get(k, k)))),
            _composition_accuracy(check, result.data_vintage),
            ("OFLC case files: positions certified by sector and fiscal year", f"case files {cases}"),
        )


def write_control_totals(ws: Worksheet, result: ScenarioResult) -> None:
    """The national series (observed, converted, forecast with intervals), and every national figure the demand model
    rests on with its measure, source and publication date."""
    write_title(
        ws,
        TOTALS_SHEET,
        "The national H-2A/H-2B series in OFLC positions certified, with its forecast; every published national "
        "figure it rests on, with its measure, source, publication date and how that date is known.",
    )
    totals = result.tables.get("control_totals", pd.DataFrame())
    if totals.empty:
        write_note(ws, HEADER_ROW, 1, "This result carries no control totals (made before the demand model existed).")
        return
    annual = totals[totals["period"] != "month"]
    top = HEADER_ROW + 2
    national = result.tables.get("demand_forecast", pd.DataFrame())
    if len(national):
        through = data_through(national)
        top = _block(
            ws,
            top,
            "National positions certified: observed, converted, forecast",
            "NationalDemand",
            FORECAST,
            national.assign(fiscal_year=national["fiscal_year"].map(lambda y: f"FY{y}")),
            f"{through}. Median with 80%/95% intervals; 'converted' = another measure x a ratio estimated "
            "on the years where both exist (shown in the source column).",
            ("each row's source or model line (last column)", with_months(through)),
        )
    _block(
        ws,
        top,
        "Control totals: every national figure, its measure, source and publication date",
        "ControlTotals",
        TOTALS,
        annual.assign(fiscal_year=annual["fiscal_year"].map(lambda y: f"FY{y}")),
        f"The model works in {CERTIFIED}; monthly issuance rows are summed to fiscal years here.",
        (
            "each row's Source column (published pages, OFLC case files, State Department monthly reports)",
            _published_through(totals),
        ),
    )


def _job_order_files(manifest: dict | None) -> str:
    """The job-order picture the snapshot read: a fetched SeasonalJobs response, else the staged snapshot."""
    fetched = raw_files(manifest, "recent/h2/seasonaljobs/")
    return fetched if fetched != raw_files(None, "") else raw_files(manifest, "recent/h2/dol_")
