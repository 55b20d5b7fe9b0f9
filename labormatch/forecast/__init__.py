"""Forecasts of monthly labor-market series with statsmodels, chosen and published with their backtests.

Entry points: ``Forecaster`` (forecast / backtest / cross_validation over a long table), ``ForecastConfig``,
and ``sector_forecasts`` (the snapshot's shortage series per sector, cached).
"""

from labormatch.forecast.config import ForecastConfig
from labormatch.forecast.engine import Forecaster
from labormatch.forecast.sectors import sector_forecasts

__all__ = ["ForecastConfig", "Forecaster", "sector_forecasts"]
