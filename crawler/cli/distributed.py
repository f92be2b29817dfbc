"""`arshif enqueue`, `arshif writer` and `arshif crawl --redis` (added in crawler/cli/app.py)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from crawler.cli.defaults import DEFAULT_DB

redis_option = click.option(
    "--redis", "redis_url", envvar="ARSHIF_REDIS_URL", required=True, metavar="URL",
    help="redis://HOST:PORT/DB shared by the crawlers and the writer (env ARSHIF_REDIS_URL).")
prefix_option = click.option(
    "--prefix", envvar="ARSHIF_REDIS_PREFIX", default="arshif", show_default=True,
    help="Prefix of every Redis key (several archives can share one Redis).")


def crawl_distributed(db: Path, sources: Path | None, names: tuple[str, ...],
                      settings: tuple[str, ...], extra: dict[str, str]) -> int:
    """One crawler process of a distributed crawl; prints what it fetched. Exit code."""
    from scrapy.crawler import CrawlerProcess

    from crawler import run as crawling
    from crawler.sources import SourcesError, load_sources
    from crawler.spiders.news_redis import NewsRedisSpider
    from pipelines import runstats

    try:
        overrides = {**extra, **crawling.parse_overrides(settings)}
        # Every crawler knows every source of the file: any of them may pop any request.
        load_sources(sources, None)
    except (ValueError, SourcesError) as exc:
        raise click.UsageError(str(exc)) from None
    if names:
        click.echo("--source applies to `arshif enqueue`; a crawler takes any queued request",
                   err=True)
    crawler_settings = crawling.crawl_settings(db, sources, [], overrides)
    process = CrawlerProcess(crawler_settings)  # root handler: LOG_INSTALL_ROOT_HANDLER
    crawler = process.create_crawler(NewsRedisSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    per = runstats.per_source(crawler.stats) if crawler.stats else {}
    click.echo(f"\nCrawler {crawler.settings.get('ARSHIF_WORKER_ID')}: "
               f"{stats.get('finish_reason', '?')}")
    for name, row in sorted(per.items()):
        drops = ", ".join(f"{k} {v}" for k, v in sorted(row["dropped"].items())) or "-"
        click.echo(f"{name:<20} pages {row.get('pages', 0):>6}  dropped {drops}")
    return 0 if stats.get("finish_reason") == "finished" else 1


@click.command()
@redis_option
@prefix_option
@click.option("--sources", type=click.Path(path_type=Path, dir_okay=False),
              help="sources.yaml to read (default: crawler/sources.yaml).")
@click.option("--source", "names", multiple=True, help="Only this source (repeatable).")
@click.option("--reset", is_flag=True,
              help="Empty the frontier and forget every seen URL first (a fresh crawl).")
def enqueue(redis_url: str, prefix: str, sources: Path | None, names: tuple[str, ...],
            reset: bool) -> None:
    """Push each source's feeds, sitemaps, sections and homepage into the shared frontier."""
    import redis

    from crawler.enqueue import enqueue as push
    from crawler.sources import SourcesError

    try:
        counts = push(redis_url, sources, list(names), prefix, reset)
    except SourcesError as exc:
        raise click.UsageError(str(exc)) from None
    except redis.RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    for name, n in counts.items():
        click.echo(f"{name:<20} {n} seeds queued")


@click.command()
@redis_option
@prefix_option
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DB,
              show_default=True, help="The archive this writer owns.")
@click.option("--batch", type=click.IntRange(1, 10000), default=100, show_default=True,
              help="Messages taken and acknowledged together.")
@click.option("--exit-when-idle", type=float, metavar="SECONDS",
              help="Exit once the queue is empty and no crawler is alive for this long.")
def writer(redis_url: str, prefix: str, db: Path, batch: int,
           exit_when_idle: float | None) -> None:
    """Store what the Redis crawlers send into the archive (the only process that writes it)."""
    from archive.lock import Locked
    from crawler.writer import run_writer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: "
                        "%(message)s")
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        stored = run_writer(redis_url, db, batch, prefix, exit_when_idle)
    except Locked as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Writer stopped: {stored} new articles stored in {db}")
    sys.exit(0)


COMMANDS: list[Any] = [enqueue, writer]
