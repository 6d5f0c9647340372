"""Read the catalog's data files into a validated, cross-checked :class:`Catalog`.

Every problem is collected before anything is raised, so one run of ``hcc catalog check``
reports all of them, each with its file, field path and reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from catalog.models import Branch, BranchFile, Center, Field, Procedure, Ward

DATA_DIR = Path(__file__).parent / "data"

# A generous box around Hanoi (the city spans about 20.56-21.39 N, 105.28-106.02 E).
HANOI_BOUNDS = (20.50, 21.45, 105.25, 106.08)

T = TypeVar("T")
# libyaml's safe loader when PyYAML was built with it (about 10x faster), else the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class CatalogError(Exception):
    """The data files do not form a valid catalog; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the catalog:\n" + "\n".join(map(str, problems))
        )


@dataclass
class Catalog:
    center: Center
    fields: list[Field]
    procedures: list[Procedure]
    branches: list[Branch]
    wards: list[Ward]
    _by_key: dict[str, Procedure] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.procedures.sort(key=lambda p: (p.name.casefold(), p.id))
        for procedure in self.procedures:
            self._by_key[procedure.id] = procedure
            if procedure.code:
                self._by_key[procedure.code] = procedure

    def procedure(self, key: str) -> Procedure | None:
        """Find a procedure by national code or catalog id."""
        return self._by_key.get(key)

    def field_by_slug(self, slug: str) -> Field | None:
        return next((f for f in self.fields if f.slug == slug), None)

    def ward(self, code: str) -> Ward | None:
        return next((w for w in self.wards if w.code == code), None)

    def branch_for_ward(self, code: str) -> Branch | None:
        return next((b for b in self.branches if code in b.wards_served), None)


_PATH_IN_MESSAGE = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def _decode(raw: Any, kind: type[T], file: str, problems: list[Problem]) -> T | None:
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        message = str(exc)
        match = _PATH_IN_MESSAGE.search(message)
        path = match["path"].lstrip(".") if match else ""
        problems.append(Problem(file, path or "(root)", _PATH_IN_MESSAGE.sub("", message)))
        return None


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(_name(path, root), "(file)", "not valid YAML: " + " ".join(str(exc).split()))
        )
        return None


def _name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _load_procedures(root: Path, problems: list[Problem]) -> list[Procedure]:
    procedures = []
    for path in sorted((root / "procedures").glob("*.yaml")):
        raw = _read_yaml(path, root, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(_name(path, root), "(root)", "expected a mapping"))
            continue
        if "id" in raw:
            problems.append(Problem(_name(path, root), "id", "the id is the file name; remove it"))
            continue
        procedure = _decode({**raw, "id": path.stem}, Procedure, _name(path, root), problems)
        if procedure is not None:
            procedures.append(procedure)
    return procedures


def load_catalog(root: Path = DATA_DIR) -> Catalog:
    """Load and cross-check every data file under ``root``; raise CatalogError listing all problems."""
    problems: list[Problem] = []
    fields = _decode(
        _read_yaml(root / "fields.yaml", root, problems), list[Field], "fields.yaml", problems
    )
    wards = _decode(
        _read_yaml(root / "wards.yaml", root, problems), list[Ward], "wards.yaml", problems
    )
    places = _decode(
        _read_yaml(root / "branches.yaml", root, problems), BranchFile, "branches.yaml", problems
    )
    procedures = _load_procedures(root, problems)
    if fields is None or wards is None or places is None:
        raise CatalogError(problems)
    catalog = Catalog(places.center, fields, procedures, places.branches, wards)
    problems += cross_check(catalog)
    if problems:
        raise CatalogError(problems)
    return catalog


def cross_check(catalog: Catalog) -> list[Problem]:
    """Rules that span records: uniqueness, references, geography."""
    return [
        *_check_procedures(catalog),
        *_check_branches(catalog),
        *_check_wards(catalog),
    ]


def _duplicates(values: list[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def _check_procedures(catalog: Catalog) -> list[Problem]:
    problems = []
    field_slugs = {f.slug for f in catalog.fields}
    duplicate_codes = _duplicates([p.code for p in catalog.procedures if p.code])
    codes = {p.code for p in catalog.procedures if p.code}
    for p in catalog.procedures:
        file = f"procedures/{p.id}.yaml"
        if p.code in duplicate_codes:
            problems.append(Problem(file, "code", f"code {p.code} is used by another procedure"))
        if p.field not in field_slugs:
            problems.append(Problem(file, "field", f"unknown field {p.field!r} (see fields.yaml)"))
        if p.replaced_by and p.replaced_by not in codes:
            problems.append(
                Problem(file, "replaced_by", f"{p.replaced_by} is not a procedure in the catalog")
            )
    return problems


def inside_hanoi(lat: float, lon: float) -> bool:
    south, north, west, east = HANOI_BOUNDS
    return south <= lat <= north and west <= lon <= east


def _check_branches(catalog: Catalog) -> list[Problem]:
    problems = []
    ward_codes = {w.code for w in catalog.wards}
    for n in _duplicates([str(b.number) for b in catalog.branches]):
        problems.append(Problem("branches.yaml", "branches", f"branch number {n} is used twice"))
    point_ids = [rp.id for b in catalog.branches for rp in b.reception_points]
    for point_id in _duplicates(point_ids):
        problems.append(
            Problem("branches.yaml", "branches", f"reception point id {point_id} is used twice")
        )
    for i, branch in enumerate(catalog.branches):
        at = f"branches[{i}]"
        if not branch.reception_points:
            problems.append(
                Problem("branches.yaml", f"{at}.reception_points", "a branch needs at least one")
            )
        if not inside_hanoi(branch.lat, branch.lon):
            problems.append(Problem("branches.yaml", f"{at}.lat", "coordinates are outside Hanoi"))
        if branch.ward_code not in ward_codes:
            problems.append(
                Problem("branches.yaml", f"{at}.ward_code", f"unknown ward {branch.ward_code}")
            )
        for code in branch.wards_served:
            if code not in ward_codes:
                problems.append(
                    Problem("branches.yaml", f"{at}.wards_served", f"unknown ward {code}")
                )
        for j, point in enumerate(branch.reception_points):
            where = f"{at}.reception_points[{j}]"
            if point.ward_code not in ward_codes:
                problems.append(
                    Problem(
                        "branches.yaml", f"{where}.ward_code", f"unknown ward {point.ward_code}"
                    )
                )
            if not inside_hanoi(point.lat, point.lon):
                problems.append(
                    Problem("branches.yaml", f"{where}.lat", "coordinates are outside Hanoi")
                )
    return problems


def _check_wards(catalog: Catalog) -> list[Problem]:
    problems = []
    for code in _duplicates([w.code for w in catalog.wards]):
        problems.append(Problem("wards.yaml", "code", f"ward {code} is listed twice"))
    for ward in catalog.wards:
        if not inside_hanoi(ward.lat, ward.lon):
            problems.append(Problem("wards.yaml", ward.code, "coordinates are outside Hanoi"))
    served = Counter(code for b in catalog.branches for code in b.wards_served)
    if catalog.branches:
        for ward in catalog.wards:
            if served[ward.code] != 1:
                problems.append(
                    Problem(
                        "branches.yaml",
                        "wards_served",
                        f"ward {ward.code} ({ward.name}) is served by {served[ward.code]} branches, expected 1",
                    )
                )
    return problems
