"""Written date forms: month names of every Arabic system, zones, and the date regexes.

Everything here matches *normalised* text (``parse.normalize``: the archive's Arabic fold, so
alef/hamza/ta-marbuta variants are folded, diacritics gone and Arabic-Indic digits ASCII).
"""

from __future__ import annotations

import re

# Month names (keys are already normalised)
MONTHS: dict[str, int] = {
    # Egyptian / Gulf (transliterated Latin names)
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ابريله": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8,
    "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi (Syriac names); spellings with and without the article
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5,
    "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الاول": 12, "كانون اول": 12,
    # Maghreb (Algeria/Tunisia French-derived, Morocco)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7,
    "جويلية": 7, "اوت": 8, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # English, for RFC 822 feed dates and English bylines
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Longest first so "تشرين الثاني" wins over a shorter prefix and "sept" over "sep".
_MONTH_ALT = "|".join(
    re.escape(m).replace(r"\ ", r"\s+") for m in sorted(MONTHS, key=len, reverse=True)
)
_MONTH = rf"(?<!\w)(?:{_MONTH_ALT})(?!\w)"

# Named zones seen in RFC 822 feeds; "AST" is deliberately absent (Arabia vs Atlantic).
NAMED_ZONES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "bst": 60, "cet": 60, "cest": 120,
    "eet": 120, "eest": 180, "msk": 180,
}  # fmt: skip
_ZONE_AFTER_TIME = (
    r"(?:\s*(?P<zone>(?:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z(?!\w)"
    r"|[A-Z]{3,4}(?!\w)|(?:ب)?توقيت\s+(?:غرينتش|جرينتش)))?"
)
# "2:30 م", "09:22 مساءً" (normalised to مساء), "صباحًا", "ظهرا", "AM"/"p.m.".
_AMPM = r"(?P<ampm>صباحا|صباح|ص|مساء|م|ظهرا|عصرا|ليلا|[ap]\.?\s?m\.?)(?!\w)"
_TIME = (
    # Each connector must consume text, so the repetition cannot backtrack explosively.
    r"(?:\s*(?:[-–|,،@T]|at(?!\w)|في|الساعه|الموافق))*\s*"
    r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:[.,]\d+)?"
    rf"(?:\s*{_AMPM})?" + _ZONE_AFTER_TIME
)
_OPT_TIME = rf"(?:{_TIME})?"
_SEP = r"[\s,،.\-/]*"

# 12 أيار 2024 | 24 نيسان / أبريل 2020 | 10 حزيران (يونيو) 2024 | 12 May 2024 09:15:00 GMT
RE_DMY_NAME = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:\s*(?:من|of))?{_SEP}(?P<month>{_MONTH})"
    rf"(?:\s*[/(\-]\s*(?:{_MONTH})\s*\)?)?{_SEP}(?P<year>\d{{4}})(?!\d)" + _OPT_TIME,
    re.IGNORECASE,
)
# May 12, 2024 | مايو 12، 2024
RE_MDY_NAME = re.compile(
    rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?P<year>\d{{4}})(?!\d)"
    + _OPT_TIME,
    re.IGNORECASE,
)
# 2024/05/12 | 2024-05-12 14:30 (only in text; values go through _RE_ISO first)
RE_YMD_NUM = re.compile(
    r"(?<![\d/.\-])(?P<year>\d{4})(?P<s>[/\-.])(?P<month>\d{1,2})(?P=s)(?P<day>\d{1,2})(?![\d/])"
    + _OPT_TIME,
    re.IGNORECASE,
)
# 12-05-2024 | 12/05/2024 — day first, as Arab outlets write
RE_DMY_NUM = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<s>[/\-.])(?P<month>\d{1,2})(?P=s)(?P<year>\d{4})(?!\d)"
    + _OPT_TIME,
    re.IGNORECASE,
)
RE_AGO = re.compile(
    r"(?:منذ|قبل)\s+(?P<n>\d+\s*)?(?P<unit>دقيقتين|دقيقتان|دقايق|دقيقه|ساعتين|ساعتان|ساعات|ساعه"
    r"|يومين|يومان|ايام|يوم|اسبوعين|اسبوعان|اسابيع|اسبوع)(?!\w)"
)
RE_ENGLISH_AGO = re.compile(
    r"(?P<n>\d+|an?|one)\s+(?P<unit>minute|hour|day|week)s?\s+ago\b", re.IGNORECASE
)
AGO_UNITS = {
    "دقيقه": ("minutes", 1), "دقيقتين": ("minutes", 2), "دقيقتان": ("minutes", 2),
    "دقايق": ("minutes", None), "ساعه": ("hours", 1), "ساعتين": ("hours", 2),
    "ساعتان": ("hours", 2), "ساعات": ("hours", None), "يوم": ("days", 1), "يومين": ("days", 2),
    "يومان": ("days", 2), "ايام": ("days", None), "اسبوع": ("weeks", 1),
    "اسبوعين": ("weeks", 2), "اسبوعان": ("weeks", 2), "اسابيع": ("weeks", None),
}  # fmt: skip
# "أول أمس" / "أمس الأول" before plain "أمس"; a following time is optional.
RE_DAYWORD = re.compile(
    r"(?<!\w)(?P<word>اول\s+امس|امس\s+الاول|البارحه|امس|اليوم|today|yesterday)(?!\w)" + _OPT_TIME,
    re.IGNORECASE,
)
DAYWORD_OFFSET = {"اليوم": 0, "today": 0, "امس": 1, "البارحه": 1, "yesterday": 1}

ABSOLUTE = (RE_DMY_NAME, RE_MDY_NAME, RE_YMD_NUM, RE_DMY_NUM)
