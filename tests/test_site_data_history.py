"""The site built without an agent registry: the open data page still offers its files; and
procedure and branch pages show when they were last verified and the git history of their data
file (dates in Hanoi time)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from agents_registry.context import VIETNAM
from tests.conftest import ROOT


def test_the_site_without_agents_offers_the_files(site_dir: Path) -> None:
    page = (site_dir / "du-lieu-mo" / "index.html").read_text()
    index = json.loads((site_dir / "du-lieu-mo" / "index.json").read_text())

    assert index["agents_source"] == "none"
    assert "Chưa có đại lý" in page
    for item in index["files"]:
        assert f'href="{item["path"]}"' in page
        assert (site_dir / "du-lieu-mo" / item["path"]).is_file()


@pytest.mark.parametrize(
    ("page", "data_file", "verified"),
    [
        (
            "thu-tuc/cap-ban-sao-tu-so-goc/index.html",
            "procedures/cap-ban-sao-tu-so-goc.yaml",
            "Thông tin chưa được đối chiếu trực tiếp với Cổng Dịch vụ công quốc gia.",
        ),
        (
            "chi-nhanh/10/index.html",
            "branches.yaml",
            "Thông tin chưa được đối chiếu trực tiếp với nguồn chính thức.",
        ),
    ],
)
def test_pages_show_last_verified_and_their_git_history(
    site_dir: Path, page: str, data_file: str, verified: str
) -> None:
    log = subprocess.run(
        ["git", "log", "-5", "--format=%cI%x09%s", "--", data_file],
        cwd=ROOT / "catalog" / "data",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    text = html.unescape(re.sub(r"<[^>]+>", "", (site_dir / page).read_text()))
    history = text[text.index("Lịch sử thay đổi gần đây:") :]

    expected = []
    for line in log:
        moment, subject = line.split("\t", 1)
        local = dt.datetime.fromisoformat(moment).astimezone(VIETNAM)
        expected.append(f"{local:%d/%m/%Y}: {subject}")
    found = [line.strip() for line in history.splitlines() if re.match(r"\s*[0-9]{2}/", line)]
    assert found[: len(expected)] == expected
    assert f"cập nhật lần cuối ngày {expected[0].split(':')[0]}" in text
    assert verified in text
