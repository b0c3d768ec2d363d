"""Rotation dates: first school day, Monday changes, county holidays, exports."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from makker import calendar as cal
from makker.cli import main
from makker.i18n import LANGUAGES, MakkerError


def test_easter_sunday_known_years():
    assert cal.easter_sunday(2024) == date(2024, 3, 31)
    assert cal.easter_sunday(2025) == date(2025, 4, 20)
    assert cal.easter_sunday(2026) == date(2026, 4, 5)
    assert cal.easter_sunday(2027) == date(2027, 3, 28)
    assert cal.easter_sunday(2038) == date(2038, 4, 25)


def test_no_holidays_every_three_weeks_on_mondays():
    dates = cal.rotation_dates(date(2026, 8, 17), 4)
    assert dates[0] == (date(2026, 8, 17), date(2026, 9, 4))
    for (a, b), (c, _) in zip(dates, dates[1:]):
        assert c.weekday() == 0 and c - a == timedelta(weeks=3)
        assert b == c - timedelta(days=3)  # the Friday before the next change


def test_thursday_start_keeps_the_day_and_moves_later_changes_to_mondays():
    dates = cal.rotation_dates(date(2026, 8, 20), 3, county="Oslo")
    assert dates[0][0] == date(2026, 8, 20)  # a Thursday
    assert all(start.weekday() == 0 for start, _ in dates[1:])
    assert dates[0][1] == date(2026, 9, 11)  # 2 bonus days + 3 full weeks
    assert all(end.weekday() == 4 for _, end in dates)


def test_weekend_start_moves_to_monday():
    assert cal.rotation_dates(date(2026, 8, 15), 1)[0][0] == date(2026, 8, 17)


@pytest.mark.parametrize("county,week", [("Oslo", 40), ("akershus", 40), ("Vestland", 41), ("ROGALAND", 41)])
@pytest.mark.parametrize("start", [date(2026, 8, 17), date(2026, 8, 20), date(2026, 8, 19)])
def test_autumn_break_week_is_skipped(county, week, start):
    dates = cal.rotation_dates(start, 6, county=county)
    assert not any(a.isocalendar()[1] == week for a, _ in dates)
    for a, b in dates[1:]:
        assert cal.school_weeks_between(a, b, county) == 3
    holiday_monday = date.fromisocalendar(2026, week, 1)
    for a, b in dates:
        if a < holiday_monday < b:  # a rotation spanning the break lasts one extra week
            assert (b - a).days == 4 * 7 - 3


def test_oslo_and_vestland_differ_only_around_their_autumn_weeks():
    oslo = cal.rotation_dates(date(2026, 8, 17), 3, county="oslo")
    vest = cal.rotation_dates(date(2026, 8, 17), 3, county="vestland")
    assert oslo[:2] == vest[:2]
    assert oslo[2] != vest[2]


def test_change_never_starts_in_a_holiday_week_moves_to_monday_after():
    # 2026-08-17 + 2 rotations of 3 weeks lands on week 40 in Oslo
    dates = cal.rotation_dates(date(2026, 8, 17), 3, county="oslo")
    assert dates[2][0] == date(2026, 10, 5)
    assert dates[1][1] == date(2026, 9, 25)  # last Friday before the break


def test_calendar_weeks_count_holidays():
    school = cal.rotation_dates(date(2026, 8, 20), 3, county="oslo")
    calendar = cal.rotation_dates(date(2026, 8, 20), 3, county="oslo", count_school_weeks=False)
    assert school[1] == (date(2026, 9, 14), date(2026, 10, 9))
    assert calendar[1] == (date(2026, 9, 14), date(2026, 9, 25))  # week 40 counted, change moved after it
    assert calendar[2][0] == date(2026, 10, 5)


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_easter_week_and_christmas_are_skipped(year):
    dates = cal.rotation_dates(date(year, 8, 18), 14, county="oslo")
    easter = cal.easter_sunday(year + 1)
    holy_monday = easter - timedelta(days=6)
    starts = {a for a, _ in dates}
    assert holy_monday not in starts
    assert not any(date(year, 12, 22) <= a <= date(year + 1, 1, 1) for a in starts)
    for a, b in dates:
        assert a.weekday() < 5 and b.weekday() < 5
        assert b not in (easter - timedelta(days=2), easter + timedelta(days=1))  # Good Friday, Easter Monday


def test_winter_break_week_8_or_9():
    for county, week in (("oslo", 8), ("vestland", 9)):
        dates = cal.rotation_dates(date(2026, 8, 17), 14, county=county)
        assert not any(a.isocalendar()[1] == week and a.year == 2027 for a, _ in dates)


def test_custom_holidays_as_ranges():
    dates = cal.rotation_dates(date(2026, 8, 17), 2, holidays=[(date(2026, 9, 7), date(2026, 9, 11))])
    assert dates[1][0] == date(2026, 9, 14)


def test_own_preset_dict():
    spec = {"name": "Test", "autumn_week": 39}
    dates = cal.rotation_dates(date(2026, 8, 17), 3, county=spec)
    assert not any(a.isocalendar()[1] == 39 for a, _ in dates)


def test_unknown_county_names_the_known_ones():
    with pytest.raises(MakkerError) as err:
        cal.rotation_dates(date(2026, 8, 17), 2, county="Narnia")
    assert "Oslo" in err.value.message("en")


def test_county_names_accept_norwegian_letters():
    assert cal.county_spec("Møre og Romsdal")["name"] == "Møre og Romsdal"
    assert cal.county_spec("trøndelag")["name"] == "Trøndelag"


def test_warning_just_before_christmas():
    dates = cal.rotation_dates(date(2026, 8, 20), 12, county="oslo")
    notes = cal.warnings(dates, county="oslo")
    numbers = [dict(m.params)["number"] for m in notes if m.key == "calendar.warn_before_break"]
    assert numbers == [6]
    for lang in LANGUAGES:  # the language's one date style, never ISO in a sentence
        assert ("14 Dec 2026" if lang == "en" else "14.12.2026") in notes[0].render(lang)
        assert "2026-12-14" not in notes[0].render(lang)


def test_warning_for_summer():
    dates = cal.rotation_dates(date(2026, 8, 17), 16, county="oslo")
    assert any(m.key == "calendar.warn_summer" for m in cal.warnings(dates, county="oslo"))


def test_ics_is_valid_and_has_no_personal_data():
    dates = cal.rotation_dates(date(2026, 8, 17), 3, county="oslo")
    text = cal.dates_to_ics(dates, "1STA", "nn", stamp=datetime(2026, 8, 1, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.count("BEGIN:VEVENT") == 3 == text.count("END:VEVENT")
    uids = re.findall(r"UID:(\S+)", text)
    assert len(set(uids)) == 3
    assert text.count("DTSTAMP:20260801T000000Z") == 3
    assert "DTSTART;VALUE=DATE:20260817" in text and "DTEND;VALUE=DATE:20260905" in text
    # same input gives the same UIDs, so re-imports update events
    assert uids == re.findall(r"UID:(\S+)", cal.dates_to_ics(dates, "1STA", "nn"))


def test_ics_folding_keeps_multibyte_letters_whole():
    lines = cal._fold("DESCRIPTION:" + "æøå" * 40)
    assert all(len(x.encode()) <= 75 for x in lines)
    assert "".join(x[1:] if i else x for i, x in enumerate(lines)) == "DESCRIPTION:" + "æøå" * 40


def test_csv_opens_in_norwegian_excel():
    dates = cal.rotation_dates(date(2026, 8, 17), 2)
    data = cal.dates_to_csv(dates, "nb")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Makkerperiode;Start;Slutt")
    assert "17.08.2026;04.09.2026" in text


def test_cli_json_and_files(tmp_path, capsys):
    ics = tmp_path / "d.ics"
    code = main(["calendar", "--start", "2026-08-20", "--rotations", "4", "--county", "vestland",
                 "--json", "--ics", str(ics), "--lang", "en"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["number"] for r in out["rotations"]] == [1, 2, 3, 4]
    assert out["rotations"][0]["start"] == "2026-08-20"
    assert ics.read_bytes().count(b"BEGIN:VEVENT") == 4


def test_cli_bad_date_is_a_user_error(capsys):
    assert main(["calendar", "--start", "32.08.2026", "--rotations", "2"]) == 2
    assert "DD.MM.ÅÅÅÅ" in capsys.readouterr().err


def test_cli_own_holiday_file(tmp_path, capsys):
    f = tmp_path / "ferie.json"
    f.write_text(json.dumps({"counties": {"x": {"name": "X", "autumn_week": 36}}}), encoding="utf-8")
    assert main(["calendar", "--start", "2026-08-17", "--rotations", "2", "--holidays", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rotations"][1]["start"] == "2026-09-14"  # week 36 (Aug 31) not counted
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["calendar", "--start", "2026-08-17", "--rotations", "2", "--holidays", str(bad)]) == 2


# --- properties over many starts, counties and rotation lengths ----------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COUNTIES = sorted(cal.county_names())


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2024, 8, 1), date(2030, 9, 15)), county=st.sampled_from(COUNTIES + [None]),
       weeks=st.integers(1, 5), count=st.integers(1, 12), school=st.booleans())
def test_rotation_dates_invariants(start, county, weeks, count, school):
    dates = cal.rotation_dates(start, count, weeks, county=county, count_school_weeks=school)
    assert len(dates) == count
    holidays = cal._Weeks(cal.school_holidays(start, county))
    assert dates[0][0] >= start and (dates[0][0] - start).days < 3  # the first day, or the Monday after a weekend
    for i, (a, b) in enumerate(dates):
        assert a <= b and a.weekday() < 5 and b.weekday() < 5
        if i:
            assert a.weekday() == 0 and not holidays.is_holiday_week(a)  # changes on Mondays, never in a break
            assert a > dates[i - 1][1]
            if school:
                assert cal.school_weeks_between(a, b, county) == weeks
