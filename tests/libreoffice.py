"""Recalculate a workbook with LibreOffice headless, the way an economist's spreadsheet would.

openpyxl writes formulas without cached values; converting with LibreOffice computes them. A throwaway
profile sets the recalculation mode to "always" so even stale cached values are recomputed, and keeps
LibreOffice from writing to the home folder.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
  <value>0</value>
</prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
  <value>0</value>
</prop></item>
</oor:items>
"""


def soffice() -> str:
    """Path of the `soffice` executable, or skip the calling test with the reason."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed; install libreoffice-calc to run this test")
    return exe


def convert(workbook: Path, fmt: str, out_dir: Path, timeout: float = 120) -> Path:
    """Convert `workbook` with LibreOffice headless to `fmt` ("xlsx", "pdf") in `out_dir`, recalculating first."""
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(workbook),
        ]
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env={"HOME": profile, "PATH": "/usr/bin:/bin"}
        )
    result = out_dir / f"{workbook.stem}.{fmt}"
    if done.returncode != 0 or not result.exists():
        raise RuntimeError(f"LibreOffice failed on {workbook}: {done.stdout}\n{done.stderr}")
    return result


def recalculate(workbook: Path, out_dir: Path) -> Path:
    """A copy of `workbook` in `out_dir` whose formula cells carry LibreOffice's computed values."""
    if workbook.parent.resolve() == out_dir.resolve():
        raise ValueError("out_dir must differ from the workbook's folder, or the source would be overwritten")
    return convert(workbook, "xlsx", out_dir)


def render_png(workbook: Path, out_dir: Path, resolution: int = 80) -> list[Path]:
    """PNG pages of `workbook` (LibreOffice -> PDF -> pdftoppm), for looking at what a reader sees."""
    pdf = convert(workbook, "pdf", out_dir)
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(out_dir / workbook.stem)], check=True)
    return sorted(out_dir.glob(f"{workbook.stem}*.png"))
