"""Readable Arabic dates in Baghdad time, in Python and as a SQL function."""

from __future__ import annotations

import sqlite3

import pytest

from archive.arabic_dates import arabic_date
from archive.search import register_functions


@pytest.mark.parametrize("value, want", [
    ("2020-04-23T09:10:00+03:00", "الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد"),
    ("2020-04-23", "الخميس 23 نيسان 2020"),
    ("2020-04-23T09:10:00", "الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد"),  # naive: Baghdad
    ("2020-04-23T06:10:00+00:00", "الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد"),
    ("2020-04-22T22:30:00Z", "الخميس 23 نيسان 2020، 01:30 بتوقيت بغداد"),  # next Baghdad day
    ("2024-01-01T00:00:00+03:00", "الاثنين 1 كانون الثاني 2024، 00:00 بتوقيت بغداد"),
    ("2019-05-05", "الأحد 5 أيار 2019"),
    ("2021-12-31T23:59:59+03:00", "الجمعة 31 كانون الأول 2021، 23:59 بتوقيت بغداد"),
    (" 2022-10-15 ", "السبت 15 تشرين الأول 2022"),
])
def test_formats_in_baghdad_time(value, want):
    assert arabic_date(value) == want


@pytest.mark.parametrize("value", ["", "غدا", "2020-13-45", "2020-04-23T25:00", "yesterday",
                                   "2020-04"])
def test_garbage_comes_back_unchanged(value):
    assert arabic_date(value) == value


def test_non_text_comes_back_unchanged():
    assert arabic_date(None) is None and arabic_date(2020) == 2020


def test_sql_function():
    conn = sqlite3.connect(":memory:")
    register_functions(conn)
    got = conn.execute("select arabic_date('2020-04-23T09:10:00+03:00'), arabic_date(null), "
                       "arabic_date('x')").fetchone()
    assert got == ("الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد", None, "x")
