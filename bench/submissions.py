"""Submissions API benchmark: our server against a minimal Litestar app and raw SQLite, same run.

It starts our real server (``hcc up`` on a fresh database: WAL, ``synchronous=FULL``), creates a
staff user and agents through the API, and drives ``POST /api/v1/submissions`` with 16 and then
64 concurrent keep-alive clients (unique dossiers, valid bodies, an Idempotency-Key each),
alternating in short rounds with ``bench/minimal_app.py`` (one decode, one INSERT + COMMIT)
served by the same uvicorn settings; single-row commits in this process between the rounds give
the SQLite ceiling. Both list endpoints (a page of 100 agents out of 500) follow. After the
servers stop, every acknowledged dossier must be in the database exactly once. Run it with::

    .venv/bin/python bench/submissions.py [--scale 0.1]

Traffic goes to 127.0.0.1 only; time budgets keep the run under 4 minutes. Targets print
PASS/FAIL; the exit code is always 0. Figures and their reading: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))  # run as a script: make the project importable

from agents_registry import store  # noqa: E402
from agents_registry.db import connect, write  # noqa: E402
from agents_registry.validation import tax_code_problem  # noqa: E402
from bench import http_load  # noqa: E402
from bench.http_load import Call, Load  # noqa: E402

AGENTS = 8
LISTED_AGENTS = 500
WARMUP = 200
POST_LEVELS = ((16, 3000, 50.0), (64, 6000, 70.0))  # clients, requests per server, budget (s)
GET_CLIENTS, GET_REQUESTS, GET_BUDGET_S = 16, 3000, 40.0
ROUNDS = 4  # each level alternates ours and the baseline in short rounds (ABBA)
RAW_ROWS_PER_ROUND = 250
WARMUP_BUDGET_S = 5.0  # budgets bound the run on a slow disk: fewer requests, same rates
P99_TARGET_MS = 25.0
POST_RATIO_TARGET = 0.6
GET_RATIO_TARGET = 0.8
HOST = "127.0.0.1"


# --- servers ----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    db: Path
    api: str  # path prefix of the endpoints
    process: subprocess.Popen[bytes] | None = None


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HCC_", "BENCH_"))}
    return {**env, **extra}


def our_env(workdir: Path) -> dict[str, str]:
    return clean_env(
        {
            "HCC_DB": str(workdir / "hcc.db"),
            "HCC_SECRET_KEY": "bench-secret",
            "HCC_SITE_DIR": str(workdir / "no-site"),
        }
    )


def launch(server: Server, command: list[str], env: dict[str, str], log: Path) -> None:
    """Start the server and wait until it answers."""
    with log.open("wb") as stderr:
        server.process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited early:\n{log.read_text()[-2000:]}")
        try:
            status, _ = call_json(server.port, "GET", f"{server.api}/agents?page_size=1")
            if status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} did not answer within 30 s")


def start_ours(workdir: Path, workers: int) -> Server:
    server = Server("ours", free_port(), workdir / "hcc.db", "/api/v1")
    command = [sys.executable, "-m", "api.cli", "up", "--no-build", "--no-demo"]
    command += ["--port", str(server.port), "--workers", str(workers)]
    launch(server, command, our_env(workdir), workdir / "ours.log")
    return server


def start_minimal(workdir: Path, workers: int) -> Server:
    server = Server("minimal", free_port(), workdir / "minimal.db", "")
    command = [sys.executable, "-m", "uvicorn", "bench.minimal_app:app", "--host", HOST]
    command += ["--port", str(server.port), "--log-level", "warning"]  # as `hcc up` runs uvicorn
    command += ["--workers", str(workers)]
    env = clean_env({"BENCH_MINIMAL_DB": str(server.db)})
    launch(server, command, env, workdir / "minimal.log")
    return server


def stop(server: Server) -> None:
    if server.process is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# --- setup: staff, agents, a directory of 500 ---------------------------------------------------


def call_json(
    port: int, method: str, path: str, body: object = None, token: str | None = None
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def add_staff(workdir: Path) -> str:
    """A staff user made with `hcc staff add`; its token is the last line printed."""
    command = [sys.executable, "-m", "api.cli", "staff", "add", "Bench"]
    result = subprocess.run(
        command, cwd=PROJECT, env=our_env(workdir), capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def valid_tax_codes(count: int) -> list[str]:
    candidates = (f"0109{n:06d}" for n in itertools.count(1))
    return list(itertools.islice((c for c in candidates if tax_code_problem(c) is None), count))


def application_body(tax_code: str) -> dict[str, Any]:
    """As tests/factories.py: a post office in Phường Hoàn Kiếm."""
    hours = ["07:30-12:00", "13:00-18:00"]
    return {
        "business_name": f"Bưu điện Hoàn Kiếm {tax_code}",
        "kind": "post_office",
        "tax_code": tax_code,
        "legal_representative": "Nguyễn Thị Lan",
        "address": "Số 75 Đinh Tiên Hoàng, phường Hoàn Kiếm",
        "ward_code": "00070",
        "lat": 21.0285,
        "lon": 105.8525,
        "phone": "+84 912 345 678",
        "email": "hoankiem@vnpost.vn",
        "opening_hours": {d: hours for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": ["08:00-12:00"], "sun": []},
        "staff_count": 4,
        "equipment": "3 máy tính, 2 máy quét, đường truyền cáp quang",
        "fields": ["ho-tich", "cu-tru", "chung-thuc"],
    }


def create_agents(server: Server, staff_token: str, count: int) -> list[str]:
    """Agents made as in production: apply, then a staff approval; returns their tokens."""
    tokens = []
    for tax_code in valid_tax_codes(count):
        status, created = call_json(
            server.port, "POST", "/api/v1/applications", application_body(tax_code)
        )
        assert status == 201, (status, created)
        path = f"/api/v1/applications/{created['id']}/approve"
        status, approved = call_json(server.port, "POST", path, {}, staff_token)
        assert status == 200, (status, approved)
        tokens.append(approved["token"])
    return tokens


def seed_directory(ours: Server, minimal: Server, total: int) -> None:
    """Clone the first agent until our directory holds ``total``; copy them all to the baseline."""
    db = connect(ours.db)
    try:
        template = db.execute("SELECT * FROM agents ORDER BY number LIMIT 1").fetchone()
        names = [c[0] for c in db.execute("SELECT * FROM agents LIMIT 0").description]
        first = dict(zip(names, template, strict=True))
        missing = total - store.count_rows(db, "agents")
        clones = [
            first | {"id": f"DL-B{n:04d}", "number": 10_000 + n, "application_id": None}
            for n in range(missing)
        ]
        with write(db):
            store.insert_agents(db, clones)
        rows = [dict(zip(names, r, strict=True)) for r in db.execute("SELECT * FROM agents")]
    finally:
        db.conn.close()
    baseline = connect(minimal.db)
    try:
        with write(baseline):
            baseline.table("agents").insert_all(rows)
    finally:
        baseline.conn.close()


# --- load -------------------------------------------------------------------------------------


def submission_calls(api: str, tag: str, count: int) -> list[Call]:
    """Valid, unique submissions (as tests/factories.py), each with its own Idempotency-Key."""
    submitted_at = (datetime.now(timezone(timedelta(hours=7))) - timedelta(hours=1)).isoformat(
        timespec="seconds"
    )
    calls = []
    for n in range(count):
        dossier = f"000.00.99.H26-{tag}-{n:06d}"
        body = {
            "dossier_code": dossier,
            "procedure_code": "1.001193",
            "mode": "full_online",
            "submitted_at": submitted_at,
            "citizen_id": "001203012345",
            "notes": "Hỗ trợ kê khai trên VNeID",
        }
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        calls.append(
            Call("POST", f"{api}/submissions", json.dumps(body).encode(), headers, 201, dossier)
        )
    return calls


def list_calls(api: str, count: int) -> list[Call]:
    return [Call("GET", f"{api}/agents?page_size=100", None, {}, 200)] * count


def run_load(
    server: Server, calls: list[Call], clients: int, tokens: list[str], budget_s: float
) -> Load:
    assert server.process is not None
    return http_load.run_load(server.port, server.process.pid, calls, clients, tokens, budget_s)


CallsFor = Callable[[Server, int], list[Call]]  # (server, round) -> calls


def interleaved(
    servers: list[Server],
    calls_for: CallsFor,
    clients: int,
    tokens: list[str],
    budget_s: float,
    raw: Path | None,
) -> tuple[list[Load], float]:
    """Short rounds, alternating the order (ABBA), with raw commits between rounds.

    The disk's fsync rate drifts several-fold within seconds on a VM; alternating spreads that
    drift evenly over every contender. Returns one merged load per server and the raw rate.
    """
    parts: list[list[Load]] = [[] for _ in servers]
    raw_seconds = 0.0
    for n in range(ROUNDS):
        order = list(enumerate(servers))
        for i, server in order if n % 2 == 0 else order[::-1]:
            share = budget_s / (ROUNDS * len(servers))
            parts[i].append(run_load(server, calls_for(server, n), clients, tokens, share))
        if raw is not None:
            raw_seconds += raw_commit_seconds(raw, RAW_ROWS_PER_ROUND)
    loads = [Load.merge(p) for p in parts]
    for server, load in zip(servers, loads, strict=True):
        print(f"  {server.name}: {load.summary()}", flush=True)
    return loads, ROUNDS * RAW_ROWS_PER_ROUND / raw_seconds if raw_seconds else 0.0


def warm_up(
    servers: list[Server], calls_for: CallsFor, clients: int, tokens: list[str]
) -> list[Load]:
    return [
        run_load(s, calls_for(s, -1)[:WARMUP], clients, tokens, WARMUP_BUDGET_S) for s in servers
    ]


def post_calls(clients: int, count: int) -> CallsFor:
    def calls_for(server: Server, round_number: int) -> list[Call]:
        tag = f"{server.name[0]}{clients}r{round_number if round_number >= 0 else 'w'}"
        return submission_calls(server.api, tag, count // ROUNDS)

    return calls_for


def get_calls(count: int) -> CallsFor:
    return lambda server, _round: list_calls(server.api, count // ROUNDS)


# --- durability and the SQLite ceiling --------------------------------------------------------


def verify_durable(db_path: Path, acknowledged: list[str]) -> tuple[bool, str]:
    """Every acknowledged dossier is stored exactly once, and the file is intact."""
    conn = sqlite3.connect(db_path)
    try:
        stored = Counter(r[0] for r in conn.execute("SELECT dossier_code FROM submissions"))
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    missing = sum(1 for code in acknowledged if stored[code] == 0)
    duplicated = sum(1 for code in set(acknowledged) if stored[code] > 1)
    ok = not missing and not duplicated and integrity == "ok"
    return ok, (
        f"{len(acknowledged)} acknowledged, {missing} missing, {duplicated} duplicated, "
        f"integrity {integrity}"
    )


def raw_commit_seconds(db_path: Path, rows: int) -> float:
    """Single-row commits on one connection opened as the registry opens it: the ceiling."""
    db = connect(db_path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, code TEXT UNIQUE)")
        started = time.perf_counter()
        for _ in range(rows):
            with write(db):
                db.execute("INSERT INTO raw (code) VALUES (?)", [uuid.uuid4().hex])
        return time.perf_counter() - started
    finally:
        db.conn.close()


# --- report -----------------------------------------------------------------------------------


@dataclass
class Results:
    posts: dict[int, tuple[Load, Load]]  # clients -> (ours, minimal)
    ceilings: dict[int, float]  # clients -> raw SQLite rows/s, measured between the rounds
    gets: tuple[Load, Load]
    our_loads: list[Load]  # every run against our server, warm-ups included
    durable: tuple[bool, str]


def row(label: str, ours: float, minimal: float, digits: int = 1) -> str:
    return f"| {label} | {ours:,.{digits}f} | {minimal:,.{digits}f} | {ours / minimal:.2f} |"


def load_rows(label: str, ours: Load, minimal: Load) -> list[str]:
    return [
        row(f"{label}: throughput (req/s)", ours.rate, minimal.rate, 0),
        row(f"{label}: p50 (ms)", ours.percentile_ms(50), minimal.percentile_ms(50)),
        row(f"{label}: p99 (ms)", ours.percentile_ms(99), minimal.percentile_ms(99)),
        row(f"{label}: server CPU (ms/request)", ours.cpu_ms, minimal.cpu_ms),
        f"| {label}: errors | {ours.errors.total()} | {minimal.errors.total()} | |",
    ]


def table(results: Results) -> list[str]:
    lines = ["| Measure | ours | minimal | ours/minimal |", "|---|---:|---:|---:|"]
    for clients, (ours, minimal) in results.posts.items():
        lines += load_rows(f"POST, {clients} clients", ours, minimal)
    lines += load_rows(f"GET agents, {GET_CLIENTS} clients", *results.gets)
    lines += ["", "| POST level | raw SQLite ceiling (rows/s) | ours/ceiling | minimal/ceiling |"]
    lines.append("|---|---:|---:|---:|")
    for clients, (ours, minimal) in results.posts.items():
        raw = results.ceilings[clients]
        lines.append(
            f"| {clients} clients | {raw:,.0f} | {ours.rate / raw:.2f} | {minimal.rate / raw:.2f} |"
        )
    return lines


def ratio_check(label: str, ours: Load, minimal: Load, target: float) -> tuple[bool, str]:
    ratio = ours.rate / minimal.rate
    return ratio >= target, f"{label} throughput ours/minimal >= {target}: {ratio:.2f}"


def targets(results: Results) -> list[tuple[bool, str]]:
    checks = [
        ratio_check(f"POST, {clients} clients", ours, minimal, POST_RATIO_TARGET)
        for clients, (ours, minimal) in results.posts.items()
    ]
    first = POST_LEVELS[0][0]
    p99 = results.posts[first][0].percentile_ms(99)
    checks.append(
        (p99 <= P99_TARGET_MS, f"POST p99 at {first} clients <= {P99_TARGET_MS:.0f} ms: {p99:.1f}")
    )
    errors = sum((load.errors for load in results.our_loads), Counter[int]())
    checks.append((not errors, f"zero errors (ours, warm-ups included): {dict(errors) or 0}"))
    checks.append((results.durable[0], f"durable (ours): {results.durable[1]}"))
    checks.append(ratio_check("GET agents", *results.gets, GET_RATIO_TARGET))
    return checks


def report(results: Results) -> None:
    print("\n".join(table(results)), end="\n\n")
    for ok, text in targets(results):
        print(f"{'PASS' if ok else 'FAIL'}  {text}")


# --- main -------------------------------------------------------------------------------------


def scaled(count: int, scale: float) -> int:
    return max(100, int(count * scale))


def run(workdir: Path, scale: float, workers: int) -> Results:
    staff_token = add_staff(workdir)
    ours, minimal = start_ours(workdir, workers), start_minimal(workdir, workers)
    servers = [ours, minimal]
    posts: dict[int, tuple[Load, Load]] = {}
    ceilings: dict[int, float] = {}
    loads: list[list[Load]] = []  # every POST run, warm-ups included: [ours, minimal]
    try:
        tokens = create_agents(ours, staff_token, AGENTS)
        seed_directory(ours, minimal, LISTED_AGENTS)
        for clients, count, budget_s in POST_LEVELS:
            print(f"POST /submissions, {clients} clients, {scaled(count, scale)} requests each…")
            calls_for = post_calls(clients, scaled(count, scale))
            loads.append(warm_up(servers, calls_for, clients, tokens))
            measured, ceilings[clients] = interleaved(
                servers, calls_for, clients, tokens, budget_s, workdir / "raw.db"
            )
            print(f"  raw SQLite between rounds: {ceilings[clients]:,.0f} rows/s", flush=True)
            posts[clients] = (measured[0], measured[1])
            loads.append(measured)
        count = scaled(GET_REQUESTS, scale)
        print(f"GET /agents?page_size=100, {GET_CLIENTS} clients, {count} requests each…")
        warm_up(servers, get_calls(count), GET_CLIENTS, [])
        gets = interleaved(servers, get_calls(count), GET_CLIENTS, [], GET_BUDGET_S, None)[0]
    finally:
        stop(ours)
        stop(minimal)
    durable = verify_durable(ours.db, [c for pair in loads for c in pair[0].acknowledged])
    baseline = verify_durable(minimal.db, [c for pair in loads for c in pair[1].acknowledged])
    print(f"minimal app durability: {baseline[1]}")
    our_loads = [pair[0] for pair in loads]
    return Results(posts, ceilings, (gets[0], gets[1]), our_loads, durable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply request counts.")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Worker processes of both servers (hcc up --workers).",
    )
    args = parser.parse_args()
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="hcc-bench-") as tmp:
        results = run(Path(tmp), args.scale, args.workers)
    print(
        f"\n{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, {args.workers} worker(s) per server, "
        f"{time.monotonic() - started:.0f} s, load average "
        f"{load_before:.1f} before / {os.getloadavg()[0]:.1f} after (other work shares the CPUs)\n"
    )
    report(results)


if __name__ == "__main__":
    main()
