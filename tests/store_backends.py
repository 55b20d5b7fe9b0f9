"""The `backend` fixture: the same store tests against a SQLite file and a real PostgreSQL server.

PostgreSQL comes from `LABORMATCH_TEST_PG_URL` (default: the role and database that
`scripts/postgres_up.sh` creates). Each test gets its own schema, dropped afterwards, so parallel
workers never see each other's rows; the test is skipped, with the reason, where no server answers.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from labormatch.store import Store

PG_DEFAULT_URL = "postgresql+psycopg://lm:lm@127.0.0.1:5432/labormatch"


def pg_url() -> str:
    return os.environ.get("LABORMATCH_TEST_PG_URL", PG_DEFAULT_URL)


@dataclass(frozen=True)
class Backend:
    """Where a test's store lives: a URL, plus a schema of its own on PostgreSQL."""

    kind: str
    url: str
    schema: str | None = None

    def open(self) -> Store:
        return Store(self.url, schema=self.schema)


def _postgres_schema():
    """Create a throwaway schema on the test server (or skip), yield its name, then drop it.

    No connection stays open in between, so test processes forked meanwhile share no socket.
    """
    url = pg_url()
    schema = f"lm_test_{uuid.uuid4().hex[:12]}"
    try:
        _execute(url, f'CREATE SCHEMA "{schema}"')
    except (SQLAlchemyError, ImportError) as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        pytest.skip(
            f"no PostgreSQL server for the store tests at {shown} ({type(exc).__name__}); "
            "run scripts/postgres_up.sh or set LABORMATCH_TEST_PG_URL"
        )
    try:
        yield url, schema
    finally:
        _execute(url, f'DROP SCHEMA "{schema}" CASCADE')


def _execute(url: str, statement: str) -> None:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


POSTGRES = pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.xdist_group("postgres")])


@pytest.fixture(params=["sqlite", POSTGRES])
def backend(request, tmp_path):
    """A fresh, empty store location on each backend."""
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'scenarios.sqlite'}")
        return
    for url, schema in _postgres_schema():
        yield Backend("postgres", url, schema)


@pytest.fixture
def store(backend):
    """An open, empty store on each backend."""
    with backend.open() as opened:
        yield opened
