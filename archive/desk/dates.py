"""Readable Arabic dates for the desk: «الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد».

A small local formatter; the ISO value stays in the data (and in the page's <time datetime>).
"""

from __future__ import annotations

from datetime import date

from archive.isotime import BAGHDAD, parse_iso_zone

# Iraqi (Levantine) month names: what an Iraqi reader expects, not يناير/فبراير.
MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول")
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")


def arabic_day(day: date) -> str:
    """«الخميس 23 نيسان 2020» for a date."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def arabic_month(day: date) -> str:
    """«نيسان 2020» for a date's month."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def arabic_date(value: str | None) -> str:
    """An ISO date or time in Arabic, in Baghdad time; '' for nothing, the value if unreadable."""
    if not value:
        return ""
    found = parse_iso_zone(value)
    if found is None:
        return value
    when, _ = found
    if len(value.strip()) == 10:  # a bare date: no time to show
        return arabic_day(when.date())
    local = when.astimezone(BAGHDAD)
    return f"{arabic_day(local.date())}، {local:%H:%M} بتوقيت بغداد"
