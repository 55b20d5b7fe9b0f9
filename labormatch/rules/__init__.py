"""H-2A/H-2B program rules as dated, cited parameters.

The YAML files beside this module are the parameter tree (`labormatch.parameters`): one quantity (or one
program's terms) per file, with a description, a unit, references (title + address) and values keyed by the
date they take effect. `h2b_supplemental.yaml` is keyed by fiscal year instead, because each supplemental rule
is a one-year act. `planning_horizon.yaml` holds the last fiscal year a scenario may choose (a planning choice,
not a program rule); `behaviour/` holds the behavioural defaults of `labormatch.assumptions`, and
`publication_lag/` how long after its period each kind of published H-2 figure is taken as public (the demand
backtest's information sets). `load_rules()`
walks the tree once into a `Rules` object; the model asks it for the value in force at the start of a fiscal
year, so the latest dated value serves every later year up to the horizon (`Rules.table()` says so in its
`basis` column). The fiscal-year arithmetic lives in `labormatch.fiscal` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from labormatch.fiscal import fiscal_year_of, fiscal_year_start, half_of, half_window
from labormatch.parameters import (
    BEHAVIOUR,
    Parameter,
    RulesError,
    check_references,
    load_yaml,
    parse_parameter,
    read_tree,
)

__all__ = [
    "REQUIRED_PARAMETERS",
    "Parameter",
    "Rules",
    "RulesError",
    "Tranche",
    "fiscal_year_of",
    "fiscal_year_start",
    "half_of",
    "half_window",
    "load_rules",
    "parse_rules",
]

AEWR_METHODOLOGY = "h2a_aewr_methodology"
#: The files the model reads by name; the tree may hold more (every file is parsed and checked).
REQUIRED_PARAMETERS = (
    "h2b_statutory_cap",
    "h2b_half_split",
    "h2b_supplemental",
    "h2b_returning_worker_lookback",
    "h2a",
    AEWR_METHODOLOGY,
    "h2b",
    "max_stay",
    "planning_horizon",
    "publication_lag/annual_total",  # read by labormatch.control_totals
    "publication_lag/monthly_issuances",
    "publication_lag/january_window",
)
SUPPLEMENTAL = "h2b_supplemental"
#: Folder of the tree holding how long after its period each kind of published figure is taken as public.
PUBLICATION_LAG = "publication_lag"


@dataclass(frozen=True)
class Tranche:
    """One block of H-2B numbers: statutory half or supplemental, serving start dates in a window."""

    tranche: str
    fiscal_year: int
    half: str  # "H1" (Oct 1 - Mar 31 starts), "H2" (Apr 1 - Sep 30 starts) or "both"
    window_start: dt.date
    window_end: dt.date
    size: int
    returning_only: bool
    countries: tuple[str, ...]
    source: str
    check: bool = False


@dataclass(frozen=True)
class Rules:
    """All program parameters; methods return the values in force for a fiscal year."""

    parameters: dict[str, Parameter]
    supplemental: dict[int, dict]

    def value(self, name: str, fiscal_year: int) -> Any:
        """The value of parameter `name` (its path in the tree) in force at the start of `fiscal_year`."""
        if name not in self.parameters:
            raise RulesError(f"rules/{name}.yaml: no such parameter")
        return self.parameters[name].at(fiscal_year_start(fiscal_year))

    def statutory_cap(self, fiscal_year: int) -> int:
        """H-2B annual cap (workers)."""
        return int(self.value("h2b_statutory_cap", fiscal_year))

    def half_split(self, fiscal_year: int) -> dict:
        """H-2B first/second-half numbers and the carry rules."""
        return dict(self.value("h2b_half_split", fiscal_year))

    def first_half_share(self, fiscal_year: int) -> float:
        """Statutory share of the H-2B cap for Oct 1 - Mar 31 starts: first half / (first + second half)."""
        split = self.half_split(fiscal_year)
        return split["first_half"] / (split["first_half"] + split["second_half"])

    def h2a(self, fiscal_year: int) -> dict:
        """H-2A cap (None) and average contract length (weeks, hours/week)."""
        return dict(self.value("h2a", fiscal_year))

    def h2b(self, fiscal_year: int) -> dict:
        """H-2B contract terms (hours per week)."""
        return dict(self.value("h2b", fiscal_year))

    def aewr_methodology(self) -> Parameter:
        """How the H-2A AEWR is set, by effective date (file `h2a_aewr_methodology.yaml`; rates that took effect
        before its first date follow an earlier methodology the tree does not record)."""
        return self.parameters[AEWR_METHODOLOGY]

    def returning_worker_lookback(self, fiscal_year: int) -> int:
        """How many fiscal years before `fiscal_year` a returning worker may have held H-2B status (years)."""
        return int(self.value("h2b_returning_worker_lookback", fiscal_year))

    def lookback_years(self, fiscal_year: int) -> tuple[int, ...]:
        """The fiscal years whose H-2B workers count as returning workers in `fiscal_year`, earliest first."""
        return tuple(range(fiscal_year - self.returning_worker_lookback(fiscal_year), fiscal_year))

    def numbers(self, fiscal_year: int) -> int:
        """H-2B numbers of a fiscal year: statutory cap + supplemental maxima (cap only without a published rule)."""
        supplemental = (
            sum(t.size for t in self.supplemental_tranches(fiscal_year))
            if self.has_supplemental_rule(fiscal_year)
            else 0
        )
        return self.statutory_cap(fiscal_year) + supplemental

    def recent_max_numbers(self, fiscal_year: int) -> int:
        """Largest H-2B numbers over the look-back years before `fiscal_year` (workers per fiscal year)."""
        return max(self.numbers(year) for year in self.lookback_years(fiscal_year))

    def behaviour(self, name: str) -> Parameter:
        """The behavioural default `name` (file `behaviour/<name>.yaml`)."""
        try:
            return self.parameters[f"{BEHAVIOUR}/{name}"]
        except KeyError:
            raise RulesError(f"rules/{BEHAVIOUR}/{name}.yaml: file missing") from None

    def publication_lag(self, kind: str) -> int:
        """Months after a figure's period before it is taken as public (`publication_lag/<kind>.yaml`, latest
        value: the lag describes how sources publish, not a rule in force for a fiscal year)."""
        name = f"{PUBLICATION_LAG}/{kind}"
        if name not in self.parameters:
            raise RulesError(f"rules/{name}.yaml: no such parameter")
        return int(self.parameters[name].latest())

    def max_stay_years(self, visa_class: str, fiscal_year: int) -> int:
        """Maximum continuous stay in H-2 status (years) in force at the start of `fiscal_year`."""
        return int(self.value("max_stay", fiscal_year)[visa_class])

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        """Fiscal years with a published supplemental rule (`h2b_supplemental.yaml`; an empty rule counts)."""
        return tuple(sorted(self.supplemental))

    @property
    def last_fiscal_year(self) -> int:
        """The last fiscal year a scenario may choose (the latest value of `planning_horizon.yaml`)."""
        values = self.parameters["planning_horizon"].values
        return int(values[max(values)]["last_fiscal_year"])

    @property
    def planning_years(self) -> tuple[int, ...]:
        """The fiscal years a scenario may choose: the first with a supplemental rule to the planning horizon."""
        return tuple(range(self.fiscal_years[0], self.last_fiscal_year + 1))

    def has_supplemental_rule(self, fiscal_year: int) -> bool:
        """Whether a supplemental rule (possibly of no tranches) was published for `fiscal_year`."""
        return fiscal_year in self.supplemental

    def supplemental_tranches(self, fiscal_year: int) -> list[Tranche]:
        """The supplemental H-2B tranches of a fiscal year, in window-start order."""
        if fiscal_year not in self.supplemental:
            raise RulesError(
                f"rules/h2b_supplemental.yaml: no rules for fiscal year {fiscal_year} "
                f"(declared: {self.fiscal_years[0]}-{self.fiscal_years[-1]})"
            )
        entry = self.supplemental[fiscal_year]
        source = " | ".join(f"{r['title']} - {r['href']}" for r in entry["references"])
        out = [
            Tranche(
                tranche=t["tranche"],
                fiscal_year=fiscal_year,
                half=_tranche_half(t["window_start"], t["window_end"]),
                window_start=t["window_start"],
                window_end=t["window_end"],
                size=int(t["size"]),
                returning_only=bool(t["returning_only"]),
                countries=tuple(t["countries"]),
                source=source,
                check=bool(t.get("check", False)),
            )
            for t in entry["tranches"]
        ]
        return sorted(out, key=lambda t: (t.window_start, t.tranche))

    def table(self) -> list[dict]:
        """Every dated parameter value as rows (parameter, effective, value as text, unit, source, basis) for
        reports; `basis` says which fiscal years a value serves, so a value carried past its date is never silent."""
        rows = []
        for name, p in self.parameters.items():
            if name.startswith((f"{BEHAVIOUR}/", f"{PUBLICATION_LAG}/")):
                continue  # behavioural defaults: the Assumptions sheet lists them; lags: each figure's basis names them
            days = sorted(p.values)
            for day, following in zip(days, [*days[1:], None], strict=True):
                rows.append(
                    {
                        "parameter": name,
                        "effective": day.isoformat(),
                        "value": _text(p.values[day]),
                        "unit": p.unit,
                        "source": p.source(day),
                        "basis": self._basis(name, day, following),
                    }
                )
        for fy in self.fiscal_years:
            for t in self.supplemental_tranches(fy):
                rows.append(
                    {
                        "parameter": f"h2b_supplemental.{t.tranche}",
                        "effective": t.window_start.isoformat(),
                        "value": str(t.size),
                        "unit": "workers",
                        "source": t.source + (" (check: not confirmed, an assumption)" if t.check else ""),
                        "basis": f"one-year rule for FY{fy}: serves no other year unless a scenario carries it",
                    }
                )
        return rows

    def _basis(self, name: str, day: dt.date, following: dt.date | None) -> str:
        """Which fiscal years a dated value serves: up to the next value, or (the latest) to the planning horizon."""
        if name == "planning_horizon":
            return "planning choice of this project, not a program rule"
        starts_year = day == fiscal_year_start(fiscal_year_of(day))
        first = fiscal_year_of(day) if starts_year else fiscal_year_of(day) + 1
        if following is not None:
            return f"in force {day.isoformat()} to {(following - dt.timedelta(days=1)).isoformat()}"
        during = "" if starts_year else f"takes effect {day.isoformat()}, during FY{fiscal_year_of(day)}; "
        return (
            f"{during}latest value: serves FY{first} to the planning horizon FY{self.last_fiscal_year}; no later "
            "value is recorded, so future fiscal years rest on it"
        )


def _text(value: Any) -> str:
    """A parameter value as one line of text ('first_half=33000; second_half=33000' for a mapping)."""
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _tranche_half(start: dt.date, end: dt.date) -> str:
    """'H1' or 'H2' when the window lies in one half, 'both' when it spans the year."""
    first, last = half_of(start), half_of(end)
    return first if first == last else "both"


def parse_rules(texts: dict[str, str]) -> Rules:
    """Build `Rules` from YAML texts keyed by tree name (`read_tree`); refuses malformed, uncited or missing files."""
    for name in REQUIRED_PARAMETERS:
        if name not in texts:
            raise RulesError(f"rules/{name}.yaml: file missing")
    parameters = {name: parse_parameter(name, text) for name, text in texts.items() if name != SUPPLEMENTAL}
    data = load_yaml(SUPPLEMENTAL, texts[SUPPLEMENTAL])
    for key in ("description", "label", "unit", "references", "fiscal_years"):
        if key not in data:
            raise RulesError(f"rules/{SUPPLEMENTAL}.yaml: missing '{key}'")
    check_references(SUPPLEMENTAL, data["references"])
    supplemental = {int(fy): entry for fy, entry in data["fiscal_years"].items()}
    for fy, entry in supplemental.items():
        _check_supplemental(fy, entry)
    return Rules(parameters=parameters, supplemental=supplemental)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Walk the parameter tree shipped with the package (read once per process; the files are immutable)."""
    return parse_rules(read_tree())


def _check_supplemental(fiscal_year: int, entry: dict) -> None:
    if not entry.get("references"):
        raise RulesError(f"rules/h2b_supplemental.yaml: FY{fiscal_year} has no references")
    for t in entry["tranches"]:
        missing = {"tranche", "size", "window_start", "window_end", "returning_only", "countries"} - set(t)
        if missing:
            raise RulesError(f"rules/h2b_supplemental.yaml: FY{fiscal_year} tranche lacks {sorted(missing)}")
        if not isinstance(t["size"], int) or t["size"] < 0:
            raise RulesError(f"rules/h2b_supplemental.yaml: tranche {t['tranche']} size must be a whole number >= 0")
        if (
            t["window_end"] < t["window_start"]
            or fiscal_year_of(t["window_start"]) != fiscal_year
            or fiscal_year_of(t["window_end"]) != fiscal_year
        ):
            raise RulesError(
                f"rules/h2b_supplemental.yaml: tranche {t['tranche']} window is not inside FY{fiscal_year}"
            )
