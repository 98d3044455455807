"""The generated June client against a real HTTP server on 127.0.0.1 (no mocked transport).

The server checks the Basic auth header and validates every body with
jsonschema against the June schemas, like the real API would reject bad input.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema
import pytest

from conftest import ROOT

WRITE_KEY = "wk_secret_123"
SCHEMAS = {
    f"/{stem}": json.loads((ROOT / "schemas" / "june" / f"{stem}.schema.json").read_text())
    for stem in ("identify", "track", "group", "page")
}


class JuneServer:
    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        self.fail_with: int | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                expected = "Basic " + base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"error": "bad write key"})
                if outer.fail_with:
                    return self._answer(outer.fail_with, {"error": "boom"})
                schema = SCHEMAS.get(self.path.removeprefix("/sdk"))
                if schema is None:
                    return self._answer(404, {"error": "no such endpoint"})
                data = json.loads(body)
                errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
                if errors:
                    return self._answer(400, {"error": errors[0].message})
                outer.received.append((self.path, data))
                return self._answer(200, {"status": 200, "success": True})

            def _answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/sdk"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with JuneServer() as s:
        yield s


@pytest.fixture
def client(june, server):
    from june import Client

    with Client(WRITE_KEY, base_url=server.url, timeout=5) as c:
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


def test_invalid_request_is_rejected_locally_before_any_traffic(june, client, server):
    with pytest.raises(june.ValidationError):
        client.track(event="Signed Up")  # neither userId nor anonymousId
    assert server.received == []


def test_non_2xx_raises_typed_api_error(june, server):
    from june import ApiError, Client

    server.fail_with = 503
    with Client(WRITE_KEY, base_url=server.url) as c, pytest.raises(ApiError) as info:
        c.group(group_id="g", user_id="u")
    assert info.value.status == 503 and "boom" in info.value.body


def test_wrong_write_key_gives_401_api_error(june, server):
    from june import ApiError, Client

    with Client("wrong", base_url=server.url) as c, pytest.raises(ApiError) as info:
        c.track(event="e", user_id="u")
    assert info.value.status == 401


def test_write_key_never_in_repr_or_errors(june, server):
    from june import ApiError, Client

    c = Client(WRITE_KEY, base_url=server.url)
    assert WRITE_KEY not in repr(c)
    server.fail_with = 500
    with pytest.raises(ApiError) as info:
        c.track(event="e", user_id="u")
    assert WRITE_KEY not in str(info.value) and WRITE_KEY not in repr(info.value)
    c.close()


def test_default_base_url_comes_from_the_service_description(june):
    from june.client import BASE_URL

    assert BASE_URL == "https://api.june.so/sdk"
