"""The saved school year the saved-year tests start from, made through the app models as a coordinator makes it."""

from __future__ import annotations

from datetime import date

from uploads import csv_of, upload_value

from makker.fictional import fictional_roster

NEVER_PAIRS = ((0, 1), (2, 3), (4, 5))  # positions in 1STA's list
NEVER = len(NEVER_PAIRS)  # never-together rules of the saved 1STA


def save_a_year(app, year):
    """In the page ``app`` with its school-year tab ``year``: upload 1STA (30 fictional students) and
    1STB (24), give 1STA three never-together rules, plan six rotations from 17.08.2026 and publish
    rotations 1-2. Returns 1STA's roster."""
    roster = fictional_roster(30, seed=3, klass="1STA")
    other = fictional_roster(24, seed=4, klass="1STB")
    assert app.load.load_upload(upload_value(csv_of(roster, other), "skolen.csv"))
    ids = app.load.roster.ids()
    for a, b in NEVER_PAIRS:
        assert app.load.add_rule("never", ids[a], ids[b])
    app.tune.rotations, app.tune.time_limit, app.tune.start = 6, 4, date(2026, 8, 17)
    app.tune.gender = 7.0
    assert app.tune.start_plan()
    app.tune.wait(120)
    assert year.saved and year.publish(1) and year.publish(2)
    return roster
