"""Baseline demand = national total x composition share, so every sector figure traces to a total and a share.

    shortage_workers[sector, class, month] = national_total[class, FY] x share[class, FY, sector, calendar month]

national_total is positions certified: the published figure where one exists (or one converted from another
measure, `control_totals.certified_series`), else the median forecast of `demand_model`. Shares come from
`composition.Composition`. Positions certified in fiscal year t are placed in the months of FY t by their
calendar start month (a decision-year total spread over start months, documented approximation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from labormatch import composition, control_totals, demand_model
from labormatch.demand_uncertainty import DemandUncertainty

VISA_CLASSES = ("H-2A", "H-2B")
USE_DRIVER = True  # fixed on FY2013-FY2018 (H-2A) and FY2016-FY2019 (H-2B) backtests: see bench/demand.py


@dataclass(frozen=True)
class NationalDemand:
    """Per visa class: the known series, the fitted model and the forecast path; `table` joins them."""

    table: pd.DataFrame
    fits: dict
    conversions: list


def national(totals: pd.DataFrame, driver: pd.Series, last_year: int) -> NationalDemand:
    """demand_forecast table: visa_class, fiscal_year, kind ("observed", "converted", "forecast"), horizon,
    median (positions certified), lo80, hi80, lo95, hi95, log_sd, driver, basis (source or model line)."""
    parts, fits, conversions = [], {}, []
    for visa_class in VISA_CLASSES:
        series, used = control_totals.certified_series(totals, visa_class)
        conversions += used
        model = demand_model.fit(visa_class, series, driver, use_driver=USE_DRIVER)
        fits[visa_class] = model
        known = series.assign(
            visa_class=visa_class,
            kind=np.where(series["basis"] == "observed", "observed", "converted"),
            horizon=0,
            median=series["value"],
            driver=driver.reindex(series["fiscal_year"]).to_numpy(float),
            basis=np.where(series["basis"] == "observed", series["source"], series["basis"]),
        )
        z80, z95 = 1.2815515655446004, 1.959963984540054
        for name, z in (("lo80", -z80), ("hi80", z80), ("lo95", -z95), ("hi95", z95)):
            known[name] = known["median"] * np.exp(z * known["log_sd"])
        path = demand_model.forecast(model, last_year, driver).assign(
            kind="forecast", basis=demand_model.describe(model)
        )
        parts += [known, path]
    columns = [
        "visa_class",
        "fiscal_year",
        "kind",
        "horizon",
        "median",
        "lo80",
        "hi80",
        "lo95",
        "hi95",
        "log_sd",
        "driver",
        "basis",
    ]
    table = pd.concat([p[columns] for p in parts], ignore_index=True)
    return NationalDemand(table, fits, conversions)


def baseline(
    national_table: pd.DataFrame, compositions: dict[str, composition.Composition], first_year: int
) -> pd.DataFrame:
    """sector, visa_class, month, shortage_workers (workers starting that month), fiscal_year, national_total,
    share, total_kind: one row per sector x start month of every fiscal year from `first_year`."""
    parts = []
    for visa_class, comp in compositions.items():
        totals = national_table[
            (national_table["visa_class"] == visa_class) & (national_table["fiscal_year"] >= first_year)
        ]
        cells = comp.cell_shares(totals["fiscal_year"].tolist()).merge(
            totals[["fiscal_year", "median", "kind"]], on="fiscal_year"
        )
        year = cells["fiscal_year"] - (cells["calendar_month"] >= 10).astype(int)
        parts.append(
            pd.DataFrame(
                {
                    "sector": cells["sector"],
                    "visa_class": visa_class,
                    "month": pd.to_datetime({"year": year, "month": cells["calendar_month"], "day": 1}),
                    "shortage_workers": cells["median"] * cells["share"],
                    "fiscal_year": cells["fiscal_year"],
                    "national_total": cells["median"],
                    "share": cells["share"],
                    "total_kind": cells["kind"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values(["sector", "visa_class", "month"], ignore_index=True)


def uncertainty(
    national_demand: NationalDemand,
    totals: pd.DataFrame,
    driver: pd.Series,
    compositions: dict[str, composition.Composition],
) -> DemandUncertainty:
    """The `DemandUncertainty` contract: national log sd per class and fiscal year (0 for observed years, the
    conversion's for converted ones, the forecast's for forecast ones), the correlation of the two classes'
    growth residuals over their common fit years, and each class's out-of-sample share-error covariance."""
    table = national_demand.table
    national_rows = table[["visa_class", "fiscal_year", "log_sd"]].assign(
        basis=np.where(
            table["kind"] == "forecast",
            "forecast error (growth model, grows with years ahead)",
            np.where(table["kind"] == "converted", "measure conversion error", "observed"),
        )
    )
    residuals = {}
    for visa_class, model in national_demand.fits.items():
        series, _ = control_totals.certified_series(totals, visa_class)
        residuals[visa_class] = demand_model.residuals(model, series, driver)
    both = pd.DataFrame(residuals).dropna()
    corr = (
        both.corr()
        if len(both) > 2
        else pd.DataFrame(np.eye(len(VISA_CLASSES)), index=VISA_CLASSES, columns=VISA_CLASSES)
    )
    share_cov = pd.concat(
        [composition.share_covariance(c.check, v, c.trend) for v, c in compositions.items()], ignore_index=True
    )
    years = f"FY{both.index.min()}-FY{both.index.max()}" if len(both) else "none"
    return DemandUncertainty(
        national=national_rows.reset_index(drop=True),
        national_corr=corr.loc[list(VISA_CLASSES), list(VISA_CLASSES)],
        share_cov=share_cov,
        source=f"labormatch's national demand model: its growth fits (correlation of residuals {years}); "
        "composition shares: their out-of-sample log errors",
    )


def data_through(national_table: pd.DataFrame) -> str:
    """How current the national figures are, e.g. "H-2A published through FY2025; H-2B published through FY2023,
    converted from another measure through FY2024"."""
    parts = []
    for visa_class, group in national_table.groupby("visa_class"):
        observed = group.loc[group["kind"] == "observed", "fiscal_year"].max()
        converted = group.loc[group["kind"] == "converted", "fiscal_year"]
        text = f"{visa_class} published through FY{observed}"
        if len(converted) and converted.max() > observed:
            text += f", converted from another measure through FY{converted.max()}"
        parts.append(text)
    return "; ".join(parts)


def with_gaps(national: pd.DataFrame) -> pd.DataFrame:
    """The demand_forecast table (`national`) with a row (kind "unknown", no value) for every fiscal year missing
    inside a visa class's known figures, and `segment` (a run of known years between gaps, counted from 0), so a
    chart leaves a gap open instead of drawing a line across it: an unknown year is never 0 nor interpolated."""
    parts = [national]
    for visa_class, group in national[national["kind"] != "forecast"].groupby("visa_class"):
        years = set(range(int(group["fiscal_year"].min()), int(group["fiscal_year"].max()) + 1))
        missing = sorted(years - set(group["fiscal_year"]))
        parts.append(pd.DataFrame({"visa_class": visa_class, "fiscal_year": missing, "kind": "unknown"}))
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(fiscal_year=out["fiscal_year"].astype(int)).sort_values(
        ["visa_class", "fiscal_year"], ignore_index=True
    )
    unknown = (out["kind"] == "unknown").astype(int)
    return out.assign(segment=unknown.groupby(out["visa_class"]).cumsum())


def basis_rows(national: pd.DataFrame) -> pd.DataFrame:
    """Each basis of the national figures (demand_forecast table) once, with the visa class and the fiscal years it
    covers ("FY2019" or "FY2008-FY2012 (5 years)"), in the table's order."""
    known = national.dropna(subset=["basis"])
    rows = known.groupby(["visa_class", "basis"], as_index=False, sort=False)["fiscal_year"].agg(["min", "max", "size"])
    years = [
        f"FY{low}" if low == high else f"FY{low}-FY{high} ({size} years)"
        for low, high, size in zip(rows["min"], rows["max"], rows["size"])
    ]
    return pd.DataFrame({"visa_class": rows["visa_class"], "fiscal_years": years, "basis": rows["basis"]})
