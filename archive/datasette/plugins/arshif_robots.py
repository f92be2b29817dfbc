"""Datasette plugin: /robots.txt that keeps crawlers off searches, queries and exports."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response


def default_robots(datasette) -> str:
    """Article and table pages may be crawled; query strings, exports and canned queries not."""
    lines = ["User-agent: *", "Disallow: /*?", "Disallow: /-/"]
    for ext in ("json", "csv", "atom", "db", "blob"):
        lines.append(f"Disallow: /*.{ext}")
    for name in datasette.databases:
        queries = (datasette.metadata("queries", database=name) or {})
        lines += [f"Disallow: {datasette.urls.database(name)}/{q}" for q in sorted(queries)]
    return "\n".join(lines) + "\n"


async def robots_txt(datasette):
    """The configured robots.txt (plugins.arshif.robots_txt) or the default."""
    text = (datasette.plugin_config("arshif") or {}).get("robots_txt")
    return Response.text(text if text is not None else default_robots(datasette))


@hookimpl
def register_routes():
    """Serve /robots.txt."""
    return [(r"^/robots\.txt$", robots_txt)]
