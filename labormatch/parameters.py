"""The parameter tree: one dated, cited quantity per YAML file, found by walking `labormatch/rules/`.

Every file has a description, a label, a unit and `values` keyed by the date each value takes effect; each
value is cited, either by the file's `references` (title + href) or by its own::

    values:
      2005-05-11:
        value: 3
        references:
          - {title: "8 U.S.C. 1184(g)(9)(A) ...", href: "https://www.law.cornell.edu/uscode/text/8/1184"}

A file's name in the tree is its path under the root without `.yaml` (`h2b_statutory_cap`,
`behaviour/return_rate`). Program rules sit at the top; `behaviour/` holds the behavioural defaults of the
scenario assumptions, whose `form` block (group, minimum, maximum, live) lets `labormatch.assumptions` declare the
scenario field from the file alone. `rules/h2b_supplemental.yaml` is keyed by fiscal year instead of date
(each supplemental rule is a one-year act) and is read by `labormatch.rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from typing import Any

import yaml

from labormatch.errors import LabormatchError

#: Folder of the tree holding the behavioural defaults of `labormatch.assumptions`.
BEHAVIOUR = "behaviour"
_FORM_KEYS = {"group", "minimum", "maximum", "live"}
_KEYS = {"description", "label", "unit", "references", "values", "form"}


class RulesError(LabormatchError):
    """A parameter file is malformed, or a value is asked for a date before the parameter existed."""


@dataclass(frozen=True)
class Parameter:
    """One parameter file: metadata plus values keyed by effective date, each with its references."""

    name: str
    description: str
    label: str
    unit: str
    references: tuple[dict, ...]
    values: dict[dt.date, Any]
    value_references: dict[dt.date, tuple[dict, ...]] = field(default_factory=dict)
    form: dict = field(default_factory=dict)  # group, minimum, maximum, live of a scenario field (behaviour/)
    extra: dict = field(default_factory=dict)  # any other top-level keys of the file (e.g. an indicator's direction)

    def at(self, when: dt.date) -> Any:
        """The value in force on `when` (the latest effective date not after it)."""
        return self.values[self._date_at(when)]

    def latest(self) -> Any:
        """The value with the latest effective date (the default a scenario starts from)."""
        return self.values[max(self.values)]

    def source(self, when: dt.date | None = None) -> str:
        """References as one 'title - address' string: of the value in force on `when` (the latest value when
        None) where the value has its own, else the file's."""
        day = max(self.values) if when is None else self._date_at(when)
        references = self.value_references.get(day) or self.references
        return " | ".join(f"{r['title']} - {r['href']}" for r in references)

    def _date_at(self, when: dt.date) -> dt.date:
        dates = [d for d in self.values if d <= when]
        if not dates:
            raise RulesError(f"rules/{self.name}.yaml: no value in force on {when} (first value {min(self.values)})")
        return max(dates)


def tree_root() -> Traversable:
    """The folder the tree starts from (`labormatch/rules/`, shipped with the package)."""
    return resources.files("labormatch").joinpath("rules")


def read_tree(root: Traversable | None = None) -> dict[str, str]:
    """Every YAML file of the tree as text, keyed by its name (path under the root, no `.yaml`), sorted."""
    texts: dict[str, str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".yaml"):
                texts[prefix + entry.name.removesuffix(".yaml")] = entry.read_text(encoding="utf-8")

    walk(root or tree_root(), "")
    return dict(sorted(texts.items()))


def load_yaml(name: str, text: str) -> dict:
    """A file's mapping; refuses invalid YAML or a file that is not a mapping."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"rules/{name}.yaml: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise RulesError(f"rules/{name}.yaml: expected a mapping of description, label, unit, references, values")
    return data


def check_references(name: str, references: Any) -> tuple[dict, ...]:
    """A list of references, each with a title and an href."""
    if not isinstance(references, list) or not all(
        isinstance(r, dict) and r.get("title") and r.get("href") for r in references
    ):
        raise RulesError(f"rules/{name}.yaml: every reference needs a title and an href")
    return tuple(references)


def parse_parameter(name: str, text: str) -> Parameter:
    """One dated parameter file; refuses a missing key, an undated value or a value with no reference."""
    data = load_yaml(name, text)
    for key in ("description", "label", "unit", "values"):
        if key not in data:
            raise RulesError(f"rules/{name}.yaml: missing '{key}'")
    references = check_references(name, data["references"]) if "references" in data else ()
    values: dict[dt.date, Any] = {}
    own: dict[dt.date, tuple[dict, ...]] = {}
    for key, entry in data["values"].items():
        day = _as_date(key, name)
        if isinstance(entry, dict) and "value" in entry and set(entry) <= {"value", "references"}:
            values[day] = entry["value"]
            if "references" in entry:
                own[day] = check_references(name, entry["references"])
        else:
            values[day] = entry
        if not references and day not in own:
            raise RulesError(f"rules/{name}.yaml: missing 'references' (the file's, or the value of {day}'s own)")
    if not values:
        raise RulesError(f"rules/{name}.yaml: no values")
    form = data.get("form", {})
    if not isinstance(form, dict) or set(form) - _FORM_KEYS:
        raise RulesError(f"rules/{name}.yaml: 'form' takes only {', '.join(sorted(_FORM_KEYS))}")
    return Parameter(
        name=name,
        description=str(data["description"]).strip(),
        label=data["label"],
        unit=data["unit"],
        references=references,
        values=values,
        value_references=own,
        form=dict(form),
        extra={key: value for key, value in data.items() if key not in _KEYS},
    )


def _as_date(key: Any, name: str) -> dt.date:
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError as exc:
        raise RulesError(f"rules/{name}.yaml: value key {key!r} is not a date (YYYY-MM-DD)") from exc
