"""Citizen IDs exist only as keyed hashes: after submissions that carry them, the clear digits
are nowhere — database, WAL, server log, any GET answer of the API (open data, audit exports);
production refuses to start without a secret key."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from tests.conftest import ROOT, free_port, running_server
from tests.factories import submission_body
from tests.ops_server import add_staff, hcc, new_agent
from tests.test_api_crash import call, cli_env

CITIZEN_IDS = ["001089023456", "079203004321", "036195012877", "001301998765"]


def forms(citizen_id: str) -> list[re.Pattern[bytes]]:
    """The digits as text: plain or grouped with separators, in UTF-8 and in UTF-16."""
    grouped = b"[ .-]?".join(re.escape(d.encode()) for d in citizen_id)
    utf16 = re.escape(citizen_id.encode("utf-16-le"))
    return [re.compile(grouped), re.compile(utf16)]


def leaks(name: str, data: bytes) -> list[str]:
    if data[:2] == b"PK":  # xlsx and other zipped exports: look inside
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                hit
                for member in archive.namelist()
                for hit in leaks(f"{name}!{member}", archive.read(member))
            ]
    return [f"{name}: {cid}" for cid in CITIZEN_IDS for form in forms(cid) if form.search(data)]


def fetch(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def every_get(base: str, agent_id: str) -> list[str]:
    """Every GET route of the API, path parameters filled where a value is known."""
    _, raw = fetch(f"{base}/schema/openapi.json")
    urls = []
    for path, item in json.loads(raw)["paths"].items():
        if "get" not in item:
            continue
        filled = path.replace("{agent_id}", agent_id)
        if "{path}" in filled:
            _, index = fetch(f"{base}/api/v1/open-data/")
            urls += [f"{base}/api/v1/open-data/{f['path']}" for f in json.loads(index)["files"]]
        elif "{" not in filled:
            urls.append(base + filled)
    return urls


def test_citizen_ids_are_stored_only_as_keyed_hashes(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    staff = add_staff(env)
    log_path = tmp_path / "server.log"
    scanned: dict[str, bytes] = {}
    with running_server(env, log=log_path) as base:
        agent_id, agent = new_agent(base, staff)
        for n, cid in enumerate(CITIZEN_IDS):
            body = submission_body(dossier_code=f"000.00.12.H26-251123-{n:04d}", citizen_id=cid)
            assert call(f"{base}/api/v1/submissions", body, agent)[0] == 201
        fetch(f"{base}/api/v1/procedures?q={CITIZEN_IDS[0]}", agent)
        for name in ("hcc.db", "hcc.db-wal"):  # while the server runs: the WAL holds them
            scanned[f"{name} (running)"] = (tmp_path / name).read_bytes()
        answered = 0
        for url in every_get(base, agent_id):
            for token in (staff, agent):
                status, data = fetch(url, token)
                answered += status == 200
                scanned[f"GET {url} ({status})"] = data
    scanned["hcc.db"] = (tmp_path / "hcc.db").read_bytes()
    scanned["server log"] = log_path.read_bytes()

    assert len(scanned["hcc.db-wal (running)"]) > 0 and answered > 20
    assert [hit for name, data in scanned.items() for hit in leaks(name, data)] == []


def test_the_scan_finds_digits_in_every_form_it_claims() -> None:
    cid = CITIZEN_IDS[0]
    grouped = f"{cid[:3]} {cid[3:6]} {cid[6:]}".encode()
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f"<t>{cid}</t>")

    found = [leaks("sample", data) for data in (cid.encode(), grouped, cid.encode("utf-16-le"))]

    assert found == [[f"sample: {cid}"]] * 3
    assert leaks("export.xlsx", xlsx.getvalue()) == [f"export.xlsx!xl/sharedStrings.xml: {cid}"]
    assert leaks("hash", b"9f2c0a1b3d") == []


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path), "HCC_ENV": "production"}
    del env["HCC_SECRET_KEY"]

    results = [
        subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for args in (["up", "--no-build", "--port", str(free_port())], ["staff", "add", "A"])
    ]

    for result in results:
        assert result.returncode != 0
        assert "HCC_ENV=production needs HCC_SECRET_KEY" in result.stderr
        assert "export HCC_SECRET_KEY=$(python3 -c 'import secrets;" in result.stderr
    assert not (tmp_path / "hcc.db").exists()
    assert not (tmp_path / "secret_key").exists()


def test_production_uses_the_given_key_and_generates_none(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path), "HCC_ENV": "production"}

    result = hcc(env, "staff", "add", "Nguyễn Văn An")

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key").exists()
    development = hcc({**cli_env(tmp_path), "HCC_SECRET_KEY": ""}, "staff", "add", "B")
    assert development.returncode == 0
    assert len((tmp_path / "secret_key").read_text().strip()) == 64  # development only
