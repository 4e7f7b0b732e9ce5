"""A small threaded static HTTP server for local mock websites.

Used by the ``contact-auditor demo`` command (the bundled sites in ``auditor/demo/sites/``)
and by the end-to-end tests (the fixture sites in ``tests/fixtures/sites/``). Standard
library only.

What it serves, for one directory ``root``:

* ``/dir/`` serves ``/dir/index.html``; ``/dir`` (an existing directory) redirects 301 to
  ``/dir/`` (the query string is kept); an unknown path is 404 (``root/404.html`` when the
  site has one). Files whose name starts with ``_`` (``_server.json``, challenge and error
  bodies) are never served directly.
* GET and HEAD; POST reads and discards the body and then answers like GET (a submitted
  form lands on its ``action`` page); OPTIONS answers 204.
* An optional ``root/_server.json`` tunes the site, with the same meaning as the corpus
  proxy's (``shared/corpus/serve.py``)::

    {
      "redirects": {"/old/": "/new/", "/x": {"to": "/y/", "status": 302}},
      "status":    {"*": {"code": 403, "body": "_challenge.html",
                          "headers": {"Server": "cloudflare"}}, "/gone/": 410},
      "delays":    {"/kontakt/": 3000, "*": 0},          # milliseconds, capped at 60 s
      "headers":   {"*": {"X-Frame-Options": "DENY"}},  # extra response headers
      "routes":    {"/widget/*": "/widget/app.js"},     # pattern -> file
      "content_types": {"/live/*": "application/javascript"},
      "fallback":  "/index.html"                        # SPA: unknown extension-less paths
    }

  Keys match the request path without the query string. ``status``, ``delays``,
  ``headers``, ``routes`` and ``content_types`` keys may be ``fnmatch`` patterns and
  ``"*"`` matches every path; an exact key wins over a pattern. Order of evaluation for a
  request: delay, extra headers, redirect, status, file. The file is read once, when the
  server starts.

What it does not do: it never binds anything but 127.0.0.1 (a demo or a test must never be
reachable from the network), never opens an outbound connection, and does not cache.

Every request is appended to ``SiteServer.requests`` as ``(time, method, path)`` where
``time`` is ``time.monotonic()`` at arrival and ``path`` is the request target as sent
(query string included), so tests can assert what the browser fetched and when.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

__all__ = [
    "DEMO_SITES_DIR",
    "LOOPBACK",
    "RequestRecord",
    "SiteServer",
    "demo_site_roots",
    "serve_sites",
    "unreachable_url",
]

#: The only address anything in this module ever binds.
LOOPBACK = "127.0.0.1"

#: The bundled demo companies, one folder each.
DEMO_SITES_DIR = Path(__file__).resolve().parent / "sites"

#: Upper bound of a configured delay, so a typo cannot hang a test run (same as the proxy).
MAX_DELAY_MS = 60_000

CONFIG_FILE = "_server.json"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".mjs": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}

NOT_FOUND_BODY = b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>"

if TYPE_CHECKING:  # annotations only (PEP 563), so Python 3.10 never imports it
    from typing import Self


class RequestRecord(NamedTuple):
    """One request as the server saw it."""

    time: float  # time.monotonic() when the request line was read
    method: str
    path: str  # the request target as sent, query string included


def _match(table: Mapping[str, Any] | None, path: str) -> Any:
    """Value for ``path`` in a ``{pattern: value}`` table: exact key, then patterns, then "*"."""
    if not table:
        return None
    if path in table:
        return table[path]
    for pattern, value in table.items():
        if (
            pattern != "*"
            and any(c in pattern for c in "*?[")
            and fnmatch.fnmatchcase(path, pattern)
        ):
            return value
    return table.get("*")


def _extra_headers(table: Mapping[str, Mapping[str, str]] | None, path: str) -> dict[str, str]:
    """Headers for ``path``: "*" first, then matching patterns, then the exact key (last wins)."""
    if not table:
        return {}
    out: dict[str, str] = dict(table.get("*") or {})
    for pattern, headers in table.items():
        if (
            pattern not in ("*", path)
            and any(c in pattern for c in "*?[")
            and fnmatch.fnmatchcase(path, pattern)
        ):
            out.update(headers)
    out.update(table.get(path) or {})
    return out


def _check_loopback(host: str) -> None:
    if host != LOOPBACK:
        raise ValueError(f"SiteServer only binds {LOOPBACK}, not {host!r}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "contact-auditor-demo/1.0"
    site: SiteServer  # set on the per-server subclass

    # -- plumbing ---------------------------------------------------------------------
    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the in-memory request log is the log

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok:
            self.site._record(self.command, self.path)
        return ok

    def _send(
        self,
        code: int,
        body: bytes = b"",
        ctype: str | None = "text/plain; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        headers = dict(headers or {})
        # A configured Server header (a Cloudflare challenge, an IIS error page) replaces
        # ours instead of being sent as a second Server line.
        server = next((v for k, v in headers.items() if k.lower() == "server"), None)
        headers = {k: v for k, v in headers.items() if k.lower() != "server"}
        self.send_response_only(code)
        self.send_header("Server", str(server) if server is not None else self.version_string())
        self.send_header("Date", self.date_time_string())
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()
        if self.command != "HEAD" and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    # -- methods ----------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.do_GET()

    def do_OPTIONS(self) -> None:
        self._send(204, b"", ctype=None, headers={"Allow": "GET, HEAD, POST, OPTIONS"})

    def do_GET(self) -> None:
        site = self.site
        cfg = site.config
        parts = urlsplit(self.path)
        path = unquote(parts.path or "/")
        query = parts.query
        if not path.startswith("/"):
            path = "/" + path

        delay = _match(cfg.get("delays"), path)
        if delay:
            time.sleep(min(float(delay), MAX_DELAY_MS) / 1000.0)

        extra = _extra_headers(cfg.get("headers"), path)

        redirect = (cfg.get("redirects") or {}).get(path)
        if redirect is not None:
            if isinstance(redirect, str):
                target, code = redirect, 301
            else:
                target, code = redirect["to"], int(redirect.get("status", 301))
            if query and "?" not in target and target.startswith("/"):
                target = f"{target}?{query}"
            self._send(code, b"", headers={**extra, "Location": target})
            return

        status = _match(cfg.get("status"), path)
        if status is not None:
            if isinstance(status, int):
                status = {"code": status}
            code = int(status["code"])
            body = f"{code}\n".encode()
            ctype = "text/plain; charset=utf-8"
            if status.get("body"):
                body_file = site._resolve(status["body"], allow_private=True)
                if body_file is not None and body_file.is_file():
                    body = body_file.read_bytes()
                    ctype = site._content_type(body_file, path)
            self._send(code, body, ctype=ctype, headers={**extra, **(status.get("headers") or {})})
            return

        route = _match(cfg.get("routes"), path)
        if route:
            file = site._resolve(route)
        else:
            file = site._resolve(path)
            if file is not None and file.is_dir():
                if not path.endswith("/"):
                    location = path + "/" + (f"?{query}" if query else "")
                    self._send(301, b"", headers={**extra, "Location": location})
                    return
                file = file / "index.html"
            if (file is None or not file.is_file()) and cfg.get("fallback"):
                last = path.rstrip("/").rsplit("/", 1)[-1]
                if "." not in last:
                    file = site._resolve(cfg["fallback"])

        if file is None or not file.is_file():
            not_found = site._resolve("/404.html")
            body = not_found.read_bytes() if not_found and not_found.is_file() else NOT_FOUND_BODY
            self._send(404, body, ctype="text/html; charset=utf-8", headers=extra)
            return
        self._send(200, file.read_bytes(), ctype=site._content_type(file, path), headers=extra)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow (delayed) request never blocks stop()
    allow_reuse_address = False
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a keep-alive connection is normal, not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(
            exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, TimeoutError)
        ):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """Serve one directory on ``http://127.0.0.1:PORT/`` from a background thread.

    >>> with SiteServer(Path("tests/fixtures/sites/footer-link")) as srv:  # doctest: +SKIP
    ...     srv.url
    'http://127.0.0.1:40123/'
    """

    def __init__(self, root: Path | str, *, host: str = LOOPBACK, port: int = 0) -> None:
        _check_loopback(host)
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise NotADirectoryError(f"not a directory: {self.root}")
        self.host = host
        self._requested_port = port
        self.config: dict[str, Any] = {}
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self.config = self._load_config()
        handler = type("SiteHandler", (_Handler,), {"site": self})
        self._httpd = _Server((self.host, self._requested_port), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"SiteServer:{self.root.name}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd, self._thread = None, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL with a trailing slash, e.g. ``http://127.0.0.1:40123/``."""
        return f"http://{self.host}:{self.port}/"

    def url_for(self, path: str) -> str:
        """Absolute URL of a site path (``"/kontakt/"`` or ``"kontakt/"``)."""
        return self.url + path.lstrip("/")

    # -- request log ------------------------------------------------------------------
    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append(RequestRecord(time.monotonic(), method, path))

    def paths(self) -> list[str]:
        """Paths requested so far (query strings included), in arrival order."""
        with self._lock:
            return [r.path for r in self.requests]

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- files ------------------------------------------------------------------------
    def _load_config(self) -> dict[str, Any]:
        file = self.root / CONFIG_FILE
        if not file.is_file():
            return {}
        with file.open(encoding="utf-8") as f:
            cfg = json.load(f)
        if not isinstance(cfg, dict):
            raise TypeError(f"{file}: expected a JSON object")
        return cfg

    def _resolve(self, rel: str, *, allow_private: bool = False) -> Path | None:
        """The file for a site path, or None when it would leave the root or is private."""
        norm = posixpath.normpath("/" + rel.lstrip("/"))
        parts = [p for p in norm.split("/") if p]
        if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
            return None
        if not allow_private and parts and parts[-1].startswith("_"):
            return None
        candidate = self.root.joinpath(*parts) if parts else self.root
        try:
            candidate.resolve().relative_to(self.root)
        except (ValueError, OSError):
            return None  # a symlink pointing out of the root
        return candidate

    def _content_type(self, file: Path, path: str) -> str:
        configured = _match(self.config.get("content_types"), path)
        if configured:
            return str(configured)
        ext = file.suffix.lower()
        if ext in CONTENT_TYPES:
            return CONTENT_TYPES[ext]
        return mimetypes.guess_type(file.name)[0] or "application/octet-stream"

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"SiteServer({str(self.root)!r}, {where})"


@contextlib.contextmanager
def serve_sites(roots: Mapping[str, Path | str]) -> Iterator[dict[str, str]]:
    """Start one `SiteServer` per named root; yield ``{name: base_url}``; stop them all."""
    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}
        for name, root in roots.items():
            server = stack.enter_context(SiteServer(Path(root)))
            urls[name] = server.url
        yield urls


def demo_site_roots(base: Path = DEMO_SITES_DIR) -> dict[str, Path]:
    """The bundled demo sites, ``{folder name: path}``, sorted by name."""
    return {
        p.name: p
        for p in sorted(base.iterdir())
        if p.is_dir() and not p.name.startswith((".", "_"))
    }


def unreachable_url() -> str:
    """A ``http://127.0.0.1:PORT/`` URL on which nothing listens (connections are refused).

    The port is taken by binding an ephemeral socket and closing it without listening; in
    the short window before the caller uses it another process could take the port, which
    on a test machine is unlikely enough.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port = sock.getsockname()[1]
    return f"http://{LOOPBACK}:{port}/"
