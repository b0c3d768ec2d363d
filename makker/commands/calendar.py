"""``makker calendar``: the dates of the buddy changes for a school year."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .. import calendar as cal
from ..i18n import MakkerError, parse_date


def _date(value: str) -> date:
    try:
        return parse_date(value)
    except ValueError:
        raise MakkerError("calendar.bad_date", value=value) from None


def add_parser(subparsers, tr):
    p = subparsers.add_parser("calendar", help=tr("calendar.help"), description=tr("calendar.help"))
    p.add_argument("--start", metavar=tr("cli.metavar.date"), help=tr("calendar.help_start"))
    p.add_argument("--rotations", type=int, default=12, metavar="N", help=tr("calendar.help_rotations"))
    p.add_argument("--weeks", type=int, default=3, metavar="W", help=tr("calendar.help_weeks"))
    p.add_argument("--county", metavar=tr("cli.metavar.name"), help=tr("calendar.help_county"))
    p.add_argument("--holidays", metavar=tr("cli.metavar.file"), help=tr("calendar.help_holidays"))
    p.add_argument("--calendar-weeks", action="store_true", help=tr("calendar.help_calendar_weeks"))
    p.add_argument("--class", dest="klass", default="", metavar="C", help=tr("calendar.help_class"))
    p.add_argument("--json", action="store_true", help=tr("calendar.help_json"))
    p.add_argument("--ics", metavar=tr("cli.metavar.file"), help=tr("calendar.help_ics"))
    p.add_argument("--csv", metavar=tr("cli.metavar.file"), help=tr("calendar.help_csv"))
    p.add_argument("--list-counties", action="store_true", help=tr("calendar.help_list"))
    return p


def _holiday_source(args):
    """(county, holidays) for rotation_dates: a preset name, or a county from the user's own file."""
    if not args.holidays:
        return args.county, None
    presets = cal.load_presets(args.holidays)
    name = args.county or presets.get("default") or next(iter(presets["counties"]))
    return cal.county_spec(name, presets), None


def run(args, tr) -> int:
    if args.list_counties:
        presets = cal.load_presets(args.holidays)
        for key, name in cal.county_names(presets).items():
            print(f"{key}\t{name}")
        return 0
    if not args.start:
        raise MakkerError("calendar.need_start")
    start = _date(args.start)
    county, holidays = _holiday_source(args)
    dates = cal.rotation_dates(start, args.rotations, args.weeks, county=county, holidays=holidays,
                               count_school_weeks=not args.calendar_weeks)
    notes = cal.warnings(dates, county, holidays)
    if args.ics:
        Path(args.ics).write_bytes(cal.dates_to_ics(dates, args.klass, tr.lang).encode("utf-8"))
    if args.csv:
        Path(args.csv).write_bytes(cal.dates_to_csv(dates, tr.lang, county, holidays))
    if args.json:
        rows = [{"number": i, "start": a.isoformat(), "end": b.isoformat(),
                 "school_weeks": cal.school_weeks_between(a, b, county, holidays)}
                for i, (a, b) in enumerate(dates, start=1)]
        out = {"county": args.county, "weeks": args.weeks, "count_school_weeks": not args.calendar_weeks,
               "rotations": rows, "warnings": [m.render(tr.lang) for m in notes]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for i, (a, b) in enumerate(dates, start=1):
        weeks = cal.school_weeks_between(a, b, county, holidays)
        print(tr("calendar.line", number=i, start=a, end=b, weeks=weeks))
    if county is None and holidays is None:
        print(tr("calendar.no_county"))
    for m in notes:
        print(tr("calendar.warning", text=m.render(tr.lang)))
    for path in (args.ics, args.csv):
        if path:
            print(tr("calendar.saved", path=path))
    return 0
