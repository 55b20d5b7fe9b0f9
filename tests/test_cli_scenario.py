"""`labormatch scenario save|list|show|compare|export|import|delete|restore|fields` end to end.

The model runs on small hand-made inputs (tests/example_inputs.py) in place of the data snapshot;
the store is a SQLite file in the test's folder.
"""

from __future__ import annotations

import pytest
import yaml
from example_inputs import demand_inputs
from store_backends import backend  # noqa: F401  (fixture)
from typer.testing import CliRunner

from labormatch.assumptions import LEGACY_ORIGIN_NOTICE
from labormatch.cli import app
from labormatch.compare import TABLE_TITLES
from labormatch.fiscal import default_fiscal_year
from labormatch.scenario import example_paths, load_scenario_file
from labormatch.store import Store

runner = CliRunner()


@pytest.fixture(autouse=True)
def hand_made_inputs(monkeypatch, tmp_path):
    """Model inputs made by hand, and a default store inside the test folder (never the user's own)."""
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", demand_inputs)
    monkeypatch.delenv("LABORMATCH_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data_home"))


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def any_store_url(backend):
    """A store URL on each backend; on PostgreSQL the test's schema is chosen in the URL, as a deployment would."""
    if backend.schema is None:
        return backend.url
    return f"{backend.url}?options=-csearch_path%3D{backend.schema}"


def cli(*args: str, ok: bool = True):
    result = runner.invoke(app, ["scenario", *args], prog_name="labormatch")
    assert (result.exit_code == 0) == ok, result.output
    return result


def _contents(url: str) -> list[tuple]:
    with Store(url) as store:
        return [
            (s.name, s.deleted, v.version, v.document, v.result_hash)
            for s in store.list_scenarios(include_deleted=True)
            for v in store.history(s.name)
        ]


def test_compare_examples_prints_a_readable_table():
    out = cli("compare", "--examples").output
    lines = out.splitlines()
    assert lines[0] == "Scenarios compared"
    assert "statutory_cap (baseline)" in lines[3]  # the root of the examples' baseline chain comes first
    assert lines[9] == "data: snapshot=hand-made test inputs"  # after the 6 examples
    headline = next(line for line in lines if line.startswith("H-2B numbers available"))
    # statutory 66,000 | doubled 132,000 | FY2024 66,000 + 64,716 | circular (FY2024) | origins by class (FY2024) |
    # seafood (+5,000 pilot)
    assert headline.split()[-6:] == ["66,000", "132,000", "130,716", "130,716", "130,716", "135,716"]
    change = [line for line in lines if line.startswith("H-2B numbers available")][1]
    assert change.split()[-5:] == ["+66,000", "+64,716", "+64,716", "+64,716", "+69,716"]
    for section in (
        "Change against statutory_cap",
        "Change by sector against statutory_cap",
        "Change by origin",
        *(TABLE_TITLES[name] for name in ("headline", "h2b_by_half", "h2b_by_tranche", "by_origin", "late_starts")),
    ):
        assert section in out  # the app and the workbook title these tables the same way (labormatch.compare)
    assert "worker-seasons" in out and "returning worker-seasons" in out


def test_compare_with_a_chosen_baseline_and_csv(tmp_path):
    out = cli(
        "compare", "fy2024_rules", "seafood_pilot", "--baseline", "fy2024_rules", "--csv", str(tmp_path / "csv")
    ).output
    change = [line for line in out.splitlines() if line.startswith("H-2B numbers available")][1]
    assert change.split()[-1] == "+5,000"
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(
        f"{name}.csv"
        for name in (
            "headline",
            "h2b_by_half",
            "h2b_by_tranche",
            "by_sector",
            "by_origin",
            "quotas",
            "intervals",
            "late_starts",
        )
    )


def test_compare_errors_are_clear(tmp_path, store_url):
    assert "name at least one scenario" in cli("compare", ok=False).output
    assert "no scenario named 'nope'" in cli("compare", "nope", "--store", store_url, ok=False).output
    assert "not among the scenarios" in cli("compare", "fy2024_rules", "--baseline", "zz", ok=False).output
    assert "named more than once" in cli("compare", "fy2024_rules", "fy2024_rules", ok=False).output
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nassumptions:\n  cap_multiplier: 50\n")
    out = cli("compare", str(bad), ok=False).output
    assert str(bad) in out and "cap_multiplier" in out and "allowed 0 to 20 ratio" in out


def test_save_list_show_history_delete_restore(tmp_path, any_store_url):
    store_url = any_store_url
    mine = tmp_path / "my_plan.yaml"
    mine.write_text(example_paths()["cap_doubled"].read_text())
    assert cli("save", str(mine), "--store", store_url).output.startswith("saved my_plan v1 (result ")
    mine.write_text(mine.read_text().replace("cap_multiplier: 2.0", "cap_multiplier: 1.5"))
    assert cli("save", str(mine), "--store", store_url).output.startswith("saved my_plan v2")

    listed = cli("list", "--store", store_url).output.splitlines()
    assert listed[2].split()[:2] == ["my_plan", "2"]

    shown = cli("show", "my_plan", "--version", "1", "--store", store_url).output
    assert shown.startswith("# my_plan version 1")
    assert '# data vintage snapshot: "hand-made test inputs"' in shown
    document = yaml.safe_load(shown)
    assert list(document)[:2] == ["title", "author"] and document["assumptions"]["cap_multiplier"] == 2.0
    copy = tmp_path / "copy.yaml"  # what `show` prints saves again as it is
    copy.write_text(shown)
    assert load_scenario_file(copy) == load_scenario_file(example_paths()["cap_doubled"])
    history = cli("show", "my_plan", "--history", "--store", store_url).output.splitlines()
    assert [line.split()[0] for line in history[2:]] == ["1", "2"]

    cli("delete", "my_plan", "--store", store_url)
    assert "no scenarios saved" in cli("list", "--store", store_url).output
    assert "[deleted]" in cli("list", "--all", "--store", store_url).output
    cli("restore", "my_plan", "--store", store_url)
    assert "my_plan" in cli("list", "--store", store_url).output


def test_export_then_import_reproduces_the_hash(tmp_path, store_url):
    cli("save", str(example_paths()["seafood_pilot"]), "--store", store_url)
    exported = tmp_path / "handoff.yaml"
    cli("export", "seafood_pilot", "-o", str(exported), "--store", store_url)
    scenario = load_scenario_file(exported)
    assert scenario.provenance.name == "seafood_pilot" and scenario.provenance.version == 1
    assert scenario.assumptions == load_scenario_file(example_paths()["seafood_pilot"]).assumptions

    other = f"sqlite:///{tmp_path / 'colleague.sqlite'}"
    out = cli("import", str(exported), "--store", other).output
    assert "imported" in out and "seafood_pilot v1" in out
    assert "re-run reproduces the result hash recorded in the file" in out
    with Store(store_url) as mine, Store(other) as theirs:
        assert theirs.get("seafood_pilot").result_hash == mine.get("seafood_pilot").result_hash


def test_import_on_other_data_says_the_hash_differs(tmp_path, store_url, monkeypatch):
    cli("save", str(example_paths()["fy2024_rules"]), "--store", store_url)
    exported = tmp_path / "handoff.yaml"
    cli("export", "fy2024_rules", "-o", str(exported), "--store", store_url)
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", lambda: demand_inputs(scale=2.0))
    out = cli("import", str(exported), "--name", "rerun", "--store", store_url).output
    assert "the data vintage or model differs" in out
    out = cli("compare", "fy2024_rules", "--store", store_url).output
    assert "was saved with result" in out and "data or model changed since" in out


@pytest.mark.parametrize(
    ("command", "where"),
    [("run", "{path}"), ("save", "{path}"), ("import", "{path}"), ("compare", "older (file {path})")],
)
def test_a_file_in_the_older_format_is_run_with_a_notice(tmp_path, store_url, monkeypatch, command, where):
    """One `origin_shares` table for both visa classes: each command that opens the file runs it as both classes'
    shares and says so (on stderr), naming the file; the same file written per class gives no notice."""
    monkeypatch.setattr("labormatch.model_inputs.load_inputs", lambda data=None, forecast=True: demand_inputs())
    older = tmp_path / "older.yaml"
    older.write_text(
        "title: Older\nassumptions:\n  fiscal_year: 2024\n  origin_shares: {Mexico: 0.6, Guatemala: 0.4}\n"
    )
    current = tmp_path / "current.yaml"
    current.write_text(
        older.read_text().replace("origin_shares", "h2a_origin_shares")
        + "  h2b_origin_shares: {Mexico: 0.6, Guatemala: 0.4}\n"
    )
    args = {"run": ["run", "--config"], "save": ["save"], "import": ["import"], "compare": ["compare"]}[command]
    store = [] if command in ("run", "compare") else ["--store", store_url]
    out = cli(*args, str(older), *store).output
    assert f"note: {where.format(path=older)}: {LEGACY_ORIGIN_NOTICE}" in out
    assert "note:" not in cli(*args, str(current), *store, *(["--name", "current"] if store else [])).output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"title: x\nassumptions: !!python/object/apply:os.system ['echo pwned']\n", "tag that would build an object"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file"),
        (b"name: web\nreplicas: 3\n", "name: unknown field"),
    ],
)
def test_bad_import_changes_nothing(tmp_path, store_url, content, expected):
    cli("save", str(example_paths()["fy2024_rules"]), "--store", store_url)
    before = _contents(store_url)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    result = cli("import", str(bad), "--name", "fy2024_rules", "--store", store_url, ok=False)
    assert expected in result.output and str(bad) in result.output
    assert _contents(store_url) == before


def test_show_example_and_fields():
    text = cli("show", "circular_mx_gt_hn", "--example").output
    assert yaml.safe_load(text)["assumptions"]["return_rate"] == 0.8
    fields = cli("fields").output
    assert "return_rate (share)  [0 to 1]  default: 0.493" in fields
    assert f"fiscal_year (fiscal year)  [2017 to 2031]  default: {default_fiscal_year()}" in fields
    assert "supplemental_rules_fy (fiscal year)  [2017 to 2026]  default: None" in fields
    assert "Merwood (2012)" in fields


@pytest.mark.parametrize(
    "command", ["save", "list", "show", "compare", "export", "import", "check", "delete", "restore", "fields"]
)
def test_every_command_explains_itself(command):
    out = cli(command, "--help").output
    assert "Usage: labormatch scenario" in out
    assert len(out.split()) > 15


def test_default_store_is_in_the_user_data_folder(tmp_path):
    cli("save", str(example_paths()["statutory_cap"]))
    assert (tmp_path / "data_home" / "labormatch" / "scenarios.sqlite").is_file()
    assert "statutory_cap" in cli("list").output


def test_store_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LABORMATCH_STORE", f"sqlite:///{tmp_path / 'env.sqlite'}")
    cli("save", str(example_paths()["statutory_cap"]))
    assert (tmp_path / "env.sqlite").is_file()


def test_check_reruns_saved_scenarios(store_url, monkeypatch):
    cli("save", str(example_paths()["fy2024_rules"]), "--store", store_url)
    cli("save", str(example_paths()["cap_doubled"]), "--store", store_url)
    out = cli("check", "--store", store_url).output.splitlines()
    assert [line.split()[0] for line in out] == ["cap_doubled", "fy2024_rules"]
    assert all(line.endswith("reproduced") for line in out)
    monkeypatch.setattr("labormatch.cli.scenario_common.load_model_inputs", lambda: demand_inputs(scale=2.0))
    out = cli("check", "fy2024_rules", "--store", store_url, ok=False).output
    assert "fy2024_rules v1" in out and "differs: re-run gives" in out


def test_show_a_version_the_current_model_no_longer_accepts(store_url):
    from sqlalchemy import update

    from labormatch.store import versions

    cli("save", str(example_paths()["statutory_cap"]), "--store", store_url)
    old = '{"title": "Old", "author": "", "notes": "", "baseline": null, "assumptions": {"retired_field": 1}}'
    with Store(store_url) as store, store._engine.begin() as conn:
        conn.execute(update(versions).values(document=old))
    out = cli("show", "statutory_cap", "--store", store_url).output
    assert "# note: no longer valid as saved" in out and "retired_field" in out
    assert yaml.safe_load(out)["assumptions"] == {"retired_field": 1}
