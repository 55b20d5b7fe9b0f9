"""`python -m labormatch` runs the command-line interface."""

from labormatch.cli import app

app()
