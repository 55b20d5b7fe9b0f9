"""Files the commands write: checked before the long work starts, then written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from labormatch.errors import LabormatchError


def check_output_file(path: Path, option: str) -> None:
    """Refuse an output file that is a folder, or whose folder is missing or is a file (nothing is created)."""
    folder = path.parent
    if path.is_dir():
        raise LabormatchError(f"{option} {path}: is a folder; give a file name inside it")
    if folder.exists() and not folder.is_dir():
        raise LabormatchError(f"{option} {path}: {folder} is not a folder")
    if not folder.is_dir():
        raise LabormatchError(f"{option} {path}: the folder {folder} does not exist; create it first")


def check_output_folder(path: Path, option: str) -> None:
    """Refuse an output folder that is an existing file (a missing folder is created when written)."""
    if path.exists() and not path.is_dir():
        raise LabormatchError(f"{option} {path}: is a file, not a folder")


def write_text(path: Path, text: str) -> Path:
    """Write `text` as UTF-8 through a temporary file beside `path`: an existing file is replaced only
    once the new one is complete, and a failed write leaves nothing behind."""
    from labormatch.report.safe import atomic_write

    try:
        return atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))
    except OSError as exc:
        raise LabormatchError(f"{path}: cannot write the file ({exc.strerror or exc})") from None
