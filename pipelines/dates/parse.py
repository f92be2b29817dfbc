"""One date string, or the first date in a stretch of text, as a Baghdad-time datetime.

Forms: ISO 8601 (``archive.isotime``), RFC 822, Arabic month names of the Syriac, Latin and
Maghreb systems, numeric day-first dates, Arabic-Indic digits, and relative dates ("منذ ساعتين",
"أمس"). Values without a zone are taken to be in Baghdad time already.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from archive.arabic import fold
from archive.isotime import BAGHDAD, parse_iso_zone
from pipelines.dates.forms import (
    ABSOLUTE,
    AGO_UNITS,
    DAYWORD_OFFSET,
    MONTHS,
    NAMED_ZONES,
    RE_AGO,
    RE_DAYWORD,
    RE_DMY_NUM,
    RE_ENGLISH_AGO,
)

DEFAULT_EARLIEST = date(1995, 1, 1)
# Servers and feeds disagree with our clock by minutes to hours; a day is generous but safe.
CLOCK_SKEW = timedelta(days=1)
TEXT_WINDOW = 3000

# Bidi marks and ZWNJ often sit between the day and the month in bylines ("12\u200fأيار");
# the archive's fold deletes them, which would glue the two, so they become spaces first.
_WORD_BREAKS = str.maketrans({"\u200f": " ", "\u200e": " ", "\u200c": " "})
# Strict ISO 8601 goes to archive.isotime; looser forms ("2024-5-12 9:00 GMT") to the regexes.
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalize(text: str) -> str:
    """Fold alef/hamza/ta-marbuta variants, strip diacritics and tatweel, map digits to ASCII."""
    return fold(text.translate(_WORD_BREAKS))


def _offset(zone: str | None) -> int | None:
    """Minutes east of UTC for a zone token, or None when absent/unknown."""
    if not zone:
        return None
    z = zone.strip()
    if "توقيت" in z:
        return 0
    m = re.fullmatch(r"(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})?", z, re.IGNORECASE)
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return -minutes if m.group(1) == "-" else minutes
    return NAMED_ZONES.get(z.lower())


def _fmt_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _hour24(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    a = ampm.lower().replace(".", "").replace(" ", "")
    if a in ("ص", "صباح", "صباحا", "am"):
        return 0 if hour == 12 else hour
    if a in ("ظهرا", "عصرا"):  # "noon"/"afternoon": 12 stays, 1–6 are p.m.
        return hour + 12 if hour < 7 else hour
    return hour + 12 if hour < 12 else hour  # م / مساء / ليلا / pm


def _build(g: dict) -> tuple[datetime, bool, str | None] | None:
    """Turn regex groups into (Baghdad datetime, has_time, tz_given); None if not a real date."""
    month = g["month"]
    month = int(month) if month.isdigit() else MONTHS.get(re.sub(r"\s+", " ", month.lower()))
    if month is None:
        return None
    year, day = int(g["year"]), int(g["day"])
    hour = g.get("hour")
    try:
        if hour is None:
            return datetime(year, month, day, tzinfo=BAGHDAD), False, None
        h = _hour24(int(hour), g.get("ampm"))
        offset = _offset(g.get("zone"))
        tz = BAGHDAD if offset is None else timezone(timedelta(minutes=offset))
        dt = datetime(year, month, day, h, int(g["minute"]), int(g.get("second") or 0), tzinfo=tz)
    except ValueError:  # 31 February, hour 25, …
        return None
    return dt.astimezone(BAGHDAD), True, None if offset is None else _fmt_offset(offset)


def _build_numeric_dmy(g: dict) -> tuple[datetime, bool, str | None] | None:
    """Day-first, but fall back to month-first when the day-first reading is impossible."""
    res = _build(g)
    if res is None and int(g["month"]) > 12:
        swapped = dict(g, day=g["month"], month=g["day"])
        res = _build(swapped)
    return res


def _relative(m: re.Match, now: datetime) -> tuple[datetime, bool, str | None] | None:
    if m.re is RE_AGO:
        unit, fixed = AGO_UNITS[m.group("unit")]
        n = int(m.group("n")) if m.group("n") else (fixed or 1)
    else:  # English "3 hours ago"
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else 1
        unit = m.group("unit").lower() + "s"
    dt = now - timedelta(**{unit: n})
    if unit in ("minutes", "hours"):
        return dt, True, None
    return datetime(dt.year, dt.month, dt.day, tzinfo=BAGHDAD), False, None


def _dayword(m: re.Match, now: datetime) -> tuple[datetime, bool, str | None] | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    back = DAYWORD_OFFSET.get(word, 2)  # the two "day before yesterday" forms
    d = (now - timedelta(days=back)).date()
    g = m.groupdict()
    if g.get("hour") is None:
        return datetime(d.year, d.month, d.day, tzinfo=BAGHDAD), False, None
    return _build(dict(g, year=str(d.year), month=str(d.month), day=str(d.day)))


def reference_now(now: datetime | None) -> datetime:
    """The reference time in Baghdad time: now, or the given time (naive read as Baghdad)."""
    if now is None:
        return datetime.now(BAGHDAD)
    return now.replace(tzinfo=BAGHDAD) if now.tzinfo is None else now.astimezone(BAGHDAD)


def _from_match(m: re.Match) -> tuple[datetime, bool, str | None] | None:
    if m.re is RE_DMY_NUM:
        return _build_numeric_dmy(m.groupdict())
    return _build(m.groupdict())


def _from_iso(text: str) -> tuple[datetime, bool, str | None] | None:
    found = parse_iso_zone(text)
    if found is None:
        return None
    dt, zone_given = found
    if len(text) <= 10:  # a bare date, midnight is not a time of day
        return datetime(dt.year, dt.month, dt.day, tzinfo=BAGHDAD), False, None
    offset = dt.utcoffset()
    tz_given = None
    if zone_given and offset is not None:
        tz_given = _fmt_offset(int(offset.total_seconds()) // 60)
    return dt.replace(microsecond=0).astimezone(BAGHDAD), True, tz_given


def parse_date(value: str, now: datetime | None = None) -> tuple[datetime, bool, str | None] | None:
    """Parse one date string (ISO, RFC 822, Arabic, numeric, relative) into (dt, has_time, tz)."""
    if not value or not value.strip():
        return None
    text = normalize(value.strip())
    if _ISO_START.match(text):
        iso = _from_iso(text.strip())
        if iso is not None:
            return iso
    # The earliest absolute form in the string wins (e.g. a weekday prefix is simply skipped).
    found = [(m.start(), m) for rx in ABSOLUTE if (m := rx.search(text))]
    for _, m in sorted(found, key=lambda pm: pm[0]):
        res = _from_match(m)
        if res is not None:
            return res
    ref = reference_now(now)
    m = RE_AGO.search(text) or RE_ENGLISH_AGO.search(text)
    if m:
        return _relative(m, ref)
    m = RE_DAYWORD.search(text)
    if m:
        return _dayword(m, ref)
    return None


def plausible(res: tuple[datetime, bool, str | None], now: datetime, earliest: date) -> bool:
    """False for a date in the future (beyond clock skew) or before `earliest`."""
    dt, has_time, _ = res
    limit = now + CLOCK_SKEW
    if (dt > limit) if has_time else (dt.date() > limit.date()):
        return False
    return dt.date() >= earliest


def find_text_date(
    text: str, now: datetime | None = None
) -> tuple[datetime, bool, str | None] | None:
    """Return the first plausible date written in the first ~3000 characters of text."""
    if not text:
        return None
    ref = reference_now(now)
    window = normalize(text[:TEXT_WINDOW])
    matches = sorted(
        ((m.start(), m) for rx in ABSOLUTE for m in rx.finditer(window)), key=lambda pm: pm[0]
    )
    for _, m in matches:
        res = _from_match(m)
        if res is not None and plausible(res, ref, DEFAULT_EARLIEST):
            return res
    # Relative forms only when no absolute date is written: in running text "أمس" usually
    # means "the day before publication", so a bare day-word counts only in a short byline
    # or when a time of day makes it a timestamp ("اليوم 14:30").
    m = RE_AGO.search(window) or RE_ENGLISH_AGO.search(window)
    if m:
        return _relative(m, ref)
    for m in RE_DAYWORD.finditer(window):
        if m.group("hour") is not None or len(window.strip()) <= 60:
            res = _dayword(m, ref)
            if res is not None:
                return res
    return None

