"""A local HTTP server on 127.0.0.1 for the `data update` tests, and the small official-format fixture files
it serves (generated here): an OFLC H-2A workbook in the FY2020-and-later layout, BLS API v2 JSON responses,
BLS flat files, a SeasonalJobs response. No test reaches beyond 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFLC_PAGE = "/oflc/agencies/eta/foreign-labor/performance"
OFLC_FILES = "/oflc/sites/dolgov/files/ETA/oflc/pdfs/"
BLS_API = "/bls_api/publicAPI/v2/timeseries/data/"
BLS_FLAT = "/bls_flat/pub/time.series/"
SEASONALJOBS = "/seasonaljobs/datahub/search"
# Form ETA-9142A (FY2020-) columns the H-2A layout reads (labormatch/sources/oflc_layouts.py, h2a_2020)
H2A_2020_COLUMNS = [
    "CASE_NUMBER",
    "CASE_STATUS",
    "RECEIVED_DATE",
    "DECISION_DATE",
    "TOTAL_WORKERS_H2A_REQUESTED",
    "TOTAL_WORKERS_H2A_CERTIFIED",
    "EMPLOYMENT_BEGIN_DATE",
    "EMPLOYMENT_END_DATE",
    "NAICS_CODE",
    "SOC_CODE",
    "JOB_TITLE",
    "WORKSITE_STATE",
    "WAGE_OFFER",
    "PER",
    "NATURE_OF_TEMPORARY_NEED",
]


def h2a_workbook(fiscal_year: int, columns=H2A_2020_COLUMNS) -> bytes:
    """Three certified H-2A cases of `fiscal_year` (10, 20 and 30 workers), decided through September."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns)
    for i, (workers, month) in enumerate([(10, 11), (20, 3), (30, 9)]):
        year = fiscal_year - 1 if month >= 10 else fiscal_year
        row = {
            "CASE_NUMBER": f"H-300-{fiscal_year}-{i}",
            "CASE_STATUS": "Determination Issued - Certification",
            "RECEIVED_DATE": f"{year}-{month:02d}-01",
            "DECISION_DATE": f"{year}-{month:02d}-28",
            "TOTAL_WORKERS_H2A_REQUESTED": workers,
            "TOTAL_WORKERS_H2A_CERTIFIED": workers,
            "EMPLOYMENT_BEGIN_DATE": f"{fiscal_year}-04-01",
            "EMPLOYMENT_END_DATE": f"{fiscal_year}-06-30",
            "NAICS_CODE": "111219",
            "SOC_CODE": "45-2092",
            "JOB_TITLE": "Farmworker",
            "WORKSITE_STATE": "FL",
            "WAGE_OFFER": 15.0,
            "PER": "Hour",
            "NATURE_OF_TEMPORARY_NEED": "Seasonal",
        }
        sheet.append([row.get(c, "x") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def oflc_page(names: list[str]) -> bytes:
    links = "".join(f'<li><a href="/sites/dolgov/files/ETA/oflc/pdfs/{n}">{n}</a></li>' for n in names)
    return f"<!DOCTYPE html><html><body><h1>Performance Data</h1><ul>{links}</ul></body></html>".encode()


def api_response(
    series_ids: list[str],
    start: int,
    end: int,
    last_month: tuple[int, int],
    status: str = "REQUEST_SUCCEEDED",
    message: list[str] | None = None,
) -> dict:
    """A BLS API v2 response: every month of `start`..`end` up to `last_month`, newest first, value
    100 + month number (so each month's value is known), the last month marked preliminary."""
    series = []
    for sid in series_ids:
        data = [
            {
                "year": str(y),
                "period": f"M{m:02d}",
                "periodName": "",
                "value": f"{100 + m}",
                "footnotes": [{"code": "P", "text": "preliminary"}] if (y, m) == last_month else [{}],
            }
            for y in range(end, start - 1, -1)
            for m in range(12, 0, -1)
            if (y, m) <= last_month
        ]
        series.append({"seriesID": sid, "data": data})
    return {
        "status": status,
        "responseTime": 12,
        "message": message or [],
        "Results": {"series": series} if status == "REQUEST_SUCCEEDED" else {},
    }


@dataclass
class Route:
    """What the server answers at a path: status, content type, body, and a misbehaviour if any
    ("slow": answers after `delay` s; "truncate": claims more bytes than it sends)."""

    body: bytes | None = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    mode: str = ""
    delay: float = 2.0
    api: dict | None = None  # for the BLS API: {"last_month": (y, m), "status": ..., "message": [...]}


@dataclass
class Server:
    """The running server: `url` (the mirror root), `routes` by path, `log` of (method, path, body)."""

    url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str, dict | None]] = field(default_factory=list)


def start() -> tuple[Server, ThreadingHTTPServer]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, body_json):
            state.log.append((self.command, self.path, body_json))
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            body = route.body
            if route.api is not None:
                api = route.api
                assert len(body_json["seriesid"]) <= 50, "more than 50 series in one API v2 request"
                start_year, end_year = int(body_json["startyear"]), int(body_json["endyear"])
                assert end_year - start_year < 20, "more than 20 years in one API v2 request"
                assert body_json.get("registrationkey"), "API v2 request without a key"
                payload = api_response(
                    body_json["seriesid"],
                    start_year,
                    end_year,
                    api.get("last_month", (0, 0)),
                    api.get("status", "REQUEST_SUCCEEDED"),
                    api.get("message"),
                )
                body = json.dumps(payload).encode()
            if route.mode == "slow":
                time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body) * (2 if route.mode == "truncate" else 1)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
            if route.mode == "truncate":
                self.close_connection = True

        def do_GET(self):
            self._answer(None)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(json.loads(self.rfile.read(length) or b"null"))

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return state, httpd
