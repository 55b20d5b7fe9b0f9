"""OFLC H-2A / H-2B case-level disclosure files, every vintage, in one typed case schema.

`load_oflc_file` reads one file (csv, xls or xlsx), recognises its layout from the header
(`oflc_layouts.LAYOUTS`), maps the columns, normalises status, wage (USD/hour), state and dates,
drops joint-employer sub rows and duplicate case rows, and returns the cases with a load report
that counts every value it set missing and why. `load_oflc_dir` does this for a whole staged folder
and compares the H-2A totals with OFLC's published positions-certified figures.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from labormatch.errors import SourceError
from labormatch.fiscal import fiscal_year_end, fiscal_years
from labormatch.sources import oflc_layouts as lay

# The architecture's case schema plus `job_title` (text, as given): the only occupation information in
# H-2B FY2008-09 and H-2A FY2006-13, which the crosswalk needs. `soc` holds the occupation code as given,
# SOC (`45-2092`) or, in H-2B FY2000-05 and FY2010, DOT (`408.687-014`).
CASE_COLUMNS: list[str] = [
    "case_id",
    "visa_class",
    "fiscal_year",
    "source_file",
    "partial_year",
    "status",
    "workers_requested",
    "workers_certified",
    "need_start",
    "need_end",
    "naics",
    "soc",
    "worksite_state",
    "wage_hourly",
    "nature_of_need",
    "received_date",
    "decision_date",
    "job_title",
]
_TEXT = ["case_id", "status", "naics", "soc", "worksite_state", "nature_of_need", "job_title"]
_DATES = ["need_start", "need_end", "received_date", "decision_date"]
_COUNTS = ["workers_requested", "workers_certified"]
_SOURCE_COLUMNS = (
    frozenset(col for layout in lay.LAYOUTS for cols in layout.fields.values() for col in cols)
    | frozenset(col for layout in lay.LAYOUTS for col in layout.requires)
    | {"ORGANIZATION_FLAG", "PRIMARY/SUB"}
)
_ADDENDUM_NAME = re.compile(r"addendum|appendix", re.IGNORECASE)
_PUBLISHED_H2A = Path("h2_aggregates") / "epi_h2a_national_fy2005_2022.csv"
#: Differences from the published figure above this share are explained in the report.
PUBLISHED_TOLERANCE = 0.01


# ---------------------------------------------------------------- reading


def _read_table(path: Path, check_header=None) -> tuple[pd.DataFrame, list[str], str | None]:
    """The relevant columns of the first sheet (object dtype), all header names, and the text encoding used.

    A workbook's archive is checked against the size limits first, and `check_header(headers)` (which
    raises for an unknown layout) runs on its header row before any data row is parsed.
    """
    if not path.is_file():
        raise SourceError(path, "file not found")
    if path.stat().st_size == 0:
        raise SourceError(path, "empty file (0 bytes)")
    headers: list[str] = []

    def keep(col) -> bool:
        headers.append(str(col))
        return str(col).strip().upper() in _SOURCE_COLUMNS

    suffix = path.suffix.lower()
    encoding = None
    try:
        if suffix == ".csv":
            try:
                frame = pd.read_csv(
                    path, dtype=str, usecols=keep, keep_default_na=False, na_values=[""], encoding="utf-8"
                )
                encoding = "utf-8"
            except UnicodeDecodeError:
                headers.clear()
                frame = pd.read_csv(
                    path, dtype=str, usecols=keep, keep_default_na=False, na_values=[""], encoding="latin-1"
                )
                encoding = "latin-1 (file is not valid UTF-8; decoded as Latin-1)"
            _check_cells(path, len(frame), len(set(headers)))
        elif suffix in (".xlsx", ".xls", ".xlsm"):
            if suffix != ".xls":
                check_workbook_archive(path)
                header = workbook_header(path)
                if check_header is not None and header:
                    check_header(_upper_unique(header))
            frame = read_workbook(path, keep)
        else:
            raise SourceError(path, f"unsupported file type {suffix!r} (expected .csv, .xls or .xlsx)")
    except SourceError:
        raise
    except pd.errors.EmptyDataError:
        raise SourceError(path, "empty file (no header row)") from None
    except Exception as exc:  # calamine / zip / csv parser errors: the file is damaged or not what it says
        kind = "an Excel workbook" if suffix != ".csv" else "a CSV table"
        raise SourceError(path, f"cannot be read as {kind} (damaged, truncated or another format): {exc}") from None
    if not headers:
        raise SourceError(path, "empty file (no header row)")
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    # pandas may ask `keep` about a column more than once: list each header once, in file order.
    return frame, _upper_unique(headers), encoding


def _upper_unique(headers: list[str]) -> list[str]:
    return list(dict.fromkeys(str(h).strip().upper() for h in headers))


def _megabytes(size: float) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def check_workbook_archive(path: Path) -> None:
    """Refuse a workbook archive that would decompress beyond the limits in `oflc_layouts` (a zip bomb).

    Reads the archive's directory, then decompresses each member in 1 MB chunks without keeping them, so
    a member that holds more than it declares is refused as damaged before any reader trusts the
    declaration. Memory stays ~1 MB.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SourceError(
            path, "cannot be read as an Excel workbook (damaged, truncated or another format): not a zip archive"
        ) from None
    limit, max_ratio = lay.WORKBOOK_MAX_UNCOMPRESSED_BYTES, lay.WORKBOOK_MAX_COMPRESSION_RATIO
    with archive:
        members = archive.infolist()
        if len(members) > lay.WORKBOOK_MAX_MEMBERS:
            raise SourceError(
                path,
                f"refused: the workbook archive holds {len(members):,} parts, above the limit "
                f"of {lay.WORKBOOK_MAX_MEMBERS:,}",
            )
        declared = sum(member.file_size for member in members)
        if declared > limit:
            raise SourceError(
                path,
                f"refused: the workbook declares {_megabytes(declared)} uncompressed, above the "
                f"limit of {_megabytes(limit)}",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > lay.WORKBOOK_RATIO_MIN_BYTES and ratio > max_ratio:
                raise SourceError(
                    path,
                    f"refused: {member.filename} is compressed {ratio:,.0f} to 1, above the "
                    f"limit of {max_ratio:,.0f} to 1 (a compression bomb, not a disclosure file)",
                )
        for member in members:  # zipfile stops at the declared size: a member holding more fails its CRC here
            with archive.open(member) as part:
                while part.read(1024 * 1024):
                    pass


_XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def workbook_header(path: Path) -> list[str]:
    """The first non-empty row of an .xlsx file's first sheet, streamed from the archive: no data row is
    parsed and only the shared strings up to the header's are read (openpyxl would read them all: ~0.8 s
    for a real file). The sheet's declared size, where given, is checked against the row and cell limits."""
    with zipfile.ZipFile(path) as archive:
        sheet_part = _first_sheet_part(archive)
        header: list[tuple[str | None, str]] = []
        with archive.open(sheet_part) as part:
            for rows_seen, (_, elem) in enumerate(ElementTree.iterparse(part, events=("end",))):
                if elem.tag == _XLSX + "dimension":
                    _check_declared_size(path, elem.get("ref", ""))
                elif elem.tag == _XLSX + "c":
                    value = elem.find(_XLSX + "v")
                    text = (
                        value.text
                        if value is not None
                        else "".join(elem.find(_XLSX + "is").itertext())
                        if elem.find(_XLSX + "is") is not None
                        else None
                    )
                    if text is not None and text.strip():
                        header.append((elem.get("t"), text))
                elif elem.tag == _XLSX + "row":
                    if header or rows_seen > 10_000:
                        break
                    elem.clear()
        wanted = {int(text) for kind, text in header if kind == "s"}
        strings = _shared_strings(archive, wanted) if wanted else {}
    if not wanted <= strings.keys():
        return []  # shared strings written in a form this scan does not know: the full read checks the layout
    return [strings[int(text)] if kind == "s" else text for kind, text in header]


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = book.find(f"{_XLSX}sheets/{_XLSX}sheet")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    wanted = first.get(_DOC_RELS + "id")
    target = next(rel.get("Target") for rel in rels.iter(_RELS + "Relationship") if rel.get("Id") == wanted)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings numbered in `wanted`, found by scanning the part in 1 MB chunks for `</si>`
    (an XML parse of every string before the header's took ~1 s on a real file). Phonetic runs left out."""
    out: dict[int, str] = {}
    index, pending = 0, b""
    with archive.open("xl/sharedStrings.xml") as part:
        while index <= max(wanted) and (chunk := part.read(1024 * 1024)):
            pieces = (pending + chunk).split(b"</si>")
            pending = pieces.pop()
            for piece in pieces:
                if index in wanted:
                    item = ElementTree.fromstring(piece[piece.rindex(b"<si") :] + b"</si>")
                    runs = [item, *item.findall("r")]
                    out[index] = "".join(run.findtext("t") or "" for run in runs)
                index += 1
    return out


def _check_declared_size(path: Path, ref: str) -> None:
    """`<dimension ref="A1:BJ12932">`: 12,931 data rows x 62 columns."""
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", ref)
    if not match:
        return

    def column_number(letters: str) -> int:
        number = 0
        for letter in letters:
            number = number * 26 + ord(letter) - 64
        return number

    rows = int(match.group(4)) - int(match.group(2))
    _check_cells(path, rows, column_number(match.group(3)) - column_number(match.group(1)) + 1, "declares")


def _check_cells(path: Path, rows: int, columns: int, verb: str = "holds") -> None:
    if rows > lay.MAX_ROWS or rows * columns > lay.MAX_CELLS:
        raise SourceError(
            path,
            f"refused: the table {verb} {rows:,} rows x {columns:,} columns, above the limit of "
            f"{lay.MAX_ROWS:,} rows and {lay.MAX_CELLS:,} cells",
        )


def read_workbook(path: Path, keep) -> pd.DataFrame:
    """First sheet through python-calamine's row reader (the engine behind pandas' `engine="calamine"`,
    without pandas' per-cell conversion: 2-2.5x faster here), kept columns only, empty cells missing.
    The sheet's size is checked against the row and cell limits before its cells become Python values."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    _check_cells(path, max(sheet.height - 1, 0), sheet.width)
    rows = sheet.to_python()
    if not rows:
        return pd.DataFrame()
    wanted = [i for i, col in enumerate(rows[0]) if keep(col)]
    frame = pd.DataFrame(
        [[row[i] for i in wanted] for row in rows[1:]], columns=[rows[0][i] for i in wanted], dtype=object
    )
    return frame.mask(frame.isin([""]))


def _fiscal_year_from_name(name: str) -> int | None:
    """FY in an OFLC file name: `FY2017`, `FY17`, `FY2018_EOY` -> 2017, 2017, 2018."""
    match = re.search(r"FY[_ ]?(\d{4}|\d{2})(?!\d)", name, re.IGNORECASE)
    if not match:
        return None
    year = int(match.group(1))
    return year + 2000 if year < 100 else year


def _fiscal_year_of(dates: pd.Series) -> pd.Series:
    """Federal fiscal year (Oct 1 - Sep 30) of each date (nullable: <NA> where the date is missing)."""
    return pd.Series(fiscal_years(dates), index=dates.index).astype("Int64")


# ---------------------------------------------------------------- value cleaning (pure)


def normalise_status(raw: pd.Series) -> pd.Series:
    """OFLC status wording -> certified / partially certified / denied / withdrawn / other."""
    text = raw.astype("string").str.lower()
    out = pd.Series(lay.STATUS_OTHER, index=raw.index, dtype="string")
    decided = pd.Series(False, index=raw.index)
    for pattern, status in lay.STATUS_RULES:
        hit = text.str.contains(pattern, regex=False).fillna(False) & ~decided
        out[hit] = status
        decided |= hit
    return out


def hourly_wage(wage: pd.Series, unit: pd.Series) -> tuple[pd.Series, Counter]:
    """Offered wage in USD/hour from the amount and its stated pay period; counts what could not be converted."""
    counts: Counter = Counter()
    amount = pd.to_numeric(wage, errors="coerce")
    unit_key = unit.astype("string").str.strip().str.lower().map(lay.WAGE_UNIT_ALIASES, na_action="ignore")
    known = unit.astype("string").str.strip().str.lower().isin(list(lay.WAGE_UNIT_ALIASES))
    hours = unit_key.map(lay.HOURS_PER_UNIT).astype("float64")
    has_amount = amount.notna()
    counts["wage_unit_not_convertible"] = int((has_amount & known & hours.isna()).sum())
    counts["wage_unit_unknown"] = int((has_amount & ~known & unit.notna()).sum())
    counts["wage_unit_missing"] = int((has_amount & unit.isna()).sum())
    hourly = amount / hours
    low, high = lay.WAGE_HOURLY_BOUNDS
    absurd = hourly.notna() & ((hourly < low) | (hourly > high))
    counts["wage_hourly_out_of_range"] = int(absurd.sum())
    return hourly.mask(absurd).astype("float64"), counts


def usps_state(raw: pd.Series) -> tuple[pd.Series, int]:
    """Two-letter USPS code from a code or a full state name; unrecognised values become missing."""
    text = raw.astype("string").str.strip().str.upper()
    codes = set(lay.USPS_STATES.values())
    code = text.where(text.isin(codes)).fillna(text.map(lay.USPS_STATES))
    unrecognised = int((text.notna() & (text != "") & code.isna()).sum())
    return code.astype("string"), unrecognised


def parse_dates(raw: pd.Series, fiscal_year: int) -> tuple[pd.Series, int, int]:
    """datetime64 dates; unparseable ones and typo years far from the fiscal year become missing (counted)."""
    present = raw.notna() & (raw.astype("string").str.strip() != "")
    if raw.dtype == object:
        raw = raw.map(lambda v: v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v)
    dates = pd.to_datetime(raw, errors="coerce", format="mixed")
    unparseable = int((present & dates.isna()).sum())
    far = dates.notna() & ((dates.dt.year - fiscal_year).abs() > lay.DATE_WINDOW_YEARS)
    return dates.mask(far).astype("datetime64[ns]"), unparseable, int(far.sum())


def worker_count(raw: pd.Series) -> tuple[pd.Series, int, int, int]:
    """Whole numbers of workers (Int32); non-numeric, negative, and implausibly large entries (above
    `MAX_WORKERS_PER_CASE`, infinity included) become missing: returns the counts and how many of each."""
    present = raw.notna() & (raw.astype("string").str.strip() != "")
    number = pd.to_numeric(raw, errors="coerce").astype("float64")
    not_numeric = int((present & number.isna()).sum())
    negative = number < 0
    too_large = number > lay.MAX_WORKERS_PER_CASE
    counts = number.mask(negative | too_large).round().astype("Int32")
    return counts, not_numeric, int(negative.sum()), int(too_large.sum())


def code_text(raw: pd.Series) -> pd.Series:
    """NAICS / SOC / DOT code as text, as given, minus the `.0` a spreadsheet adds to numbers."""
    text = raw.map(lambda v: format(v, "g") if isinstance(v, float) and v.is_integer() else v, na_action="ignore")
    text = text.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    return text.mask(text == "")


# ---------------------------------------------------------------- one file


def _pick(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    return next((col for col in candidates if col in frame.columns), None)


def _sub_row_mask(frame: pd.DataFrame, rule: str) -> pd.Series:
    """Joint-employer sub rows that repeat workers already counted on the master row."""
    if rule.startswith("flag_blank:"):
        col = rule.split(":", 1)[1]
        return frame[col].isna() | (frame[col].astype("string").str.strip() == "")
    if rule.startswith("equals:"):
        col, value = rule.split(":", 1)[1].split("=", 1)
        return frame[col].astype("string").str.strip().str.upper().eq(value).fillna(False)
    return pd.Series(False, index=frame.index)


def _layout_for(path: Path, headers: list[str]) -> lay.Layout:
    layout = lay.detect_layout(headers)
    if layout is not None:
        return layout
    from labormatch.sources.addendum import detect_addendum

    kind = detect_addendum(headers)
    if kind:
        raise SourceError(
            path,
            f"is an {kind} file, not a disclosure file of cases: put it in the raw "
            "oflc folder beside its case file and `labormatch data build` reads it",
        )
    shown = ", ".join(headers[:8]) + (" ..." if len(headers) > 8 else "")
    raise SourceError(path, f"unknown layout: the header matches no known OFLC disclosure layout (columns: {shown})")


def load_oflc_file(path) -> tuple[pd.DataFrame, dict]:
    """Cases of one OFLC disclosure file in the CASE_COLUMNS schema, and that file's load report.

    One row per case: joint-employer sub rows and repeated case rows are dropped (counted in the report).
    Raises SourceError naming the file for an unreadable file, an unknown layout or missing columns.
    """
    path = Path(path)
    raw, headers, encoding = _read_table(path, check_header=lambda names: _layout_for(path, names))
    layout = _layout_for(path, headers)
    if raw.empty:
        raise SourceError(path, "no data rows under the header")
    source = {name: _pick(raw, cols) for name, cols in layout.fields.items()}
    missing = [
        f"{name} (one of {', '.join(layout.fields.get(name, ()))})"
        for name in lay.REQUIRED_FIELDS
        if source.get(name) is None
    ]
    if source.get("workers_certified") is None and source.get("workers_requested") is None:
        missing.append("a workers column")
    if missing:
        raise SourceError(path, f"missing required columns for layout {layout.name}: {'; '.join(missing)}")

    fiscal_year = _fiscal_year_from_name(path.name)
    set_missing: Counter = Counter()
    decision_raw = raw[source["decision_date"]] if source.get("decision_date") else None
    if fiscal_year is None:
        if decision_raw is None:
            raise SourceError(path, "no fiscal year in the file name and no decision-date column to infer it from")
        probe = pd.to_datetime(decision_raw, errors="coerce", format="mixed")
        fiscal_year = int(_fiscal_year_of(probe.dropna()).mode().iloc[0])

    def column(name: str) -> pd.Series:
        col = source.get(name)
        return raw[col] if col else pd.Series(pd.NA, index=raw.index, dtype=object)

    cases = pd.DataFrame(index=raw.index)
    cases["case_id"] = code_text(column("case_id"))
    cases["visa_class"] = layout.visa_class
    cases["fiscal_year"] = pd.Series(fiscal_year, index=raw.index, dtype="Int16")
    cases["source_file"] = path.name if path.parent.name != "partial_history" else f"partial_history/{path.name}"
    cases["status"] = normalise_status(column("status"))
    for name in _COUNTS:
        cases[name], not_numeric, negative, too_large = worker_count(column(name))
        set_missing[f"{name}_not_numeric"] += not_numeric
        set_missing[f"{name}_negative"] += negative
        set_missing[f"{name}_above_{lay.MAX_WORKERS_PER_CASE}"] += too_large
    certified = cases["status"].isin(lay.CERTIFIED_STATUSES)
    if layout.certified_from_requested:
        cases["workers_certified"] = cases["workers_requested"].where(certified, 0).astype("Int32")
    contradictory = ~certified & cases["workers_certified"].fillna(0).gt(0)
    set_missing["workers_certified_on_case_not_certified"] += int(contradictory.sum())
    cases["workers_certified"] = cases["workers_certified"].mask(contradictory)
    for name in _DATES:
        cases[name], unparseable, far = parse_dates(column(name), fiscal_year)
        set_missing[f"{name}_unparseable"] += unparseable
        set_missing[f"{name}_year_implausible"] += far
    backwards = cases["need_end"] < cases["need_start"]
    set_missing["need_end_before_start"] += int(backwards.sum())
    cases.loc[backwards, ["need_start", "need_end"]] = pd.NaT
    cases["naics"] = code_text(column("naics"))
    cases["soc"] = code_text(column("soc"))
    cases["worksite_state"], unrecognised = usps_state(column("worksite_state"))
    set_missing["worksite_state_unrecognised"] += unrecognised
    cases["wage_hourly"], wage_counts = hourly_wage(column("wage"), column("wage_unit"))
    set_missing.update(wage_counts)
    cases["nature_of_need"] = column("nature_of_need").astype("string").str.strip()
    cases["job_title"] = column("job_title").astype("string").str.strip()
    no_id = cases["case_id"].isna()
    set_missing["case_id_missing_row_dropped"] += int(no_id.sum())

    # One row per case: drop declared sub rows, then keep the row with most workers certified per case
    # (in files without a sub-row marker the master row of a joint filing carries the total).
    sub = _sub_row_mask(raw, layout.sub_rows) & ~no_id
    kept = cases[~sub & ~no_id].sort_values("workers_certified", ascending=False, na_position="last", kind="stable")
    repeated = kept["case_id"].duplicated()
    dropped_repeats = kept[repeated]
    kept = kept[~repeated].sort_index()
    if layout.sub_rows == "master_max":
        sub_rows = dropped_repeats
        repeat_rows = dropped_repeats.iloc[0:0]
    else:
        sub_rows, repeat_rows = cases[sub], dropped_repeats
    kept = kept.reset_index(drop=True)
    for name in _TEXT:
        kept[name] = kept[name].astype("string")

    decisions = kept["decision_date"].dropna()
    fy_end = pd.Timestamp(fiscal_year_end(fiscal_year))
    partial_by_name = bool(re.search(r"_Q[123](?!\d)", path.stem, re.IGNORECASE))
    partial_by_dates = bool(len(decisions)) and (fy_end - decisions.max()).days >= lay.PARTIAL_YEAR_GAP_DAYS
    kept["partial_year"] = partial_by_name or partial_by_dates
    kept = kept[CASE_COLUMNS]

    in_year = _fiscal_year_of(decisions) == fiscal_year if len(decisions) else pd.Series(dtype=bool)
    report = {
        "file": kept["source_file"].iloc[0] if len(kept) else path.name,
        "layout": layout.name,
        "visa_class": layout.visa_class,
        "fiscal_year": fiscal_year,
        "partial_year": bool(partial_by_name or partial_by_dates),
        "encoding": encoding,
        "rows_read": len(raw),
        "cases": len(kept),
        "columns_used": {k: v for k, v in source.items() if v},
        "joint_employer_sub_rows_dropped": {
            "rule": layout.sub_rows or "none (one row per case)",
            "rows": len(sub_rows),
            "workers_certified": int(sub_rows["workers_certified"].fillna(0).sum()),
        },
        "repeated_case_rows_dropped": {
            "rows": len(repeat_rows),
            "workers_certified": int(repeat_rows["workers_certified"].fillna(0).sum()),
        },
        "values_set_missing": {k: int(v) for k, v in sorted(set_missing.items()) if v},
        "workers_certified": int(kept["workers_certified"].fillna(0).sum()),
        "workers_requested": int(kept["workers_requested"].fillna(0).sum()),
        "decision_dates": [str(decisions.min().date()), str(decisions.max().date())] if len(decisions) else None,
        "decisions_outside_fiscal_year": int((~in_year).sum()) if len(decisions) else None,
        "notes": list(layout.notes),
    }
    return kept, report


# ---------------------------------------------------------------- a staged folder


def _case_files(oflc_dir: Path) -> tuple[list[Path], list[Path]]:
    """Main case files and addendum/appendix files under oflc_dir and oflc_dir/partial_history."""
    found = sorted(
        p
        for folder in (oflc_dir, oflc_dir / "partial_history")
        if folder.is_dir()
        for p in folder.iterdir()
        if p.suffix.lower() in (".csv", ".xls", ".xlsx")
    )
    return [p for p in found if not _ADDENDUM_NAME.search(p.name)], [p for p in found if _ADDENDUM_NAME.search(p.name)]


def _superseded(reports: list[dict]) -> list[dict]:
    """Partial-year files made redundant by a fuller file of the same visa class and fiscal year."""
    out = []
    by_year: dict[tuple, list[dict]] = {}
    for rep in reports:
        by_year.setdefault((rep["visa_class"], rep["fiscal_year"]), []).append(rep)
    for group in by_year.values():
        if len(group) < 2:
            continue
        best = max(group, key=lambda r: (not r["partial_year"], (r["decision_dates"] or ["", ""])[1], r["cases"]))
        out += [{"file": r["file"], "superseded_by": best["file"]} for r in group if r is not best]
    return out


def published_h2a(raw_dir: Path) -> dict[int, int]:
    """OFLC H-2A positions certified by fiscal year, as published (EPI compilation in h2_aggregates/)."""
    path = raw_dir / _PUBLISHED_H2A
    if not path.is_file():
        return {}
    table = pd.read_csv(path)
    return dict(zip(table["fiscal_year"].astype(int), table["h2a_positions_certified_dol"].astype(int), strict=False))


def compare_with_published(cases: pd.DataFrame, report: dict, published: dict[int, int]) -> dict | None:
    """De-duplicated certified total of one full-year H-2A file against the published figure, explained."""
    year = report["fiscal_year"]
    if report["visa_class"] != "H-2A" or report["partial_year"] or year not in published:
        return None
    certified = cases["status"].isin(lay.CERTIFIED_STATUSES)
    ours = int(cases.loc[certified, "workers_certified"].fillna(0).sum())
    raw_sum = (
        ours
        + report["joint_employer_sub_rows_dropped"]["workers_certified"]
        + report["repeated_case_rows_dropped"]["workers_certified"]
    )
    diff = ours - published[year]
    share = diff / published[year]
    out = {
        "published": published[year],
        "deduplicated": ours,
        "before_dedup": raw_sum,
        "difference": diff,
        "difference_share": round(share, 4),
        "within_tolerance": abs(share) <= PUBLISHED_TOLERANCE,
        "rules": [
            f"joint-employer sub rows dropped ({report['joint_employer_sub_rows_dropped']['rule']})",
            "one row per case",
            "certified and partially certified cases only",
        ],
    }
    if not out["within_tolerance"]:
        out["explanation"] = lay.PUBLISHED_GAP_NOTES.get(
            ("H-2A", year), "no rule visible in the file accounts for the remaining difference"
        )
    return out


def load_oflc_dir(oflc_dir, progress=None, n_jobs: int = 1) -> tuple[pd.DataFrame, dict]:
    """Every staged case file (incl. partial_history/) as one case table, plus a JSON-serialisable report.

    Superseded partial-year files are excluded (listed in the report). `progress(name)` is called once per
    staged file as it finishes (addendum/appendix files, which hold no cases, are announced as skipped). `n_jobs` > 1
    reads files in parallel processes (joblib); on 2 shared cores it was
    slower than serial (66 s against 45 s under load), so serial is the default.
    """
    from joblib import Parallel, delayed

    oflc_dir = Path(oflc_dir)
    files, addenda = _case_files(oflc_dir)
    if not files:
        raise SourceError(oflc_dir, "no OFLC case files (.csv, .xls, .xlsx) found")
    results = []
    runner = Parallel(n_jobs=n_jobs, return_as="generator") if n_jobs != 1 else None
    jobs = runner(delayed(load_oflc_file)(p) for p in files) if runner else (load_oflc_file(p) for p in files)
    for path, (cases, rep) in zip(files, jobs, strict=False):
        results.append((cases, rep))
        if progress:
            progress(path.name)
    if progress:
        for path in addenda:
            progress(f"{path.name} (addendum: not a case file)")
    reports = [rep for _, rep in results]
    superseded = _superseded(reports)
    dropped = {s["file"] for s in superseded}
    published = published_h2a(oflc_dir.parent)
    for cases, rep in results:
        rep["published_comparison"] = compare_with_published(cases, rep, published)
    kept = [cases for cases, rep in results if rep["file"] not in dropped]
    all_cases = pd.concat(kept, ignore_index=True)
    for name in _TEXT:
        all_cases[name] = all_cases[name].astype("string")
    all_cases["partial_year"] = all_cases["partial_year"].astype(bool)
    overlap = all_cases.loc[all_cases["case_id"].duplicated(keep=False)]
    report = {
        "oflc_dir": str(oflc_dir),
        "files": reports,
        "superseded_partial_files": superseded,
        "addendum_files_not_case_files": [p.name for p in addenda],
        "cases": len(all_cases),
        "case_ids_in_more_than_one_file": int(overlap["case_id"].nunique()),
        "published_source": str(_PUBLISHED_H2A) if published else None,
    }
    return all_cases, report


def oflc_summary(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases and workers by visa class and fiscal year: visa_class, fiscal_year, cases, workers_requested
    (<NA> where the files have no requested column), workers_certified (on certified cases), partial_year."""
    certified = cases["status"].isin(lay.CERTIFIED_STATUSES)
    frame = cases.assign(
        certified_workers=cases["workers_certified"].where(certified, 0).fillna(0).astype("int64"),
        requested=cases["workers_requested"].astype("Int64"),
    )
    grouped = frame.groupby(["visa_class", "fiscal_year"], observed=True)
    out = grouped.agg(
        cases=("case_id", "size"), workers_certified=("certified_workers", "sum"), partial_year=("partial_year", "any")
    )
    out["workers_requested"] = grouped["requested"].sum(min_count=1).astype("Int64")
    out = out.reset_index()[
        ["visa_class", "fiscal_year", "cases", "workers_requested", "workers_certified", "partial_year"]
    ]
    return out.astype({"cases": "int64", "workers_certified": "int64"})
