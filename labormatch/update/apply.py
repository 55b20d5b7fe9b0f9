"""Run an update: plan, download into a temporary folder, check, move into the raw folder, rebuild the
snapshot in a temporary folder, install it only when the build and the manifest check pass.

Any failure or interruption (Ctrl-C included) before the new snapshot is installed restores the raw folder
exactly as it was (added files removed, replaced files put back) and leaves the snapshot untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from labormatch import paths, snapshot
from labormatch.errors import LabormatchError, SourceError
from labormatch.sources import bls
from labormatch.update import plan as plan_mod
from labormatch.update import summary as summary_mod
from labormatch.update.catalog import Source, load_sources
from labormatch.update.fetch import Fetched, OnChunk, UpdateError, download
from labormatch.update.plan import Item
from labormatch.update.validate import check_file

DOWNLOADS = "downloads.json"  # in the raw folder: address, download time, sha256 and bytes of every fetched file
BLS_CHOICES = {"api": "bls_api", "flat": "bls_flat"}


class Reporter:
    """What `run` tells its caller as it goes; the default says nothing."""

    def step(self, message: str) -> None:
        """A stage of the update started."""

    def file(self, item: Item) -> OnChunk | None:
        """A download starts; the returned callback gets (bytes so far, total or None)."""
        return None

    def file_done(self, item: Item, description: str) -> None:
        """A download passed its checks; `description` says what it holds."""


@dataclass
class Result:
    """What an update did: `planned` items (all of them on a dry run), files `added` to the raw folder
    (paths under it), the `summary` lines, `notes` on sources not fetched, whether the snapshot was rebuilt."""

    planned: list[Item] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rebuilt: bool = False


def select_sources(source: str | None, bls_via: str = "api") -> list[Source]:
    """The sources to update: the one named, or all (with the BLS route `bls_via`: api or flat)."""
    sources = load_sources()
    if source is not None:
        if source not in sources:
            raise UpdateError(f"unknown source {source!r}; sources: {', '.join(sources)}")
        return [sources[source]]
    if bls_via not in BLS_CHOICES:
        raise UpdateError(f"--bls must be one of {', '.join(BLS_CHOICES)}, not {bls_via!r}")
    skip = {v for k, v in BLS_CHOICES.items() if k != bls_via}
    return [s for s in sources.values() if s.id not in skip]


def plan_source(source: Source, raw: Path, data: Path, today: date, staging: Path, dry_run: bool) -> list[Item]:
    """The items one source would fetch (the OFLC page itself is read to know them)."""
    if source.kind == "listing":
        return plan_mod.oflc_items(source, raw, plan_mod.fetch_listing(source, staging))
    if source.kind == "bls_api":
        return plan_mod.bls_api_items(source, data, today, key_required=not dry_run)
    if source.kind == "bls_flat":
        return plan_mod.bls_flat_items(source, data, today)
    if source.kind == "seasonaljobs":
        return plan_mod.seasonaljobs_items(source, raw, today)
    return []


def run(
    source: str | None = None,
    raw: Path | None = None,
    data: Path | None = None,
    *,
    dry_run: bool = False,
    bls_via: str = "api",
    today: date | None = None,
    reporter: Reporter | None = None,
    build: Callable | None = None,
) -> Result:
    """Update the raw folder and the snapshot from the official sources; see the module docstring. `build`
    (default `snapshot.build`) rebuilds the snapshot from the raw folder into a given folder."""
    build = build or snapshot.build
    raw, data = Path(raw or paths.raw_dir()), Path(data or paths.data_dir())
    today, reporter = today or date.today(), reporter or Reporter()
    if not raw.is_dir():
        raise UpdateError(f"raw data folder not found: {raw} (pass --raw DIR or set LABORMATCH_RAW)")
    result = Result()
    staging = Path(tempfile.mkdtemp(prefix=".labormatch-update-", dir=raw.parent))
    try:
        for chosen in select_sources(source, bls_via):
            if chosen.kind == "not_fetched":
                result.notes.append(f"{chosen.id}: not fetched ({chosen.settings.get('note', '')})")
                continue
            reporter.step(f"{chosen.id}: what is new")
            result.planned += plan_source(chosen, raw, data, today, staging, dry_run)
        if dry_run or not result.planned:
            return result
        fetched = [_fetch_checked(item, staging / "files", reporter) for item in result.planned]
        _check_flat_sets(fetched)
        _apply(fetched, raw, data, staging, reporter, build, result)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fetch_checked(item: Item, folder: Path, reporter: Reporter) -> tuple[Item, Fetched]:
    fetched = download(
        item.address,
        folder / item.target,
        body=item.body,
        content_types=item.content_types,
        on_chunk=reporter.file(item),
    )
    reporter.file_done(item, check_file(item, fetched.path))
    return item, fetched


def _check_flat_sets(fetched: list[tuple[Item, Fetched]]) -> None:
    """Each BLS flat data file read together with its series (and industry) file, as the build will."""
    by_name = {Path(item.target).name: f.path for item, f in fetched}
    for item, f in fetched:
        if item.check != "bls_flat_data":
            continue
        prefix = Path(item.target).name.split(".data.")[0]
        try:
            bls.read_flat_files(f.path, by_name[f"{prefix}.series"], "", by_name.get(f"{prefix}.industry"))
        except SourceError as exc:
            raise UpdateError(f"{item.address}: {exc.problem}") from None


def _apply(fetched, raw: Path, data: Path, staging: Path, reporter: Reporter, build: Callable, result: Result) -> None:
    """Move the files in, rebuild, install; on any failure or interruption put the raw folder back."""
    moves = RawFolderChange(raw, staging / "backup")
    try:
        for item, f in fetched:
            moves.put(f.path, item.target)
        record = staging / DOWNLOADS
        record.write_text(json.dumps(_downloads(raw, fetched), indent=1, sort_keys=True), encoding="utf-8")
        moves.put(record, DOWNLOADS)
        result.added = [item.target for item, _ in fetched]
        if any(item.rebuild for item, _ in fetched):
            reporter.step("rebuilding the snapshot from the whole raw folder")
            built = _rebuild(raw, data, build, reporter)
            result.summary = summary_mod.describe(data, built, result.added) + summary_mod.headline_lines(data, built)
            _with_addresses(built, raw)
            install(built, data)
            result.rebuilt = True
        else:
            result.summary = summary_mod.describe(data, data, result.added)
    except BaseException:
        moves.undo()
        raise
    moves.keep()


def _downloads(raw: Path, fetched) -> dict:
    """The raw folder's download record with these downloads added."""
    path = raw / DOWNLOADS
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for item, f in fetched:
        record[item.target] = {
            "address": f.address,
            "downloaded_at": f.downloaded_at,
            "sha256": f.sha256,
            "bytes": f.bytes,
            "content_type": f.content_type,
            "source": item.source,
        }
    return record


def _rebuild(raw: Path, data: Path, build: Callable, reporter: Reporter) -> Path:
    """A new snapshot in a temporary folder beside `data` (with its hand-edited inputs), built and checked."""
    target = Path(tempfile.mkdtemp(prefix=".snapshot-update-", dir=data.parent))
    try:
        for pattern in snapshot.PACKAGE_INPUTS:
            for path in data.glob(pattern):
                (target / path.relative_to(data)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / path.relative_to(data))
        try:
            build(raw, target, progress=reporter.step)
        except LabormatchError as exc:
            raise UpdateError(f"snapshot rebuild failed: {exc}") from None
        problems = snapshot.check(target, raw)
        if problems:
            raise UpdateError(f"the rebuilt snapshot fails `data check`: {problems[0]}")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _with_addresses(built: Path, raw: Path) -> None:
    """Add each downloaded source's address and download time to the new manifest's source entries."""
    path = built / snapshot.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    record = json.loads((raw / DOWNLOADS).read_text(encoding="utf-8"))
    for entry in manifest.get("sources", []):
        if entry["path"] in record:
            entry.update(address=record[entry["path"]]["address"], downloaded_at=record[entry["path"]]["downloaded_at"])
    path.write_text(json.dumps(manifest, indent=1, default=str), encoding="utf-8")


def install(built: Path, data: Path) -> None:
    """Move the checked snapshot from `built` into `data`: tables first, old tables no longer built
    removed, the manifest last; `built` is removed."""
    try:
        new = json.loads((built / snapshot.MANIFEST).read_text(encoding="utf-8"))
        old = (
            json.loads((data / snapshot.MANIFEST).read_text(encoding="utf-8"))
            if (data / snapshot.MANIFEST).is_file()
            else {"outputs": []}
        )
        for entry in new["outputs"]:
            (data / entry["file"]).parent.mkdir(parents=True, exist_ok=True)
            os.replace(built / entry["file"], data / entry["file"])
        for stale in {e["file"] for e in old["outputs"]} - {e["file"] for e in new["outputs"]}:
            (data / stale).unlink(missing_ok=True)
        os.replace(built / snapshot.MANIFEST, data / snapshot.MANIFEST)
    finally:
        shutil.rmtree(built, ignore_errors=True)


class RawFolderChange:
    """Files moved into the raw folder, undoable: `undo` removes added files and created folders and puts
    replaced files back; `keep` drops the backups."""

    def __init__(self, raw: Path, backup: Path):
        self.raw, self.backup = raw, backup
        self.added: list[Path] = []
        self.replaced: list[tuple[Path, Path]] = []
        self.folders: list[Path] = []

    def put(self, source: Path, relative: str) -> None:
        """Move `source` to `raw/relative`, keeping what it replaces."""
        target = self.raw / relative
        for folder in reversed(target.parents):
            if not folder.exists():
                folder.mkdir()
                self.folders.append(folder)
        if target.exists():
            saved = self.backup / relative
            saved.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(target, saved)
            self.replaced.append((target, saved))
        else:
            self.added.append(target)
        shutil.move(source, target)

    def undo(self) -> None:
        for path in self.added:
            path.unlink(missing_ok=True)
        for target, saved in self.replaced:
            target.unlink(missing_ok=True)
            shutil.move(saved, target)
        for folder in reversed(self.folders):
            shutil.rmtree(folder, ignore_errors=True)

    def keep(self) -> None:
        shutil.rmtree(self.backup, ignore_errors=True)
