"""The update sources declared in `sources.yaml`: one `Source` per entry."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from labormatch.errors import LabormatchError

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
MIRROR_VARIABLE = "LABORMATCH_UPDATE_MIRROR"  # <url>: every source's base becomes <url>/<source id>


@dataclass(frozen=True)
class Source:
    """One official source: `kind` says how it is fetched (listing, bls_api, bls_flat, seasonaljobs,
    not_fetched); `settings` holds the rest of its YAML entry."""

    id: str
    kind: str
    title: str
    settings: dict = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The publisher's address, or `<mirror>/<id>` when LABORMATCH_UPDATE_MIRROR is set."""
        mirror = os.environ.get(MIRROR_VARIABLE, "").rstrip("/")
        return f"{mirror}/{self.id}" if mirror else str(self.settings.get("base", "")).rstrip("/")

    def address(self, path: str = "") -> str:
        """`base` + the source's `page` (+ `/path`)."""
        page = str(self.settings.get("page", ""))
        return f"{self.base}{page}" + (f"/{path}" if path else "")


def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """Every declared source by id; `LabormatchError` naming the entry when one lacks kind or title."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sources = {}
    for source_id, entry in entries.items():
        if not isinstance(entry, dict) or "kind" not in entry or "title" not in entry:
            raise LabormatchError(f"{path}: source {source_id!r} needs 'kind' and 'title'")
        sources[source_id] = Source(source_id, entry["kind"], entry["title"], entry)
    return sources
