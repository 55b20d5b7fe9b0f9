"""Benchmarks of the forecast engine on real JOLTS series: recent vintages at four origins, and a snapshot hold-out.

Usage: python bench/forecast.py [--n-jobs N] [--repeat 2] [--scale 100,1000] [--extrapolate-to 10000] [--pandemic]
       [--selection]
       python bench/forecast.py --recent [--repeat 2] [--n-jobs N]

--recent (the benchmark of record since issue 13): 44 series of the recent JOLTS vintages in
../shared/data/raw/recent/jolts/, read with labormatch.sources.recent (SA hires and total separations
levels of 12 national industries to 2026-02, 16 job openings levels to 2025-12, leisure & hospitality SA
rates to 2026-08), cut at the origins 2022-08, 2023-08, 2024-08 and 2025-02; each method sees only the
months up to the origin and forecasts 12 months, scored on the months that have data. It prints, per
origin and pooled over series-origin pairs, this engine, seasonal naive, naive (last value) and
statsforecast AutoETS side by side: mean and median MASE, 80% and 95% coverage (share of months), wall
time (fastest of --repeat runs, interleaved) and the ratio to AutoETS's.

Without --recent:
The series (openings, hires, quits x 28 industries, NSA, levels) come from the embedded snapshot. For each
series the last 12 months are held out; this engine (model chosen by its own rolling-origin backtest on
the training months), seasonal naive and statsforecast's AutoETS each forecast them, and the table shows
mean and median MASE (scaled by the training months' seasonal-naive error), 80% interval coverage and
wall time, all measured in this one run. A fourth row runs the engine with --windows average (every model
averaged over all months and the last 10, 8 and 6 years), the opt-in setting for series with breaks.
Both are warmed up first (AutoETS's numba compilation and the
engine's worker processes are not counted), each method runs --repeat times, interleaved, and the fastest
run counts (the machine is shared, so single runs are noisy; every run's time is printed).
Then the engine's wall time on 100 / 1,000 perturbed copies of the series (each value times
exp(N(0, 0.02^2)), seeded) is measured and, for larger counts, extrapolated linearly from the largest
measured run (labelled as such). --selection compares model-choice rules, training windows (all months,
the last 7-10 years, or an average over windows), log-or-level choice and median combination on the training
months only (nested
rolling origins, no hold-out month used), on the JOLTS series and on the app's CES employment and H-2
series cut before the first hold-out month. --pandemic adds the pandemic-treatment comparison (none / dummies /
exclude, and window end 2020-12 vs 2021-06) on hold-out accuracy and on the engine's own backtest.
statsforecast is needed for this benchmark only; it is not a labormatch dependency.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time

import numpy as np
import pandas as pd

from labormatch import snapshot
from labormatch.forecast import ForecastConfig, Forecaster, metrics
from labormatch.forecast.cache import FitCache
from labormatch.forecast.config import WINDOW_AVERAGE

HOLDOUT = 12


def jolts_nsa_levels() -> pd.DataFrame:
    """Long table series_id, date, value of the JOLTS NSA openings/hires/quits levels (84 series)."""
    meta = snapshot.load_table("bls_series_meta")
    chosen = meta[
        (meta["survey"] == "JOLTS")
        & (meta["seasonal"] == "NSA")
        & (meta["ratelevel"] == "level")
        & meta["measure"].isin(["openings", "hires", "quits"])
        & (meta["area"] == "US")
    ]
    series = snapshot.load_table("bls_series")
    data = series[series["series_id"].isin(chosen["series_id"])][["series_id", "date", "value"]]
    return data.astype({"series_id": str}).sort_values(["series_id", "date"]).reset_index(drop=True)


def split(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training months and the last HOLDOUT months of each series."""
    rank = data.groupby("series_id")["date"].rank(ascending=False)
    return data[rank > HOLDOUT], data[rank <= HOLDOUT]


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def run_engine(train, n_jobs, config=None):
    engine = Forecaster(config=config, cache=False, n_jobs=n_jobs)
    return timed(engine.forecast, train, horizon=HOLDOUT)


def run_autoets(train, n_jobs):
    """AutoETS forecasts of the hold-out months after a warm-up on one series (numba compilation not timed)."""
    from statsforecast.models import AutoETS

    run_statsforecast(train[train["series_id"] == train["series_id"].iloc[0]], [AutoETS(season_length=12)], 1)
    tables, seconds = run_statsforecast(train, [AutoETS(season_length=12)], n_jobs)
    return tables["AutoETS"], seconds


def perturbed_copies(train: pd.DataFrame, count: int, seed: int = 0) -> pd.DataFrame:
    """``count`` series resampled from the real ones, each value times exp(N(0, 0.02^2))."""
    rng = np.random.default_rng(seed)
    ids = train["series_id"].unique()
    groups = {sid: g for sid, g in train.groupby("series_id")}
    frames = []
    for k, sid in enumerate(rng.choice(ids, size=count)):
        g = groups[sid]
        frames.append(g.assign(series_id=f"copy{k:05d}", value=g["value"] * np.exp(rng.normal(0, 0.02, len(g)))))
    return pd.concat(frames, ignore_index=True)


def summary_row(name, scores, seconds, reference) -> dict:
    return {
        "method": name,
        "mean MASE": scores["mase"].mean(),
        "median MASE": scores["mase"].median(),
        "coverage80": scores["coverage80"].mean(),
        "wall s": seconds,
        "wall / AutoETS": seconds / reference,
    }


def pandemic_comparison(train, test, n_jobs) -> pd.DataFrame:
    """Hold-out accuracy and own-backtest MASE of each pandemic treatment."""
    rows = []
    scratch = tempfile.mkdtemp(prefix="labormatch-bench-")  # fits reused by forecast and backtest below
    for label, config in [
        ("none", ForecastConfig(pandemic="none")),
        ("dummies 2020-03..2020-12", ForecastConfig(pandemic="dummies", pandemic_end="2020-12")),
        ("dummies 2020-03..2021-06 (default)", ForecastConfig()),
        ("exclude 2020-03..2021-06", ForecastConfig(pandemic="exclude")),
    ]:
        engine = Forecaster(config=config, cache=FitCache(scratch), n_jobs=n_jobs)
        fits = engine.fit(train)
        forecast = engine.forecast(train, horizon=HOLDOUT)
        scores = score(train, test, forecast)
        own = engine.backtest(train)
        rows.append(
            {
                "treatment": label,
                "holdout mean MASE": scores["mase"].mean(),
                "holdout median MASE": scores["mase"].median(),
                "holdout coverage80": scores["coverage80"].mean(),
                "backtest mean MASE": own["mase"].mean(),
                "backtest coverage80": own["coverage80"].mean(),
                "models": dict(pd.Series([f.model for f in fits.values()]).value_counts()),
            }
        )
    shutil.rmtree(scratch, ignore_errors=True)
    return pd.DataFrame(rows)


SINGLES = ("ets", "sarimax", "theta", "snaive")
SELECTION_VARIANTS = {  # label: training-window and transform settings the training-month backtest runs with
    "all months": {},
    "last 10 years": {"windows": (120,)},
    "last 8 years": {"windows": (96,)},
    "last 7 years": {"windows": (84,)},
    "last 8 years, levels": {"windows": (96,), "transform": "none"},
    "averaged over 4 windows": {"windows": WINDOW_AVERAGE},
}
SELECTION_RULES = {  # label: (variants chosen per series, single candidates, combination, margin or None)
    "lowest of ets/sarimax/uc/snaive (previous engine), all months": (
        ("all months",),
        ("ets", "sarimax", "uc", "snaive"),
        "combo",
        None,
    ),
    "lowest of ets/sarimax/theta/snaive/combo, all months": (("all months",), SINGLES, "combo", 0.0),
    "combo unless a single model is 10% better, all months (default)": (("all months",), SINGLES, "combo", 0.1),
    "always combo, all months": (("all months",), (), "combo", 1.0),
    "median combo unless a single model is 10% better, all months": (("all months",), SINGLES, "median", 0.1),
    "combo unless 10% better, last 10 years": (("last 10 years",), SINGLES, "combo", 0.1),
    "combo unless 10% better, last 8 years": (("last 8 years",), SINGLES, "combo", 0.1),
    "combo unless 10% better, last 7 years": (("last 7 years",), SINGLES, "combo", 0.1),
    "combo unless 10% better, window per series (all months or last 8 years)": (
        ("all months", "last 8 years"),
        SINGLES,
        "combo",
        0.1,
    ),
    "combo unless 10% better, last 8 years, log or levels per series": (
        ("last 8 years", "last 8 years, levels"),
        SINGLES,
        "combo",
        0.1,
    ),
    "always combo, last 8 years": (("last 8 years",), (), "combo", 1.0),
    "combo unless 10% better, each model averaged over all months and the last 10, 8 and 6 years": (
        ("averaged over 4 windows",),
        SINGLES,
        "combo",
        0.1,
    ),
}


def origin_mase(cv: pd.DataFrame) -> pd.DataFrame:
    """MASE per (series_id, origin) and model from a cross-validation table, plus ``median``: the median
    of the combination members' forecasts (the same on the log and the original scale for three members)."""
    from labormatch.forecast.models import COMBINED

    keys = ["series_id", "origin", "date"]
    members = cv[cv["model"].isin(COMBINED)].pivot_table(index=keys, columns="model", values="mean")
    median = cv[cv["model"] == "combo"].set_index(keys)
    median = median.assign(mean=members.median(axis=1).reindex(median.index), model="median").reset_index()
    cv = pd.concat([cv, median], ignore_index=True)
    cv = cv.assign(abs_err=(cv["actual"] - cv["mean"]).abs())
    per = cv.groupby(["series_id", "origin", "model"]).agg(mae=("abs_err", "mean"), scale=("scale", "first"))
    return (per["mae"] / per["scale"]).unstack("model")


def _rule_pick(earlier: pd.Series, singles, combination: str, margin) -> tuple[str, float]:
    """The model a rule publishes from earlier origins' mean MASE, and that mean MASE."""
    from labormatch.forecast.pipeline import choose

    names = [*singles, combination] if margin is not None else list(singles)
    scores = {m: earlier[m] for m in names if np.isfinite(earlier[m])}
    if not scores:
        return "", float("nan")
    scores = {("combo" if m == combination else m): s for m, s in scores.items()}
    names = ["combo" if m == combination else m for m in names]
    pick = choose(scores, names, margin or 0.0)
    return (combination if pick == "combo" else pick), scores[pick]


def selection_check(train: pd.DataFrame, n_jobs: int, origins: int = 6) -> pd.DataFrame:
    """Choice rules compared on the training months only (no hold-out month is used): the engine's
    backtest at ``origins`` rolling origins under each setting of ``SELECTION_VARIANTS``; at each origin
    from the second on, every rule chooses (per series, a model and, where it has several, a variant: the
    one whose pick has the lowest earlier MASE) from the mean MASE of up to three earlier origins and is
    scored by the MASE at that origin."""
    tables = {}
    for label, settings in SELECTION_VARIANTS.items():
        models = (*SINGLES, "combo", *(("uc",) if label == "all months" else ()))
        config = ForecastConfig(models=models, origins=origins, **settings)
        tables[label] = origin_mase(Forecaster(config=config, cache=False, n_jobs=n_jobs).cross_validation(train))
    rows = []
    for sid in tables["all months"].index.unique("series_id"):
        by_variant = {label: t.loc[sid].sort_index() for label, t in tables.items()}
        for k in range(1, len(by_variant["all months"])):
            for label, (variants, singles, combination, margin) in SELECTION_RULES.items():
                picks = {
                    v: _rule_pick(by_variant[v].iloc[max(0, k - 3) : k].mean(), singles, combination, margin)
                    for v in variants
                }
                picks = {v: p for v, p in picks.items() if p[0]}
                if picks:
                    variant = min(picks, key=lambda v: (picks[v][1], variants.index(v)))
                    rows.append(
                        {"rule": label, "origin": k + 1, "mase": by_variant[variant].iloc[k][picks[variant][0]]}
                    )
    out = pd.DataFrame(rows).pivot_table(index="rule", columns="origin", values="mase", aggfunc="mean")
    return out.assign(mean=out.mean(axis=1)).loc[list(SELECTION_RULES)]


def other_training_series(before: pd.Timestamp, months: int = 120) -> pd.DataFrame:
    """The other series the app forecasts with this engine (CES employment, H-2A/H-2B certified
    worker-months, from ``sectors.snapshot_series``) cut before ``before``, those with ``months``+ observed
    months: a second training-month check of choice rules on series families the JOLTS bench does not cover."""
    from labormatch.forecast.sectors import snapshot_series

    data = snapshot_series(("employment", "h2a_certified_worker_months", "h2b_certified_worker_months"))
    data = data[data["date"] < before]
    observed = data.dropna(subset=["value"]).groupby("series_id").size()
    return data[data["series_id"].isin(observed[observed >= months].index)][["series_id", "date", "value"]]


RECENT_ORIGINS = ("2022-08", "2023-08", "2024-08", "2025-02")
RECENT_ELEMENTS = ("HI", "TS")  # hires and total separations from the lowmason file (levels)


def recent_jolts(raw) -> pd.DataFrame:
    """Long table series_id, date, value of the recent JOLTS vintages, read with the project's loaders:
    SA hires and total separations levels (thousands), 12 national industries to 2026-02 (lowmason); job
    openings levels (thousands), 10 SA and 6 NSA series to 2025-12 (FRED via Dextar); leisure & hospitality
    SA rates (%) of openings, hires, quits and layoffs to 2026-08."""
    from labormatch.sources import recent

    hires_seps = recent.load_jolts_hires_seps(raw).obs
    national = hires_seps["series_id"].str[9:11] == "00"
    level = hires_seps["series_id"].str[-1] == "L"
    element = hires_seps["series_id"].str[-3:-1].isin(RECENT_ELEMENTS)
    frames = [
        hires_seps[national & level & element],
        recent.load_jolts_openings_fred(raw).obs,
        recent.load_jolts_rates_leisure(raw).obs,
    ]
    data = pd.concat(frames, ignore_index=True)[["series_id", "date", "value"]]
    return data.sort_values(["series_id", "date"]).reset_index(drop=True)


def cut_at(data: pd.DataFrame, origin: str, horizon: int = HOLDOUT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Months up to ``origin`` (training) and the ``horizon`` months after it (test, observed months only)
    of the series that have at least one test month."""
    end = pd.Timestamp(origin)
    stop = end + pd.DateOffset(months=horizon)
    train = data[data["date"] <= end]
    test = data[(data["date"] > end) & (data["date"] <= stop)].dropna(subset=["value"])
    keep = set(test["series_id"]) & set(train["series_id"])
    return train[train["series_id"].isin(keep)], test[test["series_id"].isin(keep)]


def run_statsforecast(train: pd.DataFrame, models: list, n_jobs: int, horizon: int = HOLDOUT) -> tuple[dict, float]:
    """Forecast tables (series_id, date, mean, lo80, hi80, lo95, hi95) per statsforecast model, and the wall time."""
    from statsforecast import StatsForecast

    frame = train.rename(columns={"series_id": "unique_id", "date": "ds", "value": "y"})
    out, seconds = timed(
        StatsForecast(models=models, freq="MS", n_jobs=n_jobs).forecast, df=frame, h=horizon, level=[80, 95]
    )
    out = out.reset_index() if "unique_id" not in out.columns else out
    tables = {}
    for model in models:
        name = repr(model)
        tables[name] = out.rename(
            columns={
                "unique_id": "series_id",
                "ds": "date",
                name: "mean",
                **{f"{name}-{s}-{k}": f"{s}{k}" for s in ("lo", "hi") for k in (80, 95)},
            }
        )[["series_id", "date", "mean", "lo80", "hi80", "lo95", "hi95"]]
    return tables, seconds


def score(train: pd.DataFrame, test: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """Per series: MASE (scaled by the training months' seasonal-naive error), the number of test months, those
    inside the 80% and 95% intervals (in80, in95) and the share inside the 80% interval (coverage80)."""
    joined = test.merge(forecast, on=["series_id", "date"], how="left", validate="1:1")
    if joined["mean"].isna().any():
        raise SystemExit("a forecast is missing test months")
    rows = []
    for sid, group in joined.groupby("series_id"):
        scale = metrics.naive_scale(train.loc[train["series_id"] == sid, "value"].to_numpy())
        actual = group["value"].to_numpy()
        rows.append(
            {
                "series_id": sid,
                "mase": metrics.mase(actual, group["mean"].to_numpy(), scale),
                "months": len(actual),
                **{f"in{k}": int(np.sum((actual >= group[f"lo{k}"]) & (actual <= group[f"hi{k}"]))) for k in (80, 95)},
            }
        )
    scores = pd.DataFrame(rows)
    return scores.assign(coverage80=scores["in80"] / scores["months"])


def recent_benchmark(raw, n_jobs: int, repeat: int = 1, origins=RECENT_ORIGINS) -> pd.DataFrame:
    """Per origin and pooled: mean and median MASE, 80% and 95% coverage and wall time of this engine
    (cache off), seasonal naive, naive (last value) and AutoETS, each fitted on the months up to the
    origin only. Each method runs ``repeat`` times per origin, interleaved, and the fastest run counts."""
    from statsforecast.models import Naive, SeasonalNaive

    data = recent_jolts(raw)
    train, _ = cut_at(data, origins[0])
    run_engine(train[train["series_id"].isin(train["series_id"].unique()[:2])], n_jobs)  # start the workers
    rows, engine_models, times = [], {}, {}
    for origin in origins:
        train, test = cut_at(data, origin)
        runs = {"engine": [], "auto": [], "naive": []}
        for _ in range(repeat):
            engine_fc, seconds = run_engine(train, n_jobs)
            runs["engine"].append(seconds)
            auto, seconds = run_autoets(train, n_jobs)
            runs["auto"].append(seconds)
            naive, seconds = run_statsforecast(train, [SeasonalNaive(season_length=12), Naive()], n_jobs)
            runs["naive"].append(seconds)
        times[origin] = {k: [round(t, 1) for t in v] for k, v in runs.items()}
        engine_models[origin] = engine_fc.drop_duplicates("series_id")["model"].value_counts().to_dict()
        methods = {
            "labormatch engine": (engine_fc, "engine"),
            "seasonal naive": (naive["SeasonalNaive"], "naive"),
            "naive (last value)": (naive["Naive"], "naive"),
            "statsforecast AutoETS": (auto, "auto"),
        }
        for method, (forecast, key) in methods.items():
            rows.append(score(train, test, forecast).assign(origin=origin, method=method, seconds=min(runs[key])))
    scores = pd.concat(rows, ignore_index=True)
    for origin in origins:
        print(f"{origin}: engine models {engine_models[origin]}; wall s of each run {times[origin]}")
    return recent_table(scores)


def recent_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Summary rows per origin and method, then pooled over origins (series-origin pairs; coverage over months)."""

    def summary(group: pd.DataFrame) -> pd.Series:
        return pd.Series(
            {
                "series": len(group),
                "mean MASE": group["mase"].mean(),
                "median MASE": group["mase"].median(),
                "coverage80": group["in80"].sum() / group["months"].sum(),
                "coverage95": group["in95"].sum() / group["months"].sum(),
                "wall s": group.drop_duplicates("at")["seconds"].sum(),
            }
        )

    methods = list(dict.fromkeys(scores["method"]))
    scores = scores.assign(at=scores["origin"])
    per_origin = scores.groupby(["origin", "method"], sort=False).apply(summary, include_groups=False)
    pooled = scores.groupby("method", sort=False).apply(summary, include_groups=False)
    pooled.index = pd.MultiIndex.from_product([["pooled"], pooled.index], names=["origin", "method"])
    table = pd.concat([per_origin, pooled]).reset_index()
    reference = table[table["method"] == "statsforecast AutoETS"].set_index("origin")["wall s"]
    table["wall / AutoETS"] = table["wall s"] / table["origin"].map(reference)
    table["method"] = pd.Categorical(table["method"], methods)
    return table.astype({"series": int})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=-1, help="processes for both engines (-1 = all cores)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each method; the fastest counts")
    parser.add_argument("--scale", default="100,1000", help="series counts to time (comma separated)")
    parser.add_argument("--extrapolate-to", type=int, default=10_000, help="series count to extrapolate to")
    parser.add_argument("--pandemic", action="store_true", help="also compare pandemic treatments")
    parser.add_argument(
        "--selection",
        action="store_true",
        help="also compare model-choice rules on the training months (6 rolling origins)",
    )
    parser.add_argument(
        "--recent",
        action="store_true",
        help="only the recent-vintage benchmark: origins " + ", ".join(RECENT_ORIGINS) + ", 12 months ahead",
    )
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    if args.recent:
        from labormatch import paths

        print(f"recent JOLTS vintages; cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}")
        print(recent_benchmark(paths.raw_dir(), args.n_jobs, args.repeat).round(3).to_string(index=False))
        print(
            "targets: engine mean MASE <= AutoETS at every origin and pooled; coverage80 0.75-0.85 pooled and "
            f">= 0.72 at every origin; wall / AutoETS <= 0.7; load average after: {os.getloadavg()[0]:.2f}"
        )
        return

    data = jolts_nsa_levels()
    train, test = split(data)
    print(
        f"{data['series_id'].nunique()} JOLTS NSA level series; hold-out = last {HOLDOUT} months of each; "
        f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.2f}"
    )

    run_engine(train[train["series_id"].isin(train["series_id"].unique()[:2])], args.n_jobs)  # start the workers
    times = {"auto": [], "engine": [], "naive": [], "windows": []}
    for _ in range(args.repeat):
        auto_fc, seconds = run_autoets(train, args.n_jobs)
        times["auto"].append(seconds)
        engine_fc, seconds = run_engine(train, args.n_jobs)
        times["engine"].append(seconds)
        naive_fc, seconds = run_engine(train, args.n_jobs, ForecastConfig(models=("snaive",)))
        times["naive"].append(seconds)
        windows_fc, seconds = run_engine(train, args.n_jobs, ForecastConfig(windows=WINDOW_AVERAGE))
        times["windows"].append(seconds)
    auto_s, engine_s, naive_s, windows_s = (min(times[k]) for k in ("auto", "engine", "naive", "windows"))
    print("wall times of each repeat (s):", {k: [round(t, 1) for t in v] for k, v in times.items()})
    table = pd.DataFrame(
        [
            summary_row("labormatch engine", score(train, test, engine_fc), engine_s, auto_s),
            summary_row("seasonal naive", score(train, test, naive_fc), naive_s, auto_s),
            summary_row("statsforecast AutoETS", score(train, test, auto_fc), auto_s, auto_s),
            summary_row("engine, --windows average", score(train, test, windows_fc), windows_s, auto_s),
        ]
    )
    print(table.round(3).to_string(index=False))
    for label, fc in (("engine", engine_fc), ("--windows average", windows_fc)):
        print(f"{label} chosen models:", fc.drop_duplicates("series_id")["model"].value_counts().to_dict())
    print(
        f"targets: mean MASE <= 1.15, coverage80 0.75-0.85, wall / AutoETS <= 1.0; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )

    counts = [int(c) for c in args.scale.split(",") if c]
    measured = {}
    print("\nscaling (engine, cache off, perturbed copies of the training series):")
    for count in counts:
        _, seconds = run_engine(perturbed_copies(train, count), args.n_jobs)
        measured[count] = seconds
        print(f"  {count:>6} series: {seconds:8.1f} s measured ({seconds / count * 1000:.0f} ms per series)")
    if counts and args.extrapolate_to > max(counts):
        base = max(counts)
        print(
            f"  {args.extrapolate_to:>6} series: {measured[base] / base * args.extrapolate_to:8.1f} s "
            f"EXTRAPOLATED linearly from the {base}-series run (not measured)"
        )

    if args.selection:
        print("\nmodel-choice rules on the training months (mean MASE at origin k, chosen on origins k-3..k-1):")
        print(selection_check(train, args.n_jobs).round(3).to_string())
        others = other_training_series(test["date"].min())
        print(
            f"\nthe same on {others['series_id'].nunique()} CES employment and H-2 series, months before "
            f"{test['date'].min():%Y-%m} (the first JOLTS hold-out month) only:"
        )
        print(selection_check(others, args.n_jobs).round(3).to_string())

    if args.pandemic:
        print("\npandemic treatment (hold-out = last 12 months; backtest = engine's 3 rolling origins):")
        print(pandemic_comparison(train, test, args.n_jobs).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
