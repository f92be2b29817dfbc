"""archive.isotime: the one ISO reader — naive times and bare dates are Baghdad time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from archive.isotime import BAGHDAD, parse_iso, parse_iso_zone

UTC_9 = datetime(2024, 5, 10, 6, 0, tzinfo=UTC)  # 09:00 in Baghdad


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-10T09:00:00", UTC_9),  # naive: Baghdad
        (" 2024-05-10 09:00 ", UTC_9),
        ("2024-05-10", datetime(2024, 5, 9, 21, 0, tzinfo=UTC)),  # bare date: Baghdad midnight
        ("2024-05-10T06:00:00Z", UTC_9),
        ("2024-05-10T06:00:00+00:00", UTC_9),
        ("2024-05-10T09:00:00+03:00", UTC_9),
        ("2024-05-10T02:00:00-04:00", UTC_9),
    ],
)
def test_parse_iso_rule(value, expected):
    parsed = parse_iso(value)
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed == expected


@pytest.mark.parametrize("value", [None, "", "  ", "not a date", "2024-02-31", "12/05/2024"])
def test_parse_iso_garbage_is_none(value):
    assert parse_iso(value) is None
    assert parse_iso_zone(value) is None


def test_parse_iso_zone_tells_whether_a_zone_was_written():
    assert parse_iso_zone("2024-05-10T09:00:00") == (datetime(2024, 5, 10, 9, tzinfo=BAGHDAD),
                                                      False)
    when, given = parse_iso_zone("2024-05-10T09:00:00+04:30")
    assert given and when.utcoffset() == timedelta(hours=4, minutes=30)


_CHILD = """
import json, time, os
os.environ["TZ"] = "America/New_York"
time.tzset()
from archive.isotime import parse_iso
from archive import known_urls  # revisits read first_seen_at etc. with parse_iso
from archive.search import epoch_seconds
print(json.dumps([parse_iso("2024-05-10T09:00:00").isoformat(),
                  parse_iso("2024-05-10").isoformat(),
                  epoch_seconds("2024-05-10T09:00:00"), time.strftime("%Z"),
                  known_urls.parse_iso is parse_iso]))
"""


def test_machine_time_zone_plays_no_part():
    # In a child process, so changing TZ cannot leak into other tests.
    env = dict(os.environ, TZ="America/New_York")
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True,
                         text=True, check=True).stdout
    naive, bare, seconds, zone, shared = json.loads(out)
    assert shared
    assert zone in ("EDT", "EST")  # the child really runs in New York time
    assert naive == "2024-05-10T09:00:00+03:00"
    assert bare == "2024-05-10T00:00:00+03:00"
    assert seconds == int(UTC_9.timestamp())
