"""The table rows built in Python (plugins/arshif_cells.rows_html) match Datasette's template."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import datasette
import pytest
from datasette.app import Datasette
from datasette.utils import path_with_replaced_args, to_css_class
from datasette.utils.asgi import Request
from jinja2 import Environment
from markupsafe import Markup

from archive.datasette.plugins.arshif_cells import rows_html
from archive.datasette.thead import header_html
from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources

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


def squash_text(html: str) -> str:
    """Also without the whitespace around text in a cell (the template's indentation)."""
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html)).strip()


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


def stock_header(columns, request, sort, sort_desc, fix_path) -> str:
    """Datasette 0.65's own <th> loop, rendered by Jinja with autoescape."""
    loop = re.search(r"\{% for column in display_columns %\}.*?</th>\s*\{% endfor %\}",
                     STOCK.read_text("utf-8"), re.S)
    assert loop, "Datasette's _table.html no longer has the header loop header_html replaces"
    env = Environment(autoescape=True)
    env.filters["to_css_class"] = to_css_class
    return env.from_string(loop.group(0)).render(
        display_columns=columns, request=request, sort=sort, sort_desc=sort_desc,
        fix_path=fix_path, path_with_replaced_args=path_with_replaced_args)


def test_header_html_is_the_stock_markup_with_the_same_sort_links():
    columns = [
        {"name": "id", "sortable": True, "is_pk": True, "type": "INTEGER", "notnull": 0,
         "description": None},
        {"name": "title", "sortable": True, "is_pk": False, "type": "TEXT", "notnull": 1,
         "description": 'العنوان <b>"x"</b> & co'},
        {"name": "odd name-é\"<", "sortable": True, "is_pk": False, "type": "", "notnull": 0,
         "description": None},
        {"name": "text", "sortable": False, "is_pk": False, "type": "text", "notnull": 0,
         "description": None},
    ]
    ds = Datasette(settings={"base_url": "/prefix/"})
    for url, sort, sort_desc in [
        ("/arshif/articles?_search=%D8%AF%D8%A7%D8%B9%D8%B4&_sort=title&_next=5&a=1&a=2",
         "title", None),
        ("/arshif/articles?_sort_desc=id&_facet=source", None, "id"),
        ("/arshif/articles", "id", None),
        ("/arshif/articles?_next=3", None, None),
    ]:
        request = Request.fake(url)
        ours = str(header_html(columns, request, sort, sort_desc, ds.urls.path))
        assert squash_text(ours) == squash_text(stock_header(columns, request, sort,
                                                             sort_desc, ds.urls.path))
    assert "&lt;b&gt;" in ours and "<b>" not in ours


@pytest.mark.asyncio
async def test_a_table_pages_header_links_sort_it(tmp_path):
    db = connect(tmp_path / "arshif.db")
    save_sources(db, [{"name": "x", "title": "x", "homepage": "https://x.example/"}])
    for i, title in enumerate(["ب كركوك", "أ كركوك"]):
        save_article(db, {"url": f"https://x.example/{i}", "source": "x", "title": title,
                          "text": "كركوك", "published": f"2024-05-0{i + 1}T09:00:00+03:00"})
    db.close()
    ds = build_datasette(tmp_path / "arshif.db")
    page = (await ds.client.get("/arshif/articles?_search=كركوك")).text
    links = re.findall(r'<a href="([^"]*_sort=title[^"]*)" rel="nofollow">title</a>', page)
    assert len(links) == 1 and "_search=" in links[0]
    sorted_page = (await ds.client.get(htmllib.unescape(links[0]))).text
    assert sorted_page.index("أ كركوك") < sorted_page.index("ب كركوك")
    assert 'rel="nofollow">title&nbsp;▼</a>' in sorted_page  # sorted by it: the link reverses
