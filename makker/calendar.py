"""Rotation dates for a school year: every N school weeks, skipping holidays.

Rotation 1 starts on the first school day (which may be a Thursday); every
later makkerbytte is moved to a Monday. Holiday weeks (an ISO week where at
least 3 weekdays are holidays) are not counted when ``count_school_weeks`` is
true, and a change never starts inside a holiday week. County presets live in
the editable data file ``makker/data/holidays.json`` so a coordinator can fix
them without touching code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from .i18n import MakkerError, Message, date_text, t

DateRange = tuple[date, date]
HOLIDAY_KINDS = ("autumn", "christmas", "winter", "easter", "summer", "other")
HOLIDAY_WEEK_DAYS = 3  # weekdays off that make a week a holiday week
MIN_WEEKS_BEFORE_BREAK = 2


@dataclass(frozen=True)
class Holiday:
    kind: str  # one of HOLIDAY_KINDS
    first: date
    last: date

    def days(self) -> Iterable[date]:
        d = self.first
        while d <= self.last:
            yield d
            d += timedelta(days=1)


# --------------------------------------------------------------------------- presets


def _slug(text: str) -> str:
    """'Møre og Romsdal' -> 'more-og-romsdal' so users can type either form."""
    text = text.strip().lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(text.replace("_", " ").replace("-", " ").split())


def load_presets(path: str | Path | None = None) -> dict:
    """The holiday file: the bundled one, or a coordinator's own copy."""
    try:
        if path is None:
            raw = (resources.files("makker") / "data" / "holidays.json").read_text(encoding="utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8-sig")
        data = json.loads(raw)
        counties = data["counties"]
        if not isinstance(counties, dict) or not counties:
            raise KeyError("counties")
    except (OSError, ValueError, KeyError, TypeError):
        raise MakkerError("calendar.bad_holiday_file", path=str(path or "holidays.json")) from None
    return data


def county_names(presets: dict | None = None) -> dict[str, str]:
    """{key: display name} of every county preset."""
    presets = presets or load_presets()
    return {key: spec.get("name", key) for key, spec in presets["counties"].items()}


def county_spec(county: str, presets: dict | None = None) -> dict:
    """The preset of one county, by key or display name (case and æøå insensitive)."""
    presets = presets or load_presets()
    wanted = _slug(county)
    for key, spec in presets["counties"].items():
        if wanted in (_slug(key), _slug(spec.get("name", key))):
            return spec
    names = ", ".join(county_names(presets).values())
    raise MakkerError("calendar.unknown_county", county=county, counties=names)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _md(year: int, text: str) -> date:
    month, day = (int(x) for x in str(text).split("-"))
    return date(year, month, day)


def _iso_week(year: int, week: int) -> Holiday | None:
    try:
        monday = date.fromisocalendar(year, int(week), 1)
    except ValueError:
        return None
    return Holiday("", monday, monday + timedelta(days=4))


def holidays_for_year(spec: dict, year: int) -> list[Holiday]:
    """The holidays of the school year that starts in August of ``year``."""
    out: list[Holiday] = []
    try:
        if spec.get("autumn_week"):
            w = _iso_week(year, spec["autumn_week"])
            if w:
                out.append(Holiday("autumn", w.first, w.last))
        if spec.get("christmas_from"):
            out.append(Holiday("christmas", _md(year, spec["christmas_from"]), _md(year + 1, spec["christmas_to"])))
        if spec.get("winter_week"):
            w = _iso_week(year + 1, spec["winter_week"])
            if w:
                out.append(Holiday("winter", w.first, w.last))
        if "easter_from" in spec:
            sunday = easter_sunday(year + 1)
            first = sunday + timedelta(days=int(spec["easter_from"]))
            out.append(Holiday("easter", first, sunday + timedelta(days=int(spec.get("easter_to", 1)))))
        if spec.get("summer_from"):
            out.append(Holiday("summer", _md(year + 1, spec["summer_from"]), _md(year + 1, spec["summer_to"])))
        for first, last in spec.get("extra", []):
            out.append(Holiday("other", date.fromisoformat(first), date.fromisoformat(last)))
    except (ValueError, TypeError, KeyError):
        raise MakkerError("calendar.bad_preset", county=spec.get("name", "?")) from None
    return out


def _as_holidays(holidays) -> list[Holiday]:
    """Accept a preset dict, Holiday objects, (first, last) ranges or single dates."""
    out: list[Holiday] = []
    for item in holidays or ():
        if isinstance(item, Holiday):
            out.append(item)
        elif isinstance(item, date):
            out.append(Holiday("other", item, item))
        else:
            first, last = item
            out.append(Holiday("other", _to_date(first), _to_date(last)))
    return out


def _to_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def school_holidays(start: date, county: str | dict | None = None, holidays=None) -> list[Holiday]:
    """Every holiday that may matter for a year starting at ``start``."""
    out: list[Holiday] = []
    if county is not None:
        spec = county if isinstance(county, dict) else county_spec(county)
        for year in (start.year - 1, start.year, start.year + 1):
            out.extend(holidays_for_year(spec, year))
    if isinstance(holidays, dict):
        for year in (start.year - 1, start.year, start.year + 1):
            out.extend(holidays_for_year(holidays, year))
    else:
        out.extend(_as_holidays(holidays))
    # The coordinator's first school day wins over a preset that says otherwise.
    out = [h if h.last < start or h.first > start else Holiday(h.kind, h.first, start - timedelta(days=1))
           for h in out]
    return sorted((h for h in out if h.last >= start - timedelta(days=7) and h.first <= h.last),
                  key=lambda h: (h.first, h.last))


# --------------------------------------------------------------------------- dates


class _Weeks:
    """Answers 'is this a school day / holiday week' for one set of holidays."""

    def __init__(self, holidays: list[Holiday]):
        self.holidays = holidays
        self.days = {d for h in holidays for d in h.days()}

    def is_school_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.days

    def is_holiday_week(self, monday: date) -> bool:
        off = sum(1 for i in range(5) if monday + timedelta(days=i) in self.days)
        return off >= HOLIDAY_WEEK_DAYS

    def school_days_in_week(self, monday: date, since: date | None = None) -> int:
        days = (monday + timedelta(days=i) for i in range(5))
        return sum(1 for d in days if (since is None or d >= since) and self.is_school_day(d))

    def next_open_monday(self, monday: date) -> date:
        guard = 0
        while self.is_holiday_week(monday):
            monday += timedelta(days=7)
            guard += 1
            if guard > 60:
                raise MakkerError("calendar.no_school_weeks")
        return monday

    def last_school_day(self, monday: date) -> date:
        """The last school day of a week (Friday unless it is a holiday)."""
        for i in range(4, -1, -1):
            d = monday + timedelta(days=i)
            if self.is_school_day(d):
                return d
        return monday + timedelta(days=4)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _first_day(start: date) -> date:
    """The first school day as given, moved to Monday when it is a weekend."""
    return start + timedelta(days=(7 - start.weekday()) % 7 if start.weekday() >= 5 else 0)


def rotation_dates(
    start: date,
    count: int,
    weeks: int = 3,
    county: str | dict | None = None,
    holidays=None,
    count_school_weeks: bool = True,
) -> list[DateRange]:
    """(start, end) of ``count`` rotations of ``weeks`` weeks each.

    A first week with fewer than 3 school days (a Thursday start) is a bonus
    for rotation 1 and does not count as one of its weeks. With
    ``count_school_weeks`` false, holiday weeks count as weeks too, but a
    change still never starts inside one.
    """
    if count < 1 or count > 60:
        raise MakkerError("calendar.bad_count", count=count)
    if weeks < 1 or weeks > 20:
        raise MakkerError("calendar.bad_weeks", weeks=weeks)
    cal = _Weeks(school_holidays(start, county, holidays))
    first = _first_day(start)
    monday = _monday(first)
    if cal.school_days_in_week(monday, since=first) < 3:
        monday += timedelta(days=7)  # short first week: a bonus for rotation 1
    out: list[DateRange] = []
    begin = first
    for _ in range(count):
        counted, last_week = 0, monday
        while counted < weeks:
            holiday = cal.is_holiday_week(monday)
            if not holiday:
                last_week = monday
            if not (holiday and count_school_weeks):
                counted += 1
            monday += timedelta(days=7)
        nxt = cal.next_open_monday(monday)
        out.append((begin, cal.last_school_day(last_week)))
        begin = monday = nxt
    return out


def school_weeks_between(first: date, last: date, county=None, holidays=None) -> int:
    """How many non-holiday weeks a rotation touches (for tables and warnings)."""
    cal = _Weeks(school_holidays(first, county, holidays))
    monday, n = _monday(first), 0
    while monday <= last:
        days = sum(1 for i in range(5) if first <= monday + timedelta(days=i) <= last
                   and cal.is_school_day(monday + timedelta(days=i)))
        n += 1 if days >= HOLIDAY_WEEK_DAYS else 0
        monday += timedelta(days=7)
    return n


def warnings(
    dates: list[DateRange], county: str | dict | None = None, holidays=None, min_weeks: int = MIN_WEEKS_BEFORE_BREAK
) -> list[Message]:
    """Changes that fall just before a break, and rotations that run into the summer.

    A new group that meets for only a week before the autumn break has hardly
    started; the coordinator may prefer to move the change to after the break.
    """
    if not dates:
        return []
    cal = _Weeks(school_holidays(dates[0][0], county, holidays))
    out: list[Message] = []
    summers = [h.first for h in cal.holidays if h.kind == "summer" and h.first > dates[0][0]]
    year_end = min(summers) if summers else None
    for number, (first, last) in enumerate(dates, start=1):
        monday, before = _monday(first), 0
        while monday <= last and not cal.is_holiday_week(monday):
            before += 1
            monday += timedelta(days=7)
        if monday <= last and before < min_weeks:
            out.append(Message.of("calendar.warn_before_break", number=number, start=first, weeks=before))
        if year_end and last >= year_end:
            out.append(Message.of("calendar.warn_summer", number=number, start=first))
    return out


# --------------------------------------------------------------------------- exports


def date_table(dates: list[DateRange], lang: str | None = None, county=None, holidays=None) -> list[dict]:
    """One row per rotation with translated column names (for CSV, Excel, the dashboard)."""
    rows = []
    for number, (first, last) in enumerate(dates, start=1):
        rows.append({
            t("calendar.col_rotation", lang): number,
            t("calendar.col_start", lang): date_text(first, lang),
            t("calendar.col_end", lang): date_text(last, lang),
            t("calendar.col_weeks", lang): school_weeks_between(first, last, county, holidays),
            t("calendar.col_weeknumbers", lang): f"{first.isocalendar()[1]}–{last.isocalendar()[1]}",
        })
    return rows


def dates_to_csv(dates: list[DateRange], lang: str | None = None, county=None, holidays=None) -> bytes:
    """Semicolon CSV with a UTF-8 BOM, which Norwegian Excel opens directly."""
    rows = date_table(dates, lang, county, holidays)
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 line folding: at most 75 octets per line, continuation starts with a space."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def dates_to_ics(
    dates: list[DateRange], klass: str = "", lang: str | None = None, stamp: datetime | None = None
) -> str:
    """An iCalendar file with one all-day event per rotation (no student data).

    UIDs are stable for the same class and start date so that importing an
    updated file replaces the old events instead of duplicating them.
    """
    dtstamp = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//makker//makkerskap//NO", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_escape(t('calendar.ics_name', lang, klass=klass).strip())}"]
    for number, (first, last) in enumerate(dates, start=1):
        uid = hashlib.sha1(f"{klass}|{number}|{first.isoformat()}".encode()).hexdigest()[:20]
        summary = t("calendar.ics_summary", lang, number=number, klass=klass).strip()
        desc = t("calendar.ics_description", lang, number=number, start=first, end=last)
        lines += [
            "BEGIN:VEVENT", f"UID:{uid}@makker", f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{first.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_escape(summary)}", f"DESCRIPTION:{_ics_escape(desc)}",
            "TRANSP:TRANSPARENT", "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
