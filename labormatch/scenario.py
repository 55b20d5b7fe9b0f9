"""Scenario files: a YAML header (title, author, notes, baseline) followed by the assumptions.

A scenario is what a user hands to a colleague or saves in the store: plain text, validated
against the one `Assumptions` model, read with `yaml.safe_load` only (tags that would build
Python objects are refused). Files exported from the store also carry a `provenance:` block
(where and when it was saved, and the result hash it produced then).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from labormatch.assumptions import Assumptions, AssumptionsError, older_format_notices
from labormatch.errors import LabormatchError, SourceError

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
MAX_FILE_BYTES = 1_000_000
"""A scenario file is a few kilobytes; anything past this is not one."""

HEADER_FIELDS = ("title", "author", "notes", "baseline")


class ScenarioError(LabormatchError):
    """A scenario document fails validation; the message names the source and each failing field."""


class Provenance(BaseModel):
    """Where an exported scenario came from, so an import can check it reproduces the same result."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="scenario name in the store it was exported from")
    version: int = Field(ge=1, description="version number in that store")
    saved_at: datetime = Field(description="when that version was saved (UTC)")
    result_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the result it produced")
    data_vintage: dict[str, Any] = Field(default_factory=dict, description="data snapshot it ran on")
    package_version: str = Field(description="labormatch version that ran it")


class Scenario(BaseModel):
    """A titled set of assumptions, optionally naming the baseline scenario it is compared against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=200, description="one line shown in lists and tables")
    author: str = Field(default="", max_length=200, description="who wrote the scenario")
    notes: str = Field(default="", max_length=20_000, description="why, sources, caveats")
    baseline: str | None = Field(
        default=None,
        max_length=100,
        description="name of the scenario (stored or example) this one is compared against",
    )
    assumptions: Assumptions
    provenance: Provenance | None = Field(default=None, description="set on files exported from a store")
    _notices: tuple[str, ...] = PrivateAttr(default=())

    @property
    def notices(self) -> tuple[str, ...]:
        """How the document it was read from was taken where it used an older format (`from_document`), for the app
        and the CLI to show when they open it; empty for the current format or a scenario built in code."""
        return self._notices

    @field_validator("assumptions", mode="before")
    @classmethod
    def _validate_assumptions(cls, value: Any) -> Any:
        """Build through `Assumptions.from_dict`, whose errors name each field and its allowed range."""
        if isinstance(value, Assumptions):
            return value
        try:
            return Assumptions.from_dict(value)
        except AssumptionsError as exc:
            raise ValueError(str(exc)) from None

    def to_document(self) -> dict[str, Any]:
        """Header + assumptions as plain JSON-able values (what the store keeps; provenance excluded)."""
        return self.model_dump(mode="json", exclude={"provenance"})

    @classmethod
    def from_document(cls, document: Any, *, source: str) -> Scenario:
        """Validate a parsed document; errors name `source` and every failing field."""
        if not isinstance(document, dict):
            raise ScenarioError(
                f"{source}: not a scenario: expected a mapping with {', '.join(HEADER_FIELDS)} and "
                f"assumptions, found {_kind(document)}"
            )
        try:
            scenario = cls.model_validate(document)
        except ValidationError as exc:
            raise ScenarioError(f"{source}: {describe_errors(exc)}") from None
        scenario._notices = tuple(older_format_notices(document.get("assumptions")))
        return scenario


def describe_errors(exc: ValidationError) -> str:
    """One line per failing field: `assumptions.h2b_cap: Input should be ... (got 5000000)`.

    Input values are summarised by type unless they are short scalars, so a hostile document
    cannot make the message huge.
    """
    lines = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "(document)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown field; a scenario has {', '.join(HEADER_FIELDS)}, assumptions (and provenance)"
        value = error.get("input")
        got = repr(value) if isinstance(value, (int, float, str, bool)) and len(repr(value)) <= 60 else _kind(value)
        suffix = "" if error["type"] in ("missing", "value_error") else f" (got {got})"
        # The assumptions model names itself in its own messages: do not name it twice.
        own_prefix = message.startswith(("invalid assumptions", "assumptions: "))
        whole_assumptions = error["loc"] == ("assumptions",) and own_prefix
        lines.append(message if whole_assumptions else f"{field}: {message}{suffix}")
    return "; ".join(lines)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def read_yaml_text(path: Path) -> Any:
    """Parse a small UTF-8 YAML file with `yaml.safe_load`, refusing binary, huge and object-building files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(path, f"{size:,} bytes is too large for a scenario file (limit {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read the file ({exc.strerror})") from None
    if b"\x00" in raw:
        raise SourceError(path, "this is a binary file, not a YAML scenario")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text (byte {exc.start}): not a YAML scenario") from None
    try:
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        raise SourceError(
            path,
            f"refused: the YAML uses a tag that would build an object ({exc.problem}); "
            "scenario files hold plain values only",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(path, f"not valid YAML{where}: {problem}") from None


def load_scenario_file(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    return Scenario.from_document(read_yaml_text(path), source=str(path))


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text: header first, then assumptions, then provenance if any."""
    document = scenario.model_dump(mode="json", exclude_none=False)
    ordered = {key: document[key] for key in HEADER_FIELDS}
    ordered["assumptions"] = document["assumptions"]
    if scenario.provenance is not None:
        ordered["provenance"] = document["provenance"]
    return yaml.dump(ordered, Dumper=_ScenarioDumper, sort_keys=False, allow_unicode=True, width=100)


def save_scenario_file(scenario: Scenario, path: str | Path) -> Path:
    """Write `scenario` as YAML (via a temporary file, so a failed write never leaves half a file)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(scenario_yaml(scenario), encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        with suppress(OSError):  # e.g. the folder is a file: there is no temporary file to remove
            temporary.unlink(missing_ok=True)
        raise SourceError(path, f"cannot write the scenario file ({exc.strerror})") from None
    return path


def example_paths() -> dict[str, Path]:
    """The shipped example scenarios by name (file stem), in file-name order."""
    return {path.stem: path for path in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def load_example(name: str) -> Scenario:
    """One shipped example by name."""
    paths = example_paths()
    if name not in paths:
        raise ScenarioError(f"no example scenario named {name!r}; examples: {', '.join(paths)}")
    return load_scenario_file(paths[name])


class _ScenarioDumper(yaml.SafeDumper):
    """Safe dumping, with multi-line notes written as a readable `|` block."""


YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
"""Line breaks to YAML but not to Python: PyYAML folds them inside quotes, so they are written escaped."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(mark in value for mark in YAML_ONLY_BREAKS) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ScenarioDumper.add_representer(str, _represent_str)
