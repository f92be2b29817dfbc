"""The one HTML parser of a page, shared by the spider's discovery and the extract stage."""

from __future__ import annotations

from lxml import etree, html


def parse_html(body: bytes | str) -> html.HtmlElement | None:
    """An lxml tree of an HTML page, or None when there is nothing to parse."""
    try:
        return html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None
