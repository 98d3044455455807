"""The generated blocking June client against a real HTTP server on 127.0.0.1 (no mocked transport).

The server (tests/june_server.py) checks the Basic auth header and validates
every body with jsonschema against the June schemas, and injects faults:
5xx, 429 with Retry-After, dropped connections, slow answers, 4xx bodies.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from june_server import WRITE_KEY, JuneServer

FAST = {"base": 0.005, "max_wait": 0.05, "max_time": 5.0}


@pytest.fixture
def server():
    with JuneServer() as s:
        yield s


@pytest.fixture
def client(june, server):
    from june import Client, RetryPolicy

    with Client(WRITE_KEY, base_url=server.url, timeout=5, retry=RetryPolicy(**FAST)) as c:
        yield c


def test_each_operation_posts_valid_json_with_basic_auth(june, client, server):
    r1 = client.identify(user_id="u1", traits=june.JuneIdentifyRequestTraits(email="a@b.c", extra={"plan": "pro"}))
    r2 = client.track(june.JuneTrackRequest(event="Signed Up", anonymous_id="anon"))
    r3 = client.group(group_id="g1", user_id="u1")
    r4 = client.page(user_id="u1", properties=june.JunePageRequestProperties(url="https://x.example/a"))
    for r in (r1, r2, r3, r4):
        assert isinstance(r, june.SuccessResponse)
        assert r.status == 200 and r.success is True
    assert server.received == [
        ("/sdk/identify", {"userId": "u1", "traits": {"email": "a@b.c", "plan": "pro"}}),
        ("/sdk/track", {"anonymousId": "anon", "event": "Signed Up"}),
        ("/sdk/group", {"userId": "u1", "groupId": "g1"}),
        ("/sdk/page", {"userId": "u1", "properties": {"url": "https://x.example/a"}}),
    ]
    assert server.invalid == []


def test_invalid_request_is_rejected_locally_before_any_traffic(june, client, server):
    with pytest.raises(june.ValidationError):
        client.track(event="Signed Up")  # neither userId nor anonymousId
    assert server.requests == 0


@pytest.mark.parametrize("fault", [
    {"status": 500}, {"status": 502}, {"status": 503}, {"status": 429}, {"close": True},
], ids=["500", "502", "503", "429", "connection-dropped"])
def test_transient_faults_are_retried_until_success(june, client, server, fault):
    server.fail(fault, fault)
    assert client.track(event="e", user_id="u").success is True
    assert server.requests == 3
    assert server.received == [("/sdk/track", {"userId": "u", "event": "e"})]


def test_slow_answer_times_out_and_is_retried(june, server):
    from june import Client, RetryPolicy

    server.fail({"delay": 1.0})
    with Client(WRITE_KEY, base_url=server.url, timeout=0.2, retry=RetryPolicy(**FAST)) as c:
        assert c.group(group_id="g", user_id="u").success is True
    assert server.requests == 2


@pytest.fixture
def patient(june, server):
    from june import Client, RetryPolicy

    with Client(WRITE_KEY, base_url=server.url, retry=RetryPolicy(base=0.005, max_wait=5, max_time=10)) as c:
        yield c


def test_retry_after_seconds_is_honoured(june, patient, server):
    server.fail({"status": 429, "headers": {"Retry-After": "1"}})
    started = time.monotonic()
    patient.track(event="e", user_id="u")
    assert time.monotonic() - started >= 0.95  # the jittered backoff alone would wait <= 5 ms
    assert server.requests == 2


def test_retry_after_http_date_is_honoured(june, patient, server):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    server.fail({"status": 503, "headers": {"Retry-After": when}})
    started = time.monotonic()
    patient.track(event="e", user_id="u")
    assert time.monotonic() - started >= 0.9  # HTTP dates have whole seconds
    assert server.requests == 2


def test_retry_after_is_capped_by_max_wait(june, server):
    from june import Client, RetryPolicy

    server.fail({"status": 429, "headers": {"Retry-After": "3600"}})
    with Client(WRITE_KEY, base_url=server.url, retry=RetryPolicy(base=0.01, max_wait=0.1, max_time=5)) as c:
        assert c.track(event="e", user_id="u").success is True
    assert server.requests == 2


def test_parse_retry_after(june):
    from june.client import parse_retry_after

    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    future = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= parse_retry_after(future) <= 30


def test_always_5xx_gives_retry_error_within_max_time(june, server):
    from june import ApiError, Client, RetryError, RetryPolicy

    server.always = {"status": 500}
    started = time.monotonic()
    policy = RetryPolicy(base=0.02, max_wait=0.1, max_time=0.5)
    with Client(WRITE_KEY, base_url=server.url, retry=policy) as c, pytest.raises(RetryError) as info:
        c.track(event="e", user_id="u")
    assert time.monotonic() - started < 3
    assert isinstance(info.value.last, ApiError) and info.value.last.status == 500
    assert info.value.__cause__ is info.value.last
    assert info.value.attempts == server.requests >= 2


def test_max_attempts(june, server):
    from june import Client, RetryError, RetryPolicy

    server.always = {"close": True}
    policy = RetryPolicy(base=0.001, max_attempts=3)
    with Client(WRITE_KEY, base_url=server.url, retry=policy) as c, pytest.raises(RetryError) as info:
        c.track(event="e", user_id="u")
    assert server.requests == 3
    import httpx

    assert isinstance(info.value.last, httpx.TransportError)


@pytest.mark.parametrize("body, data, code", [
    (b'{"code": "bad_request", "message": "nope"}', {"code": "bad_request", "message": "nope"}, "bad_request"),
    (b'{"error": "no code key here"}', {"error": "no code key here"}, None),
    (b"Bad Request (plain text)", None, None),
    (b"", None, None),
], ids=["json-with-code", "json-without-code", "not-json", "empty"])
def test_4xx_is_a_typed_api_error_and_not_retried(june, client, server, body, data, code):
    from june import ApiError

    server.fail({"status": 400, "body": body})
    with pytest.raises(ApiError) as info:
        client.track(event="e", user_id="u")
    err = info.value
    assert (err.status, err.body, err.data, err.code) == (400, body.decode(), data, code)
    assert server.requests == 1


@pytest.mark.parametrize("status", [501, 505, 404, 422])
def test_other_statuses_are_not_retried(june, client, server, status):
    from june import ApiError

    server.fail({"status": status})
    with pytest.raises(ApiError) as info:
        client.track(event="e", user_id="u")
    assert info.value.status == status and server.requests == 1


def test_wrong_write_key_gives_401_api_error(june, server):
    from june import ApiError, Client

    with Client("wrong", base_url=server.url) as c, pytest.raises(ApiError) as info:
        c.track(event="e", user_id="u")
    assert info.value.status == 401


def test_write_key_never_in_repr_logs_or_errors(june, server, caplog):
    from june import ApiError, Client, RetryError, RetryPolicy

    caplog.set_level(logging.DEBUG)
    c = Client(WRITE_KEY, base_url=server.url, retry=RetryPolicy(base=0.001, max_attempts=2))
    assert WRITE_KEY not in repr(c) and WRITE_KEY not in repr(vars(c))
    c.track(event="e", user_id="u")
    server.always = {"status": 500}
    with pytest.raises(RetryError) as info:
        c.track(event="e", user_id="u")
    server.always = {"status": 403}
    with pytest.raises(ApiError) as info2:
        c.track(event="e", user_id="u")
    c.close()
    import base64

    encoded = base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
    texts = [str(info.value), repr(info.value), str(info.value.last), repr(info.value.last),
             str(info2.value), repr(info2.value), caplog.text]
    assert caplog.records, "httpx logged nothing at DEBUG: the check would be empty"
    for text in texts:
        assert WRITE_KEY not in text and encoded not in text


def test_proxy_is_honoured(june, server):
    from june import Client, RetryPolicy

    # The server doubles as a forward proxy target: a request through a proxy has an absolute URL.
    with Client(WRITE_KEY, base_url="http://june.invalid/sdk", proxy=server.origin,
                retry=RetryPolicy(max_attempts=1)) as c:
        assert c.track(event="e", user_id="u").success is True
    with Client(WRITE_KEY, base_url="http://june.invalid/sdk", proxies={"http": server.origin},
                retry=RetryPolicy(max_attempts=1)) as c:
        assert c.page(user_id="u").success is True
    assert server.proxied == ["http://june.invalid/sdk/track", "http://june.invalid/sdk/page"]


def test_default_base_url_comes_from_the_service_description(june):
    from june.client import BASE_URL

    assert BASE_URL == "https://api.june.so/sdk"


@pytest.mark.parametrize("timeout", [10.0, "httpx"])
def test_max_time_cuts_a_slow_attempt_short(june, server, timeout):
    import httpx
    from june import Client, RetryError, RetryPolicy

    server.always = {"delay": 3}
    timeout = httpx.Timeout(10.0, connect=5.0) if timeout == "httpx" else timeout
    started = time.monotonic()
    with Client(WRITE_KEY, base_url=server.url, timeout=timeout,
                retry=RetryPolicy(base=0.01, max_wait=0.05, max_time=0.5)) as c, pytest.raises(RetryError) as info:
        c.track(event="e", user_id="u")
    assert time.monotonic() - started < 2.0  # not the 10 s of the configured timeout
    assert isinstance(info.value.last, httpx.TimeoutException)
