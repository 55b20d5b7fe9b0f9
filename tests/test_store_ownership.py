"""Scenario ownership, enforced by the store on SQLite and PostgreSQL: everyone reads and copies, only the
owner and admins save over, delete and restore; layout-1 stores migrate in place."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update
from store_backends import backend, store  # noqa: F401  (fixtures)

from labormatch.scenario import Scenario
from labormatch.store import STORE_FORMAT, Actor, OwnershipError, Store, StoreError, admins_from_env, store_info

ALICE = Actor("alice", "alice@agency.gov")
BOB = Actor("bob", "bob@agency.gov")
CAROL = Actor("carol-sub", "carol@agency.gov")


def _scenario(notes: str = "") -> Scenario:
    return Scenario(title="Plan", notes=notes, assumptions={"fiscal_year": 2024})


def _save(store: Store, name: str, notes: str = ""):
    return store.save(name, _scenario(notes), result_hash="a" * 64, data_vintage={"snapshot": "test"})


def test_each_version_records_who_saved_it_and_the_first_saver_owns(store):
    _save(store.acting_as(ALICE), "plan", "v1")
    listed = store.acting_as(BOB).list_scenarios()
    assert [(s.name, s.owner, s.owner_email) for s in listed] == [("plan", "alice", "alice@agency.gov")]
    saved = store.acting_as(BOB).get("plan")  # everyone reads
    assert (saved.saved_by, saved.saved_by_email) == ("alice", "alice@agency.gov")


def test_others_may_copy_but_not_save_over_delete_or_restore(store):
    alice, bob = store.acting_as(ALICE), store.acting_as(BOB)
    _save(alice, "plan", "v1")
    copy = bob.save("bobs-plan", bob.get("plan").scenario(), result_hash="a" * 64, data_vintage={})
    assert copy.saved_by == "bob" and bob.get("bobs-plan").document == alice.get("plan").document
    with pytest.raises(
        OwnershipError, match=r"bob@agency.gov may not save a new version of scenario 'plan': it belongs to alice"
    ):
        _save(bob, "plan", "v2 by bob")
    with pytest.raises(OwnershipError, match="may not delete scenario 'plan'"):
        bob.delete("plan")
    assert [v.version for v in alice.history("plan")] == [1]
    assert not alice.list_scenarios()[0].deleted
    alice.delete("plan")
    with pytest.raises(OwnershipError, match="may not restore scenario 'plan'"):
        bob.restore("plan")
    with pytest.raises(OwnershipError):  # saving would revive it: refused too
        _save(bob, "plan")
    alice.restore("plan")
    assert [s.name for s in bob.list_scenarios()] == ["bobs-plan", "plan"]
    assert isinstance(OwnershipError("x"), StoreError)


def test_admins_may_delete_and_restore_anyones(backend):
    with Store(backend.url, schema=backend.schema, actor=ALICE, admins={"carol@agency.gov"}) as opened:
        _save(opened, "plan")
        carol = opened.acting_as(CAROL)
        assert carol.is_admin and not opened.is_admin
        assert carol.may_change(opened.list_scenarios()[0])
        assert not opened.acting_as(BOB).may_change(opened.list_scenarios()[0])
        carol.delete("plan")
        assert opened.list_scenarios() == []
        carol.restore("plan")
        assert [s.name for s in opened.list_scenarios()] == ["plan"]


def test_admin_list_from_the_environment(monkeypatch):
    monkeypatch.setenv("LABORMATCH_ADMINS", " carol@agency.gov, dave ,")
    assert admins_from_env() == {"carol@agency.gov", "dave"}
    assert Actor("DAVE").is_one_of(admins_from_env()) and not Actor("bob", "bob@x").is_one_of(admins_from_env())


def test_cli_identity_is_the_os_user(store, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "analyst")
    from labormatch.store import os_actor

    assert os_actor() == Actor("analyst")
    assert store.actor.email is None


def test_layout_1_store_migrates_adding_owner_columns(backend):
    """A store written before owners existed: columns added, each scenario owned by its first saver."""
    with Store(backend.url, schema=backend.schema, actor=Actor("root")) as opened:
        _save(opened, "legacy")
        _save(opened.acting_as(BOB), "legacy-2")
        prefix = f'"{backend.schema}".' if backend.schema else ""
        with opened._engine.begin() as conn:
            conn.execute(text(f'ALTER TABLE {prefix}"lm_scenarios" DROP COLUMN "owner"'))
            conn.execute(text(f'ALTER TABLE {prefix}"lm_scenarios" DROP COLUMN "owner_email"'))
            conn.execute(text(f'ALTER TABLE {prefix}"lm_scenario_versions" DROP COLUMN "saved_by_email"'))
            conn.execute(update(store_info).where(store_info.c.key == "format").values(value="1"))
    with Store(backend.url, schema=backend.schema, actor=BOB) as migrated:
        assert [(s.name, s.owner, s.owner_email) for s in migrated.list_scenarios()] == [
            ("legacy", "root", None),
            ("legacy-2", "bob", None),
        ]
        with pytest.raises(OwnershipError, match="belongs to root"):
            migrated.delete("legacy")
        migrated.delete("legacy-2")
        assert migrated.get("legacy").saved_by_email is None
        with migrated._engine.connect() as conn:
            assert (
                conn.execute(text(f"SELECT value FROM {prefix}lm_store_info WHERE key = 'format'")).scalar()
                == STORE_FORMAT
                == "2"
            )
    with Store(backend.url, schema=backend.schema) as again:  # a second open finds nothing left to migrate
        assert len(again.list_scenarios(include_deleted=True)) == 2
