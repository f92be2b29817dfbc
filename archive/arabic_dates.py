"""Readable Arabic dates in Baghdad time: «الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد».

Month names are the Levantine/Iraqi ones (كانون الثاني، شباط، آذار، نيسان...), which Iraqi
outlets use. Digits stay Western (0-9), as the outlets write them. The ISO value stays in the
data; this is only how it is shown (Datasette: the ``arabic_date`` SQL function and Jinja
filter, registered by archive/datasette/plugins/arshif_search.py).
"""

from __future__ import annotations

from datetime import date, datetime

from archive.isotime import BAGHDAD

__all__ = ["arabic_date", "arabic_day", "arabic_month"]

MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول")
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def arabic_day(d: date) -> str:
    """«الخميس 23 نيسان 2020» for a date."""
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def arabic_month(d: date) -> str:
    """«نيسان 2020» for a date's month."""
    return f"{MONTHS[d.month - 1]} {d.year}"


def arabic_date(value: object) -> object:
    """An ISO date or time as Arabic in Baghdad time; anything unreadable comes back unchanged.

    A bare date (2020-04-23) is a Baghdad day and gets no time; a time without a zone is
    Baghdad time (archive/isotime.py); a time with another zone is converted to Baghdad time.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) == 10:
        try:
            return arabic_day(date.fromisoformat(text))
        except ValueError:
            return value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BAGHDAD)
    local = parsed.astimezone(BAGHDAD)
    return f"{arabic_day(local)}، {local:%H:%M} بتوقيت بغداد"
