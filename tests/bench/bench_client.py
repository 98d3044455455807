"""`make bench`, client part: events/s of BatchingClient against june-analytics-python, in one run.

Each contender runs in its own process (the SDK's import name ``june.analytics``
clashes with our generated ``june``) and does 20,000 ``track()`` calls, then
``flush()``; the time is from the first call until ``flush()`` returns.  Both
post to the same local server, which runs in a third process, accepts
``POST /sdk/batch`` (keep-alive, gzip or not), parses every batch and counts
the messages: a run counts only if the server received every event.
Best of ``--repeat`` runs each.  Both use their defaults, except that the SDK
gets ``max_queue_size=1_000_000``: with its default (10,000) it drops events
of a 20,000-event burst (about 40% in one trial here), which is no fair race.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 20_000

SERVER = r"""
import gzip, json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

count = 0
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stalls

    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        n = len(json.loads(body)["batch"])
        with lock:
            count += n
        self._answer(b'{"status": 200, "success": true}')

    def do_GET(self):
        self._answer(str(count).encode())

    def _answer(self, raw):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

server = Server(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
"""

OURS = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from june import BatchingClient

client = BatchingClient("bench-write-key", base_url=sys.argv[1] + "/sdk")
n = int(sys.argv[3])
started = time.perf_counter()
for i in range(n):
    client.track(event="Feature Used", user_id="user_12345", properties={"feature": "CSV Export", "i": i})
ok = client.flush(timeout=120)
elapsed = time.perf_counter() - started
stats = client.stats()
print(json.dumps({"seconds": elapsed, "ok": ok, "delivered": stats.delivered, "rejected": stats.rejected}))
"""

SDK = r"""
import json, sys, time
from june.analytics import Client

client = Client("bench-write-key", host=sys.argv[1], max_queue_size=1_000_000)
n = int(sys.argv[3])
started = time.perf_counter()
for i in range(n):
    client.track(user_id="user_12345", event="Feature Used", properties={"feature": "CSV Export", "i": i})
client.flush()
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "ok": True}))
"""


def server_count(origin: str) -> int:
    with urllib.request.urlopen(origin + "/count", timeout=10) as r:
        return int(r.read())


def run_one(script: str, origin: str, events: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    before = server_count(origin)
    proc = subprocess.run([sys.executable, "-c", script, origin, str(ROOT / "generated"), str(events)],
                          capture_output=True, text=True, cwd=tempfile.gettempdir(), env=env, timeout=600, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    time.sleep(0.2)  # a late batch would still be counted below
    received = server_count(origin) - before
    if received != events or not result["ok"]:
        raise RuntimeError(f"server received {received} of {events} events ({result})")
    return events / result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        origin = f"http://127.0.0.1:{int(server.stdout.readline())}"
        rows: list[tuple[str, float | str]] = []
        for name, script in (("schema-generator BatchingClient", OURS), ("june-analytics-python 2.3.0", SDK)):
            try:
                rows.append((name, max(run_one(script, origin, args.events) for _ in range(args.repeat))))
            except RuntimeError as err:
                rows.append((name, f"not measured: {err}"))
    finally:
        server.terminate()
        server.wait()
    print(f"\nClient throughput: {args.events:,} track() calls until flush() returns "
          f"(best of {args.repeat}, same local server)")
    for name, value in rows:
        print(f"  {name:<34} {value:>10,.0f} events/s" if isinstance(value, float) else f"  {name:<34} {value}")
    ours, sdk = rows[0][1], rows[1][1]
    if isinstance(ours, float) and isinstance(sdk, float):
        print(f"  ratio: {ours / sdk:.1f}x june-analytics-python")


if __name__ == "__main__":
    main()
