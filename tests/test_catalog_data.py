"""The real catalog holds what the portal promises its users."""

from __future__ import annotations

from collections import Counter

from catalog.load import Catalog
from catalog.models import OnlineLevel

REQUIRED_FIELDS = {
    "ho-tich",
    "chung-thuc",
    "cu-tru",
    "dat-dai",
    "xay-dung",
    "doanh-nghiep",
    "ho-kinh-doanh",
    "dau-tu",
    "lao-dong",
    "ly-lich-tu-phap",
    "giao-thong",
    "giao-duc",
    "y-te",
    "bao-tro-xa-hoi",
    "nguoi-co-cong",
    "thue",
}


def test_at_least_150_procedures_over_the_fields_people_come_for(catalog: Catalog) -> None:
    per_field = Counter(p.field for p in catalog.procedures)

    assert len(catalog.procedures) >= 150
    assert {f for f in REQUIRED_FIELDS if per_field[f] >= 3} == REQUIRED_FIELDS


def test_every_sourced_code_of_the_research_notes_is_in_the_catalog(catalog: Catalog) -> None:
    for code in [
        "1.001193",
        "1.004222",
        "1.004194",
        "1.001612",
        "1.000894",
        "3.000346",
        "3.000722",
    ]:
        assert catalog.procedure(code) is not None, code


def test_code_history_resolves_to_catalog_procedures(catalog: Catalog) -> None:
    successors = [p for p in catalog.procedures if p.replaced_by]
    replacing = [p for p in catalog.procedures if p.replaces]

    assert all(catalog.procedure(p.replaced_by or "") for p in successors)
    assert replacing, "code history (replaces) is recorded"


def test_facts_without_a_source_are_marked(catalog: Catalog) -> None:
    for p in catalog.procedures:
        assert p.source.strip()
        if p.code is None:
            assert "code" in p.unverified, p.id


def test_the_catalog_offers_every_online_level(catalog: Catalog) -> None:
    levels = Counter(p.online_level for p in catalog.procedures)

    assert levels[OnlineLevel.FULL_ONLINE] > 0
    assert levels[OnlineLevel.PARTIAL_ONLINE] > 0


def test_twelve_branches_31_reception_points_126_wards_each_served_once(catalog: Catalog) -> None:
    served = Counter(code for b in catalog.branches for code in b.wards_served)

    assert [b.number for b in catalog.branches] == list(range(1, 13))
    assert sum(len(b.reception_points) for b in catalog.branches) == 31
    assert len(catalog.wards) == 126
    assert set(served) == {w.code for w in catalog.wards}
    assert set(served.values()) == {1}


def test_branches_with_a_published_address_are_not_marked_illustrative(catalog: Catalog) -> None:
    published = {b.number for b in catalog.branches if not b.illustrative}

    assert published == {1, 2, 7, 10}
    assert "85 Dịch Vọng Hậu" in catalog.branches[1].address
