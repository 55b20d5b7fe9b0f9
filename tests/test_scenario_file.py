"""Scenario YAML files: round trip, validation messages that name the field, refusal of unsafe or foreign files."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labormatch.assumptions import LEGACY_ORIGIN_NOTICE, Assumptions
from labormatch.errors import SourceError
from labormatch.scenario import (
    Provenance,
    Scenario,
    ScenarioError,
    load_scenario_file,
    save_scenario_file,
    scenario_yaml,
)


def _scenario(**header) -> Scenario:
    assumptions = {
        "fiscal_year": 2024,
        "cap_multiplier": 2.0,
        "pilot_carveouts": [{"sector": "food_manufacturing", "numbers": 5000, "inside_cap": False}],
        "circular_origins": ["Mexico", "Guatemala"],
        "return_rate": 0.8,
    }
    return Scenario(**{"title": "Cap doubled", "author": "A. Analyst", **header}, assumptions=assumptions)


def test_round_trip_keeps_every_field(tmp_path):
    scenario = _scenario(notes="First line.\nSecond line: with a colon.\n", baseline="fy2024_rules")
    path = save_scenario_file(scenario, tmp_path / "s.yaml")
    loaded = load_scenario_file(path)
    assert loaded == scenario
    assert loaded.assumptions.annual_cap() == 132_000
    assert loaded.assumptions.pilot_carveouts[0].sector == "food_manufacturing"
    # saving the loaded copy gives byte-identical text
    assert scenario_yaml(loaded) == path.read_text(encoding="utf-8")


def test_file_lists_header_before_assumptions(tmp_path):
    path = save_scenario_file(_scenario(), tmp_path / "s.yaml")
    keys = list(yaml.safe_load(path.read_text()).keys())
    assert keys == ["title", "author", "notes", "baseline", "assumptions"]


def test_round_trip_with_provenance(tmp_path):
    provenance = Provenance(
        name="cap_doubled",
        version=3,
        saved_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        result_hash="ab" * 32,
        data_vintage={"built": "2026-01-01"},
        package_version="0.1.0",
    )
    scenario = _scenario().model_copy(update={"provenance": provenance})
    loaded = load_scenario_file(save_scenario_file(scenario, tmp_path / "s.yaml"))
    assert loaded.provenance == provenance
    assert "provenance" not in loaded.to_document()


def test_header_only_file_gets_default_assumptions(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: Defaults\nassumptions: {}\n")
    assert load_scenario_file(path).assumptions == Assumptions()
    assert load_scenario_file(path).notices == ()


@pytest.mark.parametrize(
    ("origin_lines", "notices"),
    [
        ("  origin_shares: {Mexico: 0.6, Guatemala: 0.4}\n", (LEGACY_ORIGIN_NOTICE,)),  # the older format
        ("  origin_shares: null\n", ()),  # what every older saved version holds: the default, nothing to say
        ("".join(f"  {visa}_origin_shares: {{Mexico: 0.6, Guatemala: 0.4}}\n" for visa in ("h2a", "h2b")), ()),
    ],
)
def test_a_file_with_one_origin_table_for_both_classes_says_how_it_was_read(tmp_path, origin_lines, notices):
    """The older single table runs as both classes' shares, and the file says so; the same shares written per
    class, or the null every older saved version holds, give no notice."""
    path = tmp_path / "s.yaml"
    path.write_text("title: Older file\nassumptions:\n  fiscal_year: 2024\n" + origin_lines)
    scenario = load_scenario_file(path)
    assert scenario.notices == notices
    expected = None if "null" in origin_lines else {"Mexico": 0.6, "Guatemala": 0.4}
    assert (scenario.assumptions.h2a_origin_shares, scenario.assumptions.h2b_origin_shares) == (expected, expected)
    assert "H-2A and H-2B" in LEGACY_ORIGIN_NOTICE and "_" not in LEGACY_ORIGIN_NOTICE  # plain words, no field ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\nassumptions:\n  h2b_cap: -5\n",
            ["h2b_cap", "allowed 0 to 10,000,000 workers per fiscal year; got -5", "got -5"],
        ),
        ("title: x\nassumptions:\n  return_rate: 1.5\n", ["return_rate", "allowed 0 to 1 share; got 1.5"]),
        ("title: x\nassumptions:\n  retrun_rate: 0.5\n", ["retrun_rate", "unknown assumption"]),
        (
            "title: x\nassumptions:\n  pilot_carveouts: [{sector: fishing, numbers: 10}]\n",
            ["pilot_carveouts, row 1, sector", "unknown sector 'fishing'"],
        ),
        ("title: x\nauthr: me\nassumptions: {}\n", ["authr: unknown field"]),
        ("author: me\nassumptions: {}\n", ["title: Field required"]),
        ("title: ''\nassumptions: {}\n", ["title: String should have at least 1 character"]),
        ("title: x\nassumptions: [1, 2]\n", ["expected a mapping of field: value"]),
        ("title: x\nassumptions: 5\n", [": assumptions: expected a mapping of field: value, got int"]),
        ("- a list\n- not a scenario\n", ["not a scenario", "found a list"]),
        ("", ["not a scenario", "found nothing"]),
    ],
)
def test_validation_message_names_file_and_field(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"!!python/object/apply:os.system ['echo pwned']\n", "tag that would build an object"),
        (b"title: x\nassumptions: !!python/object:collections.OrderedDict {}\n", "tag that would build an object"),
        (bytes(range(256)) * 4, "binary file"),
        ("title: café\n".encode("latin-1"), "not UTF-8"),
        (b"title: [unclosed\n", "not valid YAML at line 2"),
    ],
)
def test_unsafe_or_damaged_file_is_refused(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        load_scenario_file(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_python_tag_never_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "bad.yaml"
    path.write_text(f"!!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{marker}']]\n")
    with pytest.raises(SourceError):
        load_scenario_file(path)
    assert not marker.exists()


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(SourceError, match="cannot read"):
        load_scenario_file(tmp_path / "absent.yaml")
    with pytest.raises(SourceError, match=r"cannot read the file .Is a directory"):
        load_scenario_file(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_text("title: x\nnotes: '" + "a" * 1_100_000 + "'\n")
    with pytest.raises(SourceError, match="too large"):
        load_scenario_file(big)


@pytest.mark.parametrize("folder", ["missing_folder", "a_file"])
def test_failed_write_leaves_no_partial_file(tmp_path, folder):
    (tmp_path / "a_file").write_text("not a folder")
    target = tmp_path / folder / "s.yaml"
    with pytest.raises(SourceError, match="cannot write"):
        save_scenario_file(_scenario(), target)
    assert not target.exists() and (tmp_path / "a_file").read_text() == "not a folder"


def test_many_unknown_fields_are_named_briefly(tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text("title: x\nassumptions:\n" + "".join(f"  field_{i}_{'x' * 60}: 1\n" for i in range(50)))
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    message = str(caught.value)
    assert "unknown assumptions: field_0_" in message and "and 45 more" in message
    assert "…" in message and len(message) < 1200


# ---- property: any header text and any in-range values survive a file round trip ------------------------

_AWKWARD = st.sampled_from(["\n", "\r", "\x85", "\u2028", "\u2029", " ", "\t", ":", "#", "'", '"', "-", "\ufeff"])
_TEXT = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), _AWKWARD), max_size=80
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_TEXT,
    notes=_TEXT,
    author=_TEXT,
    multiplier=st.floats(0.0, 20.0),
    return_rate=st.floats(0.0, 1.0),
    pilot=st.integers(0, 1_000_000),
)
def test_any_valid_scenario_round_trips(tmp_path, title, notes, author, multiplier, return_rate, pilot):
    if not title:
        title = "t"
    scenario = Scenario(
        title=title[:200],
        author=author,
        notes=notes,
        assumptions={
            "cap_multiplier": multiplier,
            "return_rate": return_rate,
            "pilot_carveouts": [{"sector": "construction", "numbers": pilot}],
        },
    )
    path = save_scenario_file(scenario, tmp_path / "s.yaml")
    assert load_scenario_file(path) == scenario


@pytest.mark.parametrize(
    "text",
    [
        "x\x85y",
        "line\u2028sep\n",
        "a\r\nb",
        "trailing space \nnext\n",
        "yes",
        "null",
        "1e3",
        "k: v",
        "\n\nstart",
        "end\n\n\n",
        "\ufeffbom",
    ],
)
def test_awkward_text_round_trips(tmp_path, text):
    scenario = Scenario(title="t", author=text, notes=text, assumptions={})
    assert load_scenario_file(save_scenario_file(scenario, tmp_path / "s.yaml")) == scenario
