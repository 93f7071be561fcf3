"""Read-only SPARQL 1.1 Protocol endpoint (stdlib WSGI) whose queries run in killable worker processes.

The server never evaluates a query itself: :mod:`govkg.workers` hands each one to a worker process that opens
the store read-only (and kills it when the query passes its time limit or memory cap), where
:func:`govkg.protocol.answer` runs it.
"""

from __future__ import annotations

import html
import json
import logging
import os
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.util import application_uri

import pyoxigraph as ox

from .protocol import NO_SERVICE, READ_ONLY, answer, description, formats, text_reply, uses_service
from .query import list_queries
from .store import is_build_dir, is_store_dir, open_store
from .workers import LimitExceeded, PoolBusy, Reply, WorkerFailed, WorkerPool

__all__ = ["make_app", "make_server", "serve", "SparqlApp"]

_LOG = logging.getLogger("govkg.server")
_PAGE = Path(__file__).resolve().parent / "data" / "server" / "index.html"

_CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "X-Govkg-Truncated, X-Govkg-Note"),
]
_STATUS = {
    200: "200 OK",
    204: "204 No Content",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    408: "408 Request Timeout",
    413: "413 Payload Too Large",
    415: "415 Unsupported Media Type",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
_RESERVED = ("format", "output")  # parameters of /queries/NAME that choose the format, not bind the query


def _input_html(name: str, kind: str, required: bool, description: str) -> str:
    attrs = f'name="{html.escape(name, quote=True)}" title="{html.escape(description, quote=True)}"'
    attrs += " required" if required else ""
    if kind == "boolean":
        return f'<select {attrs}><option value=""></option><option>true</option><option>false</option></select>'
    kind_attr = {"date": ' type="date"', "integer": ' type="number" step="1"', "decimal": ' type="number" step="any"'}
    return f'<input {attrs}{kind_attr.get(kind, "")} placeholder="{html.escape(description, quote=True)}">'


def _render_page(view: bool, limits: str) -> str:
    items, forms = [], []
    for q in list_queries():
        name = html.escape(q.name, quote=True)
        params = ", ".join(p.name for p in q.params)
        extra = f' <span class="en">(parameters: {html.escape(params)})</span>' if params else ""
        items.append(
            f'      <li><button type="button" class="q" data-name="{name}">{name}</button> '
            f"{html.escape(q.zh)}<br><span class=\"en\">{html.escape(q.en)}</span>{extra}"
            f'<template id="q-{name}">{html.escape(q.text)}</template></li>'
        )
        fields = [
            f'<label><code>{html.escape(p.name)}</code> <span class="en">({html.escape(p.kind)}'
            f'{", required" if p.required else ""}) {html.escape(p.description)}</span><br>'
            f"{_input_html(p.name, p.kind, p.required, p.description)}</label>"
            for p in q.params
        ] or ['<span class="en">This query takes no parameters.</span>']
        forms.append(
            f'      <fieldset id="params-{name}" class="params" data-action="queries/{name}" disabled hidden>'
            f"<legend>{name}</legend>{''.join(fields)}</fieldset>"
        )
    page = _PAGE.read_text(encoding="utf-8")
    link = ' Graph view: <a href="view">/view</a>.' if view else ""
    return (
        page.replace("<!--QUERIES-->", "\n".join(items))
        .replace("<!--PARAMS-->", "\n".join(forms))
        .replace("<!--VIEW-->", link)
        .replace("<!--LIMITS-->", html.escape(limits))
    )


def _on_disk(store: object) -> tuple[str, tempfile.TemporaryDirectory[str] | None]:
    """The directory of an on-disk store holding ``store``: its own, or a temporary copy the workers can open."""
    if isinstance(store, (str, os.PathLike)):
        if is_build_dir(store):
            return str(Path(store) / "store"), None
        if is_store_dir(store):
            return str(store), None
    tmp = tempfile.TemporaryDirectory(prefix="govkg-serve-")
    try:
        if isinstance(store, ox.Store):
            disk = ox.Store(tmp.name)
            disk.bulk_extend(store)
        else:
            disk = open_store(store, path=tmp.name)
        disk.flush()
        del disk  # closed before the workers open it read-only
    except BaseException:
        tmp.cleanup()
        raise
    return tmp.name, tmp


def _close(pool: WorkerPool, tmp: tempfile.TemporaryDirectory[str] | None) -> None:
    pool.close()
    if tmp is not None:
        tmp.cleanup()


class _Response(Exception):
    """Raised inside request handling to answer with a plain-text status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SparqlApp:
    """The WSGI application: ``/`` page, ``/view`` graph view, ``/sparql`` protocol endpoint, ``/queries``.

    ``store`` is anything :func:`make_app` takes. Queries run in ``max_running`` worker processes; see
    :func:`make_app` for the limits. Call :meth:`close` to end the workers (``server_close`` does).
    """

    def __init__(
        self,
        store: object,
        *,
        timeout: float = 10.0,
        row_limit: int = 10000,
        view_html: str | None = None,
        max_running: int = 2,
        memory_limit: int = 1024,
        queue_timeout: float | None = None,
        max_body: int = 1 << 20,
    ) -> None:
        self.timeout = float(timeout)
        self.row_limit = int(row_limit)
        self.memory_limit = int(memory_limit)
        self.view_html = view_html
        self.max_body = max_body
        store_dir, tmp = _on_disk(store)
        wait = self.timeout + 5.0 if queue_timeout is None else float(queue_timeout)
        self.pool = WorkerPool(store_dir, answer, size=max_running, memory_limit=self.memory_limit << 20, wait=wait)
        self._finalizer = weakref.finalize(self, _close, self.pool, tmp)
        self.limits = (
            f"read-only; at most {self.timeout:g} s and {self.memory_limit} MB per query, {self.row_limit} rows per "
            f"answer; {self.pool.size} queries at once, in worker processes; SERVICE is refused"
        )
        self._queries = {q.name: q for q in list_queries()}
        self._page = _render_page(view_html is not None, self.limits)

    def start(self) -> None:
        """Start the worker processes now rather than at the first query."""
        self.pool.start()

    def close(self) -> None:
        """End the worker processes and remove any temporary copy of the store."""
        self._finalizer()

    # ------------------------------------------------------------------ WSGI entry
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "/") or "/"
        try:
            if method == "OPTIONS":
                return self._send(start_response, (204, "", b"", self._preflight(environ)))
            if path in ("/", "/index.html"):
                self._only(method, ("GET", "HEAD"))
                return self._send(start_response, (200, "text/html; charset=utf-8", self._page.encode("utf-8"), []))
            if path == "/view":
                self._only(method, ("GET", "HEAD"))
                if self.view_html is None:
                    raise _Response(404, "no graph view was given to this server")
                return self._send(start_response, (200, "text/html; charset=utf-8", self.view_html.encode("utf-8"), []))
            if path == "/sparql":
                self._only(method, ("GET", "POST"))
                return self._send(start_response, self._sparql(environ, method))
            if path in ("/queries", "/queries/"):
                self._only(method, ("GET", "HEAD"))
                return self._send(start_response, self._listing())
            if path.startswith("/queries/"):
                self._only(method, ("GET", "POST"))
                return self._send(start_response, self._named(environ, method, path[len("/queries/"):]))
            raise _Response(404, f"not found: {path} (the endpoint is /sparql)")
        except _Response as r:
            reply = text_reply(r.status, r.message)
            if r.status == 405:
                reply[3].append(("Allow", "GET, POST, OPTIONS"))
            return self._send(start_response, reply)
        except Exception:  # noqa: BLE001  # pragma: no cover - last resort, logged
            _LOG.exception("internal error")
            return self._send(start_response, text_reply(500, "internal server error"))

    @staticmethod
    def _only(method: str, allowed: tuple[str, ...]) -> None:
        if method not in allowed:
            raise _Response(405, f"method {method} not allowed here")

    @staticmethod
    def _preflight(environ: WSGIEnvironment) -> list[tuple[str, str]]:
        asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        return [
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", asked or "Content-Type, Accept"),
            ("Access-Control-Max-Age", "86400"),
        ]

    @staticmethod
    def _send(start_response: StartResponse, reply: Reply) -> list[bytes]:
        status, content_type, body, extra = reply
        headers = list(_CORS)
        if content_type:
            headers.append(("Content-Type", content_type))
        headers.append(("Content-Length", str(len(body))))
        headers.extend(extra)
        start_response(_STATUS.get(status, f"{status} Error"), headers)
        return [body]

    # ------------------------------------------------------------------ protocol
    def _params(self, environ: WSGIEnvironment, method: str) -> tuple[dict[str, list[str]], str | None]:
        """Request parameters and, for a direct POST, the query text."""
        params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method != "POST":
            return params, None
        ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _Response(400, "bad Content-Length") from None
        if length > self.max_body:
            raise _Response(413, f"request body larger than {self.max_body} bytes")
        try:
            body = environ["wsgi.input"].read(length) if length > 0 else b""
        except TimeoutError:
            raise _Response(408, f"the request body did not arrive in time (Content-Length {length})") from None
        if len(body) < length:
            raise _Response(400, f"the request body is shorter than its Content-Length ({len(body)} < {length})")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Response(400, "request body is not UTF-8") from None
        if ctype == "application/sparql-update":
            raise _Response(403, READ_ONLY)
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            return params, None
        if ctype == "application/sparql-query":
            return params, text
        raise _Response(
            415,
            f"unsupported Content-Type {ctype or '(none)'}: POST application/x-www-form-urlencoded "
            "or application/sparql-query",
        )

    @staticmethod
    def _formats(environ: WSGIEnvironment, params: dict[str, list[str]]) -> dict[str, str]:
        return formats(environ.get("HTTP_ACCEPT", ""), (params.get("format") or params.get("output") or [""])[0])

    def _sparql(self, environ: WSGIEnvironment, method: str) -> Reply:
        params, direct = self._params(environ, method)
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise _Response(403, READ_ONLY)
        queries = params.get("query", [])
        if direct is not None:
            if queries:
                raise _Response(400, "give the query either in the body or as a parameter, not both")
            queries = [direct]
        elif method == "GET" and "query" not in params:
            return self._description(environ, params)
        if len(queries) != 1 or not queries[0].strip():
            raise _Response(400, "missing 'query' parameter (exactly one SPARQL query is expected)")
        text = queries[0]
        if uses_service(text):
            raise _Response(400, NO_SERVICE)
        graphs: dict[str, list[str] | None] = {}
        for name in ("default-graph-uri", "named-graph-uri"):
            for iri in params.get(name, []):
                try:
                    ox.NamedNode(iri)
                except ValueError as exc:
                    raise _Response(400, f"{name} {iri!r} is not an absolute IRI: {exc}") from None
            graphs[name] = params.get(name) or None
        job = {"op": "sparql", "query": text, "default_graph": graphs["default-graph-uri"],
               "named_graphs": graphs["named-graph-uri"], "row_limit": self.row_limit,
               **self._formats(environ, params)}
        return self._run(job)

    def _named(self, environ: WSGIEnvironment, method: str, name: str) -> Reply:
        if name not in self._queries:
            raise _Response(404, f"no named query {name!r}; GET /queries lists them")
        params, direct = self._params(environ, method)
        if direct is not None:
            raise _Response(415, "POST the parameters of a named query as application/x-www-form-urlencoded")
        bind: dict[str, str | list[str]] = {}
        for key, values in params.items():
            values = [v.strip() for v in values if v.strip()]
            if key not in _RESERVED and values:
                bind[key] = values[0] if len(values) == 1 else values
        job = {"op": "named", "name": name, "params": bind, "row_limit": self.row_limit,
               **self._formats(environ, params)}
        return self._run(job)

    def _listing(self) -> Reply:
        listing = [
            {"name": q.name, "zh": q.zh, "en": q.en, "text": q.text,
             "params": [{"name": p.name, "kind": p.kind, "required": p.required, "description": p.description}
                        for p in q.params]}
            for q in self._queries.values()
        ]
        return 200, "application/json; charset=utf-8", json.dumps(listing, ensure_ascii=False).encode("utf-8"), []

    def _description(self, environ: WSGIEnvironment, params: dict[str, list[str]]) -> Reply:
        endpoint = application_uri(environ).rstrip("/") + "/sparql"
        try:
            ox.NamedNode(endpoint)
        except ValueError:  # a Host header that makes no IRI
            endpoint = f"http://{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '80')}/sparql"
        return description(endpoint, self.limits, self._formats(environ, params)["graph"])

    def _run(self, job: dict[str, Any]) -> Reply:
        """Run ``job`` in a worker under the time limit and memory cap; map failures to HTTP answers."""
        try:
            return self.pool.run(job, timeout=self.timeout)
        except LimitExceeded as exc:
            raise _Response(503, str(exc)) from None
        except PoolBusy:
            raise _Response(503, "server busy: too many queries are running; try again later") from None
        except WorkerFailed as exc:
            _LOG.error("query worker failed: %s", exc)
            raise _Response(500, f"query failed: {exc}") from None


def make_app(
    store: object,
    *,
    timeout: float = 10.0,
    row_limit: int = 10000,
    view_html: str | None = None,
    max_running: int = 2,
    memory_limit: int = 1024,
    queue_timeout: float | None = None,
) -> SparqlApp:
    """A WSGI app serving the SPARQL 1.1 Protocol at ``/sparql`` (read-only), a page at ``/``, ``/view``.

    Parameters
    ----------
    store
        A build folder or on-disk store folder (opened read-only by each worker), or anything
        :func:`govkg.store.open_store` loads (pyoxigraph Store, rdflib graph or dataset, RDF file), which is
        copied to a temporary on-disk store first.
    timeout
        Seconds a query may run; a slower one is stopped (its worker killed) and gets 503.
    row_limit
        Most rows (or triples) returned; when hit, the ``X-Govkg-Truncated`` header carries the limit.
    view_html
        HTML of a graph view to serve at ``/view`` (linked from ``/``).
    max_running
        Worker processes, hence queries evaluated at once.
    memory_limit
        MB of resident memory a worker may reach while it runs a query; past it the query is stopped with 503.
    queue_timeout
        Seconds a query waits for a free worker before 503 "server busy" (default: ``timeout`` + 5 s, so a
        query queued behind runaways is answered once they are stopped).
    """
    return SparqlApp(store, timeout=timeout, row_limit=row_limit, view_html=view_html, max_running=max_running,
                     memory_limit=memory_limit, queue_timeout=queue_timeout)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_timeout: float | None = 30.0

    def server_close(self) -> None:
        super().server_close()
        app = self.get_app()
        if isinstance(app, SparqlApp):
            app.close()


class _QuietHandler(WSGIRequestHandler):
    def setup(self) -> None:
        # a socket timeout, so a client that stops sending (a body shorter than its Content-Length) is let go
        super().setup()
        self.connection.settimeout(getattr(self.server, "request_timeout", None))

    def handle(self) -> None:
        try:
            super().handle()
        except (TimeoutError, ConnectionError) as exc:
            _LOG.info("%s - connection dropped: %s", self.client_address[0], exc)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        _LOG.info("%s - %s", self.address_string(), format % args)


def make_server(
    store: object, host: str = "127.0.0.1", port: int = 8000, *, request_timeout: float = 30.0, **kw: Any
) -> WSGIServer:
    """A threading WSGI server for :func:`make_app` (port 0 picks a free port: see ``server.server_port``).

    The port is bound first (OSError if it is in use), then the workers are started. ``request_timeout``
    seconds is how long the server waits on a client's socket (its request line, headers or body).
    """
    server = _ThreadingServer((host, port), _QuietHandler)
    server.request_timeout = request_timeout
    try:
        app = make_app(store, **kw)
        server.set_app(app)
        app.start()
    except BaseException:
        server.server_close()
        raise
    return server


def serve(store: object, host: str = "127.0.0.1", port: int = 8000, **kw: Any) -> None:
    """Serve until interrupted. Binds 127.0.0.1 unless ``host`` says otherwise."""
    server = make_server(store, host, port, **kw)
    _LOG.info("govkg SPARQL endpoint on http://%s:%d/sparql", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
