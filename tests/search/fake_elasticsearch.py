"""A local stand-in for an Elasticsearch server: a real HTTP server on 127.0.0.1 that
records what it receives and answers just enough of the API for indexing (index exists /
create, mapping update, `_bulk`). The real client talks to it over HTTP, so its requests,
headers, product check and error handling are exercised as they would be against a server.

    with FakeElasticsearch() as fake:
        with override_settings(ELASTICSEARCH_URL=fake.url):
            sync_pending()
        assert fake.bulk_operations() == [("index", "1:initiative:7"), ...]

`fail_ids` makes the `_bulk` answer report those document ids as failed (HTTP 500 each).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    body: bytes

    def ndjson(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


class FakeElasticsearch:
    def __init__(self, *, fail_ids: set[str] | None = None) -> None:
        self.fail_ids = set(fail_ids or ())
        self.indices: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._received: list[Received] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, status: int, body: Any = None) -> None:
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                # The client refuses servers that do not say they are Elasticsearch.
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                with fake._lock:
                    fake._received.append(Received(self.command, path, body))
                status, answer = fake._route(self.command, path, body)
                self._answer(status, answer)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-es", daemon=True
        )

    # --- the API it answers ------------------------------------------------------------

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        parts = [p for p in path.split("/") if p]
        if parts and parts[-1] == "_bulk":
            return 200, self._bulk(body)
        if len(parts) == 1 and method == "HEAD":
            return (200 if parts[0] in self.indices else 404), None
        if len(parts) == 1 and method == "PUT":
            self.indices[parts[0]] = json.loads(body or b"{}")
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": parts[0]}
        if len(parts) == 2 and parts[1] == "_mapping" and method in ("PUT", "POST"):
            if parts[0] not in self.indices:
                return 404, {"error": {"type": "index_not_found_exception", "reason": parts[0]}, "status": 404}
            mappings = self.indices[parts[0]].setdefault("mappings", {}).setdefault("properties", {})
            for name, definition in json.loads(body or b"{}").get("properties", {}).items():
                if name in mappings and mappings[name] != definition:
                    reason = f"mapper [{name}] cannot be changed"
                    return 400, {"error": {"type": "illegal_argument_exception", "reason": reason}, "status": 400}
                mappings[name] = definition
            return 200, {"acknowledged": True}
        if len(parts) == 1 and method == "DELETE":
            self.indices.pop(parts[0], None)
            return 200, {"acknowledged": True}
        return 404, {"error": {"type": "not_implemented", "reason": path}, "status": 404}

    def _bulk(self, body: bytes) -> dict[str, Any]:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items = []
        errors = False
        n = 0
        while n < len(lines):
            (action, meta), *_ = lines[n].items()
            n += 1
            source = None
            if action in ("index", "create", "update"):
                source = lines[n]
                n += 1
            doc_id = str(meta["_id"])
            if doc_id in self.fail_ids:
                errors = True
                items.append({action: {"_id": doc_id, "status": 500, "error": {"type": "fake_failure"}}})
                continue
            with self._lock:
                if action == "delete":
                    found = self.documents.pop(doc_id, None) is not None
                    items.append({action: {"_id": doc_id, "status": 200 if found else 404, "result": "deleted"}})
                else:
                    self.documents[doc_id] = source or {}
                    items.append({action: {"_id": doc_id, "status": 201, "result": "created"}})
        return {"took": 1, "errors": errors, "items": items}

    # --- what the tests read -------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def bulk_operations(self) -> list[tuple[str, str]]:
        """(action, document id) of every operation of every _bulk request, in order."""
        operations = []
        for request in self.received:
            if request.path.endswith("/_bulk"):
                for line in request.ndjson():
                    if len(line) == 1 and next(iter(line)) in ("index", "create", "update", "delete"):
                        (action, meta), *_ = line.items()
                        operations.append((action, str(meta["_id"])))
        return operations

    def __enter__(self) -> FakeElasticsearch:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
