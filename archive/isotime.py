"""ISO 8601 times as the archive stores them: a time or date without a zone is Baghdad time.

``published`` is written in Baghdad time (UTC+3, no DST) and bare dates are Baghdad days
(README "dates"), while ``first_seen_at``/``fetched_at`` carry their UTC offset
(``archive.store.now_iso``). Reading a naive value with the machine's zone would make search
keys and revisit schedules depend on where the archive is opened, so every reader uses this
one rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

BAGHDAD: tzinfo = timezone(timedelta(hours=3), "Baghdad")


def parse_iso_zone(value: str | None) -> tuple[datetime, bool] | None:
    """(aware datetime, whether value gave its own zone) for an ISO time or date, else None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=BAGHDAD), False
    return parsed, True


def parse_iso(value: str | None) -> datetime | None:
    """An ISO time or date as an aware datetime (naive and bare dates: Baghdad); None if bad."""
    found = parse_iso_zone(value)
    return found[0] if found else None
