"""What each source would fetch: `Item`s, given the raw folder, the snapshot and today's date.

Nothing new gives no items: OFLC releases no more complete than the raw folder's file of the same visa
class, fiscal year and type are skipped; BLS series are asked for only where the snapshot's last month is
older than the latest month the source's release lag allows; job orders once a day.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from labormatch import snapshot
from labormatch.errors import LabormatchError
from labormatch.sources.oflc import _fiscal_year_from_name
from labormatch.update.catalog import Source
from labormatch.update.fetch import UpdateError, download

BLS_SURVEYS = {"jt": "JOLTS", "ce": "CES", "ln": "CPS"}  # flat-file prefix -> survey


@dataclass(frozen=True)
class Item:
    """One file to fetch: `target` is its path under the raw folder; `body` a JSON POST body, if any."""

    source: str
    target: str
    address: str
    content_types: tuple[str, ...]
    check: str  # how `validate.check_file` opens it: oflc, bls_api, bls_flat_data, bls_flat_map, seasonaljobs
    body: dict | None = field(default=None, compare=False)
    min_bytes: int = 1
    rebuild: bool = True  # does the snapshot build read it?
    required_fields: tuple[str, ...] = ()  # fields every record must carry (job orders)


def latest_release_month(today: date, lag_months: int) -> pd.Timestamp:
    """The newest reference month a monthly release can hold on `today`, given its release lag."""
    return pd.Timestamp(today.year, today.month, 1) - pd.DateOffset(months=lag_months)


# ----------------------------------------------------------------------------------- OFLC


def oflc_items(source: Source, raw: Path, page_html: str) -> list[Item]:
    """Files linked from the OFLC page, matching the source's pattern, that are more complete than what the
    raw folder holds: per visa class, fiscal year and file type (cases, addendum, appendix) the most complete
    release listed (full year or Q4 over Q3 over ...) when the folder has none or a less complete one. Fiscal
    years before the folder's first one for that visa class are left alone (older layouts)."""
    pattern = re.compile(source.settings["files"])
    held: dict[tuple, int] = {}
    for folder in (raw / "oflc", raw / "oflc" / "partial_history"):
        for path in folder.iterdir() if folder.is_dir() else ():
            year = _fiscal_year_from_name(path.name)
            if year:
                key = (_visa(path.name), year, _file_type(path.name))
                held[key] = max(held.get(key, 0), _release_rank(path.name))
    first = {}
    for visa, year, _ in held:
        first[visa] = min(first.get(visa, year), year)
    links = {
        href.rsplit("/", 1)[-1]: href
        for href in re.findall(r'href="([^"]+)"', page_html)
        if pattern.fullmatch(href.rsplit("/", 1)[-1])
    }
    best: dict[tuple, tuple[tuple[int, bool], str]] = {}
    for name in links:
        year = _fiscal_year_from_name(name)
        if year is None or year < first.get(_visa(name), 0):
            continue
        key = (_visa(name), year, _file_type(name))
        rank = (_release_rank(name), "_q" not in name.lower())
        if rank[0] > held.get(key, 0) and (key not in best or rank > best[key][0]):
            best[key] = (rank, name)
    items = []
    for _, name in sorted(best.values(), key=lambda r: r[1]):
        href = links[name]
        address = href if href.startswith(("http://", "https://")) else f"{source.base}/{href.lstrip('/')}"
        items.append(
            Item(
                source.id,
                f"{source.settings['raw_folder']}/{name}",
                address,
                tuple(source.settings.get("content_types", ())),
                "oflc",
                min_bytes=int(source.settings.get("min_bytes", 1)),
            )
        )
    return items


def _visa(name: str) -> str:
    return "H-2A" if re.search(r"h-?2a", name, re.IGNORECASE) else "H-2B"


def _file_type(name: str) -> str:
    match = re.search(r"addendum_?a|appendix_?[acd]", name, re.IGNORECASE)
    return match.group(0).lower().replace("_", "") if match else "cases"


def _release_rank(name: str) -> int:
    """How complete a release is: 5 for the full year (no quarter, _EOY or _Q4), else its quarter 1..3."""
    quarter = re.search(r"_Q([1-3])", name, re.IGNORECASE)
    return int(quarter.group(1)) if quarter else 5


def fetch_listing(source: Source, staging: Path) -> str:
    """The source's page (the list of files it publishes), as text."""
    fetched = download(source.address(), staging / f"{source.id}-page.html", content_types=("text/html",))
    return fetched.path.read_text(encoding="utf-8", errors="replace")


# ----------------------------------------------------------------------------------- BLS


def panel_series(data: Path | None) -> pd.DataFrame:
    """`series_id, survey, last_month` of the JOLTS, CES and CPS series the snapshot's panel uses."""
    try:
        meta = snapshot.load_table("bls_series_meta", data)
    except LabormatchError as exc:
        raise UpdateError(f"cannot tell which BLS series are behind: {exc}") from None
    used = meta[(meta["sector"].fillna("") != "") & meta["survey"].isin(list(BLS_SURVEYS.values()))]
    return used[["series_id", "survey", "last_month"]].astype({"series_id": str, "survey": str}).reset_index(drop=True)


def behind(series: pd.DataFrame, lags: dict[str, int], today: date) -> pd.DataFrame:
    """Series whose last month is older than the newest month their survey's release lag allows."""
    latest = series["survey"].map(lambda s: latest_release_month(today, int(lags[s])))
    return series[series["last_month"] < latest]


def bls_api_items(source: Source, data: Path | None, today: date, key_required: bool = True) -> list[Item]:
    """API v2 requests for the series that are behind: at most `series_per_request` series and
    `years_per_request` years each, from the earliest year of a last month in the request (to pick up
    revisions) to today's year. `UpdateError` when the registration key is not set, something is to fetch and
    `key_required` (a dry run only lists the requests)."""
    settings = source.settings
    todo = behind(panel_series(data), settings["release_lag_months"], today)
    if todo.empty:
        return []
    variable = settings["key_variable"]
    key = os.environ.get(variable, "").strip()
    if not key and key_required:
        raise UpdateError(
            f"the BLS API key is missing: set {variable} (free registration at "
            "https://data.bls.gov/registrationEngine/) or use `--bls flat`"
        )
    per_request, years = int(settings["series_per_request"]), int(settings["years_per_request"])
    todo = todo.assign(start=todo["last_month"].dt.year).sort_values(["start", "series_id"], ignore_index=True)
    items = []
    for i in range(0, len(todo), per_request):  # series with the nearest start years share a request
        batch = todo.iloc[i : i + per_request]
        for first in range(int(batch["start"].min()), today.year + 1, years):
            body = {
                "seriesid": list(batch["series_id"]),
                "startyear": str(first),
                "endyear": str(min(first + years - 1, today.year)),
                "registrationkey": key,
            }
            items.append(
                Item(
                    source.id,
                    f"{settings['raw_folder']}/bls_api_{today:%Y-%m-%d}_{len(items) + 1:02d}.json",
                    source.address(),
                    tuple(settings["content_types"]),
                    "bls_api",
                    body=body,
                )
            )
    if len(items) > int(settings["requests_per_day"]):
        raise UpdateError(
            f"{len(items)} BLS API requests needed, more than the daily limit of "
            f"{settings['requests_per_day']}: use `--bls flat`"
        )
    return items


def bls_flat_items(source: Source, data: Path | None, today: date) -> list[Item]:
    """For each survey with a series behind: its data file, `.series` and (JOLTS) `.industry` files."""
    settings = source.settings
    lags = {BLS_SURVEYS[p]: lag for p, lag in settings["release_lag_months"].items()}
    surveys = set(behind(panel_series(data), lags, today)["survey"])
    items = []
    for prefix, data_file in settings["surveys"].items():
        if BLS_SURVEYS[prefix] not in surveys:
            continue
        names = [(data_file, "bls_flat_data"), (f"{prefix}.series", "bls_flat_map")]
        names += [(f"{prefix}.industry", "bls_flat_map")] if prefix == "jt" else []
        for name, check in names:
            items.append(
                Item(
                    source.id,
                    f"{settings['raw_folder']}/{name}",
                    source.address(f"{prefix}/{name}"),
                    tuple(settings["content_types"]),
                    check,
                )
            )
    return items


# ----------------------------------------------------------------------------------- job orders


def seasonaljobs_items(source: Source, raw: Path, today: date) -> list[Item]:
    """Today's job orders, unless the raw folder already has them (the build reads the newest picture)."""
    target = f"{source.settings['raw_folder']}/job_orders_{today:%Y-%m-%d}.json"
    if (raw / target).is_file():
        return []
    return [
        Item(
            source.id,
            target,
            source.address(),
            tuple(source.settings["content_types"]),
            "seasonaljobs",
            required_fields=tuple(source.settings["required_fields"]),
        )
    ]
