"""Many users at once: concurrent signed-in browser sessions doing the designer journey against PostgreSQL.

    python bench/load.py [--sessions 10] [--rounds 5] [--users 3]

Starts a throwaway PostgreSQL database (on LABORMATCH_TEST_PG_URL's server, default the one
scripts/postgres_up.sh makes), a real OpenID Connect provider on localhost (oidc-provider-mock) with
`--users` users, and `streamlit run streamlit_server.py` with sign-in configured. Then `--sessions`
Chromium sessions, spread over the users, each sign in and do the designer journey `--rounds` times:
change the H-2B cap on Program design and apply it (the re-render, timed from the click until the new
cap total is shown and the run has finished), save the scenario under a new name on Scenarios, and see
the comparison. Afterwards every save must be in the store, once, owned by the session's user.
Prints errors, lost and misattributed saves, and the median and 95th-percentile re-render time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from playwright.async_api import expect
from sqlalchemy import create_engine, make_url, text

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from app_pages import assumptions_form, results  # noqa: E402
from labormatch.store import Store  # noqa: E402
from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop_process  # noqa: E402
from tests.browser.app_server import wait_until_answers as _wait  # noqa: E402

PG_URL = os.environ.get("LABORMATCH_TEST_PG_URL", "postgresql+psycopg://lm:lm@127.0.0.1:5432/labormatch")
PROVIDER = Path(sys.executable).parent / "oidc-provider-mock"
TIMEOUT_MS = 300_000  # 10 sessions on 2 shared cores: a run can wait behind the others


def _database(action: str, name: str) -> str:
    """CREATE or DROP a database beside the one PG_URL names; returns the new database's URL."""
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'{action} DATABASE "{name}"' + (" WITH (FORCE)" if action == "DROP" else "")))
    finally:
        engine.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


async def _idle(page) -> None:
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


async def _journey(browser, app_url: str, user: str, email: str, session: int, rounds: int, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)  # every action, not only the awaited ones, may queue behind the others
    page = await context.new_page()
    try:
        await page.goto(app_url)
        await page.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
        await page.get_by_role("button", name=user).click(timeout=TIMEOUT_MS)
        await page.get_by_text(f"Signed in as {email}").wait_for(timeout=TIMEOUT_MS)
        await _idle(page)
        cap_label = assumptions_form.labels()["h2b_cap"]
        cap_total = page.get_by_test_id("stMetric").filter(has_text=results.metric_label("h2b_cap_total"))
        for round_number in range(rounds):
            try:
                await page.get_by_role("link", name="Program design").click()
                await _idle(page)
                cap = 70_000 + 1_000 * (session * rounds + round_number)
                box = page.get_by_label(cap_label, exact=True)
                await box.fill(str(cap))
                await box.press("Tab")
                value = cap_total.get_by_test_id("stMetricValue")
                before = await value.inner_text(timeout=TIMEOUT_MS)
                started = time.perf_counter()
                await page.get_by_role("button", name="Apply assumptions").click()
                await expect(value).not_to_have_text(before, timeout=TIMEOUT_MS)
                await _idle(page)
                out["rerender_s"].append(time.perf_counter() - started)
                await page.get_by_role("link", name="Scenarios").click()
                await _idle(page)
                name = f"{user}-s{session}-r{round_number}"
                await page.get_by_label("Scenario name (letters, digits, _ . -)").fill(name)
                await page.get_by_role("button", name="Save current assumptions").click()
                await page.get_by_text(f"Saved '{name}' as version 1.").wait_for(timeout=TIMEOUT_MS)
                await _idle(page)
                out["saved"].append((name, user))
                if await page.get_by_test_id("stException").count():
                    raise RuntimeError(await page.get_by_test_id("stException").first.inner_text())
            except Exception as exc:  # counted and reported; the session goes on with its next round
                out["errors"].append(
                    f"{user} session {session} round {round_number}: {type(exc).__name__}: "
                    f"{str(exc).splitlines()[0][:200]}"
                )
    finally:
        await context.close()


async def _run_sessions(app_url: str, users: dict[str, str], sessions: int, rounds: int) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"rerender_s": [], "saved": [], "errors": []}
    names = list(users)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        await asyncio.gather(
            *(
                _journey(browser, app_url, names[i % len(names)], users[names[i % len(names)]], i, rounds, out)
                for i in range(sessions)
            )
        )
        await browser.close()
    return out


def main(sessions: int, rounds: int, user_count: int) -> int:
    users = {f"user{i + 1}": f"user{i + 1}@agency.gov" for i in range(user_count)}
    database = f"labormatch_load_{uuid.uuid4().hex[:8]}"
    store_url = _database("CREATE", database)
    procs: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory(prefix="labormatch_load_") as folder:
            root = Path(folder)
            provider_port, app_port = free_port(), free_port()
            claims = [
                a for sub, email in users.items() for a in ("--user-claims", json.dumps({"sub": sub, "email": email}))
            ]
            procs.append(
                subprocess.Popen(
                    [str(PROVIDER), "--port", str(provider_port), *claims],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            provider = f"http://127.0.0.1:{provider_port}"
            _wait(f"{provider}/.well-known/openid-configuration", procs[-1], 30)
            home = root / "home"
            (home / ".streamlit").mkdir(parents=True)
            (home / ".streamlit" / "secrets.toml").write_text(
                f'[auth]\nredirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
                f'cookie_secret = "{uuid.uuid4().hex}"\nclient_id = "labormatch"\nclient_secret = "bench"\n'
                f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
            )
            env = {
                "HOME": str(home),
                "LABORMATCH_STORE": store_url,
                "LABORMATCH_REPORTS": str(root / "reports"),
            }
            procs.append(start_streamlit(app_port, env))
            app_url = f"http://127.0.0.1:{app_port}"
            _wait(f"{app_url}/_stcore/health", procs[-1], 300)
            started = time.perf_counter()
            out = asyncio.run(_run_sessions(app_url, users, sessions, rounds))
            elapsed = time.perf_counter() - started
        with Store(store_url) as store:
            stored = {s.name: s.owner for s in store.list_scenarios()}
            versions = {s.name: s.versions for s in store.list_scenarios()}
    finally:
        for proc in reversed(procs):
            stop_process(proc)
        _database("DROP", database)
    lost = [name for name, _ in out["saved"] if name not in stored]
    wrong = [name for name, user in out["saved"] if name in stored and (stored[name] != user or versions[name] != 1)]
    times = sorted(out["rerender_s"])
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else float("nan")
    print(
        f"{sessions} concurrent signed-in sessions ({user_count} users) x {rounds} designer journeys against "
        f"PostgreSQL in {elapsed:.0f} s: {len(out['errors'])} errors, {len(out['saved'])} saves confirmed, "
        f"{len(lost)} lost, {len(wrong)} misattributed or duplicated; {len(stored)} scenarios in the store"
    )
    if times:
        print(
            f"re-render after an H-2B cap change (browser, click to new cap shown and run finished): median "
            f"{statistics.median(times):.2f} s, 95th percentile {p95:.2f} s over {len(times)} changes"
        )
    for line in out["errors"][:10]:
        print("  error:", line)
    return 0 if not out["errors"] and not lost and not wrong and len(stored) == sessions * rounds else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=3)
    args = parser.parse_args()
    sys.exit(main(args.sessions, args.rounds, args.users))
