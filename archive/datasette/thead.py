"""The <th> cells of Datasette 0.65's _table.html with their sort links, built in Python."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette.utils import to_css_class
from markupsafe import Markup, escape

# The parameters each sort link replaces (Datasette's path_with_replaced_args in the template).
SORT_KEYS = {"_sort", "_sort_desc", "_next"}


def sort_path(path: str, kept: str, key: str, column: str) -> str:
    """path_with_replaced_args(request, {key: column, the other sort keys: None})."""
    query = "&".join(q for q in (kept, urlencode([(key, column)])) if q)
    return f"{path}?{query}"


def header_html(columns: Iterable[dict[str, Any]], request: Any, sort: str | None,
                sort_desc: str | None, fix_path: Callable[[str], str]) -> Markup:
    """Datasette's header cells (same markup, escaped the same way), the query string parsed
    once instead of once per column (37 on the articles table: ≈ 1 ms of a page)."""
    kept = urlencode([(k, v) for k, v in parse_qsl(request.query_string)
                      if k not in SORT_KEYS])
    out = []
    for column in columns:
        name = column["name"]
        described = (f'data-column-description="{escape(column["description"])}" '
                     if column.get("description") else "")
        out.append(f'<th {described}class="col-{escape(to_css_class(name))}" scope="col" '
                   f'data-column="{escape(name)}" '
                   f'data-column-type="{escape(column["type"].lower())}" '
                   f'data-column-not-null="{escape(column["notnull"])}" '
                   f'data-is-pk="{1 if column["is_pk"] else 0}">')
        if not column["sortable"]:
            out.append(str(escape(name)))
        else:
            key = "_sort_desc" if name == sort else "_sort"
            mark = "&nbsp;▼" if name == sort else ("&nbsp;▲" if name == sort_desc else "")
            href = escape(str(fix_path(sort_path(request.path, kept, key, name))))
            out.append(f'<a href="{href}" rel="nofollow">{escape(name)}{mark}</a>')
        out.append("</th>\n")
    return Markup("".join(out))
