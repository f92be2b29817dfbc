"""Verify an archive's captures: every article's WARC record exists, parses, is its page, and
holds the payload whose digest the archive recorded.

Memory stays bounded: articles are read file by file, each WARC file is opened once and read
forwards (records in offset order), and payloads are hashed in blocks, never held whole.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from archive.urls import canonical_url, url_key

BLOCK = 1 << 16


@dataclass(frozen=True)
class Problem:
    """One article whose capture is missing or damaged, and what is wrong with it."""

    article_id: int
    url: str
    file: str | None
    offset: int | None
    what: str

    def line(self) -> str:
        """The problem as one line of the report."""
        where = f"{self.file}:{self.offset}" if self.file else "-"
        return f"article {self.article_id}  {self.url}  {where}  {self.what}"


@dataclass
class Report:
    """What verify found: articles checked, WARC files read, problems by article."""

    articles: int = 0
    files: int = 0
    problems: list[Problem] | None = None

    @property
    def ok(self) -> bool:
        """True when every capture is intact."""
        return not self.problems


def _names(conn: sqlite3.Connection, article_id: int, url: str, final_url: str | None
           ) -> set[str]:
    """The URLs an article's record may carry: its URL, final URL and known aliases."""
    names = {url, final_url or url}
    try:
        names |= {r[0] for r in conn.execute(
            "select alias_url from aliases where article_id = ?", [article_id])}
    except sqlite3.OperationalError:
        pass  # an archive from before aliases
    return {canonical_url(n) for n in names}


def _same_page(target: str, names: set[str]) -> bool:
    canon = canonical_url(target)
    return canon in names or url_key(canon) in {url_key(n) for n in names}


def _sha1(stream: IO[bytes]) -> str:
    digest = hashlib.sha1()
    while block := stream.read(BLOCK):
        digest.update(block)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def _reason(exc: Exception) -> str:
    """One short printable line (warcio quotes the undecodable bytes it met)."""
    if isinstance(exc, ArchiveLoadFailed):
        return "unreadable (gzip member or WARC headers corrupt)"
    text = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text.encode('ascii', 'replace').decode()[:120]}"


def check_record(fh: IO[bytes], offset: int, names: set[str], digest: str | None) -> str | None:
    """What is wrong with the record at offset of an open WARC file, or None when intact."""
    fh.seek(offset)
    try:
        it = ArchiveIterator(fh, check_digests=False)
        record = next(iter(it), None)
        if record is None:
            return f"no WARC record at offset {offset}"
        if record.rec_type != "response":
            return f"a {record.rec_type} record, not a response"
        target = record.rec_headers.get_header("WARC-Target-URI") or ""
        if not _same_page(target, names):
            return f"record is of another URL: {target}"
        computed = _sha1(record.raw_stream)
        it.read_to_end(record)
    except (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, OSError,
            ValueError) as exc:
        return f"damaged record: {_reason(exc)}"
    declared = record.rec_headers.get_header("WARC-Payload-Digest")
    if declared != computed:
        return f"payload altered: digest {computed}, record says {declared}"
    if digest and digest != computed:
        return f"digest {computed} differs from the archive's {digest}"
    return None


def _articles(conn: sqlite3.Connection) -> Iterator[tuple]:
    yield from conn.execute(
        "select id, url, final_url, warc_file, warc_offset, warc_digest from articles "
        "order by warc_file, warc_offset, id")


def verify(db_path: Path, directory: Path) -> Report:
    """Check every article's capture in the WARC directory; the report lists each problem."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    report = Report(problems=[])
    fh: IO[bytes] | None = None
    current: str | None = None
    missing = False
    try:
        for article_id, url, final_url, file, offset, digest in _articles(conn):
            report.articles += 1
            if not file or offset is None:
                report.problems.append(Problem(article_id, url, None, None,
                                               "no WARC record recorded"))
                continue
            if file != current:  # articles come ordered by file: each is opened once
                if fh is not None:
                    fh.close()
                current, fh = file, None
                path = directory / file
                missing = not path.is_file()
                if not missing:
                    fh = open(path, "rb")  # noqa: SIM115 - closed on the next file or below
                    report.files += 1
            if missing or fh is None:
                report.problems.append(Problem(article_id, url, file, offset,
                                               f"missing WARC file {directory / file}"))
                continue
            wrong = check_record(fh, offset, _names(conn, article_id, url, final_url), digest)
            if wrong:
                report.problems.append(Problem(article_id, url, file, offset, wrong))
    finally:
        if fh is not None:
            fh.close()
        conn.close()
    return report
