"""Search finds what citizens type, with or without diacritics, by synonym or by code."""

from __future__ import annotations

import pytest

from catalog.load import Catalog
from catalog.search import IndexEntry, fold, index_entry, search


@pytest.fixture(scope="module")
def entries(catalog: Catalog) -> list[IndexEntry]:
    return [index_entry(catalog, p) for p in catalog.procedures]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("HỘ CHIẾU", "ho chieu"),
        ("Sổ đỏ", "so do"),
        ("Giấy phép lái xe hạng B1", "giay phep lai xe hang b1"),
        ("Thủ tục 1.001193", "thu tuc 1.001193"),
    ],
)
def test_fold_removes_vietnamese_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("dang ky khai sinh", "1.001193"),
        ("Đăng ký khai sinh", "1.001193"),
        ("1.001193", "1.001193"),
        ("dang ky ket hon", "1.000894"),
        ("thuong tru", "1.004222"),
        ("dang ky kha", "1.001193"),
    ],
)
def test_first_result(entries: list[IndexEntry], query: str, expected_first: str) -> None:
    assert search(entries, query)[0].key == expected_first


def test_ho_chieu_finds_the_passport_procedures_first(entries: list[IndexEntry]) -> None:
    results = search(entries, "ho chieu", limit=3)

    assert results[0].name.startswith("Cấp hộ chiếu phổ thông")
    assert all("hộ chiếu" in r.name.lower() for r in results)


@pytest.mark.parametrize("query", ["so do", "sổ đỏ", "SO DO"])
def test_so_do_finds_land_use_certificate_procedures_through_synonyms(
    entries: list[IndexEntry], query: str
) -> None:
    results = search(entries, query, limit=5)

    assert results
    assert all(r.field == "Đất đai" for r in results)
    assert all("so do" not in r.name_folded for r in results), "found via keywords, not the name"


def test_every_procedure_is_found_by_its_own_name(
    catalog: Catalog, entries: list[IndexEntry]
) -> None:
    for procedure in catalog.procedures:
        keys = [e.key for e in search(entries, fold(procedure.name), limit=50)]
        assert procedure.key in keys, procedure.name


def test_nonsense_finds_nothing(entries: list[IndexEntry]) -> None:
    assert search(entries, "xyzzy qwerty") == []
    assert search(entries, "   ") == []
