"""Published dates as sources write them, read as ISO dates to the precision they give."""

from __future__ import annotations

import pytest

from annotator.core.dates import iso_date


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2024-03-05T08:00:00Z", "2024-03-05"),
        ("2024-03-05 23:30", "2024-03-05"),
        ("2024-03", "2024-03"),
        ("2024", "2024"),
        ("Tue, 05 Mar 2024 08:00:00 GMT", "2024-03-05"),  # RSS
        ("5 March 2015", "2015-03-05"),
        ("March 5, 2015", "2015-03-05"),
        ("5th Mar. 2015", "2015-03-05"),
        ("Sept 9 2021", "2021-09-09"),
        ("25/03/2015", "2015-03-25"),  # day first: the day is past 12
        ("03/25/2015", "2015-03-25"),  # month first
        ("05/03/2015", "2015"),  # March or May: the year is sure
        ("5 Mars 2024", "2024"),  # French: the year
        ("2024-13-45T99:00:00", ""),  # no such day
        ("no date", ""),
        ("", ""),
    ],
)
def test_a_published_date_is_read_as_iso_to_the_precision_it_gives(written, read):
    assert iso_date(written) == read
