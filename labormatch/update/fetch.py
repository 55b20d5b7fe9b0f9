"""HTTP downloads (standard-library urllib) into a temporary folder, with retries on transient errors.

Every failure raises `UpdateError` with one line naming the address and what to do: not found (404),
refused (401/403), rate limit (429), server error, timeout, truncated download, an HTML page where a
data file was expected, a content type the source does not serve.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import labormatch
from labormatch.errors import LabormatchError

TIMEOUT_SECONDS = 60.0
RETRIES = 3  # attempts after the first, on transient errors only
BACKOFF_SECONDS = 2.0  # wait before retry n: BACKOFF_SECONDS * 2**(n-1)
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
CHUNK = 1 << 16
CONTACT_VARIABLE = "LABORMATCH_UPDATE_CONTACT"  # an e-mail address; BLS's file server asks for one in the User-Agent
OnChunk = Callable[[int, int | None], None]  # (bytes received so far, total bytes or None)


class UpdateError(LabormatchError):
    """An update step failed; the message is one line naming the address or file and what to do."""


@dataclass(frozen=True)
class Fetched:
    """A downloaded file: where it is, where it came from, when, and its checksum."""

    path: Path
    address: str
    downloaded_at: str
    content_type: str
    bytes: int
    sha256: str


def download(
    address: str,
    target: Path,
    *,
    body: dict | None = None,
    content_types: tuple[str, ...] = (),
    on_chunk: OnChunk | None = None,
) -> Fetched:
    """GET `address` (POST `body` as JSON when given) into `target`. Transient errors (timeouts, 429, 5xx,
    connection resets, truncated bodies) are retried RETRIES times with exponential backoff (module settings,
    read at each call)."""
    timeout, retries, backoff = TIMEOUT_SECONDS, RETRIES, BACKOFF_SECONDS
    attempt = 0
    while True:
        try:
            return _download_once(address, target, body, content_types, timeout, on_chunk)
        except _Transient as exc:
            attempt += 1
            if attempt > retries:
                raise UpdateError(f"{exc} (after {retries + 1} attempts); try again later") from None
            time.sleep(backoff * 2 ** (attempt - 1))


class _Transient(Exception):
    """A failure worth retrying; its message is the one line shown if retries run out."""


def _download_once(address, target: Path, body, content_types, timeout, on_chunk) -> Fetched:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"User-Agent": user_agent()}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(address, data=data, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise _http_error(address, exc.code) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise _Transient(f"{address}: timed out after {timeout:g} s") from None
        raise _Transient(f"{address}: cannot connect ({exc.reason})") from None
    except TimeoutError:
        raise _Transient(f"{address}: timed out after {timeout:g} s") from None
    with response:
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        digest, received = hashlib.sha256(), 0
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "wb") as handle:
                while block := response.read(CHUNK):
                    handle.write(block)
                    digest.update(block)
                    received += len(block)
                    if on_chunk:
                        on_chunk(received, total)
        except http.client.IncompleteRead as exc:
            received += len(exc.partial)
            raise _Transient(f"{address}: truncated download ({received:,} of {total or '?'} bytes)") from None
        except TimeoutError:
            raise _Transient(f"{address}: timed out after {timeout:g} s while downloading") from None
        except ConnectionError as exc:
            raise _Transient(f"{address}: connection lost while downloading ({exc})") from None
    if total is not None and received < total:
        raise _Transient(f"{address}: truncated download ({received:,} of {total:,} bytes)")
    _check_content(address, target, content_type, content_types)
    return Fetched(
        target, address, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), content_type, received, digest.hexdigest()
    )


def user_agent() -> str:
    """`labormatch/<version> (data update; <contact>)`, the contact from LABORMATCH_UPDATE_CONTACT when set."""
    contact = os.environ.get(CONTACT_VARIABLE, "").strip()
    return f"labormatch/{labormatch.__version__} (data update{'; ' + contact if contact else ''})"


def _http_error(address: str, code: int) -> Exception:
    if code == 404:
        return UpdateError(
            f"{address}: not found (HTTP 404); the publisher moved or removed it: "
            "check the address in labormatch/update/sources.yaml"
        )
    if code in (401, 403):
        return UpdateError(
            f"{address}: request refused (HTTP {code}); check the API key, set {CONTACT_VARIABLE} "
            "to your e-mail address (BLS's file server asks for one), or try again later"
        )
    if code == 429:
        return _Transient(f"{address}: rate limit reached (HTTP 429)")
    if code in TRANSIENT_STATUS:
        return _Transient(f"{address}: server error (HTTP {code})")
    return UpdateError(f"{address}: request failed (HTTP {code})")


def _check_content(address: str, path: Path, content_type: str, expected: tuple[str, ...]) -> None:
    """An HTML page where a data file was expected, or a content type the source does not serve."""
    with open(path, "rb") as handle:
        head = handle.read(512).lstrip().lower()
    html = content_type == "text/html" or head.startswith((b"<!doctype html", b"<html"))
    if html and "text/html" not in expected:
        raise UpdateError(
            f"{address}: the server sent an HTML page instead of the data file "
            "(an error or sign-in page); try again later"
        )
    if expected and content_type and content_type not in expected:
        raise UpdateError(
            f"{address}: unexpected content type {content_type!r} (expected one of {', '.join(expected)})"
        )
