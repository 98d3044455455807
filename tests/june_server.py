"""A June API stand-in on 127.0.0.1 for the client tests: real HTTP, real sockets, fault modes.

It checks the Basic auth header and validates every body (each message of a
batch too) with jsonschema against the June schemas, as the real API would.
Faults come from ``script`` (consumed one per request) or ``always``; each is a
dict: ``{"status": 500}``, ``{"status": 429, "headers": {"Retry-After": "1"}}``,
``{"status": 400, "body": b"text"}``, ``{"close": True}`` (read the request, then
drop the connection without answering) or ``{"delay": 0.5}`` (answer normally,
late).  Accepted batch messages are kept once per ``messageId``, as the API
de-duplicates; ``attempt_ids`` lists the ids of every batch request, failed or not.
"""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

import jsonschema
from conftest import ROOT

WRITE_KEY = "wk_secret_123"
TYPES = ("identify", "track", "group", "page")
VALIDATORS = {
    t: jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / "june" / f"{t}.schema.json").read_text()))
    for t in TYPES
}


class JuneServer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, dict]] = []  # accepted single calls: (path, body)
        self.messages: list[dict] = []  # accepted batch messages, first copy of each messageId, in order
        self.duplicates = 0
        self.batches: list[tuple[int, int]] = []  # accepted batches: (messages, body bytes on the wire)
        self.attempt_ids: list[list[str]] = []  # messageIds of every batch request, in arrival order
        self.requests = 0
        self.invalid: list[str] = []
        self.proxied: list[str] = []  # absolute-form request targets (the client went through a proxy)
        self.gzipped = 0
        self.script: deque[dict] = deque()
        self.always: dict | None = None
        self._seen: set[str] = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stalls

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.requests += 1
                    fault = outer.script.popleft() if outer.script else outer.always
                    if self.path.startswith("http"):
                        outer.proxied.append(self.path)
                path = urlsplit(self.path).path
                expected = "Basic " + base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"error": "bad write key"})
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                    with outer.lock:
                        outer.gzipped += 1
                body = json.loads(raw)
                if path == "/sdk/batch":
                    with outer.lock:
                        outer.attempt_ids.append([m.get("messageId") for m in body.get("batch", [])])
                fault = fault or {}
                if fault.get("close"):
                    self.close_connection = True
                    return None
                if fault.get("delay"):
                    time.sleep(fault["delay"])
                if fault.get("status"):
                    payload = fault.get("body", json.dumps({"error": "boom"}).encode())
                    return self._answer(fault["status"], payload, fault.get("headers", {}))
                if path == "/sdk/batch":
                    return self._batch(body, len(raw))
                kind = path.removeprefix("/sdk/")
                if kind not in VALIDATORS:
                    return self._answer(404, {"error": "no such endpoint"})
                errors = [e.message for e in VALIDATORS[kind].iter_errors(body)]
                if errors:
                    with outer.lock:
                        outer.invalid.extend(errors)
                    return self._answer(400, {"code": "invalid", "error": errors[0]})
                with outer.lock:
                    outer.received.append((path, body))
                return self._answer(200, {"status": 200, "success": True})

            def _batch(self, body, size):
                batch = body.get("batch")
                errors = [] if isinstance(batch, list) and isinstance(body.get("sentAt"), str) else ["bad envelope"]
                for m in batch or []:
                    if m.get("type") not in VALIDATORS:
                        errors.append(f"bad type {m.get('type')!r}")
                    else:
                        errors += [e.message for e in VALIDATORS[m["type"]].iter_errors(m)]
                    if not isinstance(m.get("messageId"), str):
                        errors.append("no messageId")
                if errors:
                    with outer.lock:
                        outer.invalid.extend(errors)
                    return self._answer(400, {"code": "invalid", "error": errors[0]})
                with outer.lock:
                    outer.batches.append((len(batch), size))
                    for m in batch:
                        if m["messageId"] in outer._seen:
                            outer.duplicates += 1
                        else:
                            outer._seen.add(m["messageId"])
                            outer.messages.append(m)
                return self._answer(200, {"status": 200, "success": True})

            def _answer(self, status, payload, headers=None):
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request, client_address):
                pass  # a client that timed out and hung up is one of the scenarios

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = self.origin + "/sdk"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail(self, *faults: dict) -> None:
        with self.lock:
            self.script.extend(faults)
