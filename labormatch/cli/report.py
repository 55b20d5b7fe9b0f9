"""`labormatch report`: export an Excel workbook for one scenario or a comparison."""

import typer


def register(app: typer.Typer) -> None:
    """Add the report command to the top-level app."""
