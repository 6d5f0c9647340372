"""Nearest benchmark: our exact index against a naive geopy geodesic loop, same run.

For N = 600, 10,000 and 100,000 synthetic agents placed like the demo network (several per
urban-core ward, fewer per commune, jittered within the ward's built-up core) plus the catalog's
branches and reception points, it times ``NearestIndex.query(limit=10)`` on 250 deterministic
query points (most near where people live, some anywhere in Hanoi) and a naive loop computing
``geopy.distance.geodesic`` to every place and sorting, on the first few of those points (the
naive loop takes seconds per query at 100,000). Every compared query must return the same
places in the same order with the same distances (bit for bit). Run it with::

    .venv/bin/python bench/nearest.py [--naive 20,5,3] [--queries 250]

Index times are the best of 3 runs per query (the machine may be shared); p50/p99 are across
queries. Targets print PASS/FAIL; the exit code is always 0.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))  # run as a script: make the project importable

from geopy.distance import geodesic  # noqa: E402

from agents_registry.demo.vocabulary import INNER  # noqa: E402
from agents_registry.nearest import KIND_RANK, NearestIndex  # noqa: E402
from agents_registry.places import Place, PlaceKind, catalog_places  # noqa: E402
from catalog.load import Catalog, load_catalog  # noqa: E402
from catalog.models import OpeningHours  # noqa: E402

SIZES = (600, 10_000, 100_000)
LIMIT = 10
HOURS = OpeningHours(mon=["08:00-17:00"], sat=["08:00-12:00"])
P99_TARGET_MS = 3.0


def synthetic_agents(catalog: Catalog, n: int, seed: int = 2025) -> list[Place]:
    """``n`` agents spread over the wards like the demo: weight 8 per core ward, 4 per other
    urban ward, 2.2 per commune; positions within ~1.5 km of the ward's point (6 decimals)."""
    rng = random.Random(seed)
    wards = list(catalog.wards)
    weights = [
        8.0
        if w.kind == "phường" and w.former_district in INNER
        else 4.0
        if w.kind == "phường"
        else 2.2
        for w in wards
    ]
    agents = []
    for number, ward in enumerate(rng.choices(wards, weights, k=n), start=1):
        radius_km = min(math.sqrt((ward.area_km2 or 10.0) / math.pi) * 0.6, 1.5)
        distance, bearing = radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = ward.lat + distance * math.cos(bearing) / 111.0
        lon = ward.lon + distance * math.sin(bearing) / (111.0 * math.cos(math.radians(ward.lat)))
        agents.append(
            Place(
                kind=PlaceKind.AGENT,
                id=f"DL-{number:06d}",
                name=f"Đại lý {number}",
                address=ward.name,
                ward_code=ward.code,
                lat=round(lat, 6),
                lon=round(lon, 6),
                phone=None,
                opening_hours=HOURS,
                fields=("ho-tich",),
                branch_number=1,
            )
        )
    return agents


def query_points(catalog: Catalog, count: int, seed: int = 7) -> list[tuple[float, float]]:
    """Two thirds near a ward's point chosen by population-like weight, a third anywhere."""
    rng = random.Random(seed)
    wards = list(catalog.wards)
    weights = [3.0 if w.kind == "phường" else 1.0 for w in wards]
    points = []
    for i in range(count):
        if i % 3 == 2:
            points.append((rng.uniform(20.56, 21.38), rng.uniform(105.30, 106.00)))
        else:
            ward = rng.choices(wards, weights)[0]
            points.append((ward.lat + rng.gauss(0, 0.01), ward.lon + rng.gauss(0, 0.01)))
    return points


def naive(places: list[Place], lat: float, lon: float) -> list[tuple[str, float]]:
    ranked = sorted(
        (geodesic((lat, lon), (p.lat, p.lon)).meters, KIND_RANK[p.kind], p.id) for p in places
    )
    return [(pid, d) for d, _, pid in ranked[:LIMIT]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def run(catalog: Catalog, n: int, points: list[tuple[float, float]], naive_count: int) -> dict:
    places = catalog_places(catalog) + synthetic_agents(catalog, n)
    started = time.perf_counter()
    index = NearestIndex(places)
    build_s = time.perf_counter() - started
    gc.collect()
    gc.disable()
    try:
        times, cpu_times = [], []
        for lat, lon in points:
            best, best_cpu = math.inf, math.inf
            for _ in range(3):
                t0, c0 = time.perf_counter(), time.thread_time()
                index.query(lat, lon, limit=LIMIT)
                best_cpu = min(best_cpu, time.thread_time() - c0)
                best = min(best, time.perf_counter() - t0)
            times.append(best * 1000)
            cpu_times.append(best_cpu * 1000)
    finally:
        gc.enable()
    examined = []
    for lat, lon in points:
        seen = [0]

        def count(_: Place, seen: list[int] = seen) -> bool:
            seen[0] += 1
            return True

        index.query(lat, lon, limit=LIMIT, predicate=count)
        examined.append(seen[0])
    naive_ms, identical = [], 0
    for lat, lon in points[:naive_count]:
        t0 = time.perf_counter()
        expected = naive(places, lat, lon)
        naive_ms.append((time.perf_counter() - t0) * 1000)
        got = [(p.id, d) for p, d in index.query(lat, lon, limit=LIMIT)]
        identical += got == expected
    return {
        "n": n,
        "places": len(places),
        "build_s": build_s,
        "p50": statistics.median(times),
        "p99": percentile(times, 0.99),
        "cpu_p50": statistics.median(cpu_times),
        "cpu_p99": percentile(cpu_times, 0.99),
        "geodesics": statistics.mean(examined),
        "naive_p50": statistics.median(naive_ms) if naive_ms else math.nan,
        "naive_p99": percentile(naive_ms, 0.99) if naive_ms else math.nan,
        "compared": naive_count,
        "identical": identical,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive", default="20,5,3", help="naive queries at each N (600,10k,100k)")
    parser.add_argument("--queries", type=int, default=250, help="query points per N")
    args = parser.parse_args()
    naive_counts = [int(x) for x in args.naive.split(",")]
    catalog = load_catalog()
    points = query_points(catalog, args.queries)
    print(
        f"limit={LIMIT}, {args.queries} query points; index time = best of 3 runs per query, "
        f"wall clock and this thread's CPU time; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs at start"
    )
    print(
        "| agents | places | build | index p50 / p99 (wall) | index p50 / p99 (CPU) "
        "| geodesics/query | naive p50 / p99 (wall) | speed-up (p50) | identical |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    results = []
    for n, naive_count in zip(SIZES, naive_counts, strict=True):
        r = run(catalog, n, points, naive_count)
        results.append(r)
        print(
            f"| {n:,} | {r['places']:,} | {r['build_s']:.2f} s "
            f"| {r['p50']:.3f} / {r['p99']:.3f} ms | {r['cpu_p50']:.3f} / {r['cpu_p99']:.3f} ms "
            f"| {r['geodesics']:.1f} | {r['naive_p50']:,.0f} / {r['naive_p99']:,.0f} ms "
            f"| {r['naive_p50'] / r['p50']:,.0f}x | {r['identical']}/{r['compared']} |",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    small, large = results[0], results[-1]
    checks = []
    for clock, key in (("wall", "p99"), ("CPU", "cpu_p99")):
        checks += [
            (
                f"p99 at {large['n']:,} agents ≤ {P99_TARGET_MS} ms ({clock}: {large[key]:.3f} ms)",
                large[key] <= P99_TARGET_MS,
            ),
            (
                f"flat in N: p99 at {large['n']:,} ≤ 2 x p99 at {small['n']:,} "
                f"({clock}: ratio {large[key] / small[key]:.2f})",
                large[key] <= 2 * small[key],
            ),
        ]
    checks.append(
        (
            "identical results (places, order, distances to the bit) on every compared query",
            all(r["identical"] == r["compared"] for r in results),
        )
    )
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")


if __name__ == "__main__":
    main()
