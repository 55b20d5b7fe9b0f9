"""The versioned scenario store: every save is a new version, history is kept, deletion is soft.

Backed by SQLAlchemy, so the same code serves a per-user SQLite file (the default) and a shared
PostgreSQL server in an agency deployment. Each version records the scenario document (header +
assumptions), the hash of the result it produced, the data vintage and the package version, so a
later re-run can prove it reproduces the saved figures.

Each scenario has an owner (whoever saved its first version: a signed-in user's OpenID subject and
e-mail, or the OS user from the CLI) and each version records who saved it. Everyone can list, read and
copy any scenario; saving a new version, deleting and restoring are for the owner and for the admins
(`LABORMATCH_ADMINS`, or the list the app is configured with). The store enforces this itself.

Concurrent saves lose nothing: a save is one transaction that locks the scenario row (SQLite:
`BEGIN IMMEDIATE` in WAL mode with a busy timeout), version numbers are guarded by a unique
constraint, and a save that collides with another writer is retried.
"""

from __future__ import annotations

import copy
import getpass
import hashlib
import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)

from labormatch import __version__
from labormatch.errors import LabormatchError
from labormatch.reproduction import HashCheck, check_hash
from labormatch.scenario import Scenario, load_scenario_file

if TYPE_CHECKING:
    from labormatch.model import ScenarioResult

STORE_FORMAT = "2"
"""Layout version of the store tables; a store written by a newer layout is refused, not guessed at.
Layout 1 (no owners) is migrated in place: columns added, each scenario owned by its first version's saver."""
_MIGRATABLE_FORMATS = ("1",)

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
SAVE_ATTEMPTS = 50
SQLITE_BUSY_TIMEOUT_MS = 30_000

metadata = MetaData()

store_info = Table(
    "lm_store_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

scenarios = Table(
    "lm_scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("owner", String(200), nullable=True),
    Column("owner_email", String(320), nullable=True),
)

versions = Table(
    "lm_scenario_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scenario_id", Integer, ForeignKey("lm_scenarios.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(100), nullable=True),
    Column("saved_by_email", String(320), nullable=True),
    Column("document", Text, nullable=False),
    Column("document_sha256", String(64), nullable=False),
    Column("result_hash", String(64), nullable=False),
    Column("data_vintage", Text, nullable=False),
    Column("package_version", String(40), nullable=False),
    Column("headline", Text, nullable=True),
    UniqueConstraint("scenario_id", "version", name="uq_scenario_version"),
)


class StoreError(LabormatchError):
    """The store cannot be opened or read, or a name or version in it does not exist."""


class OwnershipError(StoreError):
    """A save, delete or restore of a scenario by someone who neither owns it nor is an admin."""


@dataclass(frozen=True)
class Actor:
    """Who acts on the store: a signed-in user's OpenID subject and e-mail, or the OS user (no e-mail)."""

    subject: str
    email: str | None = None

    @property
    def shown(self) -> str:
        return self.email or self.subject

    def is_one_of(self, names: Iterable[str]) -> bool:
        """Whether the subject or the e-mail is in `names` (compared case-insensitively)."""
        wanted = {name.strip().lower() for name in names}
        return self.subject.lower() in wanted or bool(self.email and self.email.lower() in wanted)


def os_actor() -> Actor:
    """The OS user running this process (the CLI's identity)."""
    return Actor(_current_user() or "unknown")


def admins_from_env() -> frozenset[str]:
    """`LABORMATCH_ADMINS`: comma-separated subjects or e-mails allowed to delete and restore any scenario."""
    return frozenset(name.strip() for name in os.environ.get("LABORMATCH_ADMINS", "").split(",") if name.strip())


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of a scenario, as recorded in the store."""

    name: str
    version: int
    saved_at: datetime
    saved_by: str | None
    saved_by_email: str | None
    document: dict[str, Any]
    result_hash: str
    data_vintage: dict[str, Any]
    package_version: str
    headline: dict[str, float] | None

    @property
    def title(self) -> str:
        return str(self.document.get("title", ""))

    def scenario(self) -> Scenario:
        """The saved document validated against the current `Assumptions` model."""
        return Scenario.from_document(self.document, source=f"store: {self.name} v{self.version}")


@dataclass(frozen=True)
class ScenarioSummary:
    """One line of `list`: a scenario's latest version."""

    name: str
    versions: int
    title: str
    saved_at: datetime
    result_hash: str
    deleted: bool
    owner: str | None
    owner_email: str | None


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_file` saved, and whether the re-run reproduced the hash recorded in the file (`check`:
    None when the file records none)."""

    saved: SavedVersion
    check: HashCheck | None
    notices: tuple[str, ...] = ()  # how an older format in the file was read (`Scenario.notices`)

    @property
    def recorded_hash(self) -> str | None:
        return None if self.check is None else self.check.recorded

    @property
    def matches(self) -> bool | None:
        return None if self.check is None else self.check.reproduced


def name_from_stem(stem: str) -> str:
    """A file stem made into a store name: other characters become '_'."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", stem).lstrip("_.-")[:100] or "scenario"


def default_store_url() -> str:
    """`LABORMATCH_STORE` if set, else a SQLite file in the per-user data folder."""
    env = os.environ.get("LABORMATCH_STORE")
    if env:
        return env
    folder = platformdirs.user_data_path("labormatch")
    return f"sqlite:///{folder / 'scenarios.sqlite'}"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal values give equal text.

    numpy scalars become plain numbers and dates ISO text, so a data vintage or headline built with
    pandas stores as it reads.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot store a value of type {type(value).__name__} in the scenario store")


def document_sha256(document_json: str) -> str:
    return hashlib.sha256(document_json.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    """A scenario name is a short slug: letters, digits, `_`, `.`, `-`, starting with a letter or digit."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise StoreError(
            f"scenario name {name!r} is not allowed: use 1-100 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    return name


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything the store writes is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _current_user() -> str | None:
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return None


def _display_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _is_retryable(exc: DBAPIError) -> bool:
    """A collision with another writer: duplicate version/name, lock timeout, serialization failure."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(exc.orig).lower()
    return any(word in text for word in ("locked", "busy", "deadlock", "could not serialize"))


class Store:
    """A versioned scenario store at a SQLAlchemy URL (`Store()` opens the default per-user file).

    `schema` puts the tables in a named database schema (PostgreSQL), e.g. one per test run. `actor` is
    who saves, deletes and restores (default: the OS user); `admins` (subjects or e-mails, default
    `LABORMATCH_ADMINS`) may delete and restore any scenario. `acting_as` gives a view for another user
    that shares the connection pool (one per signed-in session in the app).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        schema: str | None = None,
        actor: Actor | None = None,
        admins: Iterable[str] | None = None,
    ):
        self.url = url or default_store_url()
        self.schema = schema
        self.actor = actor or os_actor()
        self.admins = frozenset(admins) if admins is not None else admins_from_env()
        self._engine = self._connect()
        self._create_tables()

    def acting_as(self, actor: Actor) -> Store:
        """The same store (same connections) acting for `actor`; closing either closes both."""
        view = copy.copy(self)
        view.actor = actor
        return view

    @property
    def is_admin(self) -> bool:
        return self.actor.is_one_of(self.admins)

    def may_change(self, summary: ScenarioSummary) -> bool:
        """Whether the actor may save over, delete or restore this scenario: its owner, an admin, or anyone
        for a scenario without a recorded owner."""
        return summary.owner is None or self.is_admin or self.actor.subject == summary.owner

    # ---- opening -------------------------------------------------------------------------
    def _connect(self) -> Engine:
        shown = _display_url(self.url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(
                f"store URL {shown!r} is not a SQLAlchemy URL (e.g. sqlite:///path/scenarios.sqlite)"
            ) from exc
        sqlite = parsed.get_backend_name() == "sqlite"
        if sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {}
        if self.schema:
            options["execution_options"] = {"schema_translate_map": {None: self.schema}}
        if sqlite:
            options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        try:
            engine = create_engine(self.url, **options)
        except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
            raise StoreError(f"store URL {shown!r}: database driver not installed ({exc})") from exc
        if sqlite:
            _configure_sqlite(engine)
        return engine

    def _create_tables(self) -> None:
        """Create the tables on first use; a server store that another process is creating is retried."""
        shown = _display_url(self.url)
        for attempt in range(3):
            try:
                with self._write() as conn:
                    metadata.create_all(conn)
                    found = conn.execute(select(store_info.c.value).where(store_info.c.key == "format")).scalar()
                    if found is None:
                        conn.execute(insert(store_info).values(key="format", value=STORE_FORMAT))
                    elif found in _MIGRATABLE_FORMATS:
                        self._add_owner_columns(conn)
                        conn.execute(update(store_info).where(store_info.c.key == "format").values(value=STORE_FORMAT))
                        found = STORE_FORMAT
                break
            except DBAPIError as exc:
                racing = isinstance(exc, IntegrityError) or (
                    isinstance(exc, (ProgrammingError, OperationalError))
                    and any(word in str(exc.orig) for word in ("already exists", "duplicate column"))
                )
                if not racing or attempt == 2:
                    raise StoreError(f"cannot open the scenario store at {shown}: {exc.orig}") from exc
                time.sleep(0.05 * (attempt + 1))
        if found not in (None, STORE_FORMAT):
            raise StoreError(
                f"the scenario store at {shown} has layout {found!r}; this labormatch "
                f"({__version__}) reads layout {STORE_FORMAT!r}: upgrade labormatch"
            )

    def _add_owner_columns(self, conn: Connection) -> None:
        """Layout 1 -> 2: add the owner columns, and own each scenario by whoever saved its version 1."""
        prefix = f'"{self.schema}".' if self.schema else ""
        for table, columns in ((scenarios, ("owner", "owner_email")), (versions, ("saved_by_email",))):
            present = {col["name"] for col in inspect(conn).get_columns(table.name, schema=self.schema)}
            for name in columns:
                if name not in present:
                    kind = table.c[name].type.compile(dialect=conn.dialect)
                    conn.execute(text(f'ALTER TABLE {prefix}"{table.name}" ADD COLUMN "{name}" {kind}'))
        first_saver = (
            select(versions.c.saved_by)
            .where((versions.c.scenario_id == scenarios.c.id) & (versions.c.version == 1))
            .scalar_subquery()
        )
        conn.execute(update(scenarios).where(scenarios.c.owner.is_(None)).values(owner=first_saver))

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (SQLite takes the write lock up front, so readers never deadlock writers)."""
        with self._engine.connect().execution_options(labormatch_write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise StoreError(f"cannot read the scenario store at {_display_url(self.url)}: {exc.orig}") from exc

    # ---- writing -------------------------------------------------------------------------
    def save(
        self,
        name: str,
        scenario: Scenario,
        *,
        result_hash: str,
        data_vintage: Mapping[str, Any],
        package_version: str = __version__,
        headline: Mapping[str, float] | None = None,
    ) -> SavedVersion:
        """Record `scenario` as the next version of `name` (created if new and owned by the actor, revived
        if deleted). Raises OwnershipError if `name` belongs to someone else and the actor is no admin."""
        check_name(name)
        document = scenario.to_document()
        document_json = canonical_json(document)
        row = {
            "saved_by": self.actor.subject[:100],
            "saved_by_email": self.actor.email,
            "document": document_json,
            "document_sha256": document_sha256(document_json),
            "result_hash": result_hash,
            "data_vintage": canonical_json(dict(data_vintage)),
            "package_version": package_version,
            "headline": canonical_json(dict(headline)) if headline is not None else None,
        }
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with self._write() as conn:
                    version, saved_at = self._insert_version(conn, name, row)
                break
            except DBAPIError as exc:
                if not _is_retryable(exc) or attempt == SAVE_ATTEMPTS - 1:
                    raise StoreError(
                        f"could not save scenario {name!r} to {_display_url(self.url)}: {exc.orig}"
                    ) from exc
                time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
        return _saved_version(name, {**row, "version": version, "saved_at": saved_at})

    def save_result(self, name: str, scenario: Scenario, result: ScenarioResult, **kwargs: Any) -> SavedVersion:
        """Save `scenario` with the hash, data vintage and headline of the result it produced."""
        return self.save(
            name,
            scenario,
            result_hash=result.hash(),
            data_vintage=result.data_vintage,
            headline=result.headline,
            **kwargs,
        )

    def import_file(
        self, path: str | Path, *, run: Callable[[Scenario], ScenarioResult], name: str | None = None
    ) -> ImportOutcome:
        """Validate a scenario file, re-run it, and save it as a new version.

        Nothing is written unless the file is a valid scenario and the run succeeds. The name is
        `name`, else the one in the file's provenance block, else the file's stem.
        """
        path = Path(path)
        scenario = load_scenario_file(path)
        provenance = scenario.provenance
        if name is None:
            name = provenance.name if provenance else name_from_stem(path.stem)
        name = check_name(name)
        result = run(scenario)
        saved = self.save_result(name, scenario, result)
        checked = None if provenance is None else check_hash(provenance.result_hash, result)
        return ImportOutcome(saved=saved, check=checked, notices=scenario.notices)

    def _insert_version(self, conn: Connection, name: str, row: dict[str, Any]) -> tuple[int, datetime]:
        now = _now()
        found = conn.execute(
            select(scenarios.c.id, scenarios.c.owner).where(scenarios.c.name == name).with_for_update()
        ).first()
        if found is None:
            scenario_id = conn.execute(
                insert(scenarios)
                .values(name=name, created_at=now, owner=self.actor.subject, owner_email=self.actor.email)
                .returning(scenarios.c.id)
            ).scalar_one()
        else:
            scenario_id = found.id
            self._check_owner(name, found.owner, "save a new version of")
            conn.execute(update(scenarios).where(scenarios.c.id == scenario_id).values(deleted_at=None))
        version = conn.execute(
            select(func.coalesce(func.max(versions.c.version), 0) + 1).where(versions.c.scenario_id == scenario_id)
        ).scalar_one()
        conn.execute(insert(versions).values(scenario_id=scenario_id, version=version, saved_at=now, **row))
        return version, now

    def _check_owner(self, name: str, owner: str | None, action: str) -> None:
        if owner is not None and owner != self.actor.subject and not self.is_admin:
            raise OwnershipError(
                f"{self.actor.shown} may not {action} scenario {name!r}: it belongs to {owner}; only its owner "
                "and the store's admins may change it (save a copy under another name instead)"
            )

    def delete(self, name: str) -> None:
        """Hide a scenario from `list` (soft: every version stays and `restore` brings it back).
        Owner and admins only (OwnershipError otherwise)."""
        self._set_deleted(name, _now(), "delete")

    def restore(self, name: str) -> None:
        """Undo `delete` (owner and admins only)."""
        self._set_deleted(name, None, "restore")

    def _set_deleted(self, name: str, when: datetime | None, action: str) -> None:
        check_name(name)
        with self._write() as conn:
            owner = conn.execute(select(scenarios.c.owner).where(scenarios.c.name == name).with_for_update()).first()
            if owner is None:
                raise StoreError(f"no scenario named {name!r} in {_display_url(self.url)}")
            self._check_owner(name, owner.owner, action)
            conn.execute(update(scenarios).where(scenarios.c.name == name).values(deleted_at=when))

    # ---- reading -------------------------------------------------------------------------
    def get(self, name: str, version: int | None = None, *, include_deleted: bool = False) -> SavedVersion:
        """One version of `name` (the latest if `version` is None)."""
        check_name(name)
        query = (
            select(versions, scenarios.c.name, scenarios.c.deleted_at)
            .join(scenarios, scenarios.c.id == versions.c.scenario_id)
            .where(scenarios.c.name == name)
        )
        query = query.where(versions.c.version == version) if version is not None else query
        with self._read() as conn:
            row = conn.execute(query.order_by(versions.c.version.desc()).limit(1)).mappings().first()
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            which = f"version {version} of " if version is not None and row is None else ""
            gone = " (it was deleted; `restore` brings it back)" if row is not None else ""
            raise StoreError(f"no {which}scenario named {name!r} in {_display_url(self.url)}{gone}")
        return _saved_version(name, row)

    def history(self, name: str) -> list[SavedVersion]:
        """Every version of `name`, oldest first (deleted scenarios included: history is never lost)."""
        check_name(name)
        query = (
            select(versions)
            .join(scenarios, scenarios.c.id == versions.c.scenario_id)
            .where(scenarios.c.name == name)
            .order_by(versions.c.version)
        )
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
        if not rows:
            raise StoreError(f"no scenario named {name!r} in {_display_url(self.url)}")
        return [_saved_version(name, row) for row in rows]

    def list_scenarios(self, *, include_deleted: bool = False) -> list[ScenarioSummary]:
        """Every scenario with its latest version, by name."""
        latest = (
            select(versions.c.scenario_id, func.max(versions.c.version).label("version"))
            .group_by(versions.c.scenario_id)
            .subquery()
        )
        query = (
            select(
                scenarios.c.name,
                scenarios.c.deleted_at,
                scenarios.c.owner,
                scenarios.c.owner_email,
                versions.c.version,
                versions.c.document,
                versions.c.saved_at,
                versions.c.result_hash,
            )
            .join(latest, latest.c.scenario_id == scenarios.c.id)
            .join(versions, (versions.c.scenario_id == latest.c.scenario_id) & (versions.c.version == latest.c.version))
            .order_by(scenarios.c.name)
        )
        if not include_deleted:
            query = query.where(scenarios.c.deleted_at.is_(None))
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            ScenarioSummary(
                name=row["name"],
                versions=row["version"],
                title=str(json.loads(row["document"]).get("title", "")),
                saved_at=_utc(row["saved_at"]),
                result_hash=row["result_hash"],
                deleted=row["deleted_at"] is not None,
                owner=row["owner"],
                owner_email=row["owner_email"],
            )
            for row in rows
        ]

    def verify(self) -> list[str]:
        """Problems found in stored rows: a document that no longer matches its checksum, or gaps in version numbers."""
        problems: list[str] = []
        query = (
            select(scenarios.c.name, versions.c.version, versions.c.document, versions.c.document_sha256)
            .join(scenarios, scenarios.c.id == versions.c.scenario_id)
            .order_by(scenarios.c.name, versions.c.version)
        )
        expected: dict[str, int] = {}
        with self._read() as conn:
            for row in conn.execute(query).mappings():
                expected[row["name"]] = expected.get(row["name"], 0) + 1
                if row["version"] != expected[row["name"]]:
                    problems.append(f"{row['name']}: version {row['version']} follows a gap")
                    expected[row["name"]] = row["version"]
                if document_sha256(row["document"]) != row["document_sha256"]:
                    problems.append(f"{row['name']} v{row['version']}: document does not match its checksum")
        return problems


def _saved_version(name: str, row: Mapping[str, Any]) -> SavedVersion:
    return SavedVersion(
        name=name,
        version=int(row["version"]),
        saved_at=_utc(row["saved_at"]),
        saved_by=row["saved_by"],
        saved_by_email=row["saved_by_email"],
        document=json.loads(row["document"]),
        result_hash=row["result_hash"],
        data_vintage=json.loads(row["data_vintage"]),
        package_version=row["package_version"],
        headline=json.loads(row["headline"]) if row["headline"] else None,
    )


def _configure_sqlite(engine: Engine) -> None:
    """WAL journal (readers never block the writer), a busy timeout, and `BEGIN IMMEDIATE` for writes.

    pysqlite's own transaction handling is switched off so the `begin` hook decides how each
    transaction starts (the SQLAlchemy documentation's recipe for SQLite locking).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("labormatch_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(cursor) -> None:
    """Switch a new database to WAL. Processes creating the same file at once can get "database is locked"
    here at once: SQLite skips the busy handler where waiting could deadlock, so the switch is retried."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
