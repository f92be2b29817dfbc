"""`arshif show-capture`, `reextract` and `snapshot` (added to the group in crawler/cli/app.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from crawler.cli.defaults import DEFAULT_DB

db_option = click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
                         default=DEFAULT_DB, show_default=True, help="The archive.")


def _open(db: Path):  # noqa: ANN202 - sqlite_utils.Database, imported lazily
    from archive.schema import connect

    if not db.is_file():
        raise click.ClickException(f"no archive at {db}")
    return connect(db)


@click.command("show-capture")
@click.argument("url")
@db_option
@click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
              help="WARC directory (default: warc/ beside the database).")
@click.option("--body-only", is_flag=True, help="Print only the response body.")
def show_capture(url: str, db: Path, warc_dir: Path | None, body_only: bool) -> None:
    """Print the archived HTTP response an article was extracted from."""
    from archive.captures import article_capture, read_http
    from archive.captures import warc_dir as default_dir

    conn = _open(db)
    found = article_capture(conn, url)
    conn.close()
    if found is None:
        click.echo(f"No archived capture of {url} in {db}", err=True)
        sys.exit(1)
    path = default_dir(db, warc_dir) / found[0]
    try:
        status, headers, body = read_http(path, found[1])
    except (OSError, ValueError) as exc:
        click.echo(f"Capture of {url} unreadable: {exc}", err=True)
        sys.exit(1)
    out = sys.stdout.buffer
    if not body_only:
        click.echo(f"# {path}:{found[1]}", err=True)
        out.write((status + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n")
                  .encode("latin-1", "replace"))
    out.write(body)
    out.flush()


@click.command()
@db_option
@click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
              help="WARC directory (default: warc/ beside the database).")
@click.option("--sources", "sources", type=click.Path(path_type=Path, dir_okay=False),
              help="sources.yaml (default: crawler/sources.yaml, plus the archive's sources).")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.option("--since", help="Only captures made on or after this date (YYYY-MM-DD).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a setting the pipelines read, e.g. -s ARSHIF_MIN_WORDS=60.")
@click.option("--all-topics", is_flag=True,
              help="Keep every article that matches no topic, whatever policy its crawl ran "
                   "under (sets ARSHIF_ALL_TOPICS=True). Without it each capture gets the "
                   "policy recorded with its run.")
def reextract(db: Path, warc_dir: Path | None, sources: Path | None, names: tuple[str, ...],
              since: str | None, settings: tuple[str, ...], all_topics: bool = False) -> None:
    """Rebuild articles from the WARC files with the current pipelines (no network).

    Each capture keeps the topic policy of the crawl run that made it (--all-topics or not).
    Damaged WARC records are skipped and listed; the exit code is then 1.
    """
    from archive.captures import warc_dir as default_dir
    from crawler import run as crawling
    from crawler.sources import DEFAULT_SOURCES
    from pipelines.reextract import reextract as run

    directory = default_dir(db, warc_dir)
    if not directory.is_dir():
        raise click.ClickException(f"no WARC directory at {directory}")
    try:
        overrides = crawling.parse_overrides(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if all_topics:
        overrides["ARSHIF_ALL_TOPICS"] = "True"
    conn = _open(db)
    config = crawling.crawl_settings(db, sources, list(names), overrides)
    report = run(conn, directory, config, sources or DEFAULT_SOURCES, list(names), since)
    conn.close()
    drops = ", ".join(f"{k} {v}" for k, v in report["dropped"].items()) or "-"
    damaged = report.get("damaged", [])
    click.echo(f"captures {report['captures']}  new {report['new']}  updated {report['updated']}"
               f"  unchanged {report['unchanged']}  gone {report['gone']}  dropped: {drops}"
               f"  damaged {len(damaged)}")
    if damaged:
        for line in damaged:
            click.echo(f"  {line}", err=True)
        click.echo(f"arshif: {len(damaged)} damaged WARC record(s) skipped (listed above); "
                   "their articles were left as they were.", err=True)
        sys.exit(1)


@click.command()
@db_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Directory for the snapshot (default: snapshots/ beside the database).")
@click.option("--gzip", "compress", is_flag=True, help="Also write a .db.gz.")
@click.option("--wacz", "with_wacz", is_flag=True,
              help="Also write arshif-YYYY-MM-DD.wacz of the same articles' captures.")
@click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
              help="WARC directory for --wacz (default: warc/ beside the database).")
def snapshot(db: Path, out: Path | None, compress: bool, with_wacz: bool = False,
             warc_dir: Path | None = None) -> None:
    """Write a dated research snapshot: .db, .db.sha256 and .manifest.json (and .wacz)."""
    from archive.captures import warc_dir as default_dir
    from archive.snapshot import take_snapshot
    from archive.wacz_export import ExportError

    started = time.perf_counter()
    try:
        info = take_snapshot(db, out or db.parent / "snapshots", compress,
                             warc_dir=default_dir(db, warc_dir) if with_wacz else None)
    except (FileNotFoundError, RuntimeError, ExportError) as exc:
        raise click.ClickException(str(exc)) from None
    keys = ("file", "sha256", "bytes", "articles", *(("wacz",) if with_wacz else ()))
    click.echo(json.dumps({k: info[k] for k in keys}
                          | {"seconds": round(time.perf_counter() - started, 2)},
                          ensure_ascii=False))


COMMANDS = [show_capture, reextract, snapshot]
