"""H-2A/H-2B program rules as dated, cited parameters.

Each YAML file beside this module is one parameter (or one program's parameters): a description, a unit,
references (title + address) and values keyed by the date they take effect. `h2b_supplemental.yaml` is keyed
by fiscal year instead, because each supplemental rule is a one-year act. `planning_horizon.yaml` holds the
last fiscal year a scenario may choose (a planning choice, not a program rule). `load_rules()` reads them once
into a `Rules` object; the model asks it for the value in force at the start of a fiscal year, so the latest
dated value serves every later year up to the horizon (`Rules.table()` says so in its `basis` column). The
fiscal-year arithmetic lives in `labormatch.fiscal` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from labormatch.errors import LabormatchError
from labormatch.fiscal import fiscal_year_of, fiscal_year_start, half_of, half_window

__all__ = ["PARAMETER_FILES", "Parameter", "Rules", "RulesError", "Tranche", "fiscal_year_of", "fiscal_year_start",
           "half_of", "half_window", "load_rules", "parse_rules"]

PARAMETER_FILES = (
    "h2b_statutory_cap",
    "h2b_half_split",
    "h2b_supplemental",
    "h2a",
    "h2b",
    "max_stay",
    "planning_horizon",
)


class RulesError(LabormatchError):
    """A rules file is malformed, or a value is asked for a date before the rule existed."""


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
class Parameter:
    """One parameter file: metadata plus values keyed by effective date."""

    name: str
    description: str
    label: str
    unit: str
    references: tuple[dict, ...]
    values: dict[dt.date, Any]

    def at(self, when: dt.date) -> Any:
        """The value in force on `when` (the latest effective date not after it)."""
        dates = sorted(d for d in self.values if d <= when)
        if not dates:
            raise RulesError(f"rules/{self.name}.yaml: no value in force on {when} (first value {min(self.values)})")
        return self.values[dates[-1]]

    def source(self) -> str:
        """References as one 'title - address' string (the form used in result tables)."""
        return " | ".join(f"{r['title']} - {r['href']}" for r in self.references)


@dataclass(frozen=True)
class Rules:
    """All program parameters; methods return the values in force for a fiscal year."""

    parameters: dict[str, Parameter]
    supplemental: dict[int, dict]

    def statutory_cap(self, fiscal_year: int) -> int:
        """H-2B annual cap (workers)."""
        return int(self.parameters["h2b_statutory_cap"].at(fiscal_year_start(fiscal_year)))

    def half_split(self, fiscal_year: int) -> dict:
        """H-2B first/second-half numbers and the carry rules."""
        return dict(self.parameters["h2b_half_split"].at(fiscal_year_start(fiscal_year)))

    def h2a(self, fiscal_year: int) -> dict:
        """H-2A cap (None) and average contract length (weeks, hours/week)."""
        return dict(self.parameters["h2a"].at(fiscal_year_start(fiscal_year)))

    def h2b(self, fiscal_year: int) -> dict:
        """H-2B contract terms (hours per week)."""
        return dict(self.parameters["h2b"].at(fiscal_year_start(fiscal_year)))

    def max_stay_years(self, visa_class: str, fiscal_year: int) -> int:
        """Maximum continuous stay in H-2 status (years) in force at the start of `fiscal_year`."""
        return int(self.parameters["max_stay"].at(fiscal_year_start(fiscal_year))[visa_class])

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
            days = sorted(p.values)
            for day, following in zip(days, days[1:] + [None]):
                rows.append({"parameter": name, "effective": day.isoformat(), "value": _text(p.values[day]),
                             "unit": p.unit, "source": p.source(), "basis": self._basis(name, day, following)})
        for fy in self.fiscal_years:
            for t in self.supplemental_tranches(fy):
                rows.append({"parameter": f"h2b_supplemental.{t.tranche}", "effective": t.window_start.isoformat(),
                             "value": str(t.size), "unit": "workers",
                             "source": t.source + (" (check: not confirmed, an assumption)" if t.check else ""),
                             "basis": f"one-year rule for FY{fy}: serves no other year unless a scenario carries it"})
        return rows

    def _basis(self, name: str, day: dt.date, following: dt.date | None) -> str:
        """Which fiscal years a dated value serves: up to the next value, or (the latest) to the planning horizon."""
        if name == "planning_horizon":
            return "planning choice of this project, not a program rule"
        first = fiscal_year_of(day) if day == fiscal_year_start(fiscal_year_of(day)) else fiscal_year_of(day) + 1
        if following is not None:
            return f"in force {day.isoformat()} to {(following - dt.timedelta(days=1)).isoformat()}"
        return (f"latest value: serves FY{first} to the planning horizon FY{self.last_fiscal_year}; no later value "
                "is recorded, so future fiscal years rest on it")


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
    """Build `Rules` from YAML texts keyed by file name (without .yaml); refuses malformed or uncited files."""
    parameters: dict[str, Parameter] = {}
    supplemental: dict[int, dict] = {}
    for name in PARAMETER_FILES:
        if name not in texts:
            raise RulesError(f"rules/{name}.yaml: file missing")
        data = _parse(name, texts[name])
        if name == "h2b_supplemental":
            supplemental = {int(fy): entry for fy, entry in data["fiscal_years"].items()}
            for fy, entry in supplemental.items():
                _check_supplemental(fy, entry)
            continue
        parameters[name] = Parameter(
            name=name,
            description=data["description"].strip(),
            label=data["label"],
            unit=data["unit"],
            references=tuple(data["references"]),
            values={_as_date(k, name): v for k, v in data["values"].items()},
        )
    return Rules(parameters=parameters, supplemental=supplemental)


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Read every rules file shipped with the package (read once per process; the files are immutable)."""
    folder = resources.files(__package__)
    return parse_rules({name: folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8") for name in PARAMETER_FILES})


def _parse(name: str, text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"rules/{name}.yaml: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise RulesError(f"rules/{name}.yaml: expected a mapping of description, label, unit, references, values")
    for key in ("description", "label", "unit", "references", "fiscal_years" if name == "h2b_supplemental" else "values"):
        if key not in data:
            raise RulesError(f"rules/{name}.yaml: missing '{key}'")
    for ref in data["references"]:
        if not isinstance(ref, dict) or not ref.get("title") or not ref.get("href"):
            raise RulesError(f"rules/{name}.yaml: every reference needs a title and an href")
    return data


def _check_supplemental(fiscal_year: int, entry: dict) -> None:
    if not entry.get("references"):
        raise RulesError(f"rules/h2b_supplemental.yaml: FY{fiscal_year} has no references")
    for t in entry["tranches"]:
        missing = {"tranche", "size", "window_start", "window_end", "returning_only", "countries"} - set(t)
        if missing:
            raise RulesError(f"rules/h2b_supplemental.yaml: FY{fiscal_year} tranche lacks {sorted(missing)}")
        if not isinstance(t["size"], int) or t["size"] < 0:
            raise RulesError(f"rules/h2b_supplemental.yaml: tranche {t['tranche']} size must be a whole number >= 0")
        if t["window_end"] < t["window_start"] or fiscal_year_of(t["window_start"]) != fiscal_year \
                or fiscal_year_of(t["window_end"]) != fiscal_year:
            raise RulesError(f"rules/h2b_supplemental.yaml: tranche {t['tranche']} window is not inside FY{fiscal_year}")


def _as_date(key: Any, name: str) -> dt.date:
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError as exc:
        raise RulesError(f"rules/{name}.yaml: value key {key!r} is not a date (YYYY-MM-DD)") from exc
