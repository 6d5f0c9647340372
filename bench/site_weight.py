"""What a citizen's phone downloads, and how fast the first search result appears.

Builds the real site, serves it with `hcc up`, opens pages in headless Chromium and records
every request. Weights are the gzip size of each same-origin response (what the server sends
with compression), tiles excluded. The baseline, measured in the same run, is the theme's
chrome alone (the 404 page: Material's CSS and JavaScript with no content).

    .venv/bin/python bench/site_weight.py [--runs 5]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"home (with search data)": 500_000, "procedure page": 200_000}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def serve(site_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo", "--port", str(port)],
        cwd=ROOT,
        env={
            "HCC_SITE_DIR": str(site_dir),
            "HCC_DB": str(site_dir.parent / "hcc.db"),
            "PATH": "/usr/bin:/bin",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def gzip_size(site_dir: Path, url: str) -> int:
    path = urlparse(url).path.lstrip("/")
    file = site_dir / path
    if file.is_dir() or path == "" or path.endswith("/"):
        file = file / "index.html"
    return len(gzip.compress(file.read_bytes(), compresslevel=6))


def page_weight(page: Page, base: str, site_dir: Path, path: str, search: bool) -> tuple[int, int]:
    """(gzip bytes, request count) of one page load, plus the search index when ``search``."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if r.url.startswith(base) else None)
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    if search:
        with page.expect_response(lambda r: "search-index.json" in r.url):
            page.focus("input[name=q]")
    unique = sorted(set(urls))
    return sum(gzip_size(site_dir, u) for u in unique), len(unique)


def first_result_ms(page: Page, base: str, query: str) -> float:
    """Milliseconds from typing a query on a fresh home page (index not yet loaded) to a result."""
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    return float(
        page.evaluate(
            """(query) => new Promise((resolve) => {
                const input = document.querySelector('#hcc-home-input');
                const list = document.querySelector('#hcc-home-results');
                const t0 = performance.now();
                new MutationObserver((_, obs) => {
                    if (list.querySelector('a')) { obs.disconnect(); resolve(performance.now() - t0); }
                }).observe(list, {childList: true});
                input.value = query;
                input.dispatchEvent(new Event('input'));
            })""",
            query,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="search latency samples per query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "api.cli", "build", "--site-dir", str(site_dir)],
            cwd=ROOT,
            check=True,
        )
        port = 8765
        server = serve(site_dir, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                chromium = shutil.which("chromium") or "chromium"
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 390, "height": 844})
                context.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort()
                )
                rows = []
                for label, path, search in [
                    ("baseline: theme chrome (404 page)", "/404.html", False),
                    ("home (with search data)", "/", True),
                    ("procedure page", "/thu-tuc/dang-ky-khai-sinh/", False),
                    ("branch page (map, no tiles)", "/chi-nhanh/1/", False),
                ]:
                    weight, count = page_weight(context.new_page(), base, site_dir, path, search)
                    rows.append((label, weight, count))
                baseline = rows[0][1]
                print(
                    f"{'page':38} {'gzip KB':>8} {'requests':>8} {'x baseline':>10} {'budget':>8}"
                )
                for label, weight, count in rows:
                    budget = BUDGETS.get(label)
                    verdict = "" if budget is None else ("PASS" if weight <= budget else "FAIL")
                    limit = f"{budget / 1000:.0f}K" if budget else "-"
                    print(
                        f"{label:38} {weight / 1000:8.1f} {count:8d} {weight / baseline:10.2f} {limit:>8} {verdict}"
                    )
                print()
                page = context.new_page()
                for query in ["dang ky khai sinh", "ho chieu", "so do"]:
                    samples = [first_result_ms(page, base, query) for _ in range(args.runs)]
                    median = statistics.median(samples)
                    print(
                        f"first result for {query!r:22}: median {median:6.1f} ms, max {max(samples):6.1f} ms "
                        f"over {args.runs} cold loads ({median / 1500:.3f} of the 1.5 s budget)"
                    )
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
