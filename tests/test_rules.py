"""Program rules: dated, cited values and the numbers the statute and the supplemental rules give."""

import ast
import datetime as dt
import pathlib
import re

import pytest

from labormatch.rules import Parameter, RulesError, fiscal_year_of, fiscal_year_start, half_of, half_window, load_rules


def test_statutory_cap_and_half_split():
    rules = load_rules()
    assert rules.statutory_cap(2024) == 66_000
    split = rules.half_split(2024)
    assert (split["first_half"], split["second_half"]) == (33_000, 33_000)
    assert split["first_half_unused_moves_to_second_half"] is True
    assert split["unused_carries_to_next_fiscal_year"] is False


@pytest.mark.parametrize(
    "fy, total",
    [
        (2017, 15_000),
        (2019, 30_000),
        (2020, 0),
        (2021, 22_000),
        (2022, 55_000),
        (2023, 64_716),
        (2024, 64_716),
        (2025, 64_716),
        (2026, 64_716),
    ],
)
def test_supplemental_totals_match_the_published_maxima(fy, total):
    assert sum(t.size for t in load_rules().supplemental_tranches(fy)) == total


def test_fy2025_returning_and_country_portions():
    tranches = load_rules().supplemental_tranches(2025)
    assert sum(t.size for t in tranches if t.returning_only) == 44_716
    setaside = [t for t in tranches if t.countries]
    assert [t.size for t in setaside] == [20_000]
    assert "Colombia" in setaside[0].countries and len(setaside[0].countries) == 7
    early = next(t for t in tranches if t.tranche == "fy2025_h2_early_returning")
    assert (early.window_start, early.window_end, early.half) == (dt.date(2025, 4, 1), dt.date(2025, 5, 14), "H2")


def test_every_value_is_cited_and_unconfirmed_values_are_flagged():
    rules = load_rules()
    for row in rules.table():
        # the planning horizon is a choice of this project, cited to its own documentation
        assert " - http" in row["source"] or row["parameter"] == "planning_horizon", row
    flagged = [t.tranche for fy in rules.fiscal_years for t in rules.supplemental_tranches(fy) if t.check]
    assert flagged == ["fy2018_supplemental"]


def test_fy2026_rule_matches_the_transcribed_federal_register_facts(raw_dir):
    """FR 2026-02131 (effective 2026-01-30): 18,490 returning Jan-Mar, 27,736 returning April, 18,490 May-Sep open."""
    import pandas as pd

    facts = pd.read_csv(raw_dir / "h2_reference" / "h2b_fy2026_cap_facts_transcribed.csv").set_index("item")["value"]
    tranches = {t.tranche: t for t in load_rules().supplemental_tranches(2026)}
    assert sum(t.size for t in tranches.values()) == int(facts["FY2026 H-2B supplemental visas authorized (TFR)"])
    got = [(t.size, t.returning_only, t.window_start, t.window_end, t.countries) for t in tranches.values()]
    assert got == [
        (
            int(facts["FY2026 supplemental: returning workers Jan 1-Mar 31 start"]),
            True,
            dt.date(2026, 1, 30),
            dt.date(2026, 3, 31),
            (),
        ),  # numbers exist from the rule's effective date
        (
            int(facts["FY2026 supplemental: returning workers April start"]),
            True,
            dt.date(2026, 4, 1),
            dt.date(2026, 4, 30),
            (),
        ),
        (
            int(facts["FY2026 supplemental: May 1-Sep 30 start (no returning-worker requirement)"]),
            False,
            dt.date(2026, 5, 1),
            dt.date(2026, 9, 30),
            (),
        ),
    ]


def test_planning_horizon_and_the_years_after_the_last_rule():
    rules = load_rules()
    assert rules.planning_years == tuple(range(2017, 2032))
    assert rules.fiscal_years[-1] == 2026 and not rules.has_supplemental_rule(2027)
    # statute and the latest dated terms continue past the last published rule, and the rules table says so
    assert (rules.statutory_cap(2031), rules.half_split(2031)["first_half"], rules.h2a(2031)["contract_weeks"]) == (
        66_000,
        33_000,
        24,
    )
    basis = {row["parameter"]: row["basis"] for row in rules.table()}
    assert basis["h2a"] == (
        "latest value: serves FY2006 to the planning horizon FY2031; no later value is recorded, "
        "so future fiscal years rest on it"
    )
    assert basis["h2b_supplemental.fy2026_may_sep_open"].startswith("one-year rule for FY2026")


def test_h2a_has_no_cap_and_cited_contract_length():
    h2a = load_rules().h2a(2023)
    assert h2a["cap"] is None
    assert h2a["contract_weeks"] * h2a["hours_per_week"] == pytest.approx(943.2)
    assert load_rules().max_stay_years("H-2B", 2024) == 3
    with pytest.raises(RulesError, match="max_stay"):  # the 3-year rule dates from Dec 2008
        load_rules().max_stay_years("H-2B", 2008)


def test_unknown_fiscal_year_and_value_before_rule_are_refused():
    with pytest.raises(RulesError, match="fiscal year 2012"):
        load_rules().supplemental_tranches(2012)
    param = Parameter("x", "d", "l", "u", ({"title": "t", "href": "h"},), {dt.date(2005, 1, 1): 1})
    with pytest.raises(RulesError, match="no value in force on 2004-01-01"):
        param.at(dt.date(2004, 1, 1))


def test_fiscal_calendar_helpers():
    assert fiscal_year_of(dt.date(2023, 10, 1)) == 2024
    assert fiscal_year_of(dt.date(2024, 9, 30)) == 2024
    assert half_of(dt.date(2024, 3, 31)) == "H1" and half_of(dt.date(2024, 4, 1)) == "H2"
    assert fiscal_year_start(2027) == dt.date(2026, 10, 1)
    assert half_window(2031, "H2") == (dt.date(2031, 4, 1), dt.date(2031, 9, 30))


# --- broken rule files are refused ------------------------------------------------------------------------

from labormatch.parameters import read_tree  # noqa: E402
from labormatch.rules import REQUIRED_PARAMETERS, parse_rules  # noqa: E402


def shipped_texts():
    return read_tree()


@pytest.mark.parametrize(
    "name, old, new, message",
    [
        ("h2b_statutory_cap", "references:", "refs:", "h2b_statutory_cap.yaml: missing 'references'"),
        (
            "h2b_statutory_cap",
            "    href: https://www.law.cornell.edu/uscode/text/8/1184\n",
            "",
            "every reference needs a title and an href",
        ),
        ("h2b_statutory_cap", "1991-10-01: 66000", "FY1992: 66000", "value key 'FY1992' is not a date"),
        (
            "h2b_supplemental",
            "size: 15000, window_start: 2017-07-19",
            "size: 15000, window_start: 2016-07-19",
            "tranche fy2017_returning window is not inside FY2017",
        ),
        ("h2b_supplemental", "size: 30000", "size: -30000", "fy2019_returning size must be a whole number >= 0"),
        ("h2a", "description: >-", "description: [unclosed", "h2a.yaml: not valid YAML"),
    ],
)
def test_broken_rule_files_are_refused(name, old, new, message):
    texts = shipped_texts()
    assert old in texts[name]
    texts[name] = texts[name].replace(old, new, 1)
    with pytest.raises(RulesError, match=message):
        parse_rules(texts)


def test_the_loader_walks_the_tree_and_refuses_a_missing_rule():
    texts = shipped_texts()
    # every file is found, in sub-folders too, by its path under labormatch/rules
    assert {"h2b_statutory_cap", "h2b_returning_worker_lookback", "behaviour/return_rate"} <= set(texts)
    extra = (
        "description: a test quantity\nlabel: Test\nunit: workers\nvalues:\n  2020-01-01:\n    value: 7\n"
        "    references:\n      - {title: Test source, href: https://example.org/test}\n"
    )
    rules = parse_rules({**texts, "behaviour/new_quantity": extra})
    assert rules.behaviour("new_quantity").latest() == 7
    assert rules.behaviour("new_quantity").source() == "Test source - https://example.org/test"
    for name in REQUIRED_PARAMETERS:
        with pytest.raises(RulesError, match=rf"rules/{name}\.yaml: file missing"):
            parse_rules({k: v for k, v in texts.items() if k != name})


def test_a_value_without_a_reference_is_refused():
    text = "description: d\nlabel: l\nunit: u\nvalues:\n  2020-01-01:\n    value: 1\n"
    with pytest.raises(RulesError, match=r"behaviour/uncited\.yaml: missing 'references'"):
        parse_rules({**shipped_texts(), "behaviour/uncited": text})


def test_each_value_is_cited_by_its_own_references_where_it_has_them():
    param = Parameter(
        "x",
        "d",
        "l",
        "u",
        ({"title": "file", "href": "f"},),
        {dt.date(2005, 1, 1): 1, dt.date(2010, 1, 1): 2},
        {dt.date(2010, 1, 1): ({"title": "later", "href": "l"},)},
    )
    assert param.source(dt.date(2006, 1, 1)) == "file - f"
    assert param.source(dt.date(2011, 1, 1)) == param.source() == "later - l"
    assert param.latest() == 2


# --- known answers: the returning-worker look-back and the statutory first-half share ----------------------


def test_returning_workers_look_back_three_fiscal_years():
    """8 U.S.C. 1184(g)(9)(A) and the supplemental rules: H-2B status in one of the 3 prior fiscal years."""
    rules = load_rules()
    assert rules.returning_worker_lookback(2024) == 3
    assert rules.lookback_years(2024) == (2021, 2022, 2023)
    # FY2022 looks back to FY2019 (66,000 + 30,000 supplemental), FY2020 (66,000; the announced supplemental
    # was withdrawn) and FY2021 (66,000 + 22,000): the largest is FY2019's 96,000 (2 years back gives 88,000)
    assert rules.recent_max_numbers(2022) == 96_000
    assert "1184(g)(9)" in rules.parameters["h2b_returning_worker_lookback"].source(dt.date(2024, 1, 1))


def test_statutory_first_half_share_is_one_half():
    """8 U.S.C. 1184(g)(10): 33,000 of the 66,000 for Oct 1 - Mar 31 starts."""
    assert load_rules().first_half_share(2024) == 0.5
    assert load_rules().first_half_share(2031) == 0.5


def test_behavioural_defaults_are_dated_and_cited():
    rules = load_rules()
    expected = {"return_rate": 0.493, "overstay_rate": 0.0, "carried_home_share": 0.33, "wage_floor_elasticity": -0.6}
    for name, value in expected.items():
        parameter = rules.behaviour(name)
        assert parameter.latest() == value, name
        assert " - http" in parameter.source(), name
        assert {"group", "minimum", "maximum"} <= set(parameter.form), name
    assert "Merwood (2012)" in rules.behaviour("return_rate").source()
    # behavioural defaults are listed on the Assumptions sheet, not in the program-rules table
    assert not [row for row in rules.table() if row["parameter"].startswith("behaviour/")]


# --- no rule number outside the parameter tree ---------------------------------------------------------------

#: A number as prose or code writes it: optional minus, thousands separators, decimals, an optional percent sign.
#: Letters, digits, dots and commas around it make it part of another token ("FY2031", "1184(g)(9)", "3.14").
_NUMBER = re.compile(r"(?<![\w.,-])(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(\s?%)?(?![\w]|[.,]\d)")
#: Words that make a common value's use rule-like (see `_common`): around the look-back years, around the first-half
#: share.
_LOOKBACK_WORDS = ("lookback", "look_back", "look-back", "returning", "previous fiscal years", "prior fiscal years")
_HALF_WORDS = ("half",)
_SUPPLEMENTAL_WORDS = ("tranche", "supplemental", "set-aside", "set_aside", "setaside")
#: Numbers in the scanned code that equal a tree value by coincidence (file, value): reason. Keep it empty if
#: possible; every entry names what the number is.
_COINCIDENCES: dict[tuple[str, float], str] = {}


def _tree_numbers(value) -> list[float]:
    """Every number in a parameter value (mappings and lists walked; keys, booleans and None are not numbers)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _tree_numbers(v)]
    if isinstance(value, list | tuple):
        return [n for v in value for n in _tree_numbers(v)]
    return []


def _rule_numbers() -> dict[float, str]:
    """Every number the parameter tree holds (every parameter's values and extra keys, every supplemental tranche),
    and the first-half share the half split gives, each with the parameter it comes from."""
    rules = load_rules()
    numbers: dict[float, str] = {}
    for name, parameter in rules.parameters.items():
        for number in _tree_numbers([*parameter.values.values(), *parameter.extra.values()]):
            numbers.setdefault(number, name)
    for fiscal_year, entry in rules.supplemental.items():
        for number in _tree_numbers(entry["tranches"]):
            numbers.setdefault(number, f"h2b_supplemental FY{fiscal_year}")
    numbers.setdefault(rules.first_half_share(rules.last_fiscal_year), "h2b_half_split (first-half share)")
    return numbers


def _rule_contexts() -> dict[float, tuple[str, ...]]:
    """The common values that are rules in a rule-like context: the look-back years, the first-half share and the
    round supplemental tranche sizes (10,000, 20,000, 30,000 next to a tranche word)."""
    rules = load_rules()
    year = rules.last_fiscal_year
    round_sizes = {
        size for entry in rules.supplemental.values() for size in _tree_numbers(entry["tranches"]) if _common(size)
    }
    return {
        **dict.fromkeys(round_sizes, _SUPPLEMENTAL_WORDS),
        rules.returning_worker_lookback(year): _LOOKBACK_WORDS,
        rules.first_half_share(year): _HALF_WORDS,
    }


def _common(number: float) -> bool:
    """Too common to mean a rule wherever it appears: whole numbers below 100 (0, 1, -1, indices, counts, month
    numbers, the 24-month horizon), a half (0.5: medians, rounding) and whole multiples of 10,000 (limits such as
    row counts, text lengths, timeouts). Of these only the look-back years, the first-half share and the round
    tranche sizes count, and only in a rule-like context (`_rule_contexts`)."""
    return number == 0.5 or (float(number).is_integer() and (abs(number) < 100 or number % 10_000 == 0))


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, nodes)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }


def _names(node: ast.AST) -> str:
    """The identifiers a number is used with (its assignment, keyword, comparison or arithmetic), lower case."""
    if isinstance(node, ast.Call):
        node = node.func
    words = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    words += [n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)]
    words += [n.arg or "" for n in ast.walk(node) if isinstance(n, ast.keyword | ast.arg)]
    return " ".join(words).lower()


def rule_numbers_in(path: pathlib.Path, numbers: dict[float, str]) -> list[tuple[int, float, str]]:
    """(line, number, text) of every tree number written in a file's code: number literals (a minus sign in front
    makes the literal negative) and string literals other than docstrings (a number inside the text, with
    thousands separators, a percent sign read as hundredths). Comments and docstrings may cite rule numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    contexts = _rule_contexts()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or isinstance(node.value, bool) or id(node) in docstrings:
            continue
        parent = parents.get(id(node))
        if isinstance(node.value, int | float):
            negative = isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub)
            number = -node.value if negative else node.value
            context = _names(parents.get(id(parent)) if negative else parent)
            hits = [(number, str(number), context)]
        elif isinstance(node.value, str):
            text = node.value
            hits = [
                (
                    float(m[1].replace(",", "")) / (100 if m[2] else 1),
                    m[0],
                    text[max(m.start() - 40, 0) : m.end() + 40].lower(),
                )
                for m in _NUMBER.finditer(text)
                if not text.strip().isdigit()  # a code written as digits (a FIPS state code), not a quantity
            ]
        else:
            continue
        for number, written, context in hits:
            if number not in numbers or (
                _common(number) and not any(word in context for word in contexts.get(number, ()))
            ):
                continue
            found.append((node.lineno, number, written))
    return found


def test_no_rule_number_is_a_literal_in_code():
    """Every number of the parameter tree (the cap, its halves, the supplemental tranches, the H-2A/H-2B terms, the
    planning horizon, the behavioural defaults, the publication lags; the look-back and the first-half share where
    used as such) lives only there: none is typed in the package or the app, as a number or in displayed text."""
    numbers = _rule_numbers()
    root = pathlib.Path(__file__).resolve().parents[1]
    found = [
        f"{path.relative_to(root)}:{line}: {written} ({numbers[number]})"
        for path in sorted([*(root / "labormatch").rglob("*.py"), *(root / "app_pages").rglob("*.py")])
        for line, number, written in rule_numbers_in(path, numbers)
        if (str(path.relative_to(root)), number) not in _COINCIDENCES
    ]
    assert not found, "rule numbers typed in code:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "code, expected",
    [
        ("CAP = 66_000\n", [66_000]),
        ("elasticity = -0.6\n", [-0.6]),
        ("x = 0.6\n", []),  # the elasticity is -0.6: a different number
        ("TEXT = 'on top of the statutory cap of 66,000.'\n", [66_000]),
        ("TEXT = 'a return rate of 49.3%'\n", [0.493]),
        ("TEXT = 'FY2031 and 1184(g)(9)'\n", []),  # parts of other tokens
        ("def f():\n    'The cap is 66,000 (a docstring may cite it).'\n", []),
        ("LOOKBACK_YEARS = 3\n", [3]),
        ("columns = 3\n", []),  # a common number outside a rule-like context
        ("TEXT = 'status in one of the 3 previous fiscal years'\n", [3]),
        ("first_half_share = 0.5\n", [0.5]),
        ("median = 0.5\n", []),
        ("TIMEOUT_MS = 30_000\n", []),
        ("SETASIDE_TRANCHE = 20_000\n", [20_000]),
        ("TEXT = 'a country set-aside of 20,000 numbers'\n", [20_000]),
    ],
)
def test_the_rule_number_scan_finds_numbers_as_tokens(tmp_path, code, expected):
    path = tmp_path / "module.py"
    path.write_text(code, encoding="utf-8")
    assert [number for _, number, _ in rule_numbers_in(path, _rule_numbers())] == expected


def test_the_aewr_methodology_rule_is_dated_and_cited_as_the_domain_notes_give_it():
    """90 FR 47914, effective 2025-10-02: the AEWR from BLS occupational wage data with two skill levels."""
    rules = load_rules()
    rule = rules.aewr_methodology()
    assert rule.values == {dt.date(2025, 10, 2): {"wage_data": "BLS occupational wage data", "skill_levels": 2}}
    assert rule.source().startswith("90 FR 47914 (rule effective 2025-10-02;")
    with pytest.raises(RulesError, match="no value in force on 2025-10-01"):
        rules.value("h2a_aewr_methodology", 2026)  # FY2026 starts the day before the rule
    assert rules.value("h2a_aewr_methodology", 2027)["skill_levels"] == 2
    basis = {row["parameter"]: row["basis"] for row in rules.table()}
    assert basis["h2a_aewr_methodology"].startswith(
        "takes effect 2025-10-02, during FY2026; latest value: serves FY2027 to the planning horizon FY2031"
    )
