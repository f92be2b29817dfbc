"""The `arshif` command: crawl, serve, demo, sources, reindex."""

from __future__ import annotations

import errno
import functools
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from archive.lock import Locked
from crawler import run as crawling
from crawler.sources import SourcesError, load_sources

DEFAULT_DB = Path("data/arshif.db")


@click.group()
@click.version_option(package_name="arshif")
def cli() -> None:
    """Arshif (أرشيف): crawl Arabic news on a monitored topic, archive it, publish it."""


def _do_crawl(db: Path, sources: Path | None, names: tuple[str, ...], settings: tuple[str, ...],
              extra: dict[str, str] | None = None) -> int:
    try:
        overrides = crawling.parse_overrides(settings)
        load_sources(sources, list(names) or None)
    except (ValueError, SourcesError) as exc:
        raise click.UsageError(str(exc)) from None
    overrides = {**(extra or {}), **overrides}
    try:
        rows = crawling.run_crawl(crawling.crawl_settings(db, sources, list(names), overrides))
    except Locked as exc:
        click.echo(f"arshif: {exc}", err=True)
        return 3
    except sqlite3.OperationalError as exc:
        if "disk is full" not in str(exc):
            raise
        _disk_full(db, str(exc))
        return 1
    if not rows:
        # The crawl stopped before recording anything (e.g. it crashed while opening).
        click.echo("arshif: the crawl ended without recording a run; see the log above.", err=True)
        return 1
    click.echo("\n" + crawling.summary(rows))
    failed = [r["source"] for r in rows if r["status"] != "finished"]
    if failed:
        click.echo(f"\nNot finished: {', '.join(failed)}", err=True)
    saved = sum((r.get("new") or 0) + (r.get("updated") or 0) + (r.get("unchanged") or 0)
                for r in rows)
    errors = sum(r["dropped"].get("error", 0) for r in rows)
    if not saved and errors:
        # Pages came in but every one failed on its way to the archive: not a finished crawl.
        click.echo(f"arshif: nothing was saved: {errors} page(s) failed with an error "
                   "(see the log above).", err=True)
        return 1
    return 1 if failed else 0


def _disk_full(db: Path, why: str) -> None:
    """A full disk is the operator's to fix, not a bug: one line, not a traceback."""
    click.echo(f"arshif: cannot write {db}: {why}. Every article saved so far is kept; "
               "free some space and run the crawl again.", err=True)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=DEFAULT_DB, show_default=True,
              help="SQLite archive to write.")
@click.option("--sources", "sources", type=click.Path(path_type=Path, dir_okay=False),
              help="sources.yaml to read (default: crawler/sources.yaml).")
@click.option("--source", "names", multiple=True, help="Crawl only this source (repeatable).")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy/Arshif setting, e.g. -s AUTOTHROTTLE_ENABLED=False.")
@click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where WARC files go (default: warc/ beside the database).")
@click.option("--revisit", is_flag=True,
              help="Also re-fetch stored articles: edits become versions, 404/410 marks gone.")
@click.option("--force", is_flag=True, help="Fetch every feed/sitemap, due or not.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]),
              help="Skip feed/sitemap items dated before this day (undated items are fetched).")
@click.option("--backfill", is_flag=True,
              help="Walk sitemap indexes newest to oldest, down to --until.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]),
              help="With --backfill: the oldest day to go back to.")
@click.option("--all-topics", is_flag=True,
              help="Keep articles that match no topic of topics.yaml (tagged with none) instead of "
                   "dropping them as off_topic (sets ARSHIF_ALL_TOPICS=True).")
@click.option("--redis", "redis_url", envvar="ARSHIF_REDIS_URL", metavar="URL",
              help="Distributed mode: share the frontier in this Redis and send items to "
                   "`arshif writer` (env ARSHIF_REDIS_URL; see README, Distributed mode).")
@click.option("--prefix", "redis_prefix", envvar="ARSHIF_REDIS_PREFIX", metavar="PREFIX",
              help="With --redis: prefix of every Redis key, as for enqueue/writer (default "
                   "arshif; env ARSHIF_REDIS_PREFIX).")
def crawl(
    db: Path, sources: Path | None, names: tuple[str, ...], settings: tuple[str, ...],
    warc_dir: Path | None, revisit: bool, force: bool = False, since: datetime | None = None,
    backfill: bool = False, until: datetime | None = None, all_topics: bool = False,
    redis_url: str | None = None, redis_prefix: str | None = None,
) -> None:
    """Crawl the outlets in sources.yaml into the archive.

    Exits 1 when a source could not be crawled at all, 2 on a bad sources file or option,
    3 when another crawl holds the archive's lock.
    """
    extra = {"ARSHIF_WARC_DIR": str(warc_dir)} if warc_dir else {}
    if revisit:
        extra["ARSHIF_REVISIT"] = "True"
    if backfill and until is None:
        raise click.UsageError("--backfill needs --until DATE (how far back to go)")
    extra.update(crawling.incremental_overrides(force, since, backfill, until))
    if all_topics:
        extra["ARSHIF_ALL_TOPICS"] = "True"
    source = click.get_current_context().get_parameter_source("redis_prefix")
    if redis_prefix and not redis_url and source == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--prefix applies to distributed mode: add --redis URL")
    if redis_url:
        from crawler.cli.distributed import crawl_distributed

        extra["ARSHIF_REDIS_URL"] = redis_url
        if redis_prefix:
            extra["ARSHIF_REDIS_PREFIX"] = redis_prefix
        sys.exit(crawl_distributed(db, sources, names, settings, extra))
    sys.exit(_do_crawl(db, sources, names, settings, extra))


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=DEFAULT_DB, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--live", is_flag=True,
              help="Open read-only but not immutable, to watch an archive a crawl is writing "
                   "(as closed as public mode: canned queries only).")
@click.option("--snapshots", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Also serve the arshif-*.db snapshots of this directory (downloadable).")
@click.option("--allow-sql", is_flag=True,
              help="Let visitors run their own SQL, `_where=` and raw FTS search "
                   "(off by default, --live included: canned queries only).")
@click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
              help="The archive's WARC files, for each article's archived copy "
                   "(default: warc/ beside the database).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes sharing the port (one per core: a slow query then "
                   "stalls one worker, not the site).")
def serve(
    db: Path, host: str, port: int, live: bool, snapshots: Path | None, allow_sql: bool,
    warc_dir: Path | None, workers: int,
) -> None:
    """Publish the archive with Datasette (immutable, limited, canned SQL only by default)."""
    import asyncio

    import uvicorn

    from archive.publish import build_datasette, database_name, serve_environment

    if db.is_file():
        _upgrade_before_serving(db)
    extra = sorted(snapshots.glob("arshif-*.db")) if snapshots else []
    kwargs = {"db_path": db, "public": not live, "extra_immutables": extra,
              "allow_sql": True if allow_sql else None,
              "warc_dir": str(warc_dir) if warc_dir else None}
    try:
        ds = build_datasette(**kwargs)  # also checks the archive before any worker starts
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    asyncio.run(ds.invoke_startup())
    click.echo(f"Serving {db} at http://{host}:{port}/{database_name(db)}/-/desk"
               + (f" ({workers} worker processes)" if workers > 1 else ""))
    if workers > 1:
        import os

        os.environ.update(serve_environment(**kwargs))
        uvicorn.run("archive.publish:app_from_env", factory=True, workers=workers, host=host,
                    port=port, log_level="warning", access_log=False)
        return
    # No access log (a reverse proxy keeps one); uvicorn picks httptools and uvloop when
    # installed (bench/README.md, "Load").
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", access_log=False)


@cli.command("datasette-metadata")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of stdout.")
def datasette_metadata(files: tuple[Path, ...], output: Path | None) -> None:
    """Write Datasette metadata for these archive files, for `datasette serve/publish -m`."""
    import yaml

    from archive.datasette.meta import is_archive, metadata_for

    for path in files:
        if not is_archive(path):
            raise click.BadParameter(f"{path} is not an Arshif archive (no articles/articles_fts)",
                                     param_hint="FILES")
    text = yaml.safe_dump(metadata_for(list(files)), allow_unicode=True, sort_keys=False,
                          width=100)
    if output:
        output.write_text(text, "utf-8")
    else:
        click.echo(text, nl=False)


def _upgrade_before_serving(db: Path) -> None:
    """Apply pending migrations, so the canned queries find the columns they expect."""
    import sqlite3

    from archive.schema import connect

    try:
        connect(db).conn.close()
    except sqlite3.OperationalError as exc:  # a read-only copy is served as it is
        click.echo(f"warning: {db} not upgraded ({exc})", err=True)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=Path("data/demo.db"),
              show_default=True)
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE")
@click.option("--all-topics", is_flag=True,
              help="Keep articles that match no topic of topics.yaml (tagged with none) instead of "
                   "dropping them as off_topic (sets ARSHIF_ALL_TOPICS=True).")
def demo(db: Path, settings: tuple[str, ...], all_topics: bool = False) -> None:
    """Serve the bundled sample outlets on 127.0.0.1 and crawl them (no network needed)."""
    from crawler.demo.server import SiteServer

    with SiteServer() as server, tempfile.TemporaryDirectory() as tmp:
        sources = server.write_sources(Path(tmp) / "sources.yaml")
        click.echo(f"Serving {len(server.outlets)} sample outlets on 127.0.0.1")
        local = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}
        if all_topics:
            local["ARSHIF_ALL_TOPICS"] = "True"
        code = _do_crawl(db, sources, (), settings, local)
    click.echo(f"\nBrowse it:  arshif serve --db {db}   then open http://127.0.0.1:8001/{db.stem}")
    sys.exit(code)


@cli.group()
def sources() -> None:
    """Inspect and check the sources file."""


def _bad_sources(exc: SourcesError) -> NoReturn:
    """A bad sources file is a usage error: one line naming the file, exit 2."""
    click.echo(f"arshif: {exc}", err=True)
    sys.exit(2)


@sources.command("list")
@click.option("--sources", "path", type=click.Path(path_type=Path, dir_okay=False))
def sources_list(path: Path | None) -> None:
    """List the sources and how each is discovered."""
    try:
        items = load_sources(path)
    except SourcesError as exc:
        _bad_sources(exc)
    for s in items:
        click.echo(f"{s.name:<20} feeds {len(s.feeds)}  sitemaps {len(s.sitemaps)}  "
                   f"sections {len(s.sections)}  {s.homepage}")


@sources.command("check")
@click.option("--sources", "path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", "names", multiple=True)
@click.option("--timeout", type=float, default=20.0, show_default=True)
def sources_check(path: Path | None, names: tuple[str, ...], timeout: float) -> None:
    """Fetch each feed and sitemap once: status, item count, newest item's date."""
    from crawler.cli.check import check_sources

    try:
        items = load_sources(path, list(names) or None)
    except SourcesError as exc:
        _bad_sources(exc)
    bad = 0
    for row in check_sources(items, timeout=timeout):
        bad += row["status"] != "ok"
        click.echo(f"{row['source']:<18} {row['kind']:<8} {row['status']:<12} "
                   f"items {row['items']:>5}  newest {row['newest'] or '-':<26} {row['url']}")
    sys.exit(1 if bad else 0)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path, exists=True), default=DEFAULT_DB)
def reindex(db: Path) -> None:
    """Rebuild the Arabic search index from the stored articles."""
    from archive.schema import connect
    from archive.search import rebuild_index

    conn = connect(db)
    click.echo(f"Indexed {rebuild_index(conn)} articles")


from crawler.cli.evidence import COMMANDS  # noqa: E402 - show-capture, reextract, snapshot

for _command in COMMANDS:
    cli.add_command(_command)

from crawler.cli.distributed import COMMANDS as DISTRIBUTED  # noqa: E402 - enqueue, writer

for _command in DISTRIBUTED:
    cli.add_command(_command)


def _say_database_errors(command: click.Command) -> None:
    """Make a damaged archive or a full disk one line and exit 1, not a traceback."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _say_database_errors(sub)
        return
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        db = kwargs.get("db") or DEFAULT_DB
        try:
            return callback(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if "disk is full" in str(exc):
                _disk_full(db, str(exc))
            elif isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                click.echo(f"arshif: {db} is busy ({exc}); try again later.", err=True)
            else:
                click.echo(f"arshif: {db} is not a usable SQLite archive: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            _disk_full(db, exc.strerror or str(exc))
            sys.exit(1)

    command.callback = run


_say_database_errors(cli)


def main() -> None:
    """Entry point of the `arshif` console script."""
    cli(prog_name="arshif")

from crawler.cli.integrity import COMMANDS as INTEGRITY  # noqa: E402 - verify, export-wacz

for _command in INTEGRITY:
    cli.add_command(_command)
