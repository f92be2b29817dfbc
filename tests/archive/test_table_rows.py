"""The table rows built in Python (plugins/arshif_cells.rows_html) match Datasette's template."""

from __future__ import annotations

import re
from pathlib import Path

import datasette
from datasette.utils import to_css_class
from jinja2 import Environment
from markupsafe import Markup

from archive.datasette.plugins.arshif_cells import rows_html

STOCK = Path(datasette.__file__).parent / "templates" / "_table.html"


def stock_rows(display_rows) -> str:
    """Datasette 0.65's own <tbody> loop, rendered by Jinja with autoescape."""
    loop = re.search(r"\{% for row in display_rows %\}.*?\{% endfor %\}.*?\{% endfor %\}",
                     STOCK.read_text("utf-8"), re.S)
    assert loop, "Datasette's _table.html no longer has the row loop rows_html replaces"
    env = Environment(autoescape=True)
    env.filters["to_css_class"] = to_css_class
    return env.from_string(loop.group(0)).render(display_rows=display_rows)


def squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_rows_html_is_the_stock_markup_for_hostile_and_rendered_values():
    rows = [
        [{"column": "id", "value": 1, "raw": 1, "value_type": "pk"},
         {"column": "title", "value": '<script>alert("x")</script> & \'داعش\'', "raw": "",
          "value_type": "str"},
         {"column": "text", "value": Markup("<mark>داعش</mark> &amp; بغداد"), "raw": "",
          "value_type": "str"},
         {"column": "odd name-é", "value": None, "raw": None, "value_type": "none"}],
        [{"column": "id", "value": 2, "raw": 2, "value_type": "pk"},
         {"column": "title", "value": "", "raw": "", "value_type": "str"},
         {"column": "text", "value": 3.5, "raw": 3.5, "value_type": "float"},
         {"column": "odd name-é", "value": "<b>", "raw": "<b>", "value_type": "str"}],
    ]
    ours = str(rows_html(rows))
    assert squash(ours) == squash(stock_rows(rows))
    assert "<script>" not in ours and "&lt;script&gt;" in ours
    assert "<mark>داعش</mark>" in ours  # a rendered cell (snippet) stays markup
