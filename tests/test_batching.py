"""BatchingClient against a real HTTP server on 127.0.0.1 that validates every message (tests/june_server.py).

Transient faults must lose nothing (in order, no duplicates after the server's
messageId de-duplication); permanent faults must reach on_error with every
message accounted for; exit and fork must not lose queued messages; flush()
must return by its timeout.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest
from conftest import GENERATED
from june_server import WRITE_KEY, JuneServer

FAST = {"base": 0.005, "max_wait": 0.05, "max_time": 10.0}


@pytest.fixture
def server():
    with JuneServer() as s:
        yield s


class Errors:
    """An on_error that records what it is given."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: list[tuple[Exception, list[dict]]] = []

    def __call__(self, error, messages):
        with self.lock:
            self.calls.append((error, messages))

    @property
    def messages(self):
        return [m for _, ms in self.calls for m in ms]


def make(server, errors=None, **options):
    from june import BatchingClient, RetryPolicy

    options.setdefault("retry", RetryPolicy(**FAST))
    return BatchingClient(WRITE_KEY, base_url=server.url, on_error=errors or Errors(), **options)


def track_many(client, n, who="t"):
    for i in range(n):
        assert client.track(event="Event", user_id=f"u{i % 7}", properties={"i": i, "who": who}) is True


def assert_all_delivered_in_order(server, n, who="t"):
    got = [m["properties"]["i"] for m in server.messages if m.get("properties", {}).get("who") == who]
    assert got == list(range(n))
    assert server.invalid == []


def test_messages_carry_the_envelope_and_are_valid(june, server):
    c = make(server)
    assert c.identify(user_id="u1", traits=june.JuneIdentifyRequestTraits(email="a@b.c"))
    assert c.track(event="Signed Up", anonymous_id="anon")
    assert c.group(group_id="g1", user_id="u1")
    assert c.page(june.JunePageRequest(user_id="u1", properties=june.JunePageRequestProperties(url="https://x.y/")))
    assert c.flush(timeout=10) is True
    c.close()
    assert server.invalid == []
    assert [m["type"] for m in server.messages] == ["identify", "track", "group", "page"]
    for m in server.messages:
        assert uuid.UUID(m["messageId"]).version == 4 and uuid.UUID(m["messageId"]).variant == uuid.RFC_4122
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", m["timestamp"])
        assert m["context"]["library"] == {"name": "june-python-generated", "version": "0.1.0"}
    track = server.messages[1]
    assert "userId" not in track and None not in track.values()  # absent fields are omitted, never null
    assert c.stats().delivered == 4 and c.stats().pending == 0


def test_given_timestamp_message_id_and_context_are_kept(june, server):
    c = make(server)
    c.track(event="e", user_id="u", timestamp=june.JuneTrackRequest.from_dict(
        {"event": "e", "userId": "u", "timestamp": "2024-01-02T03:04:05Z"}).timestamp,
            context=june.Context(ip="1.2.3.4"), extra={"messageId": "my-id"})
    c.close()
    (m,) = server.messages
    assert m["timestamp"] == "2024-01-02T03:04:05Z" and m["messageId"] == "my-id"
    assert m["context"] == {"ip": "1.2.3.4", "library": {"name": "june-python-generated", "version": "0.1.0"}}


def test_invalid_or_oversized_message_raises_at_the_call(june, server):
    from june.batching import MAX_MESSAGE_BYTES, MessageTooLargeError

    c = make(server)
    with pytest.raises(june.ValidationError):
        c.track(event="e")  # neither userId nor anonymousId
    with pytest.raises(MessageTooLargeError):
        c.track(event="e", user_id="u", properties={"blob": "x" * MAX_MESSAGE_BYTES})
    assert c.stats().enqueued == 0
    c.close()
    assert server.requests == 0


def test_batches_are_cut_by_count_and_by_bytes(server):
    c = make(server, max_batch_items=10)
    track_many(c, 95)
    c.close()
    assert_all_delivered_in_order(server, 95)
    assert max(n for n, _ in server.batches) <= 10 and len(server.batches) >= 10
    server2_start = len(server.batches)
    c = make(server, max_batch_bytes=2_000)
    track_many(c, 60, who="bytes")
    c.close()
    assert_all_delivered_in_order(server, 60, who="bytes")
    assert all(size <= 2_000 for _, size in server.batches[server2_start:])


def test_gzip(server):
    c = make(server, gzip=True)
    track_many(c, 50)
    c.close()
    assert_all_delivered_in_order(server, 50)
    assert server.gzipped >= 1


TRANSIENT = {
    "500-3-times": [{"status": 500}] * 3,
    "503-and-502": [{"status": 503}, {"status": 502}],
    "429-retry-after": [{"status": 429, "headers": {"Retry-After": "0.2"}}] * 2,
    "connection-dropped": [{"close": True}] * 3,
    "slow-answers": [{"delay": 0.6}, {"delay": 0.6}],
}


@pytest.mark.parametrize("faults", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_transient_faults_lose_nothing_in_order_without_duplicates(server, faults):
    errors = Errors()
    c = make(server, errors, max_batch_items=25, timeout=0.3)
    server.fail(*faults)
    track_many(c, 200)
    assert c.flush(timeout=20) is True
    c.close()
    assert_all_delivered_in_order(server, 200)
    assert errors.calls == []
    st = c.stats()
    assert (st.enqueued, st.delivered, st.failed, st.pending) == (200, 200, 0, 0)
    assert st.retries >= len(faults)


def test_same_message_ids_on_every_retry(server):
    c = make(server, max_batch_items=1000)
    server.fail({"status": 500}, {"close": True})
    c.track(event="e", user_id="u")
    c.close()
    first, second, third = server.attempt_ids[:3]
    assert first == second == third == [server.messages[0]["messageId"]]


def test_retry_after_is_honoured(server):
    from june import RetryPolicy

    c = make(server, retry=RetryPolicy(base=0.001, max_wait=5, max_time=10))
    server.fail({"status": 429, "headers": {"Retry-After": "1"}})
    started = time.monotonic()
    c.track(event="e", user_id="u")
    assert c.flush(timeout=10)
    assert time.monotonic() - started >= 0.95
    c.close()


PERMANENT = {
    "always-500": ({"status": 500}, "RetryError"),
    "always-dropped": ({"close": True}, "RetryError"),
    "400-json": ({"status": 400, "body": b'{"error": "no code key"}'}, "ApiError"),
    "400-text": ({"status": 400, "body": b"Bad Request"}, "ApiError"),
    "401-empty": ({"status": 401, "body": b""}, "ApiError"),
}


@pytest.mark.parametrize("fault, kind", PERMANENT.values(), ids=PERMANENT.keys())
def test_permanent_faults_reach_on_error_with_every_message(june, server, fault, kind):
    from june import RetryPolicy

    errors = Errors()
    c = make(server, errors, max_batch_items=40, retry=RetryPolicy(base=0.01, max_wait=0.05, max_time=0.3))
    server.always = fault
    track_many(c, 100)
    started = time.monotonic()
    assert c.flush(timeout=15) is True  # 3 batches x max_time 0.3 s, plus requests
    assert time.monotonic() - started < 10
    c.close()
    assert sorted(m["properties"]["i"] for m in errors.messages) == list(range(100))
    assert {type(e).__name__ for e, _ in errors.calls} == {kind}
    for error, _ in errors.calls:
        last = error.last if kind == "RetryError" else error
        assert not isinstance(last, KeyError)
        if kind == "ApiError":
            assert error.status in (400, 401) and error.body == fault["body"].decode()
    st = c.stats()
    assert (st.enqueued, st.delivered, st.failed, st.pending) == (100, 0, 100, 0)
    if kind == "ApiError":
        assert server.requests == len(errors.calls) and st.retries == 0  # not retried: one request per batch
    assert server.messages == []


def test_flush_returns_by_its_timeout_and_close_reports_the_rest(server):
    errors = Errors()
    c = make(server, errors, timeout=5, max_batch_items=10)
    server.always = {"delay": 1.5}
    track_many(c, 30)
    started = time.monotonic()
    assert c.flush(timeout=0.3) is False
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    assert c.close(timeout=0.3) is False
    assert time.monotonic() - started < 1.0
    st = c.stats()
    assert st.pending == 0 and st.enqueued == 30 and st.delivered + st.failed == 30
    from june import ShutdownError

    assert errors.calls and all(isinstance(e, ShutdownError) for e, _ in errors.calls)
    assert len(errors.messages) == st.failed
    assert c.track(event="e", user_id="u") is False  # closed: rejected and reported
    assert c.stats().rejected == 1 and len(errors.messages) == st.failed + 1


def test_full_queue_reject_policy_reports_each_message(june, server):
    from june import QueueFullError

    errors = Errors()
    c = make(server, errors, max_queue=5, on_full="reject", max_batch_items=1)
    server.always = {"delay": 0.3}
    results = [c.track(event="e", user_id="u", properties={"i": i, "who": "t"}) for i in range(30)]
    server.always = None
    assert c.flush(timeout=15)
    c.close()
    rejected = [i for i, ok in enumerate(results) if not ok]
    assert rejected and all(isinstance(e, QueueFullError) for e, _ in errors.calls)
    assert sorted(m["properties"]["i"] for m in errors.messages) == rejected
    st = c.stats()
    assert st.rejected == len(rejected) and st.delivered == 30 - len(rejected)
    assert sorted(m["properties"]["i"] for m in server.messages) == [i for i, ok in enumerate(results) if ok]


def test_full_queue_block_policy_waits_for_room(server):
    errors = Errors()
    c = make(server, errors, max_queue=5, on_full="block", block_timeout=10, max_batch_items=2)
    track_many(c, 60)
    c.close()
    assert_all_delivered_in_order(server, 60)
    assert errors.calls == [] and c.stats().rejected == 0


def test_default_on_error_logs_without_the_write_key(june, server, caplog):
    from june import BatchingClient, RetryPolicy

    caplog.set_level(logging.DEBUG)
    c = BatchingClient(WRITE_KEY, base_url=server.url, retry=RetryPolicy(base=0.001, max_attempts=2))
    assert WRITE_KEY not in repr(c)
    server.always = {"status": 500}
    c.track(event="e", user_id="u")
    c.close(timeout=5)
    assert "1 message(s) not delivered" in caplog.text
    import base64

    assert WRITE_KEY not in caplog.text and base64.b64encode(f"{WRITE_KEY}:".encode()).decode() not in caplog.text


def test_on_error_that_raises_does_not_kill_the_worker(server):
    def bad(error, messages):
        raise RuntimeError("handler bug")

    c = make(server, bad, max_batch_items=1, retry=__import__("june").RetryPolicy(max_attempts=1))
    server.fail({"status": 400})
    c.track(event="e", user_id="u", properties={"i": 0, "who": "t"})
    c.track(event="e", user_id="u", properties={"i": 1, "who": "t"})
    assert c.flush(timeout=10)
    c.close()
    assert [m["properties"]["i"] for m in server.messages] == [1]


# -- exit and fork: real processes ------------------------------------------------

_PRELUDE = """
import os, sys
sys.path.insert(0, {generated!r})
from june import BatchingClient
client = BatchingClient({key!r}, base_url={url!r})
"""


def _run(server, body):
    code = _PRELUDE.format(generated=str(GENERATED), key=WRITE_KEY, url=server.url) + textwrap.dedent(body)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_exit_without_flush_delivers_everything(server):
    _run(server, """
        for i in range(5000):
            client.track(event="e", user_id="u", properties={"i": i, "who": "main"})
        # no flush(), no close(): the atexit hook delivers the queue
    """)
    assert_all_delivered_in_order(server, 5000, who="main")
    assert server.duplicates == 0


def test_forked_child_exiting_without_flush_delivers_all_5000(server):
    proc = _run(server, """
        for i in range(300):
            client.track(event="e", user_id="u", properties={"i": i, "who": "parent"})
        pid = os.fork()  # the parent's queue is likely not empty here
        if pid == 0:
            for i in range(5000):
                client.track(event="e", user_id="u", properties={"i": i, "who": "child"})
            sys.exit(0)  # a normal exit, no flush()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        client.flush(10)
        print(client.stats().delivered)
    """)
    assert_all_delivered_in_order(server, 5000, who="child")
    assert_all_delivered_in_order(server, 300, who="parent")  # once each: the child did not resend them
    assert server.duplicates == 0 and int(proc.stdout) == 300


def test_exit_is_bounded_by_exit_timeout_and_reports(server):
    server.always = {"delay": 3}
    started = time.monotonic()
    proc = _run(server, """
        import json
        client.on_error = lambda error, messages: print(
            type(error).__name__, json.dumps([m["properties"]["i"] for m in messages]), flush=True)
        client.exit_timeout = 0.5
        for i in range(20):
            client.track(event="e", user_id="u", properties={"i": i, "who": "x"})
    """)
    assert time.monotonic() - started < 10
    reported = [line.split(" ", 1) for line in proc.stdout.splitlines()]
    assert {kind for kind, _ in reported} == {"ShutdownError"}
    assert sorted(i for _, ids in reported for i in json.loads(ids)) == list(range(20))


def test_proxy_is_honoured(june, server):
    from june import BatchingClient

    c = BatchingClient(WRITE_KEY, base_url="http://june.invalid/sdk", proxy=server.origin, on_error=Errors())
    c.track(event="e", user_id="u")
    assert c.close(timeout=10)
    assert server.proxied == ["http://june.invalid/sdk/batch"] and len(server.messages) == 1


def test_clients_are_exported_lazily(june):
    from june import batching, client

    for name in ("BatchingClient", "BatchStats", "MessageTooLargeError", "QueueFullError", "ShutdownError"):
        assert getattr(june, name) is getattr(batching, name) and name in june.__all__
    for name in ("Client", "AsyncClient", "ApiError", "RetryError", "RetryPolicy"):
        assert getattr(june, name) is getattr(client, name) and name in june.__all__
    with pytest.raises(AttributeError):
        june.NoSuchClient  # noqa: B018


def test_multiprocessing_child_delivers_without_flush(server):
    """multiprocessing children end with os._exit(), skipping atexit: the client closes at their exit hook."""
    _run(server, """
        import multiprocessing

        def work():
            for i in range(2000):
                client.track(event="e", user_id="u", properties={"i": i, "who": "mp"})

        client.track(event="e", user_id="u", properties={"i": 0, "who": "parent"})
        p = multiprocessing.get_context("fork").Process(target=work)
        p.start()
        p.join()
        assert p.exitcode == 0
    """)
    assert_all_delivered_in_order(server, 2000, who="mp")
    assert_all_delivered_in_order(server, 1, who="parent")


def test_many_producer_threads_lose_nothing_and_keep_each_threads_order(server):
    c = make(server, max_batch_items=50)
    server.fail({"status": 503}, {"close": True})
    threads = [threading.Thread(target=track_many, args=(c, 500, f"thread{k}")) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert c.close(timeout=20)
    for k in range(4):
        assert_all_delivered_in_order(server, 500, who=f"thread{k}")
    st = c.stats()
    assert (st.enqueued, st.delivered, st.failed, st.rejected, st.pending) == (2000, 2000, 0, 0, 0)
    assert server.duplicates == 0


def test_max_time_bounds_a_batch_even_when_the_server_hangs(server):
    from june import RetryError, RetryPolicy

    errors = Errors()
    c = make(server, errors, timeout=30, retry=RetryPolicy(base=0.01, max_wait=0.05, max_time=0.5))
    server.always = {"delay": 3}
    c.track(event="e", user_id="u", properties={"i": 0, "who": "t"})
    started = time.monotonic()
    assert c.flush(timeout=10) is True
    assert time.monotonic() - started < 2.5
    assert [type(e) for e, _ in errors.calls] == [RetryError] and len(errors.messages) == 1
    c.close()
