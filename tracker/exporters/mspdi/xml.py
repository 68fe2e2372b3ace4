"""The small vocabulary every part of the MSPDI document is written with."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from xml.etree.ElementTree import Element, SubElement

NAMESPACE = "http://schemas.microsoft.com/project"

MINUTES_PER_DAY = 480  # 8-hour days: durations are in working days of 8 hours
DAY_START = time(8, 0)
DAY_FINISH = time(17, 0)
# MSPDI time formats: 7 = days (a duration), 8 = elapsed days.
FORMAT_DAYS = 7

# XML 1.0 cannot hold most control characters; a title pasted from elsewhere may.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def add(parent: Element, tag: str, value: object) -> Element:
    """``<tag>value</tag>`` under ``parent`` (booleans as 0/1, as MSPDI writes them)."""
    child = SubElement(parent, tag)
    if isinstance(value, bool):
        child.text = "1" if value else "0"
    else:
        child.text = clean(str(value))
    return child


def stamp(day: date, at: time) -> str:
    return datetime.combine(day, at).strftime("%Y-%m-%dT%H:%M:%S")


def start_of(day: date) -> str:
    return stamp(day, DAY_START)


def end_of(day: date) -> str:
    return stamp(day, DAY_FINISH)


def duration(minutes: int) -> str:
    """An MSPDI (ISO 8601) duration of working time: ``PT80H0M0S`` for 10 days."""
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def days(count: int) -> str:
    return duration(count * MINUTES_PER_DAY)
