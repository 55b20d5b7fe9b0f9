"""Sign-in and scenario ownership in a real browser, against a real OpenID Connect provider on localhost
(`oidc-provider-mock`), plus the single-user default: `make app` binds 127.0.0.1 and a server bound
beyond it without sign-in refuses to start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from labormatch.store import Actor, OwnershipError, Store
from tests.browser.app_server import (
    PROJECT,
    free_port,
    isolated_env,
    start_streamlit,
    stop_process,
    streamlit_command,
    wait_healthy,
    wait_until_answers,
)
from tests.browser.conftest import ARTIFACTS, require_chromium
from tests.browser.streamlit_page import LOAD_TIMEOUT_MS, RUN_TIMEOUT_MS, click_until_shown, idle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PROVIDER = Path(sys.executable).parent / "oidc-provider-mock"
USERS = {"alice": "alice@agency.gov", "bob": "bob@agency.gov"}


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free localhost port with alice and bob as predefined users."""
    if not PROVIDER.exists():
        pytest.skip("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    port = free_port()
    claims = [
        arg for sub, email in USERS.items() for arg in ("--user-claims", json.dumps({"sub": sub, "email": email}))
    ]
    proc = subprocess.Popen(
        [str(PROVIDER), "--host", "127.0.0.1", "--port", str(port), *claims],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{url}/.well-known/openid-configuration", proc, 30)
        yield url
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def signin_app(provider, tmp_path_factory):
    """`streamlit run streamlit_server.py` with [auth] in the (isolated) home folder's secrets.toml."""
    require_chromium()
    root = tmp_path_factory.mktemp("signin_env")
    env = isolated_env(root)
    port = free_port()
    secrets = Path(env["HOME"]) / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "labormatch"\nclient_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    log = root / "server.log"
    proc = start_streamlit(port, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url, env["LABORMATCH_STORE"]
    finally:
        stop_process(proc)


def _signed_in(browser: Browser, app_url: str, who: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_url(lambda url: ":" + app_url.rsplit(":", 1)[1] not in url, timeout=LOAD_TIMEOUT_MS)
    page.get_by_role("button", name=who).click()
    page.wait_for_url(f"{app_url}/**", timeout=LOAD_TIMEOUT_MS)
    expect(page.get_by_text(f"Signed in as {USERS[who]}")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    return page


def _scenarios(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/scenarios")
    expect(page.get_by_role("heading", name="Scenarios", exact=True)).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    idle(page)


def _save(page: Page, name: str) -> None:
    page.get_by_label("Scenario name (letters, digits, _ . -)").fill(name)
    page.get_by_role("button", name="Save current assumptions").click()
    expect(page.get_by_text(f"Saved '{name}' as version 1.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    idle(page)


def test_visitor_not_signed_in_sees_only_the_sign_in_page(browser, signin_app):
    app_url, _ = signin_app
    page = browser.new_context().new_page()
    for path in ("", "/scenarios"):
        page.goto(app_url + path)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
        idle(page)
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert page.get_by_role("heading", name="Scenarios").count() == 0
        assert page.get_by_label("Scenario name (letters, digits, _ . -)").count() == 0


def test_two_users_own_their_scenarios(browser, signin_app):
    app_url, store_url = signin_app
    alice = _signed_in(browser, app_url, "alice")
    _scenarios(alice, app_url)
    _save(alice, "alice-plan")

    bob = _signed_in(browser, app_url, "bob")
    _scenarios(bob, app_url)
    expect(bob.get_by_text("Owned by alice@agency.gov")).to_be_visible()
    assert bob.get_by_role("button", name="Delete 'alice-plan'...").count() == 0
    bob.get_by_role("button", name="Load into Program design").click()  # copy: load, save under his name
    expect(bob.get_by_text("Loaded 'alice-plan' version 1")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    idle(bob)
    _save(bob, "bob-copy")
    expect(bob.get_by_text("Scenarios to compare")).to_be_visible()
    assert bob.get_by_test_id("stException").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bob.screenshot(path=str(ARTIFACTS / "signin_bob_compares.png"), full_page=True)
    with Store(store_url, actor=Actor("bob", USERS["bob"]), admins=()) as as_bob:
        with pytest.raises(OwnershipError, match="belongs to alice"):
            as_bob.delete("alice-plan")
        assert as_bob.get("bob-copy").document["assumptions"] == as_bob.get("alice-plan").document["assumptions"]
        assert {s.name: s.owner for s in as_bob.list_scenarios()} == {"alice-plan": "alice", "bob-copy": "bob"}

    _scenarios(alice, app_url)
    confirm = alice.get_by_role("button", name="Yes, delete 'alice-plan'")
    click_until_shown(alice, alice.get_by_role("button", name="Delete 'alice-plan'..."), confirm)
    click_until_shown(alice, confirm, alice.get_by_text("Deleted 'alice-plan'"))
    alice.get_by_text("Deleted scenarios (1)").click()
    restore = alice.get_by_role("button", name="Restore 'alice-plan'")
    expect(restore).to_be_enabled()
    click_until_shown(alice, restore, alice.get_by_text("Restored 'alice-plan' with all its versions."))
    with Store(store_url) as store:
        assert [s.name for s in store.list_scenarios()] == ["alice-plan", "bob-copy"]


def _listening(port: int) -> set[str]:
    """Local addresses listening on `port` (IPv4 and IPv6), from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_make_app_binds_to_localhost_and_says_single_user(tmp_path):
    """The project's config alone (as `make app` runs it): listening on 127.0.0.1 only."""
    port = free_port()
    log = tmp_path / "server.log"
    proc = start_streamlit(port, isolated_env(tmp_path), log)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, log)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, nothing on 0.0.0.0 or IPv6
        assert "single-user mode: served on this computer only (127.0.0.1)" in log.read_text()
    finally:
        stop_process(proc)


def test_server_mode_without_sign_in_refuses_to_start(tmp_path):
    command = streamlit_command(free_port(), "--server.address", "0.0.0.0")
    done = subprocess.run(
        command, cwd=PROJECT, env={**os.environ, **isolated_env(tmp_path)}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "labormatch refuses to serve on address 0.0.0.0 without sign-in" in done.stdout + done.stderr
