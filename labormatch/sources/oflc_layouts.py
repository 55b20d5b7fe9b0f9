"""OFLC disclosure-file layouts declared as data, plus the value vocabularies the loader normalises.

Every layout is recognised by its header (columns that must be present and columns that must be
absent), never by the file name. `fields` maps each case-schema field to the source columns that may
hold it, in order of preference; the first one present in the file is used. Headers are compared
upper-cased and stripped, so `Case_Number` and `CASE_NUMBER` are the same column.
Source for every entry: `raw/oflc/SCHEMAS.md` (per-file column map, vocabularies, data-quality traps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Fields a layout must be able to fill, else the file is refused as "missing required columns".
REQUIRED_FIELDS = ("case_id", "status")


@dataclass(frozen=True)
class Layout:
    """One vintage of the OFLC case-level disclosure file."""

    name: str
    visa_class: str
    fiscal_years: str  # the vintages seen with this header, for messages and the load report
    requires: frozenset[str]
    excludes: frozenset[str] = frozenset()
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # How joint-employer sub rows are recognised: "flag_blank:<COL>" (blank = sub row),
    # "equals:<COL>=<VALUE>" (that value = sub row), "master_max" (no marker: within a case the master row
    # carries the total, the member rows carry shares of it), or "" (one row per case).
    sub_rows: str = ""
    # FY2000-05 H-2B files hold no certified count; the certified number is taken from the requested one.
    certified_from_requested: bool = False
    notes: tuple[str, ...] = ()


_COMMON_WAGE = {"wage": ("BASIC_RATE_OF_PAY",), "wage_unit": ("BASIC_UNIT_OF_PAY", "PAY_RANGE_UNIT")}
# H-2A FY2008-2019: the first source column present wins, so one map serves every vintage of the period.
_H2A_2008_2019 = {
    "case_id": ("CASE_NO", "CASE_NUMBER"),
    "status": ("CASE_STATUS",),
    "workers_requested": ("NBR_WORKERS_REQUESTED",),
    "workers_certified": ("NBR_WORKERS_CERTIFIED",),
    "need_start": ("CERTIFICATION_BEGIN_DATE", "REQUESTED_START_DATE_OF_NEED", "JOB_START_DATE"),
    "need_end": ("CERTIFICATION_END_DATE", "REQUESTED_END_DATE_OF_NEED", "JOB_END_DATE"),
    "naics": ("NAICS_CODE",),
    "soc": ("SOC_CODE", "SOC_CODE_ID"),
    "job_title": ("JOB_TITLE",),
    "worksite_state": ("ALIEN_WORK_STATE", "WORKSITE_LOCATION_STATE", "WORKSITE_STATE"),
    **_COMMON_WAGE,
    "nature_of_need": ("NATURE_OF_TEMPORARY_NEED",),
    "received_date": ("CASE_RECEIVED_DATE",),
    "decision_date": ("DECISION_DATE", "RECENT_DECISION_DATE"),
}
# Form ETA-9142A/9142B (FY2020+) releases, both classes; the workers and wage columns differ by class.
_FORM_2020 = {
    "case_id": ("CASE_NUMBER",),
    "status": ("CASE_STATUS",),
    "need_start": ("EMPLOYMENT_BEGIN_DATE", "REQUESTED_BEGIN_DATE"),
    "need_end": ("EMPLOYMENT_END_DATE", "REQUESTED_END_DATE"),
    "naics": ("NAICS_CODE",),
    "soc": ("SOC_CODE",),
    "job_title": ("JOB_TITLE",),
    "worksite_state": ("WORKSITE_STATE",),
    "wage_unit": ("PER",),
    "nature_of_need": ("NATURE_OF_TEMPORARY_NEED",),
    "received_date": ("RECEIVED_DATE",),
    "decision_date": ("DECISION_DATE",),
}

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="h2b_2000_2005",
        visa_class="H-2B",
        fiscal_years="H-2B FY2000-2005 (csv)",
        requires=frozenset({"CASE_NUM", "LAST_SIG_EVENT", "NUM_ALIENS"}),
        fields={
            "case_id": ("CASE_NUM",),
            "status": ("LAST_SIG_EVENT",),
            "workers_requested": ("NUM_ALIENS",),
            "soc": ("OCC_CODE",),
            "job_title": ("OCC_TITLE",),
            "worksite_state": ("WORK_STATE",),
            "wage": ("SALARY",),
            "wage_unit": ("UNIT_OF_PAY",),
            "received_date": ("REC_LOCAL_OFFICE",),
            "decision_date": ("LAST_EVENT_DATE",),
        },
        certified_from_requested=True,
        notes=(
            "no workers-certified column: certified cases are counted at the number of workers requested "
            "(Num_Aliens); no dates of need; occupation is a DOT code",
        ),
    ),
    Layout(
        name="h2a_2006",
        visa_class="H-2A",
        fiscal_years="H-2A FY2006 (csv)",
        requires=frozenset({"CASE_NUMBER", "NBR_WORKERS_REQUSTED", "WAGE_RATE_PER"}),
        fields={
            "case_id": ("CASE_NUMBER",),
            "status": ("CASE_STATUS",),
            "workers_requested": ("NBR_WORKERS_REQUSTED",),
            "workers_certified": ("NBR_WORKERS_CERTIFIED",),
            "need_start": ("CERTIFICATION_BEGIN_DATE",),
            "need_end": ("CERTIFICATION_END_DATE",),
            "job_title": ("JOB_TITLE",),
            "worksite_state": ("EMPLOYER_STATE",),
            "wage": ("BASIC_RATE_OF_PAY",),
            "wage_unit": ("WAGE_RATE_PER",),
        },
        sub_rows="master_max",
        notes=(
            "no worksite column: worksite_state is the employer's state",
            "no decision-date column: cases cannot be checked against the fiscal year",
        ),
    ),
    Layout(
        name="h2a_2007",
        visa_class="H-2A",
        fiscal_years="H-2A FY2007 (csv)",
        requires=frozenset({"CASE_NO", "BASIC_HOURS_PER_WEEK", "NBR_WORKERS_CERTIFIED"}),
        fields={
            "case_id": ("CASE_NO",),
            "status": ("CASE_STATUS",),
            "workers_requested": ("NBR_WORKERS_REQUESTED",),
            "workers_certified": ("NBR_WORKERS_CERTIFIED",),
            "need_start": ("CERTIFICATION_BEGIN_DATE",),
            "need_end": ("CERTIFICATION_END_DATE",),
            "job_title": ("JOB_TITLE",),
            "worksite_state": ("ALIEN_WORK_STATE",),
            **_COMMON_WAGE,
            "decision_date": ("DECISION_DATE",),
        },
        sub_rows="master_max",
    ),
    Layout(
        name="h2a_2008_2015",
        visa_class="H-2A",
        fiscal_years="H-2A FY2008-2015",
        requires=frozenset({"ORGANIZATION_FLAG", "NBR_WORKERS_CERTIFIED", "CASE_STATUS"}),
        excludes=frozenset({"PRIMARY/SUB"}),
        fields=_H2A_2008_2019,
        sub_rows="flag_blank:ORGANIZATION_FLAG",
        notes=("FY2015 NAIC_CODE not used: about 7% of certified positions carry it, mostly wholesale codes",),
    ),
    Layout(
        name="h2a_2016_2019",
        visa_class="H-2A",
        fiscal_years="H-2A FY2016-2019",
        requires=frozenset({"PRIMARY/SUB", "NBR_WORKERS_CERTIFIED", "CASE_STATUS"}),
        fields=_H2A_2008_2019,
        sub_rows="equals:PRIMARY/SUB=SUB",
        notes=("FY2016 NAIC_CODE not used: about 8% of certified positions carry it, mostly wholesale codes",),
    ),
    Layout(
        name="h2b_2008_2019",
        visa_class="H-2B",
        fiscal_years="H-2B FY2008-2019",
        requires=frozenset({"NBR_WORKERS_CERTIFIED", "CASE_STATUS"}),
        excludes=frozenset({"ORGANIZATION_FLAG", "PRIMARY/SUB", "BASIC_HOURS_PER_WEEK", "WAGE_RATE_PER"}),
        fields={
            "case_id": ("CASE_NO", "CASE_NUMBER"),
            "status": ("CASE_STATUS",),
            "workers_requested": ("NBR_WORKERS_REQUESTED",),
            "workers_certified": ("NBR_WORKERS_CERTIFIED",),
            "need_start": ("CERTIFICATION_BEGIN_DATE", "JOB_START_DATE"),
            "need_end": ("CERTIFICATION_END_DATE", "JOB_END_DATE"),
            "naics": ("NAICS_CODE", "NAIC_CODE"),
            "soc": ("SOC_CODE", "DOT_OCCUPATIONAL_CODE"),
            "job_title": ("JOB_TITLE",),
            "worksite_state": ("ALIEN_WORK_STATE", "WORKSITE_STATE", "EMPLOYEE_WORK_STATE"),
            **_COMMON_WAGE,
            "nature_of_need": ("NATURE_OF_TEMPORARY_NEED",),
            "received_date": ("NPC_SUBMITTED_DATE", "SUBMITTED_DATE", "CASE_RECEIVED_DATE"),
            "decision_date": ("DECISION_DATE", "RECENT_DECISION_DATE"),
        },
    ),
    Layout(
        name="h2a_2020",
        visa_class="H-2A",
        fiscal_years="H-2A FY2020-",
        requires=frozenset({"TOTAL_WORKERS_H2A_CERTIFIED", "CASE_STATUS"}),
        fields={
            **_FORM_2020,
            "workers_requested": ("TOTAL_WORKERS_H2A_REQUESTED",),
            "workers_certified": ("TOTAL_WORKERS_H2A_CERTIFIED",),
            "wage": ("WAGE_OFFER",),
        },
        notes=("piece rates are in Addendum A (labormatch.sources.addendum), not in the main file",),
    ),
    Layout(
        name="h2b_2020",
        visa_class="H-2B",
        fiscal_years="H-2B FY2020-",
        requires=frozenset({"TOTAL_WORKERS_CERTIFIED", "CAP_EXEMPT", "CASE_STATUS"}),
        fields={
            **_FORM_2020,
            "workers_requested": ("TOTAL_WORKERS_REQUESTED",),
            "workers_certified": ("TOTAL_WORKERS_CERTIFIED",),
            "wage": ("BASIC_WAGE_RATE_FROM",),
        },
        notes=("wage is the bottom of the offered range (BASIC_WAGE_RATE_FROM)",),
    ),
)

# Status wording -> normalised status. Checked in order; the first pattern found (case-insensitive) wins.
# "Certified, Temporary", "... Expired" and "... (Returned)" are certifications (SCHEMAS.md section 3).
# "Reduction in Recruitment Denied" is a refused request to shorten recruitment, not a final decision.
# "Rejected" (application not accepted for processing), "Received", "Remand", "NOF Issued",
# "FINAL REVIEW", "Modification", "Incomplete" are not decisions on the merits: "other".
STATUS_RULES: tuple[tuple[str, str], ...] = (
    ("reduction in recruitment", "other"),
    ("partial", "partially certified"),
    ("certif", "certified"),
    ("denied", "denied"),
    ("withdrawn", "withdrawn"),
)
STATUS_OTHER = "other"
CERTIFIED_STATUSES = ("certified", "partially certified")

# Hours per stated pay period, to turn an offered wage into USD per hour. Assumptions, declared once:
# a 40-hour week (the FLSA standard workweek before overtime, 29 U.S.C. 207(a)(1)), an 8-hour day,
# 2,080 hours a year (52 x 40, the convention BLS OEWS uses to annualise hourly wages) and a month of
# 2,080 / 12 hours. Piece rates and "Select Pay Range" cannot be converted and become missing.
HOURS_PER_UNIT: dict[str, float] = {
    "hour": 1.0,
    "day": 8.0,
    "week": 40.0,
    "biweek": 80.0,
    "month": 2080.0 / 12.0,
    "year": 2080.0,
}
# Wage-unit wording seen in the files (SCHEMAS.md section 4), lower-cased -> unit above, or None.
WAGE_UNIT_ALIASES: dict[str, str | None] = {
    "h": "hour",
    "hr": "hour",
    "hour": "hour",
    "hourly": "hour",
    "dai": "day",
    "day": "day",
    "daily": "day",
    "w": "week",
    "wk": "week",
    "week": "week",
    "weekly": "week",
    "bi": "biweek",
    "bi-weekly": "biweek",
    "biweekly": "biweek",
    "m": "month",
    "mth": "month",
    "month": "month",
    "monthly": "month",
    "a": "year",
    "yr": "year",
    "year": "year",
    "annual": "year",
    "annually": "year",
    "piece rate": None,
    "select pay range": None,
}
#: An hourly wage outside this range (USD) is treated as a data-entry error and set missing.
WAGE_HOURLY_BOUNDS = (1.0, 250.0)
#: Dates more than this many years away from the file's fiscal year are typos (e.g. 2106 for 2016).
DATE_WINDOW_YEARS = 2
#: A file whose last decision falls this many days or more before its fiscal year ends is a partial-year release.
PARTIAL_YEAR_GAP_DAYS = 45

#: A case certifying or requesting more workers than this is a data-entry error: the value is set missing
#: (counted). The largest case in the staged files FY2000-2022 is 2,034 workers (H-2A FY2017,
#: H-300-17093-473422); the bound is about 50 times that, well above any single employer's filing.
MAX_WORKERS_PER_CASE = 100_000

# Limits that keep a hostile or broken upload from exhausting memory, checked before any cell is parsed.
# Measured on the 36 staged .xlsx files (../shared/data/raw/oflc, FY2008-2022): at most 26.6 MB
# uncompressed (H-2B Appendix A FY2021), compression ratio at most 8.5 per member, 63,960 rows
# (H-2B Appendix A FY2021), 830,000 cells, 139 columns (H-2A FY2022 Q1). Each limit leaves about 4-6 times
# that headroom for larger future releases.
#: Total declared (and actual) uncompressed size of a workbook archive, bytes.
WORKBOOK_MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
#: Uncompressed / compressed size of one archive member larger than WORKBOOK_RATIO_MIN_BYTES.
WORKBOOK_MAX_COMPRESSION_RATIO = 40.0
WORKBOOK_RATIO_MIN_BYTES = 1024 * 1024
#: Members in a workbook archive (the staged files hold at most a few dozen).
WORKBOOK_MAX_MEMBERS = 1_000
#: Rows and cells of the first sheet (or a CSV table).
MAX_ROWS = 400_000
MAX_CELLS = 5_000_000

USPS_STATES: dict[str, str] = {
    "ALABAMA": "AL",
    "ALASKA": "AK",
    "ARIZONA": "AZ",
    "ARKANSAS": "AR",
    "CALIFORNIA": "CA",
    "COLORADO": "CO",
    "CONNECTICUT": "CT",
    "DELAWARE": "DE",
    "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL",
    "GEORGIA": "GA",
    "HAWAII": "HI",
    "IDAHO": "ID",
    "ILLINOIS": "IL",
    "INDIANA": "IN",
    "IOWA": "IA",
    "KANSAS": "KS",
    "KENTUCKY": "KY",
    "LOUISIANA": "LA",
    "MAINE": "ME",
    "MARYLAND": "MD",
    "MASSACHUSETTS": "MA",
    "MICHIGAN": "MI",
    "MINNESOTA": "MN",
    "MISSISSIPPI": "MS",
    "MISSOURI": "MO",
    "MONTANA": "MT",
    "NEBRASKA": "NE",
    "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH",
    "NEW JERSEY": "NJ",
    "NEW MEXICO": "NM",
    "NEW YORK": "NY",
    "NORTH CAROLINA": "NC",
    "NORTH DAKOTA": "ND",
    "OHIO": "OH",
    "OKLAHOMA": "OK",
    "OREGON": "OR",
    "PENNSYLVANIA": "PA",
    "RHODE ISLAND": "RI",
    "SOUTH CAROLINA": "SC",
    "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN",
    "TEXAS": "TX",
    "UTAH": "UT",
    "VERMONT": "VT",
    "VIRGINIA": "VA",
    "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV",
    "WISCONSIN": "WI",
    "WYOMING": "WY",
    "PUERTO RICO": "PR",
    "GUAM": "GU",
    "VIRGIN ISLANDS": "VI",
    "U.S. VIRGIN ISLANDS": "VI",
    "NORTHERN MARIANA ISLANDS": "MP",
    "AMERICAN SAMOA": "AS",
}


def detect_layout(headers) -> Layout | None:
    """The one layout whose required headers are all present and excluded headers all absent, else None."""
    cols = {str(h).strip().upper() for h in headers}
    matches = [lay for lay in LAYOUTS if lay.requires <= cols and not (lay.excludes & cols)]
    return matches[0] if len(matches) == 1 else None


# Why a full-year H-2A file's de-duplicated certified total still differs from OFLC's published
# positions-certified figure by more than 1% (see the load report's published_comparison).
# Facts measured on the staged files (2026-11); the load report recomputes the totals themselves.
PUBLISHED_GAP_NOTES: dict[tuple[str, int], str] = {
    ("H-2A", 2006): (
        "The FY2006 file has no decision-date column, so cases decided outside FY2006 cannot be removed. "
        "Rule applied: within each case number the master row (largest certified count) is kept, which takes "
        "the total from 72,510 to 60,917 (+3.1% against 59,110). 185 of its case numbers (3,715 certified "
        "positions) appear again in the FY2007 file; dropping them would give 57,202 (-3.2%), so they are "
        "kept and the remaining difference is left unexplained."
    ),
    ("H-2A", 2008): (
        "Rule applied: rows with a blank ORGANIZATION_FLAG (joint-employer members) dropped, 102,662 -> 90,167 "
        "raw, 90,123 on certified cases (+9.8% against 82,099). What remains is not explained by anything in the "
        "file: all decisions are dated within FY2008, case numbers are unique after the rule, only 3 cases "
        "(169 positions) also appear in the FY2007 file, and full certifications alone sum to 84,442. The same "
        "rule matches the published figure within 0.3% in every year FY2009-2017."
    ),
}
