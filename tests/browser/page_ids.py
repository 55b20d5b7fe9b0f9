"""Which internal ids a page's text speaks in (issue 15: labels only): pure text rules, no browser."""

from __future__ import annotations

import re

#: An id: lower-case words or digits joined by underscores (`h2b_cap`, `statutory_h1`, `beats_seasonal_naive`,
#: the `accommodation_food_services` of a series id), as a whole word; a full stop after it ends a sentence.
SNAKE_CASE = re.compile(r"(?<![\w])[a-z0-9]+(?:_[a-z0-9]+)+(?!\w)")

#: File names and paths with an extension (`oflc_h2a_fy2024.xlsx`, `data/h2a_sizing.csv`) are not ids: the app
#: names its sources and downloads by the file a user finds on disk or on the publisher's site.
FILE_NAME = re.compile(r"[\w./-]*\w\.(?:csv|xlsx|xls|yaml|yml|json|txt|zip|parquet|md|pdf)(?!\w)", re.IGNORECASE)

#: Web addresses (a source's URL) are not ids either.
URL = re.compile(r"\bhttps?://\S+")

#: Nor folders and repository paths: a word joined to others by "/" (`h2_reference/`, the State Department
#: series' `chapmanjacobd/us_visa_statistics`, `partial_history/...`).
PATH = re.compile(r"[\w.-]*(?:/[\w.-]*)+")

#: Nor a command's option and its value, which a user types as shown (`labormatch data update --source bls_api`).
OPTION = re.compile(r"--[\w-]+[ =][\w.-]+")


def without_file_names(text: str) -> str:
    """`text` with web addresses, file names, paths and command options blanked out (after joining what the
    app's tables split with zero-width spaces so a long token can wrap: `chapmanjacobd/\u200bus_visa_statistics`)."""
    text = text.replace("\u200b", "")
    for pattern in (URL, FILE_NAME, PATH, OPTION):
        text = pattern.sub(" ", text)
    return text


def named_ids_in(text: str, names: set[str]) -> set[str]:
    """The `names` (ids of any form: `ets`, `x:employment:SA`) that occur in `text` as whole words, a sentence's
    full stop after them included, outside file names, paths, web addresses and command options."""
    text = without_file_names(text)
    return {n for n in names if re.search(rf"(?<![\w/.]){re.escape(n)}(?!\w|\.\w)", text)}


def snake_case_ids_in(text: str) -> set[str]:
    """Every snake_case word in `text` outside file names, paths, web addresses and command options."""
    return set(SNAKE_CASE.findall(without_file_names(text)))


def ids_in(text: str, names: set[str]) -> set[str]:
    """The internal ids `text` speaks in: the named ones and any snake_case word."""
    return named_ids_in(text, names) | snake_case_ids_in(text)
