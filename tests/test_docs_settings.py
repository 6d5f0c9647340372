"""The settings are documented where operators look (docs/deploy.md, README.md), the documents
name no setting the code does not read, defaults agree, and deploy.md's nginx headers and
commands are the real ones."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from api.cli import main
from api.security import content_security_policy, security_headers
from api.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()
README = (ROOT / "README.md").read_text()
SETTING = re.compile(r"\bHCC_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
# Where settings are read: the app, the domain, the catalog and the site build's hook.
CODE = [
    *(ROOT / "api").rglob("*.py"),
    *(ROOT / "agents_registry").rglob("*.py"),
    *(ROOT / "catalog").rglob("*.py"),
    *(ROOT / "site" / "hooks").glob("*.py"),
]
READ = re.compile(r"""["'](HCC_[A-Z0-9_]+)["']""")


def settings_read() -> set[str]:
    return {name for path in CODE for name in READ.findall(path.read_text())}


def table(markdown: str) -> dict[str, tuple[str, str]]:
    """The settings table under '## Settings': name -> (default, meaning)."""
    section = markdown.split("\n## Settings", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`HCC_"):
            for name in re.findall(r"`(HCC_[A-Z0-9_]+)`", cells[0]):
                rows[name] = (cells[1], cells[2])
    return rows


def test_the_code_reads_the_settings_this_test_knows() -> None:
    read = settings_read()
    assert {"HCC_ENV", "HCC_SECRET_KEY", "HCC_DB", "HCC_WORKERS", "HCC_DB_MAX_MB"} <= read


@pytest.mark.parametrize("document", ["docs/deploy.md", "README.md"])
def test_every_setting_read_is_in_the_settings_table(document: str) -> None:
    rows = table((ROOT / document).read_text())
    assert sorted(settings_read() - rows.keys()) == []
    assert all(meaning for _, meaning in rows.values())


@pytest.mark.parametrize("document", ["docs/deploy.md", "README.md"])
def test_the_documents_name_only_settings_the_code_reads(document: str) -> None:
    named = set(SETTING.findall((ROOT / document).read_text()))
    assert sorted(named - settings_read()) == []


ENV_OF_FIELD = {
    "env": "HCC_ENV",
    "host": "HCC_HOST",
    "port": "HCC_PORT",
    "workers": "HCC_WORKERS",
    "submission_window_days": "HCC_SUBMISSION_WINDOW_DAYS",
    "public_rate_limit_per_minute": "HCC_RATE_LIMIT_PER_MINUTE",
    "db_path": "HCC_DB",
    "site_dir": "HCC_SITE_DIR",
    "secret_key": "HCC_SECRET_KEY",
    "tile_url": "HCC_TILE_URL",
    "cors_origins": "HCC_CORS_ORIGINS",
    "metrics_token": "HCC_METRICS_TOKEN",
    "db_readonly": "HCC_DB_READONLY",
    "db_max_mb": "HCC_DB_MAX_MB",
    "public_url": "HCC_PUBLIC_URL",
}


def test_every_settings_field_comes_from_a_documented_variable() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)} - {"max_body_bytes"}
    assert fields == ENV_OF_FIELD.keys()
    assert set(ENV_OF_FIELD.values()) <= table(DEPLOY).keys()


@pytest.mark.parametrize("document", ["docs/deploy.md", "README.md"])
def test_the_documented_defaults_are_the_code_defaults(document: str) -> None:
    defaults = Settings.from_env({})
    rows = table((ROOT / document).read_text())
    for field in ("env", "host", "port", "workers", "submission_window_days"):
        assert f"`{getattr(defaults, field)}`" in rows[ENV_OF_FIELD[field]][0], field
    assert "`20`" in rows["HCC_RATE_LIMIT_PER_MINUTE"][0]
    assert defaults.db_path.relative_to(ROOT).as_posix() in rows["HCC_DB"][0]
    assert defaults.site_dir.relative_to(ROOT).as_posix() in rows["HCC_SITE_DIR"][0]
    for unset in ("cors_origins", "metrics_token", "db_max_mb", "public_url"):
        assert not getattr(defaults, unset) and "none" in rows[ENV_OF_FIELD[unset]][0]
    assert defaults.db_readonly is False and "`0`" in rows["HCC_DB_READONLY"][0]


def test_the_nginx_headers_are_the_apps() -> None:
    policies = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', DEPLOY)
    assert policies and set(policies) == {content_security_policy(Settings())}
    for name, value in security_headers(Settings()).items():
        if name != "Content-Security-Policy":
            assert DEPLOY.count(f'add_header {name} "{value}" always;') == len(policies)


def test_the_commands_in_deploy_md_exist() -> None:
    used = set(re.findall(r"hcc ((?:[a-z]+)(?: [a-z]+)?)", DEPLOY))
    commands = {name: cmd for name, cmd in main.commands.items()}
    for phrase in used:
        first, _, second = phrase.partition(" ")
        if first not in commands:
            continue  # "hcc system user", "hcc portal": prose, not a command
        group = commands[first]
        sub = getattr(group, "commands", None)
        if sub is not None and second:
            assert second in sub, phrase
    mentioned = {p.split(" ")[0] for p in used}
    assert {"up", "build", "db", "staff", "catalog"} <= mentioned


PARSED = [
    ("HCC_ENV", "production", "env", "production"),
    ("HCC_HOST", "0.0.0.0", "host", "0.0.0.0"),
    ("HCC_PORT", "8080", "port", 8080),
    ("HCC_WORKERS", "4", "workers", 4),
    ("HCC_DB", "/srv/hcc/hcc.db", "db_path", Path("/srv/hcc/hcc.db")),
    ("HCC_SITE_DIR", "/srv/hcc/site", "site_dir", Path("/srv/hcc/site")),
    ("HCC_SUBMISSION_WINDOW_DAYS", "7", "submission_window_days", 7),
    ("HCC_RATE_LIMIT_PER_MINUTE", "60", "public_rate_limit_per_minute", 60),
    (
        "HCC_TILE_URL",
        "https://t.example.vn/{z}/{x}/{y}.png",
        "tile_url",
        "https://t.example.vn/{z}/{x}/{y}.png",
    ),
    (
        "HCC_CORS_ORIGINS",
        "https://a.gov.vn, https://b.gov.vn/",
        "cors_origins",
        ("https://a.gov.vn", "https://b.gov.vn"),
    ),
    ("HCC_METRICS_TOKEN", "m-7f3a", "metrics_token", "m-7f3a"),
    ("HCC_DB_READONLY", "1", "db_readonly", True),
    ("HCC_DB_MAX_MB", "512.5", "db_max_mb", 512.5),
    (
        "HCC_PUBLIC_URL",
        "https://dichvucong.hanoi.gov.vn/",
        "public_url",
        "https://dichvucong.hanoi.gov.vn",
    ),
    ("HCC_PUBLIC_URL", "https://hanoi.gov.vn/hcc", "public_url", "https://hanoi.gov.vn/hcc"),
]
REFUSED = [
    ("HCC_ENV", "staging"),
    ("HCC_PORT", "tám nghìn"),
    ("HCC_WORKERS", "2.5"),
    ("HCC_SUBMISSION_WINDOW_DAYS", "thirty"),
    ("HCC_RATE_LIMIT_PER_MINUTE", "20/min"),
    ("HCC_CORS_ORIGINS", "portal.example.vn"),
    ("HCC_CORS_ORIGINS", "https://portal.example.vn/api"),
    ("HCC_DB_READONLY", "maybe"),
    ("HCC_DB_MAX_MB", "-1"),
    ("HCC_DB_MAX_MB", "lots"),
    ("HCC_PUBLIC_URL", "dichvucong.hanoi.gov.vn"),
    ("HCC_PUBLIC_URL", "ftp://dichvucong.hanoi.gov.vn"),
    ("HCC_PUBLIC_URL", "https://dichvucong.hanoi.gov.vn/?a=1"),
    ("HCC_PUBLIC_URL", "https:///hcc"),
    ("HCC_PUBLIC_URL", "https://@"),
    ("HCC_PUBLIC_URL", "https://dichvucong.hanoi.gov.vn:abc"),
    ("HCC_PUBLIC_URL", "https://user:pass@dichvucong.hanoi.gov.vn"),
]


@pytest.mark.parametrize(("name", "raw", "field", "value"), PARSED)
def test_each_setting_is_read_into_its_field(
    name: str, raw: str, field: str, value: object
) -> None:
    env = {name: raw, "HCC_SECRET_KEY": "k"}

    assert getattr(Settings.from_env(env), field) == value


@pytest.mark.parametrize(("name", "raw"), REFUSED)
def test_a_malformed_setting_is_refused_naming_it(name: str, raw: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: raw, "HCC_SECRET_KEY": "k"})
    assert name in str(refused.value.code)


def test_every_documented_setting_of_the_app_is_checked() -> None:
    checked = {name for name, *_ in PARSED} | {"HCC_SECRET_KEY"}
    read_by_app = READ.findall((ROOT / "api" / "settings.py").read_text())
    assert set(read_by_app) <= checked
