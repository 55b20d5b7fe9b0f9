"""The forecast-error distribution of baseline demand: the contract between the demand model, which
estimates it, and the draws that carry it through the caps.

All spreads are on the log scale of workers, so a draw multiplies the point baseline and the median of
every drawn total equals the point figure:

    draw[d, sector, month] = baseline[sector, month] x exp(national_log_sd[class, fy] x z[d, class]
                                                          + share_error[d, class, sector])

with z[d, :] ~ N(0, national_corr) (one shock per visa class and draw, shared by every month of the fiscal
year) and share_error[d, class, :] ~ N(0, share_cov[class]) (sector composition error, shared by the
months of the fiscal year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class DemandUncertainty:
    """national: visa_class, fiscal_year, log_sd (standard deviation of the log error of the national total
        forecast for that fiscal year; grows with the years ahead of the data) and basis (text: how it was
        estimated).
    national_corr: visa_class x visa_class correlation of the national log errors (index and columns are
        visa classes; identity where not estimated).
    share_cov: visa_class, sector_a, sector_b, cov (covariance of the log error of sector shares, estimated
        from the composition model's out-of-sample errors).
    source: one line naming the model and the data it was estimated on.
    """

    national: pd.DataFrame
    national_corr: pd.DataFrame
    share_cov: pd.DataFrame
    source: str
