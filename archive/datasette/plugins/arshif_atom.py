"""Datasette plugin: datasette-atom's .atom renderer, with absolute links and empty feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from urllib.parse import urljoin

from datasette import hookimpl
from datasette.utils.asgi import Response


def canned_title(datasette, database, query_name) -> str:
    """The canned query's configured title, else its name."""
    queries = datasette.metadata("queries", database=database) or {}
    return (queries.get(query_name) or {}).get("title") or query_name or database


def feed_title(datasette, request, database, query_name) -> str:
    """The feed's title, naming the saved search: «…: «داعش -سوريا»» (q of the request)."""
    title = canned_title(datasette, database, query_name)
    query = " ".join((request.args.get("q") or "").split())
    return f"{title}: «{query}»" if query else title


def empty_feed(datasette, request, database, query_name) -> Response:
    """An Atom feed without entries: datasette-atom fails on max() of no rows."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(request.url)
    fg.link(href=request.url, rel="self")
    fg.title(feed_title(datasette, request, database, query_name))
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
        response = datasette_atom.render_atom(datasette, request, sql, columns, rows, database,
                                              table, query_name, view_name, data)
        if query_name:
            # datasette-atom titles a canned query's feed with its configured title only.
            old = f"<title>{escape(canned_title(datasette, database, query_name))}</title>"
            new = f"<title>{escape(feed_title(datasette, request, database, query_name))}</title>"
            body = response.body.decode("utf-8") if isinstance(response.body, bytes) \
                else response.body
            response.body = body.replace(old, new, 1)
        return response

    return {"extension": "atom", "render": render, "can_render": datasette_atom.can_render_atom}
