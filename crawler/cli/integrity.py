"""`arshif verify` and `arshif export-wacz` (added to the group in crawler/cli/app.py)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from crawler.cli.defaults import DEFAULT_DB

warc_dir_option = click.option("--warc-dir", type=click.Path(path_type=Path, file_okay=False),
                               help="WARC directory (default: warc/ beside the database).")


def _archive(db: Path) -> Path:
    if not db.is_file():
        raise click.UsageError(f"no archive at {db}")
    return db


@click.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), default=DEFAULT_DB,
              show_default=True, help="The archive, or a snapshot .db.")
@warc_dir_option
def verify(db: Path, warc_dir: Path | None) -> None:
    """Check every article's WARC record: present, readable, its URL, its payload digest.

    Exit 0 when every capture is intact, 1 when any is missing or damaged (each listed).
    """
    from archive.captures import warc_dir as default_dir
    from archive.verify import verify as run

    directory = default_dir(_archive(db), warc_dir)
    if not directory.is_dir():
        raise click.UsageError(f"no WARC directory at {directory} (give --warc-dir)")
    report = run(db, directory)
    for problem in report.problems or []:
        click.echo(problem.line())
    bad = len(report.problems or [])
    click.echo(f"articles {report.articles}  warc files {report.files}  intact "
               f"{report.articles - bad}  missing or damaged {bad}", err=bool(bad))
    sys.exit(1 if bad else 0)


def _day(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("export-wacz")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The archive (or a snapshot .db).")
@warc_dir_option
@click.option("--source", help="Only this source's articles.")
@click.option("--since", help="Only captures made on or after this date (YYYY-MM-DD).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The .wacz file to write.")
def export_wacz(db: Path, warc_dir: Path | None, source: str | None, since: str | None,
                out: Path) -> None:
    """Write a WACZ (1.1.1) of the articles' captures for ReplayWeb.page and pywb."""
    from archive.captures import warc_dir as default_dir
    from archive.wacz_export import ExportError
    from archive.wacz_export import export_wacz as run

    if out.suffix != ".wacz":
        raise click.BadParameter("must end in .wacz", param_hint="--out")
    directory = default_dir(_archive(db), warc_dir)
    try:
        info = run(db, directory, out, source, _day(since))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(info, ensure_ascii=False))


COMMANDS = [verify, export_wacz]
