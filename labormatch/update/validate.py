"""Open each downloaded file with the loader the snapshot build uses; refuse it with one line otherwise."""

from __future__ import annotations

import json
import re
from pathlib import Path

from labormatch.errors import SourceError
from labormatch.sources import addendum, bls, oflc
from labormatch.update.fetch import UpdateError
from labormatch.update.plan import Item

ADDENDUM_NAME = re.compile(r"addendum|appendix", re.IGNORECASE)


def check_file(item: Item, path: Path) -> str:
    """What the file holds, in a few words; `UpdateError` (address + loader's message) when it is too small,
    does not open, or has a layout the loaders do not know."""
    size = path.stat().st_size
    if size < item.min_bytes:
        raise UpdateError(f"{item.address}: {size:,} bytes, too small for a {item.check} file (truncated?)")
    try:
        return _CHECKS[item.check](path, item.required_fields)
    except SourceError as exc:
        raise UpdateError(f"{item.address}: {exc.problem}") from None


def _oflc(path: Path, _fields) -> str:
    if ADDENDUM_NAME.search(path.name):
        if re.search(r"h-?2a", path.name, re.IGNORECASE):
            rows, kind = addendum.load_h2a_addendum_a(path), "H-2A Addendum A"
        else:
            kind, rows = addendum.load_h2b_appendix(path)
        return f"{kind}, {len(rows):,} rows"
    cases, report = oflc.load_oflc_file(path)
    return f"{report['visa_class']} FY{report['fiscal_year']} ({report['layout']}), {len(cases):,} cases"


def _bls_api(path: Path, _fields) -> str:
    batch = bls.read_api_json(path, vintage="")
    return f"{batch.obs['series_id'].nunique()} series, {len(batch.obs):,} monthly values"


def _bls_flat_data(path: Path, _fields) -> str:
    obs = bls.read_flat_data(path, vintage="")
    return f"{obs['series_id'].nunique():,} series, {len(obs):,} monthly values"


def _bls_flat_map(path: Path, _fields) -> str:
    table = bls.read_flat_series(path, ("series_id",) if path.suffix == ".series" else ("industry_code",))
    return f"{len(table):,} rows"


def _seasonaljobs(path: Path, required: tuple[str, ...]) -> str:
    """A SeasonalJobs response: a JSON list of job orders, or an object holding one under `value`."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(path, f"not a JSON response ({exc})") from None
    records = payload.get("value") if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records):
        raise SourceError(path, "no job orders in the response (expected a list of records)")
    missing = [f for f in required if f not in records[0]]
    if missing:
        shown = ", ".join(list(records[0])[:12])
        raise SourceError(path, f"unknown layout: job orders lack {missing}; columns: {shown}")
    return f"{len(records):,} job orders"


_CHECKS = {
    "oflc": _oflc,
    "bls_api": _bls_api,
    "bls_flat_data": _bls_flat_data,
    "bls_flat_map": _bls_flat_map,
    "seasonaljobs": _seasonaljobs,
}
