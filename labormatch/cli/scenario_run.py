"""`labormatch scenario run`: run one scenario file through the model and write the result."""

import typer


def register(app: typer.Typer) -> None:
    """Add the `run` command to the scenario command group."""
