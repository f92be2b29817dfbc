"""Datasette plugin: table parameters naming no column answer 400; per-column search works.

Datasette 0.65 answers an unknown `_sort` column with a 500, silently matches nothing for a
filter on a missing column (`nope=1` compares the string 'nope'), and joins `?_search_title=`
on the table's rowid although Arshif's index is keyed by `articles.search_key` (0 rows, always).
"""

from __future__ import annotations

import json
import re
from typing import Any

from datasette import hookimpl
from datasette.filters import Filters
from datasette.utils import await_me_maybe
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

FACET_KEYS = ("_facet", "_facet_array", "_facet_date")
# Datasette's per-column search clause: `rowid in (select rowid from "fts" where "col" match …)`.
_COLUMN_SEARCH = re.compile(r"^rowid in \(select rowid from ")


class ParameterError(DatasetteError):
    """A query-string parameter naming a column the table lacks: 400, with the reason."""

    def __init__(self, message: str):
        super().__init__(message, title="معامل غير صالح · Invalid parameter", status=400)


def _facet_column(value: str) -> str:
    if not value.startswith("{"):
        return value
    try:
        config = json.loads(value)
    except ValueError:
        config = None
    if not isinstance(config, dict) or not isinstance(
            config.get("column") or config.get("simple"), str):
        raise ParameterError(f"لا يمكن التجميع · Cannot facet by {value}: not a column name")
    return config.get("column") or config["simple"]


def check_args(args: Any, columns: list[str], sortable: set[str], table: str) -> None:
    """Raise ParameterError for a sort, facet or filter that names no column of the table."""
    sort, sort_desc = args.get("_sort"), args.get("_sort_desc")
    if sort and sort_desc:
        raise ParameterError("لا يمكن الجمع بين _sort و _sort_desc · "
                             "Cannot use _sort and _sort_desc at the same time")
    for key in ("_sort", "_sort_desc"):
        value = args.get(key)
        if value and value not in sortable:
            raise ParameterError(f"لا يمكن الترتيب حسب {value} · Cannot sort {table} by "
                                 f"{value}: no such column (or not sortable)")
    for key in FACET_KEYS:
        for value in args.getlist(key):
            column = _facet_column(value)
            if column not in columns:
                raise ParameterError(f"لا يمكن التجميع حسب {column} · Cannot facet {table} by "
                                     f"{column}: no such column")
    for key in args:
        # The keys Datasette reads as filters (views/table.py): not `_x` unless it has `__`.
        if key.startswith("_") and "__" not in key:
            continue
        column, lookup = key.rsplit("__", 1) if "__" in key else (key, "exact")
        if key in columns and column not in columns:
            column, lookup = key, "exact"  # a column whose own name holds "__"
        if column not in columns and column != "rowid":
            raise ParameterError(f"لا يوجد عمود {column} · {table} has no column {column}")
        if lookup not in Filters._filters_by_key:
            raise ParameterError(f"عامل غير معروف {lookup} · Unknown filter __{lookup} "
                                 f"(known: {', '.join(Filters._filters_by_key)})")


@hookimpl(specname="filters_from_request")
def check_table_args(request, database, table, datasette):
    """Check the table view's parameters before Datasette builds (or fails on) its SQL."""

    async def inner():
        db = datasette.get_database(database)
        columns = await db.table_columns(table)
        meta = datasette.table_metadata(database, table)
        sortable = set(meta.get("sortable_columns") or columns)
        if table not in await db.view_names() and not await db.primary_keys(table):
            sortable.add("rowid")  # Datasette's use_rowid: a table without a primary key
        check_args(request.args, columns, sortable, table)
        return None

    return inner


def keyed_column_search(clause: str, fts_pk: str) -> str:
    """Datasette's per-column search clause, joined on the index's key instead of rowid."""
    quoted = '"' + fts_pk.replace('"', '""') + '"'
    return _COLUMN_SEARCH.sub(f"{quoted} in (select rowid from ", clause)


@hookimpl(specname="filters_from_request", hookwrapper=True)
def rekey_column_search(request, database, table, datasette):
    """Rewrite `?_search_<column>=` to use the table's fts_pk, as `?_search=` already does."""
    outcome = yield
    fts_pk = datasette.table_metadata(database, table).get("fts_pk")
    if not fts_pk or fts_pk == "rowid" or not any(
            key.startswith("_search_") and key != "_searchmode" for key in request.args):
        return
    results = outcome.get_result()

    def rekeyed(hook):
        async def inner():
            found = await await_me_maybe(hook)
            if found is not None:
                found.where_clauses = [keyed_column_search(c, fts_pk)
                                       for c in found.where_clauses]
            return found

        return inner

    # Only Datasette's own search filter (datasette/filters.py::search_filters) is rewritten.
    outcome.force_result([
        rekeyed(hook) if getattr(hook, "__qualname__", "").startswith("search_filters.") else hook
        for hook in results])


def quiet_error(datasette, request, exception, status: int):
    """Datasette's error page or JSON for a client's mistake, without logging a traceback."""

    async def inner():
        message = getattr(exception, "message", None) or str(exception.args[0])
        info = {**getattr(exception, "error_dict", {}), "ok": False, "error": message,
                "status": status, "title": getattr(exception, "title", None)}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        return Response.html(await template.render_async(
            dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
                 menu_links=lambda: [])), status=status)

    return inner


@hookimpl(specname="handle_exception", hookwrapper=True)
def quiet_client_errors(datasette, request, exception):
    """A 4xx answers without Datasette's traceback print (rich, with locals: 0.4–1.2 s of the
    event loop per bad request); only server faults (5xx) are logged."""
    outcome = yield
    status = getattr(exception, "status", 500)
    if isinstance(exception, Base400 | DatasetteError) and status < 500:
        # Datasette awaits every handler's result: replace them all, or its own still prints.
        outcome.force_result([quiet_error(datasette, request, exception, status)])
