"""Demand paths drawn from the baseline's forecast-error distribution (`labormatch.demand_uncertainty`).

For the chosen fiscal year, draw d multiplies the point demand of a visa class's sector by

    factor[d, sector] = exp(national_log_sd[class, fy] x z[d, class] + share_error[d, class, sector])

z[d, :] ~ N(0, national_corr) and share_error[d, class, :] ~ N(0, share_cov[class]) (sectors the covariance
does not list have no share error). One factor per draw and sector serves every month of the fiscal year
(the docstring of `demand_uncertainty`: the errors are shared across the year's months). Because the factor
multiplies the baseline, and the scenario's demand levers (fillable share, domestic offset, wage factor) are
multiplicative too, it multiplies the scenario's demand matrix; a zero spread gives factor 1.0 exactly, so the
draws reproduce the point run.

Covariances that are not positive definite (estimated on few years) are factored through their eigenvalues
clipped at 0 instead of a Cholesky factor (see `covariance_factor`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labormatch.demand_uncertainty import DemandUncertainty
from labormatch.errors import LabormatchError

#: Seed of the random generator: fixed, so a scenario's draws (and its result hash) are reproducible; it is
#: recorded in the `intervals` table of every result.
SEED = 20_261_202


class DemandDrawsError(LabormatchError):
    """The demand uncertainty cannot be drawn from (a missing or malformed entry); the message names it."""


@dataclass(frozen=True)
class DemandFactors:
    """Multipliers of the point demand: factors[visa_class] is draws x sectors (in the order given)."""

    factors: dict[str, np.ndarray]
    n_draws: int
    seed: int


def missing_years(uncertainty: DemandUncertainty, fiscal_year: int, visa_classes: tuple[str, ...]) -> list[str]:
    """Visa classes with no national log spread for `fiscal_year` (no interval can be drawn for them)."""
    nat = uncertainty.national
    have = set(nat.loc[nat["fiscal_year"].astype(int) == fiscal_year, "visa_class"].astype(str))
    return [v for v in visa_classes if v not in have]


def covariance_factor(cov: np.ndarray) -> np.ndarray:
    """A matrix L with L @ L.T = cov: Cholesky where cov is positive definite; otherwise V diag(sqrt(max(w, 0)))
    from the eigen-decomposition cov = V diag(w) V.T (the nearest positive semi-definite matrix's factor)."""
    cov = np.asarray(cov, dtype=float)
    if not np.isfinite(cov).all():
        raise DemandDrawsError("demand uncertainty: a covariance or correlation holds a missing or infinite value")
    if not np.allclose(cov, cov.T, rtol=1e-9, atol=1e-12):
        raise DemandDrawsError("demand uncertainty: a covariance or correlation matrix is not symmetric")
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(cov)
        return vectors * np.sqrt(np.clip(values, 0.0, None))


def draw_factors(
    uncertainty: DemandUncertainty,
    fiscal_year: int,
    sectors: list[str],
    visa_classes: tuple[str, ...],
    n_draws: int,
    seed: int = SEED,
) -> DemandFactors:
    """Demand multipliers per visa class, draws x sectors, for one fiscal year (see the module docstring)."""
    if n_draws < 1:
        raise DemandDrawsError(f"demand draws: need at least 1 draw, got {n_draws}")
    missing = missing_years(uncertainty, fiscal_year, visa_classes)
    if missing:
        raise DemandDrawsError(f"demand uncertainty: no national log_sd for {', '.join(missing)} in FY{fiscal_year}")
    rng = np.random.default_rng(seed)
    corr = uncertainty.national_corr.reindex(index=list(visa_classes), columns=list(visa_classes))
    corr = corr.fillna(0.0).to_numpy(float)
    np.fill_diagonal(corr, 1.0)  # classes the correlation does not list: independent, unit variance
    z = rng.standard_normal((n_draws, len(visa_classes))) @ covariance_factor(corr).T
    nat = uncertainty.national
    factors = {}
    for k, visa_class in enumerate(visa_classes):
        row = nat[(nat["visa_class"] == visa_class) & (nat["fiscal_year"].astype(int) == fiscal_year)]
        log_sd = float(row["log_sd"].iloc[0])
        if not np.isfinite(log_sd) or log_sd < 0:
            raise DemandDrawsError(
                f"demand uncertainty: log_sd of {visa_class} FY{fiscal_year} is {log_sd}; it must be a number >= 0"
            )
        shares = _share_cov(uncertainty, visa_class, sectors)
        share_error = rng.standard_normal((n_draws, len(sectors))) @ covariance_factor(shares).T
        factors[visa_class] = np.exp(log_sd * z[:, [k]] + share_error)
    return DemandFactors(factors, n_draws, seed)


def _share_cov(uncertainty: DemandUncertainty, visa_class: str, sectors: list[str]) -> np.ndarray:
    """sectors x sectors covariance of the share errors of one visa class (0 where not listed)."""
    cov = uncertainty.share_cov
    rows = cov[cov["visa_class"] == visa_class]
    index = {s: i for i, s in enumerate(sectors)}
    out = np.zeros((len(sectors), len(sectors)))
    for a, b, value in zip(rows["sector_a"], rows["sector_b"], rows["cov"].to_numpy(float)):
        if a in index and b in index:
            out[index[a], index[b]] = value
            out[index[b], index[a]] = value
    return out


def drawn_matrix(point: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Drawn demand, draws x sectors x 12 months: the point sectors x months matrix times each draw's factor."""
    return point[None, :, :] * factors[:, :, None]
