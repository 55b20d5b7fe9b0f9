"""`labormatch data build|check|summary`: the embedded data snapshot."""

import typer

app = typer.Typer(help="Build, check and summarise the embedded data snapshot.", no_args_is_help=True)
