"""`arshif serve` and `arshif datasette-metadata`: the archive published with Datasette."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.defaults import DEFAULT_DB


@click.command()
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
@click.option("--no-upgrade", is_flag=True,
              help="Serve the file as it is: no pending migration is applied (an archive "
                   "another process owns; `python -m bench load` never writes to what it serves).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes sharing the port (one per core: a slow query then "
                   "stalls one worker, not the site).")
def serve(
    db: Path, host: str, port: int, live: bool, snapshots: Path | None, allow_sql: bool,
    warc_dir: Path | None, no_upgrade: bool, workers: int,
) -> None:
    """Publish the archive with Datasette (immutable, limited, canned SQL only by default)."""
    import asyncio

    import uvicorn

    from archive.publish import build_datasette, database_name, serve_environment

    if db.is_file() and not no_upgrade:
        _upgrade_before_serving(db)
    extra = sorted(snapshots.glob("arshif-*.db")) if snapshots else []
    kwargs = {"db_path": db, "public": not live, "extra_immutables": extra,
              "allow_sql": True if allow_sql else None,
              "warc_dir": str(warc_dir) if warc_dir else None, "precompile_templates": True}
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


@click.command("datasette-metadata")
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


COMMANDS = [serve, datasette_metadata]
