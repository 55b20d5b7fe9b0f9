"""`labormatch forecast` and `labormatch backtest`: shortage forecasts and their track record."""

import typer


def register(app: typer.Typer) -> None:
    """Add the forecast and backtest commands to the top-level app."""
