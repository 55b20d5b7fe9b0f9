"""The forecast configuration: every choice that changes a fit, validated once.

The configuration (not the horizon, which only extends a fitted model) is part of the fit-cache key.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pandas as pd

from labormatch.errors import LabormatchError
from labormatch.forecast.breaks import TREATMENTS
from labormatch.forecast.models import MODEL_NAMES, SEASON

MAX_HORIZON = 24  # months; beyond two years monthly flow forecasts carry little information
TRANSFORMS = ("auto", "log", "none")
INTERVALS = ("calibrated", "normal")
WINDOW_AVERAGE = (None, 120, 96, 72)  # all months, the last 10, 8 and 6 years (docs/FORECAST.md)


@dataclass(frozen=True)
class ForecastConfig:
    """How series are backtested, chosen and fitted.

    models: candidates to choose from (``ets``, ``sarimax``, ``uc``, ``theta``, ``snaive``, ``naive``, and ``combo``,
        the equal-weight combination of ets, sarimax and theta); seasonal naive is always backtested as
        the baseline for ``snaive_mase``. ``naive`` (last value) is offered but not a default: on the
        recent-vintage benchmark choosing it by backtest made the mean MASE worse at 3 of 4 origins. ``uc`` is
        offered but not a default: on six pre-hold-out JOLTS
        origins it was the least accurate model and the combination without it was as accurate.
    backtest_horizon / origins / origin_step: rolling-origin backtest, in months. Origins sit at the end of
        the series minus ``backtest_horizon + k * origin_step``; candidates are ranked by mean MASE.
    combo_margin: the combination is published unless a single model's mean backtest MASE is lower than
        the combination's by more than this share (0.1 = 10%); 0 = plain lowest MASE. Shrinking towards
        the combination guards against choosing on three noisy origins.
    min_train: months of history needed before a backtest origin; origins with fewer are dropped, and a
        series with none left falls back to seasonal naive.
    windows: training windows, in latest months (None = all months). With one window, older history is
        dropped. With several, every single model is estimated on each and its forecasts are averaged on
        the model scale (a combination across estimation windows, Pesaran & Pick 2011, for series with
        breaks); each window adds about the time of one more fit. ``WINDOW_AVERAGE`` is the tested set.
    pandemic, pandemic_start, pandemic_end: the break treatment and its window (see ``breaks``).
    transform: ``log`` fits on log values (multiplicative seasonality; forecasts are medians), ``none`` on
        levels, ``auto`` = log when every value is positive.
    refit_each_origin: re-estimate at every origin instead of re-filtering the first origin's parameters.
    intervals: ``calibrated`` (default) widens or narrows the 80%/95% intervals to the split-conformal
        quantiles of the chosen model's own standardized backtest errors (``calibration``); ``normal``
        keeps the models' normal intervals.
    refit_final: re-estimate the chosen model on all months (warm-started). The default, False, keeps the
        first origin's parameters and runs them over all months: the exact procedure the backtest scored,
        and on the JOLTS hold-out as accurate (mean MASE 1.199 vs 1.202 with the earlier ets/sarimax/uc/snaive
        candidates) at less than half the time.
    """

    models: tuple[str, ...] = ("ets", "sarimax", "theta", "snaive", "combo")
    backtest_horizon: int = 12
    origins: int = 3
    origin_step: int = 12
    combo_margin: float = 0.1
    min_train: int = 36
    windows: tuple[int | None, ...] = (None,)
    pandemic: str = "dummies"
    pandemic_start: str = "2020-03"
    pandemic_end: str = "2021-06"
    transform: str = "auto"
    refit_each_origin: bool = False
    refit_final: bool = False
    intervals: str = "calibrated"

    def __post_init__(self):
        object.__setattr__(self, "models", tuple(self.models))
        object.__setattr__(self, "windows", tuple(self.windows))
        unknown = [m for m in self.models if m not in MODEL_NAMES]
        if unknown or not self.models:
            raise LabormatchError(
                f"forecast config field 'models': unknown or empty {unknown or list(self.models)}; "
                f"choose from {', '.join(MODEL_NAMES)}"
            )
        if not 1 <= self.backtest_horizon <= MAX_HORIZON:
            raise LabormatchError(f"forecast config field 'backtest_horizon' must be 1-{MAX_HORIZON} months")
        if self.origins < 1 or self.origin_step < 1:
            raise LabormatchError("forecast config fields 'origins' and 'origin_step' must be at least 1")
        if not 0 <= self.combo_margin < 1:
            raise LabormatchError("forecast config field 'combo_margin' must be a share from 0 to below 1")
        if self.min_train < 2 * SEASON:
            raise LabormatchError(f"forecast config field 'min_train' must be at least {2 * SEASON} months")
        if (
            not self.windows
            or len(set(self.windows)) != len(self.windows)
            or any(
                w is not None and (isinstance(w, bool) or not isinstance(w, int) or w < self.min_train)
                for w in self.windows
            )
        ):
            raise LabormatchError(
                f"forecast config field 'windows' ({windows_text(self.windows) or 'none given'}): "
                "each must be 'all' (None) or a whole number of "
                f"months of at least min_train ({self.min_train}), with no repeats"
            )
        if self.pandemic not in TREATMENTS:
            raise LabormatchError(
                f"forecast config field 'pandemic': {self.pandemic!r} is not one of {', '.join(TREATMENTS)}"
            )
        if self.intervals not in INTERVALS:
            raise LabormatchError(
                f"forecast config field 'intervals': {self.intervals!r} is not one of {', '.join(INTERVALS)}"
            )
        if self.transform not in TRANSFORMS:
            raise LabormatchError(
                f"forecast config field 'transform': {self.transform!r} is not one of {', '.join(TRANSFORMS)}"
            )
        try:
            start, end = pd.Timestamp(self.pandemic_start), pd.Timestamp(self.pandemic_end)
        except ValueError as exc:
            raise LabormatchError(f"forecast config pandemic window: {exc}") from None
        if end < start:
            raise LabormatchError("forecast config: 'pandemic_end' is before 'pandemic_start'")

    def key(self) -> str:
        """Canonical JSON of the configuration (part of the fit-cache key)."""
        return json.dumps(asdict(self), sort_keys=True)


def check_horizon(horizon: int) -> int:
    """The horizon as an int, or a clear error when it is outside 1-24 months."""
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= MAX_HORIZON:
        raise LabormatchError(
            f"forecast horizon must be a whole number of months from 1 to {MAX_HORIZON}, got {horizon!r}"
        )
    return horizon


def windows_text(windows: tuple) -> str:
    """Training windows as ``parse_windows`` reads them: ``all, 120, 96``."""
    return ", ".join("all" if w is None else repr(w) for w in windows)


def parse_windows(text: str) -> tuple[int | None, ...]:
    """Training windows as a user writes them: ``all`` (the default), ``average`` (``WINDOW_AVERAGE``) or a
    comma-separated list of months and ``all``, e.g. ``all,96``; checked later by ``ForecastConfig``."""
    words = [word.strip().lower() for word in str(text).split(",")]
    if words == ["average"]:
        return WINDOW_AVERAGE
    try:
        return tuple(None if word == "all" else int(word) for word in words)
    except ValueError:
        raise LabormatchError(
            f"forecast config field 'windows': {text!r} is not 'all', 'average' or a comma-separated list of "
            "months such as all,120,96"
        ) from None
