"""A local stand-in for a channel's API (X, Facebook's Graph API, a webhook receiver): a
real HTTP server on 127.0.0.1 that records every request it gets and answers from a script.

The adapters speak plain HTTP to the channel's configured endpoint, so pointing a channel
at this server exercises the real requests, headers, bodies, timeouts and error handling,
in this process or in a Celery worker started by the test.

    with FakeChannel([reply(500), reply(429, retry_after=0), reply(200, id="77")]) as fake:
        channel.endpoint_url = fake.url
        ...
        assert [r.answered for r in fake.requests] == [500, 429, 200]

Once the script is used up, every request gets `default` (a 200 that suits every adapter).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # JSON-encodable; None answers with an empty body
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (to outlast a client's timeout)


def reply(status: int = 200, *, retry_after: float | None = None, delay: float = 0.0, **body: Any) -> Reply:
    """A scripted answer: `reply(200, id="1")`, `reply(429, retry_after=1)`, `reply(500)`."""
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    return Reply(status=status, body=body or None, headers=headers, delay=delay)


# What each adapter needs from a successful answer: Facebook's `id`, X's `data.id`, and a
# webhook's optional `id` and `url`.
OK = Reply(200, {"id": "ext-1", "data": {"id": "ext-1"}, "url": "https://example.org/post/ext-1"})


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    answered: int  # the status this server answered with
    at: float  # time.monotonic() when it arrived

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode())

    @property
    def form(self) -> dict[str, str]:
        """A form-encoded body, one value per name."""
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


class FakeChannel:
    def __init__(self, script: list[Reply] | None = None, *, default: Reply = OK) -> None:
        self._script = list(script or [])
        self._default = default
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                arrived = time.monotonic()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = fake._next()
                parts = urlsplit(self.path)
                with fake._lock:
                    fake._requests.append(
                        Recorded(
                            method=self.command,
                            path=parts.path,
                            query=parse_qs(parts.query),
                            headers={k.lower(): v for k, v in self.headers.items()},
                            body=body,
                            answered=answer.status,
                            at=arrived,
                        )
                    )
                if answer.delay:
                    time.sleep(answer.delay)
                payload = json.dumps(answer.body).encode() if answer.body is not None else b""
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test): nothing to answer

            do_POST = do_PUT = do_GET = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # A short poll interval: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-channel", daemon=True
        )

    def _next(self) -> Reply:
        with self._lock:
            return self._script.pop(0) if self._script else self._default

    # --- control ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply, default: Reply | None = None) -> None:
        """Replace what is left of the script (and, optionally, the answer after it)."""
        with self._lock:
            self._script = list(replies)
            if default is not None:
                self._default = default

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def successes(self) -> list[Recorded]:
        return [r for r in self.requests if 200 <= r.answered < 300]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Recorded]:
        """Wait until at least `count` requests arrived (for requests another process sends)."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests

    def start(self) -> FakeChannel:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeChannel:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
