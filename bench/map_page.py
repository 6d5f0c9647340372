"""The network map page at 600 / 10,000 / 100,000 agents against folium's default, same run.

Builds the real site once (catalog places only), then for each network size writes that many
synthetic agents with ``agents_registry.place_export`` (the build's own code) into the site's
``assets/places/`` and opens ``/ban-do/`` in headless Chromium (1280x800, static server, no
API, tiles aborted). Baseline: folium's default for the same agents — a ``folium.Marker`` with
a popup per agent in a ``MarkerCluster``, one JavaScript statement block per marker. Its CDN
assets cannot load offline: Leaflet, Leaflet.markercluster and jQuery are answered from local
copies (so its markers really are created), Bootstrap, Font Awesome and awesome-markers are
aborted. Its weight is its own HTML only (CDN assets not counted: the ratio favours folium).

Measured: weight (raw and gzip) of the page's HTML + data (ours: the HTML page and every JSON
file fetched until the map is drawn; total with CSS/JS in brackets), time to the load event,
time until the agents are on the map (ours: ``data-ready-ms``), JS heap in use (CDP).

    .venv/bin/python bench/map_page.py [--sizes 600 10000 100000] [--folium-max 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import folium
from folium.plugins import MarkerCluster
from playwright.sync_api import Browser, sync_playwright

from agents_registry.place_export import export_files
from agents_registry.places import Place, PlaceKind, catalog_places
from catalog.load import Catalog, load_catalog
from catalog.models import OpeningHours

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "site" / "assets" / "vendor"
LOCAL_JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 180_000
HOURS = [
    {d: ["07:30-12:00", "13:00-17:30"] for d in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": ["08:00-12:00"]},
    {d: ["08:00-20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    {d: ["07:00-11:30", "13:30-17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
]


def synthetic_agents(catalog: Catalog, n: int) -> list[Place]:
    """``n`` invented agents scattered around the wards' centres (deterministic)."""
    rng = random.Random(n)
    slugs = [f.slug for f in catalog.fields]
    hours = [OpeningHours(**h) for h in HOURS]
    agents = []
    for i in range(n):
        ward = rng.choice(catalog.wards)
        spread = 0.004 + 0.0015 * (ward.area_km2 or 10) ** 0.5
        agents.append(
            Place(
                kind=PlaceKind.AGENT,
                id=f"DL-{i + 1:06d}",
                name=f"Đại lý thử nghiệm {i + 1}",
                address=f"Số {rng.randint(1, 300)} đường thử nghiệm, {ward.name}",
                ward_code=ward.code,
                lat=ward.lat + rng.gauss(0, spread),
                lon=ward.lon + rng.gauss(0, spread),
                phone=f"0912 {rng.randint(0, 999_999):06d}",
                opening_hours=rng.choice(hours),
                fields=tuple(rng.sample(slugs, rng.randint(3, 8))),
                branch_number=rng.randint(1, len(catalog.branches)),
                demo=True,
            )
        )
    return agents


def write_places(site: Path, catalog: Catalog, agents: list[Place]) -> None:
    out = site / "assets" / "places"
    shutil.rmtree(out, ignore_errors=True)
    now = dt.datetime.now(dt.UTC)
    files = export_files(
        catalog_places(catalog) + agents,
        catalog,
        now=now,
        today=now.date(),
        agents_source="database",
        tiles={"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
    )
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def folium_default(agents: list[Place], path: Path) -> None:
    fmap = folium.Map(location=[21.03, 105.85], zoom_start=10)
    cluster = MarkerCluster().add_to(fmap)
    for agent in agents:
        folium.Marker(
            [agent.lat, agent.lon], popup=f"{agent.name}<br>{agent.address}", tooltip=agent.name
        ).add_to(cluster)
    fmap.save(str(path))


class Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real web server

    def log_message(self, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser closing keep-alive connections at the end of a page


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def sizes(root: Path, urls: set[str]) -> tuple[int, int]:
    raw = gz = 0
    for url in urls:
        path = root / urlparse(url).path.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            continue  # a 404 (the API, absent on a static host)
        data = path.read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=6))
    return raw, gz


def local_cdn(route: Any) -> None:
    """Answer folium's Leaflet, markercluster and jQuery from disk; abort the rest."""
    name = urlparse(route.request.url).path.rsplit("/", 1)[-1]
    local = {
        "leaflet.js": VENDOR / "leaflet" / "leaflet.js",
        "leaflet.css": VENDOR / "leaflet" / "leaflet.css",
        "leaflet.markercluster.js": VENDOR / "leaflet.markercluster" / "leaflet.markercluster.js",
        "MarkerCluster.css": VENDOR / "leaflet.markercluster" / "MarkerCluster.css",
        "MarkerCluster.Default.css": VENDOR / "leaflet.markercluster" / "MarkerCluster.Default.css",
        "jquery-3.7.1.min.js": LOCAL_JQUERY,
    }.get(name)
    if local is not None and local.exists():
        route.fulfill(path=str(local))
    else:
        route.abort()


def measure(browser: Browser, base: str, root: Path, path: str, ours: bool) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    same_origin: set[str] = set()

    # Only other hosts are intercepted: routing every request through Playwright would slow
    # the page down by far more than what is measured.
    context.route("https://**/*", lambda r: r.abort() if ours else local_cdn(r))
    page = context.new_page()
    page.on(
        "request",
        lambda r: same_origin.add(r.url.split("?")[0]) if r.url.startswith(base) else None,
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + path, wait_until="load", timeout=TIMEOUT_MS)
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    if ours:
        page.wait_for_selector("#hcc-netmap[data-ready]")
        ready_ms = float(page.get_attribute("#hcc-netmap", "data-ready-ms") or 0)
        shown = int(page.get_attribute("#hcc-netmap", "data-agents-shown") or 0)
    else:
        ready_ms = load_ms
        shown = (
            sum(
                int(t)
                for t in page.locator(".marker-cluster span").all_inner_texts()
                if t.isdigit()
            )
            + page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
        )
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    data = {u for u in same_origin if u.endswith((".json", "/", ".html"))}
    raw, gz = sizes(root, data)
    total_raw, total_gz = sizes(root, same_origin)
    return {
        "load_ms": load_ms,
        "ready_ms": max(ready_ms, load_ms) if ours else ready_ms,
        "heap_mb": metrics["JSHeapUsedSize"] / 1e6,
        "raw": raw,
        "gzip": gz,
        "total_gzip": total_gz,
        "total_raw": total_raw,
        "requests": len(same_origin),
        "shown": shown,
    }


def row(label: str, m: dict[str, Any]) -> str:
    return (
        f"{label:28} {m['raw'] / 1e3:10.1f} {m['gzip'] / 1e3:9.1f} {m['total_gzip'] / 1e3:9.1f} "
        f"{m['load_ms']:8.0f} {m['ready_ms']:8.0f} {m['heap_mb']:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 10_000, 100_000])
    parser.add_argument(
        "--folium-max", type=int, default=10_000, help="largest size to run folium's default at"
    )
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "api.cli", "build", "--site-dir", str(site)],
            cwd=ROOT,
            env={"HCC_DB": str(Path(tmp) / "none.db"), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        server, base = serve(site)
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "chromium", args=CHROMIUM_ARGS
            )
            print(
                f"{'page':28} {'raw KB':>10} {'gzip KB':>9} {'+css/js':>9} {'load ms':>8} "
                f"{'ready ms':>8} {'heap MB':>7}"
            )
            for n in args.sizes:
                agents = synthetic_agents(catalog, n)
                started = time.perf_counter()
                write_places(site, catalog, agents)
                export_s = time.perf_counter() - started
                ours = measure(browser, base, site, "/ban-do/", ours=True)
                print(row(f"ours, {n:,} agents", ours) + f"   (export {export_s:.1f} s)")
                baseline = None
                if n <= args.folium_max:
                    folium_default(agents, site / f"folium-{n}.html")
                    baseline = measure(browser, base, site, f"/folium-{n}.html", ours=False)
                    print(row(f"folium default, {n:,}", baseline))
                results.append((n, ours, baseline))
            browser.close()
        server.shutdown()
    print()
    for n, ours, baseline in results:
        checks = []
        if baseline:
            ratio = ours["gzip"] / baseline["gzip"]
            raw_ratio = ours["raw"] / baseline["raw"]
            verdict = "PASS" if n != 10_000 or ratio <= 0.05 else "FAIL"
            checks.append(
                f"weight {ratio:.2%} of folium's (gzip; raw {raw_ratio:.2%}; target ≤ 5% at 10,000) {verdict}; "
                f"ready {ours['ready_ms'] / baseline['ready_ms']:.3f}x folium's load"
            )
        if n <= 10_000:
            ok = ours["ready_ms"] <= 1500
            checks.append(
                f"city map ready {ours['ready_ms']:.0f} ms ≤ 1500 {'PASS' if ok else 'FAIL'}"
            )
        else:
            ok = ours["ready_ms"] <= 2000 and ours["heap_mb"] <= 150
            checks.append(
                f"ready {ours['ready_ms']:.0f} ms ≤ 2000 and heap {ours['heap_mb']:.1f} MB ≤ 150 "
                f"{'PASS' if ok else 'FAIL'}"
            )
        checks.append(f"agents on the map {ours['shown']:,} of {n:,}")
        print(f"{n:>7,} agents: " + "; ".join(checks))


if __name__ == "__main__":
    main()
