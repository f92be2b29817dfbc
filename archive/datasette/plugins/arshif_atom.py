"""Datasette plugin: datasette-atom's .atom renderer, with absolute links and empty feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

from datasette import hookimpl
from datasette.utils.asgi import Response


def empty_feed(datasette, request, database, query_name) -> Response:
    """An Atom feed without entries: datasette-atom fails on max() of no rows."""
    from feedgen.feed import FeedGenerator

    queries = datasette.metadata("queries", database=database) or {}
    fg = FeedGenerator()
    fg.id(request.url)
    fg.link(href=request.url, rel="self")
    fg.title((queries.get(query_name) or {}).get("title") or query_name or database)
    fg.updated(datetime.now(UTC))
    return Response(fg.atom_str(pretty=True), content_type="application/xml; charset=utf-8")


@hookimpl(trylast=True)
def register_output_renderer(datasette):
    """Registered after datasette-atom's (trylast), so this .atom renderer replaces it."""
    try:
        import datasette_atom
    except ImportError:
        return None

    def render(datasette, request, sql, columns, rows, database, table, query_name, view_name,
               data):
        if not rows and datasette_atom.REQUIRED_COLUMNS.issubset(columns):
            return empty_feed(datasette, request, database, query_name)
        if "atom_link" in columns:
            # A link to the archive's own page is relative in SQL; feed readers need it absolute.
            rows = [{**dict(r), "atom_link": urljoin(request.url, r["atom_link"] or "")}
                    for r in rows]
        return datasette_atom.render_atom(datasette, request, sql, columns, rows, database,
                                          table, query_name, view_name, data)

    return {"extension": "atom", "render": render, "can_render": datasette_atom.can_render_atom}
