"""Closed-loop HTTP/1.1 load: N keep-alive connections on one event loop, latency per request.

The clients share one asyncio loop (uvloop when installed) instead of one thread each: with
16-64 threads the client's own GIL hand-offs (5 ms switch interval) showed up in the measured
tail latency and its CPU competed with the server under test on this 2-core machine. Requests
are written as raw bytes and responses read by ``Content-Length`` — the servers measured here
(uvicorn) always send it for these endpoints.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import uvloop
except ImportError:  # pragma: no cover - the project installs it; plain asyncio works too
    uvloop = None

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    expected: int
    dossier: str = ""


@dataclass(frozen=True)
class Outcome:
    seconds: float
    status: int  # 0: transport error
    dossier: str
    ok: bool


@dataclass
class Load:
    elapsed: float
    outcomes: list[Outcome]
    server_cpu: float  # seconds of CPU the server process used during the run

    @classmethod
    def merge(cls, parts: list[Load]) -> Load:
        return cls(
            sum(p.elapsed for p in parts),
            [o for p in parts for o in p.outcomes],
            sum(p.server_cpu for p in parts),
        )

    @property
    def rate(self) -> float:
        return len(self.outcomes) / self.elapsed

    def percentile_ms(self, q: int) -> float:
        cuts = statistics.quantiles([o.seconds for o in self.outcomes], n=100, method="inclusive")
        return cuts[q - 1] * 1000

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request: separates work done from time spent waiting."""
        return self.server_cpu / len(self.outcomes) * 1000

    def summary(self) -> str:
        return (
            f"{len(self.outcomes)} requests, {self.rate:,.0f} req/s, p50 "
            f"{self.percentile_ms(50):.1f} ms, p99 {self.percentile_ms(99):.1f} ms, "
            f"server CPU {self.cpu_ms:.1f} ms/request, errors {dict(self.errors) or 0}"
        )

    @property
    def errors(self) -> Counter[int]:
        return Counter(o.status for o in self.outcomes if not o.ok)

    @property
    def acknowledged(self) -> list[str]:
        return [o.dossier for o in self.outcomes if o.status == 201]


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live children (workers), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # itself, or its child
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def encode(call: Call, port: int, auth: dict[str, str]) -> bytes:
    body = call.body or b""
    headers = {"Host": f"{HOST}:{port}", **call.headers, **auth, "Content-Length": str(len(body))}
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"{call.method} {call.path} HTTP/1.1\r\n{head}\r\n".encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status, and whether the server keeps the connection open."""
    status = int((await reader.readuntil(b"\r\n")).split(b" ", 2)[1])
    length, keep = 0, True
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
        elif name == "transfer-encoding":
            raise ValueError("chunked responses are not expected here")
    await reader.readexactly(length)
    return status, keep


async def client(
    port: int, calls: Iterator[Call], auth: dict[str, str], deadline: float, out: list[Outcome]
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for call in calls:  # one shared iterator: every call is sent once, by whoever is free
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                writer.write(encode(call, port, auth))
                status, keep = await read_response(reader)
            except (OSError, ValueError, asyncio.IncompleteReadError):
                status, keep = 0, False
            seconds = time.perf_counter() - started
            out.append(Outcome(seconds, status, call.dossier, status == call.expected))
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
    finally:
        writer.close()


def run_load(
    port: int, pid: int, calls: list[Call], clients: int, tokens: list[str], budget_s: float
) -> Load:
    """``clients`` keep-alive connections share ``calls`` until done or ``budget_s`` is spent.

    No request starts after the budget; the rate stays exact, the count shrinks. Client ``i``
    authenticates with ``tokens[i % len(tokens)]`` when tokens are given.
    """

    async def main() -> Load:
        shared = iter(calls)
        out: list[list[Outcome]] = [[] for _ in range(clients)]
        deadline = time.monotonic() + budget_s
        started, cpu = time.perf_counter(), process_cpu(pid)
        await asyncio.gather(
            *(client(port, shared, _auth(tokens, i), deadline, out[i]) for i in range(clients))
        )
        elapsed, cpu = time.perf_counter() - started, process_cpu(pid) - cpu
        return Load(elapsed, [o for part in out for o in part], cpu)

    with asyncio.Runner(loop_factory=uvloop.new_event_loop if uvloop else None) as runner:
        return runner.run(main())


def _auth(tokens: list[str], i: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[i % len(tokens)]}"} if tokens else {}
