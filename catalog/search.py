"""Diacritics-insensitive procedure search, shared by the static site and the API.

Citizens often type without diacritics ("ho chieu" for "hộ chiếu") or with them. Both the
query and the searchable text are folded the same way: lower case, "đ" -> "d", every combining
mark removed. The site's JavaScript (site/assets/js/search.js) folds the query with the same
rules and scores against the index built here, so both give the same ranking.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.load import Catalog
from catalog.models import Procedure

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+[a-z]?)?")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics ("Đăng ký" -> "dang ky")."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class IndexEntry:
    """One procedure in the search index: display fields plus folded search text."""

    key: str
    name: str
    field: str
    online_level: str
    name_folded: str
    keywords_folded: str
    other_folded: str
    popular: bool = False

    def as_json(self, url: str) -> dict[str, str | int]:
        return {
            "k": self.key,
            "n": self.name,
            "f": self.field,
            "o": self.online_level,
            "u": url,
            "a": self.name_folded,
            "b": self.keywords_folded,
            "c": self.other_folded,
            "p": 1 if self.popular else 0,
        }


def index_entry(catalog: Catalog, procedure: Procedure) -> IndexEntry:
    field = catalog.field_by_slug(procedure.field)
    field_name = field.name if field else procedure.field
    other = [field_name, procedure.agency, *procedure.replaces]
    return IndexEntry(
        key=procedure.key,
        name=procedure.name,
        field=field_name,
        online_level=str(procedure.online_level),
        name_folded=" ".join(tokens(procedure.name)),
        keywords_folded=" | ".join(" ".join(tokens(k)) for k in procedure.keywords),
        other_folded=" ".join(tokens(" ".join(other))),
        popular=procedure.popular,
    )


def _word_hit(haystack_words: list[str], token: str, prefix: bool) -> bool:
    return any(w == token or (prefix and w.startswith(token)) for w in haystack_words)


def score(entry: IndexEntry, query: str) -> float:
    """Relevance of ``entry`` for ``query``; 0 means no match.

    Every query token must occur (the last one may be a prefix, as the user is still typing)
    in the name, the keywords or the other text. Exact code matches win; phrase matches in the
    name and keywords rank above scattered words; the most-used procedures get a small boost.
    """
    folded_query = " ".join(tokens(query))
    if not folded_query:
        return 0.0
    if folded_query == fold(entry.key):
        return 1000.0
    query_tokens = folded_query.split()
    name_words = entry.name_folded.split()
    keyword_words = entry.keywords_folded.replace("|", " ").split()
    other_words = entry.other_folded.split()
    total = 0.0
    for i, token in enumerate(query_tokens):
        prefix = i == len(query_tokens) - 1
        if _word_hit(name_words, token, prefix):
            total += 3
        elif _word_hit(keyword_words, token, prefix):
            total += 2
        elif _word_hit(other_words, token, prefix):
            total += 1
        else:
            return 0.0
    if folded_query in entry.name_folded:
        total += 5 + (5 if entry.name_folded.startswith(folded_query) else 0)
    elif any(folded_query in k for k in entry.keywords_folded.split(" | ")):
        total += 4
    if entry.popular:
        total += 2
    return total - len(name_words) * 0.01


def search(entries: Iterable[IndexEntry], query: str, limit: int = 20) -> list[IndexEntry]:
    """Entries matching ``query``, best first (ties: shorter name, then alphabetical)."""
    scored = [(score(e, query), e) for e in entries]
    hits = [(s, e) for s, e in scored if s > 0]
    hits.sort(key=lambda pair: (-pair[0], pair[1].name_folded))
    return [e for _, e in hits[:limit]]


def slugify(value: str, separator: str = "-") -> str:
    """ASCII heading anchors for Vietnamese headings ("Nộp hồ sơ ở đâu" -> "nop-ho-so-o-dau")."""
    return separator.join(tokens(value.replace(".", " ")))
