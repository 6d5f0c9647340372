"""Shared fixtures: the real catalog, one real build of the site, a real HTTP server, Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from catalog.load import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


PUBLIC_URL = "https://dichvucong.hanoi.example.vn"  # the session's site is built for this address


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with the `hcc build` command."""
    out = tmp_path_factory.mktemp("site")
    empty_db = tmp_path_factory.mktemp("no-db") / "absent.db"  # the build exports no agents
    subprocess.run(
        [sys.executable, "-m", "api.cli", "build", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "HCC_DB": str(empty_db), "HCC_PUBLIC_URL": PUBLIC_URL},
    )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], timeout: float = 30, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (
                log.read_text() if log else process.stderr.read().decode() if process.stderr else ""
            )
            raise RuntimeError(f"server exited early: {output}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url}")


@pytest.fixture(scope="session")
def server_env(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    return {
        "HCC_SITE_DIR": str(site_dir),
        "HCC_DB": str(var / "hcc.db"),
        "HCC_SECRET_KEY": "browser-test-secret",
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
    }


UP_COMMAND = [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo"]


@contextmanager
def running_server(
    env: dict[str, str], *, log: Path | None = None, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """`hcc up --no-build --no-demo` with ``env`` on ``port`` (a free one by default), its
    stderr in ``log`` (a temporary file by default); yields its base URL."""
    port = port or free_port()
    # The server logs a line per request: a file, not a pipe nobody drains (a full pipe blocks it)
    with tempfile.TemporaryDirectory(prefix="hcc-server-") as logs:
        log = log or Path(logs) / "server.log"
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [*UP_COMMAND, "--port", str(port), "--workers", str(workers)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/healthz", process, log=log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def server(server_env: dict[str, str]) -> Iterator[str]:
    """The built site and the API (empty database) served by `hcc up`."""
    with running_server(server_env) as base:
        yield base


@pytest.fixture(scope="session")
def staff_token(server_env: dict[str, str], server: str) -> str:
    """A staff user of the `server` fixture's database, from `hcc staff add` (its last line)."""
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "staff", "add", "Cán bộ kiểm thử"],
        cwd=ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


DEMO_SECRET = "demo-network-test-secret"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo network from `hcc demo seed` (with ``DEMO_SECRET``), seeded once per
    session. Never write to it: take a copy with :func:`copy_db`."""
    path = tmp_path_factory.mktemp("demo-template") / "hcc.db"
    subprocess.run(
        [sys.executable, "-m", "api.cli", "demo", "seed"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "HCC_DB": str(path), "HCC_SECRET_KEY": DEMO_SECRET},
    )
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of the SQLite database ``source`` at ``target`` (the backup API)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Chromium is required for the browser tests: apt-get install chromium (make test does it)"
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextmanager
def guarded_page(browser, base: str, enforce_csp: bool = False):  # type: ignore[no-untyped-def]
    """A fresh phone-sized page; any request not to ``base`` is recorded and aborted.

    The site's Content-Security-Policy forbids eval, which Playwright's string predicates
    (``wait_for_function``) need; it is enforced only where asked (tests/test_ops_headers.py).
    """
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", bypass_csp=not enforce_csp
    )
    outside: list[str] = []

    def guard(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.outside_requests = outside
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    with guarded_page(browser, server) as pg:
        yield pg
