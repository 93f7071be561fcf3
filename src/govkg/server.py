"""Read-only SPARQL 1.1 Protocol endpoint (stdlib WSGI) over an Oxigraph store, with a small offline page."""

from __future__ import annotations

import html
import json
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server as _wsgi_make_server

import pyoxigraph as ox

from .errors import QueryError
from .formats import Format, Kind
from .query import (
    QuerySyntaxError,
    Result,
    execute,
    format_result,
    is_update,
    list_queries,
    results_json,
    results_xml,
)
from .store import open_store

__all__ = ["make_app", "make_server", "serve", "SparqlApp"]

_LOG = logging.getLogger("govkg.server")
_PAGE = Path(__file__).resolve().parent / "data" / "server" / "index.html"

# format name → media type, Accept media type → name, ?format= name → name; all from govkg.formats
_SELECT = [f for f in Format.of_kind(Kind.SELECT) if f is not Format.TABLE]
_GRAPH = [Format.TURTLE, Format.N_TRIPLES, Format.JSON_LD]
_SELECT_TYPES = {f.value: f.media_type for f in _SELECT}
_GRAPH_TYPES = {f.value: f.media_type for f in _GRAPH}
_ACCEPT_SELECT = {m: f.value for f in _SELECT for m in f.media_types}
_ACCEPT_GRAPH = {m: f.value for f in _GRAPH for m in f.media_types}
_FORMAT_SELECT = {a: f.value for f in _SELECT for a in f.aliases}
_FORMAT_GRAPH = {a: f.value for f in _GRAPH for a in f.aliases}
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
    413: "413 Payload Too Large",
    415: "415 Unsupported Media Type",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}
_READ_ONLY = "this endpoint is read-only: SPARQL Update requests are refused"


def _negotiate(accept: str, table: dict[str, str], default: str) -> str:
    """The best format for an Accept header (q-values honoured); wildcards and no match give ``default``."""
    choices = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, i, media))
    for _, _, media in sorted(choices):
        if media in table:
            return table[media]
        if media.endswith("/*"):
            return default
    return default


def _render_page(view: bool) -> str:
    items = []
    for q in list_queries():
        name = html.escape(q.name, quote=True)
        params = ", ".join(p.name for p in q.params)
        extra = f' <span class="en">(parameters: {html.escape(params)})</span>' if params else ""
        items.append(
            f'      <li><button type="button" class="q" data-name="{name}">{name}</button> '
            f"{html.escape(q.zh)}<br><span class=\"en\">{html.escape(q.en)}</span>{extra}"
            f'<template id="q-{name}">{html.escape(q.text)}</template></li>'
        )
    page = _PAGE.read_text(encoding="utf-8")
    link = ' Graph view: <a href="view">/view</a>.' if view else ""
    return page.replace("<!--QUERIES-->", "\n".join(items)).replace("<!--VIEW-->", link)


class _Response(Exception):
    """Raised inside request handling to answer with a plain-text status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SparqlApp:
    """The WSGI application: ``/`` page, ``/view`` graph view, ``/sparql`` protocol endpoint."""

    def __init__(
        self,
        store: ox.Store,
        *,
        timeout: float = 10.0,
        row_limit: int = 10000,
        view_html: str | None = None,
        max_running: int = 2,
        max_body: int = 1 << 20,
    ) -> None:
        self.store = store
        self.timeout = float(timeout)
        self.row_limit = int(row_limit)
        self.view_html = view_html
        self.max_body = max_body
        # a query that outlives its time limit keeps its slot until Oxigraph yields control again
        self._slots = threading.BoundedSemaphore(max(1, max_running))
        self._page = _render_page(view_html is not None)

    # ------------------------------------------------------------------ WSGI entry
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "/") or "/"
        try:
            if method == "OPTIONS":
                return self._send(start_response, 204, b"", None, self._preflight(environ))
            if path in ("/", "/index.html"):
                self._only(method, ("GET", "HEAD"))
                return self._send(start_response, 200, self._page.encode("utf-8"), "text/html; charset=utf-8")
            if path == "/view":
                self._only(method, ("GET", "HEAD"))
                if self.view_html is None:
                    raise _Response(404, "no graph view was given to this server")
                return self._send(start_response, 200, self.view_html.encode("utf-8"), "text/html; charset=utf-8")
            if path == "/sparql":
                self._only(method, ("GET", "POST"))
                return self._sparql(environ, start_response, method)
            raise _Response(404, f"not found: {path} (the endpoint is /sparql)")
        except _Response as r:
            extra = [("Allow", "GET, POST, OPTIONS")] if r.status == 405 else []
            return self._send(start_response, r.status, (r.message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)
        except Exception:  # noqa: BLE001  # pragma: no cover - last resort, logged
            _LOG.exception("internal error")
            return self._send(start_response, 500, b"internal server error\n", "text/plain; charset=utf-8")

    @staticmethod
    def _only(method: str, allowed: tuple[str, ...]) -> None:
        if method not in allowed:
            raise _Response(405, f"method {method} not allowed here")

    @staticmethod
    def _preflight(environ: dict[str, Any]) -> list[tuple[str, str]]:
        asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        return [
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", asked or "Content-Type, Accept"),
            ("Access-Control-Max-Age", "86400"),
        ]

    @staticmethod
    def _send(
        start_response: Callable[..., Any],
        status: int,
        body: bytes,
        content_type: str | None,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        headers = list(_CORS)
        if content_type:
            headers.append(("Content-Type", content_type))
        headers.append(("Content-Length", str(len(body))))
        headers.extend(extra or [])
        start_response(_STATUS.get(status, f"{status} Error"), headers)
        return [body]

    # ------------------------------------------------------------------ protocol
    def _params(self, environ: dict[str, Any], method: str) -> tuple[dict[str, list[str]], str | None]:
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
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Response(400, "request body is not UTF-8") from None
        if ctype == "application/sparql-update":
            raise _Response(403, _READ_ONLY)
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

    def _sparql(self, environ: dict[str, Any], start_response: Callable[..., Any], method: str) -> list[bytes]:
        params, direct = self._params(environ, method)
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            raise _Response(403, _READ_ONLY)
        queries = params.get("query", [])
        if direct is not None:
            if queries:
                raise _Response(400, "give the query either in the body or as a parameter, not both")
            queries = [direct]
        if len(queries) != 1 or not queries[0].strip():
            raise _Response(400, "missing 'query' parameter (exactly one SPARQL query is expected)")
        text = queries[0]
        result = self._run(text, params.get("default-graph-uri") or None, params.get("named-graph-uri") or None)
        fmt_param = (params.get("format") or params.get("output") or [""])[0].lower()
        accept = environ.get("HTTP_ACCEPT", "")
        extra: list[tuple[str, str]] = []
        note = None
        if result.truncated:
            note = f"results truncated to the first {self.row_limit} rows (row limit of this endpoint)"
            extra += [("X-Govkg-Truncated", str(self.row_limit)), ("X-Govkg-Note", note)]
        if result.kind == "graph":
            fmt = _FORMAT_GRAPH.get(fmt_param) or _negotiate(accept, _ACCEPT_GRAPH, "turtle")
            body = self._graph_body(result, fmt, note)
            ctype = _GRAPH_TYPES[fmt]
        else:
            fmt = _FORMAT_SELECT.get(fmt_param) or _negotiate(accept, _ACCEPT_SELECT, "json")
            if fmt == "json":
                obj = results_json(result)
                if note:
                    obj["govkg"] = {"truncated": True, "rowLimit": self.row_limit, "note": note}
                body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            elif fmt == "xml":
                text_out = results_xml(result)
                if note:
                    text_out = text_out.replace("<head", f"<!-- {note} -->\n  <head", 1)
                body = text_out.encode("utf-8")
            else:
                body = format_result(result, fmt).encode("utf-8")
            ctype = _SELECT_TYPES[fmt]
        return self._send(start_response, 200, body, f"{ctype}; charset=utf-8", extra)

    def _graph_body(self, result: Result, fmt: str, note: str | None) -> bytes:
        g = result.graph()
        if fmt == "nt":
            lines = sorted({ln for ln in g.serialize(format="nt").splitlines() if ln.strip()})
            return "".join(ln + "\n" for ln in lines).encode("utf-8")
        if fmt == "jsonld":
            return g.serialize(format="json-ld").encode("utf-8")
        text = g.serialize(format="turtle")
        if note:
            text = f"# {note}\n" + text
        return text.encode("utf-8")

    def _run(self, text: str, default_graph: list[str] | None, named_graphs: list[str] | None) -> Result:
        """Run the query in a worker thread under the time limit; map failures to HTTP answers."""
        if not self._slots.acquire(timeout=self.timeout):
            raise _Response(503, "server busy: too many queries are running; try again later")
        holder: dict[str, object] = {}
        done = threading.Event()
        cancel = threading.Event()

        def work() -> None:
            try:
                holder["result"] = execute(
                    self.store,
                    text,
                    limit=self.row_limit,
                    cancel=cancel,
                    default_graph=default_graph,
                    named_graphs=named_graphs,
                )
            except BaseException as exc:  # noqa: BLE001 - handed to the request thread
                # drop tracebacks: their frames hold Oxigraph objects that must die on this thread
                exc.__context__ = exc.__cause__ = None
                holder["error"] = exc.with_traceback(None)
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=work, name="govkg-sparql", daemon=True).start()
        if not done.wait(self.timeout):
            cancel.set()
            raise _Response(503, f"query exceeded the {self.timeout:g} s limit")
        err = holder.get("error")
        if isinstance(err, QuerySyntaxError):
            if is_update(text):
                raise _Response(403, _READ_ONLY)
            raise _Response(400, str(err))
        if isinstance(err, QueryError):
            raise _Response(400, str(err))
        if err is not None:
            _LOG.error("query failed: %r", err)
            raise _Response(500, f"query failed: {err}")
        return holder["result"]  # type: ignore[return-value]


def make_app(
    store: object,
    *,
    timeout: float = 10.0,
    row_limit: int = 10000,
    view_html: str | None = None,
    max_running: int = 2,
) -> SparqlApp:
    """A WSGI app serving the SPARQL 1.1 Protocol at ``/sparql`` (read-only), a page at ``/``, ``/view``.

    Parameters
    ----------
    store
        pyoxigraph Store, or anything :func:`govkg.store.open_store` loads (graph, file, store dir).
    timeout
        Seconds a query may run; a slower one gets 503 "query exceeded the N s limit".
    row_limit
        Most rows (or triples) returned; when hit, the ``X-Govkg-Truncated`` header carries the limit.
    view_html
        HTML of a graph view to serve at ``/view`` (linked from ``/``).
    max_running
        Queries evaluated at once; Oxigraph cannot abort a running query, so a query past its limit
        keeps its slot until it next yields a row or finishes.
    """
    st = store if isinstance(store, ox.Store) else open_store(store)
    return SparqlApp(st, timeout=timeout, row_limit=row_limit, view_html=view_html, max_running=max_running)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        _LOG.info("%s - %s", self.address_string(), format % args)


def make_server(store: object, host: str = "127.0.0.1", port: int = 8000, **kw: object) -> WSGIServer:
    """A threading WSGI server for :func:`make_app` (port 0 picks a free port: see ``server.server_port``)."""
    app = make_app(store, **kw)  # type: ignore[arg-type]
    return _wsgi_make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


def serve(store: object, host: str = "127.0.0.1", port: int = 8000, **kw: object) -> None:
    """Serve until interrupted. Binds 127.0.0.1 unless ``host`` says otherwise."""
    server = make_server(store, host, port, **kw)
    _LOG.info("govkg SPARQL endpoint on http://%s:%d/sparql", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
