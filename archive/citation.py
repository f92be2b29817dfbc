"""Citing an archived article: one plain-text line, CSL-JSON and BibTeX, all from one record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

ARCHIVE_NAME = "أرشيف (Arshif)"


@dataclass(frozen=True)
class Citation:
    """What a citation of one archived article says."""

    key: str  # stable id: arshif-<db>-<article id>
    outlet: str
    title: str
    published: str | None  # ISO 8601, or a bare date
    url: str  # the original URL
    permalink: str  # the archive's article page
    captured: str | None  # fetched_at, ISO 8601 UTC
    digest: str | None  # the WARC payload digest, else sha256 of the text
    author: str | None = None
    warc: str | None = None  # file:offset of the record

    @classmethod
    def of(cls, db_name: str, article: dict[str, Any], outlet: str, permalink: str) -> Citation:
        """The citation of an articles row (outlet: the source's title)."""
        digest = article.get("warc_digest") or (
            f"sha256:{article['content_sha256']}" if article.get("content_sha256") else None)
        warc = (f"{article['warc_file']}:{article['warc_offset']}"
                if article.get("warc_file") is not None else None)
        return cls(
            key=f"arshif-{_slug(db_name)}-{article['id']}", outlet=outlet,
            title=article.get("title") or article.get("url") or "", author=article.get("author"),
            published=article.get("published"), url=article.get("url") or "",
            permalink=permalink, captured=article.get("fetched_at"), digest=digest, warc=warc,
        )

    def segments(self) -> list[tuple[str, bool]]:
        """The plain-text line in pieces, each marked True when it is a left-to-right run.

        Dates, URLs and digests are Latin runs inside an Arabic line: the article page shows
        them isolated (<bdi dir=ltr>) so 2024-05-01 does not read 01-05-2024.
        """
        out: list[tuple[str, bool]] = []
        if self.author:
            out.append((f"{self.author}، ", False))
        out.append((f"{self.outlet}، «{self.title}»، ", False))
        if self.published:
            out += [(self.published[:10], True), ("، ", False)]
        out += [(self.url, True), (f". نسخة مؤرشفة في {ARCHIVE_NAME}", False)]
        if self.captured:
            out += [("، التُقطت في ", False), (self.captured, True)]
        out += [(": ", False), (self.permalink, True)]
        if self.digest:
            out += [(" (بصمة المحتوى ", False), (self.digest, True), (")", False)]
        out.append((".", False))
        return out

    def text(self) -> str:
        """One line, Chicago-like, Arabic punctuation: outlet, «title», date, URL, archive copy."""
        return "".join(piece for piece, _ in self.segments())

    def csl(self) -> dict[str, Any]:
        """A CSL-JSON item (type article-newspaper; accessed = capture time)."""
        item: dict[str, Any] = {
            "id": self.key, "type": "article-newspaper", "title": self.title,
            "container-title": self.outlet, "URL": self.url, "language": "ar",
            "archive": ARCHIVE_NAME, "archive_location": self.permalink,
        }
        if self.author:
            item["author"] = [{"literal": self.author}]
        if self.published and (issued := _csl_date(self.published)):
            item["issued"] = issued
        if self.captured and (accessed := _csl_date(self.captured)):
            item["accessed"] = accessed
        notes = [f"captured {self.captured}" if self.captured else "",
                 f"WARC record {self.warc}" if self.warc else "",
                 f"digest {self.digest}" if self.digest else ""]
        if any(notes):
            item["note"] = "; ".join(n for n in notes if n)
        return item

    def bibtex(self) -> str:
        """A biblatex/BibTeX @article (entrysubtype newspaper); text fields escaped."""
        fields = [("title", bib_escape(self.title)), ("journal", bib_escape(self.outlet))]
        if self.author:
            fields.append(("author", "{" + bib_escape(self.author) + "}"))
        if self.published:
            fields.append(("date", bib_escape(self.published[:10])))
            fields.append(("year", bib_escape(self.published[:4])))
        fields.append(("url", bib_url(self.url)))
        if self.captured:
            fields.append(("urldate", bib_escape(self.captured[:10])))
        note = f"Archived copy: \\url{{{bib_url(self.permalink)}}}"
        if self.captured:
            note += f", captured {bib_escape(self.captured)}"
        if self.digest:
            note += f", digest {bib_escape(self.digest)}"
        fields += [("note", note), ("langid", "arabic"), ("entrysubtype", "newspaper")]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@article{{{self.key},\n{body}\n}}\n"


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "_": r"\_",
    "#": r"\#", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_BIB_RE = re.compile("|".join(map(re.escape, _BIB_SPECIAL)))


def bib_escape(value: str) -> str:
    """Text safe inside a BibTeX field: LaTeX specials escaped, whitespace collapsed."""
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group()], " ".join(str(value).split()))


def bib_url(url: str) -> str:
    """A URL for a verbatim url field: braces, backslashes and spaces percent-encoded."""
    return quote(url.strip(), safe="!#$%&'()*+,/:;=?@[]~-._^|")


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") or "db"


def _csl_date(value: str) -> dict[str, Any] | None:
    """CSL date-parts from an ISO date or datetime (raw kept for the time)."""
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
        if not match:
            return None
        return {"date-parts": [[int(p) for p in match.groups() if p]], "raw": value}
    return {"date-parts": [[when.year, when.month, when.day]], "raw": value}
