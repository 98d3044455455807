"""The generated AsyncClient under asyncio.run, against the same fault-injecting server as Client."""

from __future__ import annotations

import asyncio
import time

import pytest
from june_server import WRITE_KEY, JuneServer

FAST = {"base": 0.005, "max_wait": 0.05, "max_time": 5.0}


@pytest.fixture
def server():
    with JuneServer() as s:
        yield s


def run(coro_fn, server, **options):
    from june import AsyncClient, RetryPolicy

    options.setdefault("retry", RetryPolicy(**FAST))
    options.setdefault("base_url", server.url)

    async def main():
        async with AsyncClient(WRITE_KEY, **options) as c:
            return await coro_fn(c)

    return asyncio.run(main())


def test_each_operation(june, server):
    async def calls(c):
        return await asyncio.gather(
            c.identify(user_id="u1", traits=june.JuneIdentifyRequestTraits(email="a@b.c")),
            c.track(june.JuneTrackRequest(event="Signed Up", anonymous_id="anon")),
            c.group(group_id="g1", user_id="u1"),
            c.page(user_id="u1"),
        )

    results = run(calls, server)
    assert all(isinstance(r, june.SuccessResponse) and r.success for r in results)
    assert sorted(p for p, _ in server.received) == ["/sdk/group", "/sdk/identify", "/sdk/page", "/sdk/track"]
    assert server.invalid == []


def test_validation_error_before_any_traffic(june, server):
    async def bad(c):
        return await c.track(event="e")

    with pytest.raises(june.ValidationError):
        run(bad, server)
    assert server.requests == 0


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": 429}, {"close": True}, {"delay": 1.0}],
                         ids=["500", "429", "connection-dropped", "slow"])
def test_transient_faults_are_retried(june, server, fault):
    server.fail(fault, fault)

    async def call(c):
        return await c.track(event="e", user_id="u")

    assert run(call, server, timeout=0.3).success is True
    assert server.requests == 3


def test_retry_after_is_honoured(june, server):
    from june import RetryPolicy

    server.fail({"status": 429, "headers": {"Retry-After": "1"}})
    started = time.monotonic()
    run(lambda c: c.track(event="e", user_id="u"), server, retry=RetryPolicy(base=0.001, max_wait=5))
    assert time.monotonic() - started >= 0.95 and server.requests == 2


def test_always_500_gives_retry_error(june, server):
    from june import ApiError, RetryError, RetryPolicy

    server.always = {"status": 503}
    with pytest.raises(RetryError) as info:
        run(lambda c: c.track(event="e", user_id="u"), server, retry=RetryPolicy(base=0.01, max_wait=0.05, max_time=0.4))
    assert isinstance(info.value.last, ApiError) and info.value.last.status == 503
    assert server.requests >= 2


@pytest.mark.parametrize("body", [b'{"error": "x"}', b"plain", b""])
def test_4xx_not_retried_and_typed(june, server, body):
    from june import ApiError

    server.fail({"status": 400, "body": body})
    with pytest.raises(ApiError) as info:
        run(lambda c: c.track(event="e", user_id="u"), server)
    assert info.value.status == 400 and info.value.code is None and server.requests == 1


def test_repr_hides_the_write_key(june, server):
    from june import AsyncClient

    c = AsyncClient(WRITE_KEY, base_url=server.url)
    assert WRITE_KEY not in repr(c)
    asyncio.run(c.aclose())


def test_proxy(june, server):
    from june import RetryPolicy

    async def call(c):
        return await c.track(event="e", user_id="u")

    assert run(call, server, base_url="http://june.invalid/sdk", proxy=server.origin,
               retry=RetryPolicy(max_attempts=1)).success
    assert server.proxied == ["http://june.invalid/sdk/track"]
