"""`hcc catalog check` reports every problem with its file and field path, and exits non-zero."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from catalog.load import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent


def run_check(data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "api.cli", "catalog", "check"]
    if data_dir:
        args += ["--data-dir", str(data_dir)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_real_catalog_passes() -> None:
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Catalog OK:")


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    data = copy_catalog(tmp_path)
    procedures = data / "procedures"
    edit_yaml(
        procedures / "dang-ky-khai-sinh.yaml", lambda d: d.update(processing_time={"days": "ba"})
    )
    edit_yaml(procedures / "dang-ky-ket-hon.yaml", lambda d: d.update(code="1.004222"))
    edit_yaml(procedures / "dang-ky-thuong-tru.yaml", lambda d: d.update(field="thien-van"))
    edit_yaml(procedures / "dang-ky-tam-tru.yaml", lambda d: d.update(replaced_by="9.999999"))
    (procedures / "hong.yaml").write_text("name: [unclosed\n", encoding="utf-8")

    def break_branches(d):  # type: ignore[no-untyped-def]
        d["branches"][0]["reception_points"][0]["ward_code"] = "99999"
        d["branches"][1]["lat"] = 10.77
        d["branches"][2]["reception_points"] = []

    edit_yaml(data / "branches.yaml", break_branches)

    result = run_check(data)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = [
        "procedures/dang-ky-khai-sinh.yaml: processing_time.days: Expected `float | null`, got `str`",
        "procedures/hong.yaml: (file): not valid YAML",
        "procedures/dang-ky-ket-hon.yaml: code: code 1.004222 is used by another procedure",
        "procedures/dang-ky-thuong-tru.yaml: field: unknown field 'thien-van'",
        "procedures/dang-ky-tam-tru.yaml: replaced_by: 9.999999 is not a procedure in the catalog",
        "branches.yaml: branches[0].reception_points[0].ward_code: unknown ward 99999",
        "branches.yaml: branches[1].lat: coordinates are outside Hanoi",
        "branches.yaml: branches[2].reception_points: a branch needs at least one",
    ]
    for message in expected:
        assert any(line.startswith(message) for line in lines), (message, lines)
    assert lines[-1] == f"{len(lines) - 1} problem(s) found."


def test_an_unknown_key_is_named_with_its_path(tmp_path: Path) -> None:
    data = copy_catalog(tmp_path)
    edit_yaml(
        data / "procedures" / "dang-ky-khai-sinh.yaml",
        lambda d: d["documents"][0].update(colour="red"),
    )

    result = run_check(data)

    assert result.returncode == 1
    assert (
        "procedures/dang-ky-khai-sinh.yaml: documents[0]: Object contains unknown field `colour`"
        in result.stderr
    )
