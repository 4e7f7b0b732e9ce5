"""Tests of the local static server used by the demo and the end-to-end tests."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from auditor.demo.server import SiteServer, demo_site_roots, serve_sites, unreachable_url

FIXTURES = Path(__file__).parent / "fixtures"


def fetch(
    url: str, method: str = "GET", body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request with http.client: no proxy from the environment, no redirect following."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        conn.request(method, target, body=body)
        resp = conn.getresponse()
        data = resp.read()
        headers: dict[str, str] = {}
        for name, value in resp.getheaders():  # a repeated header shows up joined by ", "
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return resp.status, headers, data
    finally:
        conn.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>Start</title><p>Startsidan</p>", encoding="utf-8"
    )
    (tmp_path / "kontakt").mkdir()
    (tmp_path / "kontakt" / "index.html").write_text("<p>Ring 08-123 456 78</p>", encoding="utf-8")
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body{margin:0}", encoding="utf-8")
    (tmp_path / "_hemlig.html").write_text("privat", encoding="utf-8")
    return tmp_path


def write_config(root: Path, cfg: dict) -> None:
    (root / "_server.json").write_text(json.dumps(cfg), encoding="utf-8")


def test_serves_index_and_files(site: Path) -> None:
    with SiteServer(site) as srv:
        assert srv.url == f"http://127.0.0.1:{srv.port}/"
        status, headers, body = fetch(srv.url)
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b"Startsidan" in body
        assert headers["server"] == "contact-auditor-demo/1.0"
        status, _, body = fetch(srv.url_for("/kontakt/"))
        assert (status, body) == (200, b"<p>Ring 08-123 456 78</p>")
        status, headers, _ = fetch(srv.url_for("css/site.css"))
        assert status == 200 and headers["content-type"].startswith("text/css")


def test_unknown_path_is_404(site: Path) -> None:
    with SiteServer(site) as srv:
        assert fetch(srv.url_for("/finns-inte/"))[0] == 404
        assert fetch(srv.url_for("/finns-inte.html"))[0] == 404


def test_custom_404_page(site: Path) -> None:
    (site / "404.html").write_text("<h1>Sidan hittades inte</h1>", encoding="utf-8")
    with SiteServer(site) as srv:
        status, _, body = fetch(srv.url_for("/saknas/"))
        assert status == 404 and b"Sidan hittades inte" in body


def test_private_files_and_traversal_are_not_served(site: Path) -> None:
    write_config(site, {})
    with SiteServer(site) as srv:
        assert fetch(srv.url_for("/_server.json"))[0] == 404
        assert fetch(srv.url_for("/_hemlig.html"))[0] == 404
        assert fetch(srv.url_for("/../../etc/passwd"))[0] == 404
        assert fetch(srv.url_for("/%2e%2e/%2e%2e/etc/passwd"))[0] == 404


def test_directory_without_slash_redirects(site: Path) -> None:
    with SiteServer(site) as srv:
        status, headers, _ = fetch(srv.url_for("/kontakt?fran=sidfot"))
        assert status == 301
        assert headers["location"] == "/kontakt/?fran=sidfot"


def test_head_and_post(site: Path) -> None:
    with SiteServer(site) as srv:
        status, headers, body = fetch(srv.url_for("/kontakt/"), method="HEAD")
        assert status == 200 and body == b"" and int(headers["content-length"]) > 0
        status, _, body = fetch(srv.url_for("/kontakt/"), method="POST", body=b"meddelande=hej")
        assert status == 200 and b"08-123" in body


def test_status_knob_with_body_and_headers(site: Path) -> None:
    (site / "_challenge.html").write_text("<title>Just a moment...</title>", encoding="utf-8")
    write_config(
        site,
        {
            "status": {
                "*": {
                    "code": 403,
                    "body": "_challenge.html",
                    "headers": {"Server": "cloudflare", "cf-mitigated": "challenge"},
                },
                "/kontakt/": 500,
            }
        },
    )
    with SiteServer(site) as srv:
        for path in ("/", "/robots.txt", "/css/site.css"):
            status, headers, body = fetch(srv.url_for(path))
            assert status == 403
            assert headers["cf-mitigated"] == "challenge"
            assert headers["server"] == "cloudflare"  # replaces ours, not a second line
            assert b"Just a moment..." in body
        assert fetch(srv.url_for("/kontakt/"))[0] == 500  # an exact key wins over "*"


def test_status_knob_pattern(site: Path) -> None:
    write_config(site, {"status": {"/kontakt/*": 503}})
    with SiteServer(site) as srv:
        assert fetch(srv.url)[0] == 200
        assert fetch(srv.url_for("/kontakt/"))[0] == 503


def test_redirects_and_headers_knobs(site: Path) -> None:
    write_config(
        site,
        {
            "redirects": {"/gammal/": "/kontakt/", "/tillfallig": {"to": "/", "status": 302}},
            "headers": {"*": {"X-Site": "fixture"}, "/kontakt/": {"X-Page": "kontakt"}},
        },
    )
    with SiteServer(site) as srv:
        status, headers, _ = fetch(srv.url_for("/gammal/?a=1"))
        assert (status, headers["location"]) == (301, "/kontakt/?a=1")
        status, headers, _ = fetch(srv.url_for("/tillfallig"))
        assert (status, headers["location"]) == (302, "/")
        _, headers, _ = fetch(srv.url_for("/kontakt/"))
        assert headers["x-site"] == "fixture" and headers["x-page"] == "kontakt"
        _, headers, _ = fetch(srv.url)
        assert headers["x-site"] == "fixture" and "x-page" not in headers


def test_fallback_knob(site: Path) -> None:
    write_config(site, {"fallback": "/index.html"})
    with SiteServer(site) as srv:
        status, _, body = fetch(srv.url_for("/produkter/tv/123"))
        assert status == 200 and b"Startsidan" in body
        assert fetch(srv.url_for("/saknas.js"))[0] == 404  # only extension-less paths


def test_delay_knob(site: Path) -> None:
    write_config(site, {"delays": {"/kontakt/": 400}})
    with SiteServer(site) as srv:
        t0 = time.monotonic()
        fetch(srv.url)
        fast = time.monotonic() - t0
        t0 = time.monotonic()
        assert fetch(srv.url_for("/kontakt/"))[0] == 200
        slow = time.monotonic() - t0
    assert fast < 0.3
    assert 0.38 <= slow < 3.0


def test_delayed_requests_run_in_parallel(site: Path) -> None:
    write_config(site, {"delays": {"*": 400}})
    with SiteServer(site) as srv:
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda: results.append(fetch(srv.url)[0])) for _ in range(4)
        ]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
    assert results == [200] * 4
    assert elapsed < 1.2  # four 0.4 s requests at once, not one after another


def test_request_log(site: Path) -> None:
    with SiteServer(site) as srv:
        t0 = time.monotonic()
        fetch(srv.url)
        fetch(srv.url_for("/kontakt/?q=1"), method="HEAD")
        fetch(srv.url_for("/saknas/"))
        assert [(r.method, r.path) for r in srv.requests] == [
            ("GET", "/"),
            ("HEAD", "/kontakt/?q=1"),
            ("GET", "/saknas/"),
        ]
        when, method, path = srv.requests[0]  # a plain tuple too
        assert t0 <= when <= time.monotonic() and method == "GET" and path == "/"
        assert srv.paths() == ["/", "/kontakt/?q=1", "/saknas/"]
        srv.clear_requests()
        assert srv.requests == []


def test_start_stop_and_port(site: Path) -> None:
    srv = SiteServer(site)
    assert not srv.running
    with pytest.raises(RuntimeError):
        srv.url  # noqa: B018 - property access is the test
    srv.start()
    url = srv.url
    assert fetch(url)[0] == 200
    with pytest.raises(RuntimeError):
        srv.start()
    srv.stop()
    srv.stop()  # idempotent
    assert not srv.running
    with pytest.raises(OSError):
        fetch(url)


def test_binds_loopback_only(site: Path) -> None:
    with pytest.raises(ValueError):
        SiteServer(site, host="0.0.0.0")
    with pytest.raises(NotADirectoryError):
        SiteServer(site / "index.html")


def test_serve_sites(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("annan")
    (other / "index.html").write_text("<p>Annan sajt</p>", encoding="utf-8")
    with serve_sites({"ett": site, "tva": other}) as urls:
        assert set(urls) == {"ett", "tva"}
        assert urls["ett"] != urls["tva"]
        assert b"Startsidan" in fetch(urls["ett"])[2]
        assert b"Annan sajt" in fetch(urls["tva"])[2]
    with pytest.raises(OSError):
        fetch(urls["ett"])


def test_unreachable_url_refuses_connections() -> None:
    url = unreachable_url()
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1" and parts.path == "/"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()


def test_fixture_sites_are_served() -> None:
    """Every fixture site named in expected.json has a start page the server can serve."""
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    roots = {name: FIXTURES / "sites" / name for name in expected}
    assert all(root.is_dir() for root in roots.values())
    with serve_sites(roots) as urls:
        for name, url in urls.items():
            status, headers, body = fetch(url)
            kind = expected[name]["desktop"].get("error_kind")
            if kind == "bot_protection":
                assert status == 403 and headers.get("cf-mitigated") == "challenge"
            elif kind == "http_error":
                assert status >= 500
            else:
                assert status == 200, name
                assert b'<html lang="sv"' in body, name


def test_demo_sites_are_bundled() -> None:
    roots = demo_site_roots()
    assert set(roots) >= {"oppna-banken", "mellan-el", "gomda-telekom"}
    with serve_sites(roots) as urls:
        for url in urls.values():
            status, _, body = fetch(url)
            assert status == 200 and b'<html lang="sv"' in body
