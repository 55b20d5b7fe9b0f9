"""The one validated set of scenario assumptions.

Every field carries its unit, bounds, default, description, source, UI group and whether the workbook reads it
(`live`) in its declaration, so the web form, the CLI's field list and the report's Assumptions sheet are
generated from `Assumptions.describe()` instead of being written twice. Behavioural fields (return rate,
overstay, carried-home share, wage-floor elasticity) are declared by their parameter files,
`rules/behaviour/<name>.yaml` (`behavioural`). Defaults that say "from rules" are filled from `labormatch.rules`
(dated, cited parameters); defaults that say "from data" are filled from the data snapshot by the model.
`Assumptions.resolve(rules)` works out, once, the rule values a scenario runs on (`ResolvedRules`).

Build one with `Assumptions(**mapping)` or `Assumptions.from_dict(mapping)`; a bad value raises
`AssumptionsError` naming the field and the allowed range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from labormatch.crosswalk import load_sectors
from labormatch.errors import LabormatchError
from labormatch.fiscal import default_fiscal_year
from labormatch.rules import Rules, load_rules

ORIGIN_SHARE_TOLERANCE = 1e-6


class AssumptionsError(LabormatchError):
    """One or more assumptions are invalid; the message names each field and what is allowed."""


SOURCE_RULES = "labormatch/rules (dated, cited parameters)"


def _meta(unit: str, source: str, group: str, label: str, live: bool = False) -> dict:
    """A field's declared metadata; `live`: the workbook's formulas read it from a named input cell."""
    return {"unit": unit, "source": source, "group": group, "label": label, "live": live}


def behavioural(name: str) -> Any:
    """A scenario field declared by its parameter file `rules/behaviour/<name>.yaml`: default (the latest
    value), bounds, form group and whether the workbook reads it (`form`), description, label, unit and the
    value's references as its source."""
    parameter = load_rules().behaviour(name)
    form = parameter.form
    return Field(
        default=parameter.latest(),
        ge=form.get("minimum"),
        le=form.get("maximum"),
        description=parameter.description,
        json_schema_extra=_meta(
            parameter.unit, parameter.source(), form.get("group", ""), parameter.label, bool(form.get("live", False))
        ),
    )


def _rule_source(name: str) -> str:
    """'<first reference of rules/<name>.yaml, without its gloss> via labormatch/rules (...)'."""
    return f"{load_rules().parameters[name].references[0]['title'].split(' (')[0]} via {SOURCE_RULES}"


def _statutory() -> tuple[int, dict]:
    """The latest statutory cap and half split (for the field descriptions)."""
    parameters = load_rules().parameters
    return int(parameters["h2b_statutory_cap"].latest()), dict(parameters["h2b_half_split"].latest())


_CAP, _SPLIT = _statutory()


SOURCE_USER = "scenario choice"
SOURCE_DOS_SHARES = "DOS monthly NIV issuances by nationality (data snapshot)"
#: Visa class -> the field holding its origin shares (None there = the class's State Department default).
ORIGIN_SHARE_FIELDS = {"H-2A": "h2a_origin_shares", "H-2B": "h2b_origin_shares"}
#: The one table for both visa classes that scenario files held before the per-class fields (read as both).
LEGACY_ORIGIN_SHARES = "origin_shares"
#: Fields that name a fiscal year: the scenario's (to the planning horizon) and the supplemental rule's (published).
RULE_YEAR_FIELDS = ("fiscal_year", "supplemental_rules_fy")
MAX_UNKNOWN_NAMED = 5  # unknown field names listed in an error; the rest are counted
MAX_NAME_SHOWN = 40  # characters of an unknown name shown (a hostile file cannot make the message huge)


@dataclass(frozen=True)
class ResolvedRules:
    """The rule values a scenario actually runs on (`Assumptions.resolve`), carried on its result."""

    fiscal_year: int
    statutory_cap: int  # workers per fiscal year, in force at the start of the fiscal year
    cap_before_multiplier: int  # the scenario's cap override, else the statutory cap (workers)
    annual_cap: int  # round(cap_before_multiplier x cap multiplier), workers
    first_half_share: float  # share of the annual cap for Oct 1 - Mar 31 starts (override, else statutory split)
    half_caps: tuple[int, int]  # first-half and second-half statutory numbers (workers)
    supplemental_rules_fy: int | None  # fiscal year of the supplemental rule applied (None: cap only)
    supplemental_sizes: dict[str, int]  # tranche -> maximum authorized by that rule (workers)
    lookback_years: int  # returning-worker look-back (fiscal years)
    lookback_fiscal_years: tuple[int, ...]  # the fiscal years it covers, earliest first
    recent_max_numbers: int  # largest cap + supplemental maxima over those years (workers per fiscal year)
    returning_pool: float  # return rate x recent_max_numbers (workers)
    supplemental_basis: str  # which supplemental rule applies and why, as one sentence

    def to_dict(self) -> dict:
        """JSON-ready mapping (round-trips through `from_dict`)."""
        return {
            **self.__dict__,
            "half_caps": list(self.half_caps),
            "lookback_fiscal_years": list(self.lookback_fiscal_years),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ResolvedRules:
        """Rebuild from `to_dict` (e.g. a saved result's JSON)."""
        return cls(
            **{
                **data,
                "half_caps": tuple(data["half_caps"]),
                "lookback_fiscal_years": tuple(data["lookback_fiscal_years"]),
            }
        )


class PilotCarveout(BaseModel):
    """Numbers reserved for one sector's H-2B demand, inside the statutory cap or on top of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sector: str = Field(description="Analysis sector id that the reserved numbers serve.")
    numbers: int = Field(ge=0, le=1_000_000, description="Numbers reserved for the fiscal year (workers).")
    inside_cap: bool = Field(
        default=True,
        description="True: taken out of the statutory cap (split across halves like the cap); "
        "False: added on top of it.",
    )

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        return _check_sector(value)


def _check_origin_shares(shares: Any) -> dict[str, float]:
    """Origin shares (country -> share): at least one country, each share in [0, 1], summing to 1."""
    if not isinstance(shares, dict):
        raise ValueError(f"expected a mapping of country: share, got {type(shares).__name__}")
    if not shares:
        raise ValueError("must name at least one origin country, or be left empty for the DOS default")
    for country, share in shares.items():
        if not isinstance(share, (int, float)) or not (0.0 <= share <= 1.0) or math.isnan(share):
            raise ValueError(f"share for {country!r} is {share}; must be between 0 and 1")
    total = sum(shares.values())
    if abs(total - 1.0) > ORIGIN_SHARE_TOLERANCE:
        raise ValueError(f"shares sum to {total:.6f}; they must sum to 1")
    return shares


def _check_sector(sector: str) -> str:
    known = list(load_sectors()["sector"])
    if sector not in known:
        raise ValueError(f"unknown sector {sector!r}; allowed: {', '.join(known)}")
    return sector


class Assumptions(BaseModel):
    """Scenario assumptions (validated, immutable). See each field's description, unit and source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- program year -------------------------------------------------------------------------------------
    fiscal_year: int = Field(
        default_factory=default_fiscal_year,
        validate_default=True,
        description="Federal fiscal year (Oct 1 - Sep 30) whose H-2B numbers are allocated; left out = the fiscal "
        "year containing the data snapshot's as-of month.",
        json_schema_extra=_meta("fiscal year", SOURCE_USER, "Program year", "Fiscal year"),
    )
    horizon_months: int = Field(
        default=24,
        ge=12,
        le=60,
        description="Months of sector demand shown from the start of the fiscal year.",
        json_schema_extra=_meta("months", SOURCE_USER, "Program year", "Horizon"),
    )

    # --- H-2B cap ---------------------------------------------------------------------------------------
    h2b_cap: int | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description=f"Annual H-2B cap before the multiplier; empty = the statutory cap in force ({_CAP:,}).",
        json_schema_extra=_meta(
            "workers per fiscal year", _rule_source("h2b_statutory_cap"), "H-2B cap", "H-2B cap", live=True
        ),
    )
    cap_multiplier: float = Field(
        default=1.0,
        ge=0.0,
        le=20.0,
        description="Multiplies the annual cap (2 = cap doubled).",
        json_schema_extra=_meta("ratio", SOURCE_USER, "H-2B cap", "Cap multiplier", live=True),
    )
    first_half_share: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Share of the annual cap for Oct 1 - Mar 31 starts; empty = statutory split "
        f"({_SPLIT['first_half']:,} of {_SPLIT['first_half'] + _SPLIT['second_half']:,}).",
        json_schema_extra=_meta("share", _rule_source("h2b_half_split"), "H-2B cap", "First-half share", live=True),
    )
    supplemental: bool = Field(
        default=True,
        description="Apply the supplemental H-2B tranches (temporary final rules) on top of the cap. A fiscal year "
        "with no published rule has none unless you carry a past year's (supplemental rules of FY).",
        json_schema_extra=_meta(
            "on/off", "DHS/DOL temporary final rules via " + SOURCE_RULES, "H-2B cap", "Supplemental tranches"
        ),
    )
    supplemental_rules_fy: int | None = Field(
        default=None,
        description="Carry the supplemental tranches of this fiscal year's published rule to the chosen fiscal year "
        "(windows moved by the years between); empty = the chosen fiscal year's own rule, if one was published.",
        json_schema_extra=_meta("fiscal year", SOURCE_RULES, "H-2B cap", "Supplemental rules of FY"),
    )
    pilot_carveouts: tuple[PilotCarveout, ...] = Field(
        default=(),
        description="Industry pilots: numbers reserved for a sector, inside or outside the cap.",
        json_schema_extra=_meta("workers", SOURCE_USER, "H-2B cap", "Pilot carve-outs", live=True),
    )

    # --- demand -----------------------------------------------------------------------------------------
    fillable_share: float = Field(
        default=1.0,
        ge=0.0,
        le=1.0,
        description="Share of the calibrated temporary-worker need that temporary workers can fill "
        "(1 = as revealed by OFLC certifications in history).",
        json_schema_extra=_meta(
            "share", "assumption; 1 reproduces the historical OFLC calibration", "Demand", "Fillable share", live=True
        ),
    )
    fillable_share_by_sector: dict[str, float] = Field(
        default_factory=dict,
        description="Per-sector overrides of the fillable share (sector id -> share in [0, 1]).",
        json_schema_extra=_meta("share", SOURCE_USER, "Demand", "Fillable share by sector", live=True),
    )
    domestic_recruitment_offset: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Share of the need met by extra domestic recruitment instead of H-2 workers.",
        json_schema_extra=_meta("share", "assumption (0 = none)", "Demand", "Domestic-recruitment offset", live=True),
    )
    wage_floor_change_pct: float = Field(
        default=0.0,
        ge=-50.0,
        le=200.0,
        description="Change in the H-2 wage floor (AEWR / prevailing wage) against the data year.",
        json_schema_extra=_meta("percent", SOURCE_USER, "Demand", "Wage-floor change", live=True),
    )
    wage_floor_elasticity: float = behavioural("wage_floor_elasticity")

    demand_draws: int = Field(
        default=1_000,
        ge=200,
        le=20_000,
        description="Demand paths drawn from the demand forecast's error distribution and run through the caps "
        "to give the 80% and 95% intervals (fixed seed: the same scenario gives the same intervals).",
        json_schema_extra=_meta(
            "draws",
            "scenario choice; at least 1,000 per issue 14 (with 1,000 draws the 95% "
            "interval's ends rest on 25 draws each)",
            "Demand",
            "Demand draws",
        ),
    )

    # --- circular migration -----------------------------------------------------------------------------
    h2a_origin_shares: dict[str, float] | None = Field(
        default=None,
        description="Origin-country shares of H-2A workers (country -> share, summing to 1); empty = State "
        "Department H-2A visas issued by nationality over the latest complete fiscal year.",
        json_schema_extra=_meta("share", SOURCE_DOS_SHARES, "Circular migration", "H-2A origin shares"),
    )
    h2b_origin_shares: dict[str, float] | None = Field(
        default=None,
        description="Origin-country shares of H-2B workers (country -> share, summing to 1); they also decide which "
        "workers a supplemental tranche reserved for some countries can serve. Empty = State Department H-2B visas "
        "issued by nationality over the latest complete fiscal year.",
        json_schema_extra=_meta("share", SOURCE_DOS_SHARES, "Circular migration", "H-2B origin shares"),
    )
    circular_origins: tuple[str, ...] = Field(
        default=(),
        description="Countries in a circular program; shares are restricted to them and rescaled to 1. "
        "Empty = all origins.",
        json_schema_extra=_meta("countries", SOURCE_USER, "Circular migration", "Circular program origins"),
    )
    seasons: int = Field(
        default=5,
        ge=5,
        le=20,
        description="Number of seasons (fiscal years) in the stock-flow projection.",
        json_schema_extra=_meta("seasons", SOURCE_USER, "Circular migration", "Seasons"),
    )
    return_rate: float = behavioural("return_rate")
    overstay_rate: float = behavioural("overstay_rate")
    need_growth_per_season: float = Field(
        default=0.0,
        ge=-0.5,
        le=1.0,
        description="Growth of the seasonal need from one season to the next.",
        json_schema_extra=_meta("share per season", SOURCE_USER, "Circular migration", "Need growth", live=True),
    )
    carried_home_share: float = behavioural("carried_home_share")

    # --- processing time --------------------------------------------------------------------------------
    processing_days_faster: float = Field(
        default=0.0,
        ge=0.0,
        le=365.0,
        description="Days cut from every case's OFLC processing time (received to decision).",
        json_schema_extra=_meta("days", SOURCE_USER, "Processing time", "Days faster"),
    )
    processing_pct_faster: float = Field(
        default=0.0,
        ge=0.0,
        le=100.0,
        description="Percent cut from every case's OFLC processing time (applied after the days cut).",
        json_schema_extra=_meta("percent", SOURCE_USER, "Processing time", "Percent faster"),
    )

    # --- validators ---------------------------------------------------------------------------------------
    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise AssumptionsError(_explain(exc)) from None

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Assumptions:
        """As pydantic's, but errors are `AssumptionsError` naming each field and its allowed range."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise AssumptionsError(_explain(exc)) from None

    @field_validator("fiscal_year")
    @classmethod
    def _planning_year(cls, value: int) -> int:
        first, last = _year_range("fiscal_year")
        if not first <= value <= last:
            raise ValueError(
                f"fiscal year {value} is outside FY{first}-FY{last} (FY{first}: the first published "
                f"supplemental rule; FY{last}: the planning horizon, rules/planning_horizon.yaml)"
            )
        return value

    @field_validator("supplemental_rules_fy")
    @classmethod
    def _published_rule_year(cls, value: int | None) -> int | None:
        first, last = _year_range("supplemental_rules_fy")
        if value is not None and not load_rules().has_supplemental_rule(value):
            raise ValueError(
                f"no published supplemental rule for fiscal year {value}; rules are published for FY{first}-FY{last}"
            )
        return value

    @field_validator("fillable_share_by_sector")
    @classmethod
    def _sector_shares(cls, value: dict[str, float]) -> dict[str, float]:
        for sector, share in value.items():
            _check_sector(sector)
            if not (0.0 <= share <= 1.0) or math.isnan(share):
                raise ValueError(f"share for {sector!r} is {share}; must be between 0 and 1")
        return value

    @model_validator(mode="before")
    @classmethod
    def _legacy_origin_shares(cls, data: Any) -> Any:
        """A file or saved version written before per-class shares holds one `origin_shares` table for both visa
        classes: it is read as both classes' shares (the same run as then). With a per-class field beside it,
        which table a class runs on would be a guess, so that is refused."""
        if not isinstance(data, dict) or LEGACY_ORIGIN_SHARES not in data:
            return data
        data = dict(data)
        legacy = data.pop(LEGACY_ORIGIN_SHARES)
        if legacy is None:  # every older saved version holds `origin_shares: null` (the DOS default per class)
            return data
        both = sorted(set(ORIGIN_SHARE_FIELDS.values()) & set(data))
        if both:
            raise ValueError(
                f"{LEGACY_ORIGIN_SHARES} (one table for both visa classes, the older form) cannot be combined with "
                f"{' or '.join(both)}; give each class its own table ({', '.join(ORIGIN_SHARE_FIELDS.values())})"
            )
        try:
            _check_origin_shares(legacy)
        except ValueError as exc:
            raise ValueError(f"{LEGACY_ORIGIN_SHARES} (one table for both visa classes): {exc}") from None
        return {**data, **dict.fromkeys(ORIGIN_SHARE_FIELDS.values(), legacy)}

    @field_validator(*ORIGIN_SHARE_FIELDS.values())
    @classmethod
    def _origin_shares(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        return None if value is None else _check_origin_shares(value)

    @model_validator(mode="after")
    def _circular_origins_have_shares(self) -> Assumptions:
        for name in ORIGIN_SHARE_FIELDS.values():
            shares = getattr(self, name)
            if (
                shares is not None
                and self.circular_origins
                and all(shares.get(c, 0.0) <= 0.0 for c in self.circular_origins)
            ):
                raise ValueError(f"circular_origins: none of the countries has a positive share in {name}")
        return self

    # --- derived values -----------------------------------------------------------------------------------
    def annual_cap(self, rules: Rules | None = None) -> int:
        """H-2B annual cap after override and multiplier (workers): round(cap x multiplier)."""
        return round(self._cap_before_multiplier(rules or load_rules()) * self.cap_multiplier)

    def _cap_before_multiplier(self, rules: Rules) -> int:
        return self.h2b_cap if self.h2b_cap is not None else rules.statutory_cap(self.fiscal_year)

    def _first_half_share(self, rules: Rules) -> float:
        return self.first_half_share if self.first_half_share is not None else rules.first_half_share(self.fiscal_year)

    def half_caps(self, rules: Rules | None = None) -> tuple[int, int]:
        """(first-half, second-half) numbers: first = round(cap x share), second = cap - first."""
        rules = rules or load_rules()
        cap = self.annual_cap(rules)
        first = round(cap * self._first_half_share(rules))
        return first, cap - first

    def supplemental_rules_year(self, rules: Rules | None = None) -> int | None:
        """The fiscal year whose supplemental tranches apply (None: none apply, statutory cap only)."""
        if not self.supplemental:
            return None
        if self.supplemental_rules_fy is not None:
            return self.supplemental_rules_fy
        return self.fiscal_year if (rules or load_rules()).has_supplemental_rule(self.fiscal_year) else None

    def supplemental_basis(self, rules: Rules | None = None) -> str:
        """One sentence saying which supplemental rule the scenario applies and why (for the app and reports)."""
        rules = rules or load_rules()
        fy, rules_fy = self.fiscal_year, self.supplemental_rules_year(rules)
        if not self.supplemental:
            return f"Supplemental tranches switched off by your choice: FY{fy} runs on the statutory cap only."
        if rules_fy is None:
            return (
                f"No published supplemental rule for FY{fy}: statutory cap only (to carry a past year's tranches, "
                "choose it under 'Supplemental rules of FY', supplemental_rules_fy in a scenario file)."
            )
        total = sum(t.size for t in rules.supplemental_tranches(rules_fy))
        if rules_fy == fy:
            return f"FY{fy} published supplemental rule: {total:,} numbers."
        years = abs(fy - rules_fy)
        text = (
            f"FY{rules_fy} tranches carried to FY{fy} by your choice ({total:,} numbers, windows moved "
            f"{years} year{'s' if years > 1 else ''} {'later' if fy > rules_fy else 'earlier'})."
        )
        unpublished = [year for year in rules.lookback_years(fy) if not rules.has_supplemental_rule(year)]
        if unpublished:
            text += (
                f" The returning-worker pool counts {', '.join(f'FY{y}' for y in unpublished)} at the statutory "
                "cap only (no published rule for them)."
            )
        return text

    def resolve(self, rules: Rules | None = None) -> ResolvedRules:
        """The rule values this scenario runs on (cap in force, half shares and numbers, supplemental tranches,
        returning-worker look-back and pool), worked out once here; the report, the app and the CLI read them."""
        rules = rules or load_rules()
        fy, rules_fy = self.fiscal_year, self.supplemental_rules_year(rules)
        tranches = rules.supplemental_tranches(rules_fy) if rules_fy is not None else []
        return ResolvedRules(
            fiscal_year=fy,
            statutory_cap=rules.statutory_cap(fy),
            cap_before_multiplier=self._cap_before_multiplier(rules),
            annual_cap=self.annual_cap(rules),
            first_half_share=self._first_half_share(rules),
            half_caps=self.half_caps(rules),
            supplemental_rules_fy=rules_fy,
            supplemental_sizes={t.tranche: t.size for t in tranches},
            lookback_years=rules.returning_worker_lookback(fy),
            lookback_fiscal_years=rules.lookback_years(fy),
            recent_max_numbers=rules.recent_max_numbers(fy),
            returning_pool=self.return_rate * rules.recent_max_numbers(fy),
            supplemental_basis=self.supplemental_basis(rules),
        )

    def origin_shares_of(self, visa_class: str) -> dict[str, float] | None:
        """The origin shares set for `visa_class` ("H-2A" or "H-2B"); None = its State Department default."""
        return getattr(self, ORIGIN_SHARE_FIELDS[visa_class])

    def fillable(self, sector: str) -> float:
        """Fillable share for a sector (override or the general value)."""
        return self.fillable_share_by_sector.get(sector, self.fillable_share)

    @classmethod
    def from_dict(cls, mapping: dict | None) -> Assumptions:
        """Build from a plain mapping (e.g. the `assumptions:` block of a scenario file)."""
        if mapping is not None and not isinstance(mapping, dict):
            raise AssumptionsError(f"assumptions: expected a mapping of field: value, got {type(mapping).__name__}")
        return cls(**(mapping or {}))

    def to_dict(self) -> dict:
        """Plain JSON-ready mapping (round-trips through `from_dict`)."""
        return self.model_dump(mode="json")

    def hash_dict(self) -> dict:
        """`to_dict` in the form result hashes take: when both visa classes run on the same origin shares (both
        the DOS default, or one table typed for both) they are one `origin_shares` entry, as every result was
        hashed before per-class shares, so a version saved then still reproduces its hash; classes with shares
        of their own keep the per-class entries."""
        data = self.to_dict()
        h2a, h2b = (data.pop(name) for name in ORIGIN_SHARE_FIELDS.values())
        if h2a != h2b:
            return {**data, **dict(zip(ORIGIN_SHARE_FIELDS.values(), (h2a, h2b), strict=True))}
        return {**data, LEGACY_ORIGIN_SHARES: h2a}

    @classmethod
    def describe(cls) -> list[dict]:
        """One row per field: name, label, group, unit, default, minimum, maximum, description, source, live
        (whether the workbook's formulas read it from a named input cell)."""
        schema = cls.model_json_schema()["properties"]
        rows = []
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra or {}
            prop = schema[name]
            bounds = _year_range(name) if name in RULE_YEAR_FIELDS else _bounds(prop)
            rows.append(
                {
                    "name": name,
                    "label": extra.get("label", name),
                    "group": extra.get("group", ""),
                    "unit": extra.get("unit", ""),
                    "default": field.get_default(call_default_factory=True),
                    "minimum": bounds[0],
                    "maximum": bounds[1],
                    "description": field.description or "",
                    "source": extra.get("source", ""),
                    "live": extra.get("live", False),
                }
            )
        return rows


def _year_range(name: str) -> tuple[int, int]:
    """First and last year a fiscal-year field allows: to the planning horizon, or the published rules."""
    rules = load_rules()
    years = rules.planning_years if name == "fiscal_year" else rules.fiscal_years
    return years[0], years[-1]


def _bounds(prop: dict) -> tuple[float | None, float | None]:
    options = prop.get("anyOf", [prop])
    for option in options:
        if "minimum" in option or "maximum" in option:
            return option.get("minimum"), option.get("maximum")
    return None, None


#: Said where a scenario written with the one `origin_shares` table for both visa classes is opened.
LEGACY_ORIGIN_NOTICE = (
    "This scenario's one origin-shares table was applied to both H-2A and H-2B (the older format, from before each "
    "visa class had a table of its own); to give the classes different shares, set the H-2A and the H-2B origin "
    "shares apart and save it again."
)


def older_format_notices(mapping: Any) -> list[str]:
    """What a user who opens the assumptions `mapping` (a scenario's `assumptions:` block as written) should be told
    about how an older format was read: the lines to show, none for the current format. `origin_shares: null`,
    which every older saved version holds, is the default and needs no notice."""
    if isinstance(mapping, dict) and mapping.get(LEGACY_ORIGIN_SHARES) is not None:
        return [LEGACY_ORIGIN_NOTICE]
    return []


def readable_bound(bound: float | None, unit: str = "") -> str:
    """A range end as people write it: 10,000,000 and 0.5, a fiscal year as 2026 (no limit where there is none)."""
    if bound is None:
        return "no limit"
    if unit == "fiscal year":
        return str(int(bound))
    return f"{bound:,.0f}" if float(bound).is_integer() else f"{bound:g}"


def _explain(exc: ValidationError) -> str:
    """Turn pydantic errors into 'field: problem (allowed range)' lines."""
    fields = Assumptions.model_fields
    lines, unknown = [], []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        name = loc[0] if loc else "assumptions"
        # Rows of a list field are counted from 1, as the tables users fill in show them.
        parts = [f"row {part + 1}" if isinstance(part, int) else str(part) for part in err["loc"]]
        where = ", ".join(parts) or "assumptions"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            unknown.append(where if len(where) <= MAX_NAME_SHOWN else where[: MAX_NAME_SHOWN - 1] + "…")
            continue
        if name in fields:
            if name == "pilot_carveouts" and len(loc) == 3:
                lo, hi = _bounds(PilotCarveout.model_json_schema()["properties"].get(loc[2], {}))
                unit = "workers"
            else:
                lo, hi = _bounds(Assumptions.model_json_schema()["properties"].get(name, {}))
                unit = (fields[name].json_schema_extra or {}).get("unit", "")
            if lo is not None or hi is not None:
                allowed = f"{readable_bound(lo)} to {readable_bound(hi)} {unit}".strip()
                message += f" (allowed {allowed}; got {err.get('input')!r})"
        lines.append(f"{where}: {message}")
    if unknown:
        shown = ", ".join(unknown[:MAX_UNKNOWN_NAMED]) + (
            f" and {len(unknown) - MAX_UNKNOWN_NAMED} more" if len(unknown) > MAX_UNKNOWN_NAMED else ""
        )
        lines.append(f"unknown assumption{'s' if len(unknown) > 1 else ''}: {shown}; known fields: {', '.join(fields)}")
    return "invalid assumptions:\n  " + "\n  ".join(lines)
