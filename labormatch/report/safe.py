"""Safe writing: user text never becomes a formula, file names are tame, files appear whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import IO

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from labormatch.errors import LabormatchError

#: Characters that make a spreadsheet (Excel, LibreOffice, Sheets) read a typed cell as a formula or command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel refuses cells longer than this many characters.
MAX_CELL_CHARS = 32_767
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME_CHARS = 120
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def clean_text(value: object) -> str:
    """`value` as a string Excel accepts: control characters removed, cut to Excel's cell limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text[:MAX_CELL_CHARS]


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would treat `text`, typed into a cell, as a formula or command."""
    return text.startswith(FORMULA_TRIGGERS)


def put_text(cell, value: object) -> None:
    """Write user text into `cell` as a literal string, never a formula or an error code.

    The cell is typed as a string; text that starts like a formula also gets the quote prefix (Excel's
    stored form of a leading apostrophe), so re-typing or re-saving the cell keeps it text.
    """
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


def safe_filename(name: str, suffix: str = ".xlsx") -> str:
    """A portable file name built from `name`: ASCII letters, digits, `.`, `_`, `-`, ending in `suffix`.

    Path separators, `..`, control characters, leading dots and reserved Windows names cannot survive.
    """
    stem = name[: -len(suffix)] if suffix and name.lower().endswith(suffix) else name
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE_NAME_CHARS.sub("_", ascii_stem).strip("._-")[:_MAX_NAME_CHARS].rstrip("._-")
    if not stem or stem.lower() in _WINDOWS_RESERVED:
        stem = f"report_{stem}" if stem else "report"
    return f"{stem}{suffix}"


def safe_output_path(out: str | os.PathLike, suffix: str = ".xlsx") -> Path:
    """`out` with its file name sanitised; the folder is kept as the caller gave it and must exist, and `out`
    itself must not be a folder (a workbook is never written beside the folder the user named)."""
    out = Path(out)
    if out.is_dir():
        raise LabormatchError(f"{out}: is a folder; give a workbook file name inside it")
    folder = out.parent
    if not folder.is_dir():
        raise LabormatchError(f"{out}: the folder {folder} does not exist")
    return folder / safe_filename(out.name, suffix)


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> Path:
    """Call `write(file)` on a temporary file beside `path`, then move it into place in one step.

    If `write` raises, the temporary file is removed and any existing file at `path` is left untouched.
    """
    path = Path(path)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            write(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path
