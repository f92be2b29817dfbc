"""A desk request's state, read from its query string and checked: the URL holds all of it.

Bad input never becomes an error page: ``errors`` stop the search and say why, ``notices``
say how the query was read while the search still runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from archive.query import fts_query

MAX_QUERY_CHARS = 500  # a longer "query" is a pasted article: say so instead of scanning
MAX_COMPARE = 3  # the query and two more on the attention chart
PAGE_SIZE = 50
MAX_PAGE = 200  # offset 10,000: deeper pages of an FTS walk get slow; narrow the filters
_LATIN_RE = re.compile(r"[A-Za-z]")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EMPTY_MATCH = '""'  # fts_query's answer to a query without a single word


@dataclass
class DeskParams:
    """Everything the desk shows is a function of these (and the archive)."""

    q: str = ""
    compare: list[str] = field(default_factory=list)  # up to two more queries for the chart
    start: date | None = None
    end: date | None = None
    sources: list[str] = field(default_factory=list)
    topic: str = ""
    place: str = ""
    sort: str = "newest"  # or "relevance"
    page: int = 1
    split: bool = False  # attention split by outlet
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[str]:
        """The queries on the attention chart: the main one first."""
        return [self.q, *self.compare]

    def state(self, **changes: object) -> dict[str, object]:
        """The URL parameters of this state, with some changed (None drops one)."""
        out: dict[str, object] = {
            "q": self.q, "q2": self.compare[0] if self.compare else "",
            "q3": self.compare[1] if len(self.compare) > 1 else "",
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "source": list(self.sources), "topic": self.topic, "place": self.place,
            "sort": "" if self.sort == "newest" else self.sort,
            "page": "" if self.page == 1 else str(self.page),
            "split": "outlet" if self.split else "",
        }
        out.update(changes)
        return {k: v for k, v in out.items() if v not in (None, "", [])}

    def url(self, **changes: object) -> str:
        """A query string ('?…') for this state with some parameters changed."""
        return "?" + urlencode(self.state(**changes), doseq=True)


def _day(value: str, label: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        if not _DAY_RE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"تاريخ {label} «{value}» غير مفهوم: اكتبه هكذا 2024-05-31.")
        return None


def check_query(q: str, label: str, errors: list[str], notices: list[str]) -> None:
    """Add what is wrong with one query (errors) and how it was read (notices)."""
    if len(q) > MAX_QUERY_CHARS:
        errors.append(f"{label} طويل جداً ({len(q):,} حرفاً، والحد {MAX_QUERY_CHARS}): "
                      "اكتب كلمات البحث فقط، لا نص المقال.")
        return
    if not q:
        return
    if fts_query(q) == EMPTY_MATCH:
        errors.append(f"{label} «{q}» لا يحوي كلمة يُبحث عنها: الرموز وحدها (* ( ) - \") "
                      "لا تكفي، اكتب كلمة واحدة على الأقل.")
        return
    if q.count('"') % 2:
        notices.append(f"في {label} علامة اقتباس غير مغلقة: قُرئ ما بعدها كلمات منفردة "
                       "لا عبارة متصلة.")
    if _LATIN_RE.search(q):
        notices.append(f"في {label} حروف لاتينية، والأرشيف عربي: النصوص تُطابَق بالعربية "
                       "(اكتب مثلاً «داعش» بدل ISIS و«كركوك» بدل Kirkuk).")


def parse_params(args: Mapping[str, Sequence[str]], outlets: Sequence[str] = ()) -> DeskParams:
    """Read a desk query string ({name: [values]}) into DeskParams, with errors and notices."""
    def one(name: str) -> str:
        values = args.get(name) or [""]
        return (values[0] or "").strip()

    p = DeskParams(q=one("q"), topic=one("topic"), place=one("place"))
    p.sort = "relevance" if one("sort") == "relevance" else "newest"
    p.split = one("split") == "outlet"
    p.compare = [c for c in (one("q2"), one("q3")) if c][: MAX_COMPARE - 1]
    check_query(p.q, "الاستعلام", p.errors, p.notices)
    for n, c in enumerate(p.compare, 2):
        check_query(c, f"استعلام المقارنة {n}", p.errors, p.notices)
    p.start = _day(one("from"), "البداية", p.errors)
    p.end = _day(one("to"), "النهاية", p.errors)
    if p.start and p.end and p.start > p.end:
        p.errors.append(f"تاريخ البداية ({p.start}) بعد تاريخ النهاية ({p.end}): "
                        "بدّل بينهما أو صحّح أحدهما.")
    wanted = [s.strip() for s in args.get("source") or [] if s and s.strip()]
    known = set(outlets)
    unknown = [s for s in wanted if outlets and s not in known]
    if unknown:
        p.notices.append("مصادر غير موجودة في الأرشيف تُركت: " + "، ".join(unknown))
    p.sources = list(dict.fromkeys(s for s in wanted if not outlets or s in known))
    try:
        p.page = min(max(int(one("page") or 1), 1), MAX_PAGE)
    except ValueError:
        p.page = 1
    if p.sort == "relevance" and not p.q:
        p.sort = "newest"  # nothing to rank by
    return p
