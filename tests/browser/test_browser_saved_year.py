"""The saved school year is the truth, seen through a real browser.

Each test gets a server of its own whose workspace file (and backups folder)
holds the same saved year: a 1STA of 30 fictional students with three
never-together rules, six rotations planned and rotations 1-2 published, and a
1STB. The year is built once in-process with the app models and copied before
each test while no page is open. Every test checks what the page shows *and*
the workspace on disk, opened afresh.
"""
from __future__ import annotations

import re
import shutil
import time
from itertools import combinations

import dash
import pytest
from saved_year import NEVER, save_a_year
from uploads import csv_of

from makker.i18n import t
from makker.store import Workspace

pytestmark = pytest.mark.browser

LANG = "nb"
FILE = "2026-2027.sqlite"
ANY_NUMBER = r"[\d.,]+"


def tr(key: str, **kw) -> str:
    return t(key, LANG, **kw)


def rx(key: str, **kw) -> str:
    """A catalog text as a regex; a keyword given as ``"§"`` matches any number."""
    return re.escape(tr(key, **kw)).replace("§", ANY_NUMBER)


def on_disk(path, klass: str = "1STA"):
    ws = Workspace(path)  # opened afresh
    return ws.roster(klass), ws.rules(klass), ws.published(klass), ws.plan(klass)


def same(a, b) -> bool:
    """Roster, rules, published rotations and plan are equal."""
    return (a[0].ids() == b[0].ids() and [s.name for s in a[0].students] == [s.name for s in b[0].students]
            and a[1] == b[1] and a[2] == b[2] and a[3].rotations == b[3].rotations)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The saved year, built once with the models as the page would build it."""
    from makker.app.app_model import AppModel
    from makker.app.schoolyear import build_schoolyear_tab

    folder = tmp_path_factory.mktemp("saved-year")
    mp = pytest.MonkeyPatch()
    mp.setenv("MAKKER_HOME", str(tmp_path_factory.mktemp("home")))
    mp.setenv("MAKKER_WORKSPACE", str(folder / FILE))
    try:
        app = AppModel()
        app.tune.preview_delay = 0
        year = build_schoolyear_tab(app).model
        roster = save_a_year(app, year)
        app.load.klass = "1STA"
        del app, year
    finally:
        mp.undo()
    saved = on_disk(folder / FILE)
    assert len(saved[0].students) == 30 and len(saved[1].never) == NEVER and sorted(saved[2]) == [1, 2]
    assert len({s.name for s in roster.students}) == 30  # names pick students in the page's dropdowns
    return folder, saved


@pytest.fixture
def year(serve_workspace, template, tmp_path):
    """A fresh server on a fresh copy of the saved year: (server, workspace path, saved state)."""
    folder, saved = template
    work = tmp_path / "skoleaar"
    shutil.copytree(folder, work)
    path = work / FILE
    assert same(on_disk(path), saved)
    with serve_workspace(path) as server:
        yield server, path, saved


@pytest.fixture
def pages(browser_context):
    """Open pages on demand; every one is closed (its kernel ended) at the end."""
    opened = []

    def new():
        pg = browser_context.new_page()
        pg.set_default_timeout(60_000)
        opened.append(pg)
        return pg

    yield new
    for pg in opened:
        try:
            pg.close(run_before_unload=True)
        except Exception:  # noqa: BLE001 - the page may already be gone
            pass


def open_year(new_page, server):
    """A page on the saved year, once the saved class is on it."""
    page = new_page()
    dash.open_dashboard(page, server)
    dash.select_tab(page, "schoolyear")
    dash.wait_text(page, ".makker-schoolyear-status", rx("schoolyear.ui.restored", klass="1STA"))
    dash.select_tab(page, "load")
    return page


def roster_caption(klass: str, n: int) -> str:
    return rx("app.load.roster_caption", klass=klass, n=n)


def selected_text(page, css: str) -> str:
    return page.locator(f"{css} select").first.evaluate("s => s.options[s.selectedIndex].text").strip()


def option_texts(page, css: str) -> list[str]:
    return [o.strip() for o in page.locator(f"{css} select option").all_inner_texts()]


def plan_rows(page) -> list[list[str]]:
    return page.locator(".makker-plan-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def expected_rows(rotation, roster) -> list[list[str]]:
    names = {s.id: s.name for s in roster.students}
    return [[str(gi), str(pi), " + ".join(names[s] for s in p)]
            for gi, group in enumerate(rotation.groups, 1) for pi, p in enumerate(group, 1)]


def rules_shown(page, saved) -> bool:
    """Every saved never-together pair is listed on the class-list tab."""
    text = dash.text_of(page, ".makker-rule-list")
    return all(" – ".join(sorted(s.name for s in saved[0].students if s.id in p)) in text for p in saved[1].never)


def wait_rules_shown(page, saved, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not rules_shown(page, saved):
        assert time.monotonic() < end, dash.text_of(page, ".makker-rule-list")
        page.wait_for_timeout(200)


def wait_plan_made(page, n: int) -> None:
    done = rx("app.status.done", n=n, seconds="§")
    timed_out = rx("app.status.timed_out", n=n, seconds="§")
    dash.wait_text(page, ".makker-status", f"{done}|{timed_out}", timeout=180_000)


def test_a_sample_after_real_work_leaves_the_saved_year_alone(year, pages):
    server, path, saved = year
    page = open_year(pages, server)
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STA", 30))
    banner = page.locator(".makker-sample-banner").first
    assert not banner.is_visible()
    dash.choose(page, ".makker-sample-select", "hele_skolen_vg1.xlsx")
    banner.wait_for(state="visible")
    dash.wait_text(page, ".makker-sample-banner", re.escape(tr("dashboard.sample_banner")))
    dash.wait_text(page, ".makker-source", re.escape("hele_skolen_vg1.xlsx"))
    dash.select_tab(page, "tune")
    dash.set_slider(page, ".makker-rotations", 3)
    dash.set_slider(page, ".makker-time-limit", 2)
    page.click(".makker-solve")
    wait_plan_made(page, 3)
    assert same(on_disk(path), saved)  # roster, rules, published rotations and plan unchanged

    page.click(".makker-leave-sample")
    banner.wait_for(state="hidden")
    dash.select_tab(page, "load")
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STA", 30))
    table = dash.text_of(page, ".makker-roster-table")
    assert all(s.name in table for s in saved[0].students)
    assert selected_text(page, ".makker-class-select") == "1STA"
    wait_rules_shown(page, saved)  # the list follows the class list a moment later
    dash.select_tab(page, "see")
    dash.wait_text(page, ".makker-plan-table", rx("app.see.table_caption", number=1))
    assert plan_rows(page) == expected_rows(saved[2][1], saved[0])
    assert same(on_disk(path), saved)


def test_after_a_reload_the_settings_are_back_and_lag_plan_keeps_the_published(year, pages):
    server, path, saved = year
    page = open_year(pages, server)
    dash.select_tab(page, "tune")
    dash.wait_text(page, ".makker-rotations .widget-readout", r"^\s*6\s*$")
    assert dash.slider_value(page, ".makker-time-limit") == "4"
    assert dash.slider_value(page, ".makker-weight-gender") == "7"
    assert page.locator(".makker-start-date input").first.input_value() == "2026-08-17"
    page.click(".makker-solve")
    wait_plan_made(page, 6)

    _, rules, published, plan = on_disk(path)
    assert published == saved[2] and rules == saved[1]
    assert [r.groups for r in plan.rotations[:2]] == [saved[2][1].groups, saved[2][2].groups]
    assert len(plan.rotations) == 6
    dash.select_tab(page, "see")
    for number in (1, 2):
        dash.set_slider(page, ".makker-see-rotation", number)
        dash.wait_text(page, ".makker-plan-table", rx("app.see.table_caption", number=number))
        assert plan_rows(page) == expected_rows(saved[2][number], saved[0])


def test_an_upload_of_a_saved_class_asks_first_and_keep_and_save_as_do_what_they_say(year, pages, tmp_path):
    server, path, saved = year
    roster = saved[0]
    newer = roster.subset(roster.ids()[3:])  # 27 of the 30
    first, second = tmp_path / "1STA_ny.csv", tmp_path / "1STA_igjen.csv"
    first.write_bytes(csv_of(newer))
    second.write_bytes(csv_of(newer))
    page = open_year(pages, server)
    decision = page.locator(".makker-class-decision").first
    assert not decision.is_visible()

    dash.upload(page, first)
    dash.wait_text(page, ".makker-source", re.escape("1STA_ny.csv"))
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STA", 27))
    assert page.locator(".makker-roster-table tbody tr").count() == 27
    decision.wait_for(state="visible")
    text = dash.text_of(page, ".makker-class-decision")
    assert tr("dashboard.class_differs", klass="1STA") in text
    assert all(s.name in text for s in roster.students[:3])
    for css in (".makker-decision-replace", ".makker-decision-keep", ".makker-decision-save-as"):
        assert page.locator(css).first.is_visible()
    assert same(on_disk(path), saved)  # nothing saved before a choice

    page.click(".makker-decision-keep")
    decision.wait_for(state="hidden")
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STA", 30))
    assert same(on_disk(path), saved)

    dash.upload(page, second)
    dash.wait_text(page, ".makker-source", re.escape("1STA_igjen.csv"))
    decision.wait_for(state="visible")
    assert same(on_disk(path), saved)
    page.locator(".makker-decision-name input").first.fill("1STA-ny")
    page.click(".makker-decision-save-as")
    decision.wait_for(state="hidden")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.makker-class-select select option'))"
        ".some(o => o.textContent.trim() === '1STA-ny')")
    assert same(on_disk(path), saved)
    assert Workspace(path).roster("1STA-ny").ids() == newer.ids()


def swap_candidates(path):
    """In rotation 3: one swap that breaks a never-together rule, one with only soft warnings."""
    from makker.schoolyear import swap_students

    roster, rules, published, plan = on_disk(path)
    rotation = next(r for r in plan.rotations if r.number == 3)
    group_of = {s: gi for gi, g in enumerate(rotation.groups) for p in g for s in p}
    never = soft = None
    for a, b in combinations(rotation.members(), 2):
        if group_of[a] == group_of[b]:
            continue
        result = swap_students(plan, 3, a, b, rules, published)
        keys = {m.key for m in result.warnings}
        if "schoolyear.swap_never" in keys:
            never = never or (a, b)
        elif keys:
            soft = soft or (a, b, result)
        if never and soft:
            break
    assert never and soft, "no swap of each kind in rotation 3"
    return roster, plan, never, soft


def do_swap(page, names, a, b) -> None:
    dash.choose(page, ".makker-swap-rotation", "3")
    dash.choose(page, ".makker-swap-a", names[a])
    dash.choose(page, ".makker-swap-b", names[b])
    page.click(".makker-swap-button")


def test_a_never_together_swap_is_refused_and_a_soft_one_waits_for_swap_anyway(year, pages):
    server, path, saved = year
    roster, plan, never, (sa, sb, soft) = swap_candidates(path)
    names = {s.id: s.name for s in roster.students}
    page = open_year(pages, server)
    dash.select_tab(page, "schoolyear")
    anyway = page.locator(".makker-swap-anyway").first

    do_swap(page, names, *never)
    dash.wait_text(page, ".makker-swap-warnings", rx("dashboard.swap_never", number=3))
    assert not anyway.is_visible()
    assert on_disk(path)[3].rotations == plan.rotations

    do_swap(page, names, sa, sb)
    dash.wait_text(page, ".makker-schoolyear-status", rx("dashboard.swap_confirm", number=3))
    anyway.wait_for(state="visible")
    shown = dash.text_of(page, ".makker-swap-warnings")
    assert all(m.render(LANG) in shown for m in soft.warnings)
    assert tr("dashboard.swap_never", number=3) not in shown
    assert on_disk(path)[3].rotations == plan.rotations  # not saved before the second click

    page.click(".makker-swap-anyway")
    dash.wait_text(page, ".makker-schoolyear-status", rx("schoolyear.ui.swapped", number=3))
    anyway.wait_for(state="hidden")
    after = on_disk(path)
    assert after[3].rotations == soft.plan.rotations and after[3].rotations != plan.rotations
    assert after[2] == saved[2] and after[1] == saved[1]


def test_a_reload_brings_back_every_class_and_the_one_chosen_last(year, pages):
    server, path, saved = year
    other = Workspace(path).roster("1STB")
    page = open_year(pages, server)
    assert option_texts(page, ".makker-class-select") == ["1STA", "1STB"]
    dash.choose(page, ".makker-class-select", "1STB")
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STB", 24))
    dash.select_tab(page, "schoolyear")
    dash.wait_text(page, ".makker-schoolyear-status", rx("schoolyear.ui.restored", klass="1STB"))
    page.close(run_before_unload=True)
    assert Workspace(path).meta("klass") == "1STB"

    page = pages()  # a new page is a new kernel: only the workspace file carries the choice over
    dash.open_dashboard(page, server)
    dash.wait_text(page, ".makker-roster-table", roster_caption("1STB", 24))
    assert option_texts(page, ".makker-class-select") == ["1STA", "1STB"]
    assert selected_text(page, ".makker-class-select") == "1STB"
    table = dash.text_of(page, ".makker-roster-table")
    assert all(s.name in table for s in other.students)
    assert same(on_disk(path), saved)


def test_a_backup_is_chosen_confirmed_restored_and_the_present_kept(year, pages):
    server, path, saved = year
    ws = Workspace(path)
    first = ws.backup()  # a backup holding the saved year
    rules = saved[1]
    gone = sorted(rules.never, key=sorted)[0]
    ws.save_rules("1STA", type(rules)(rules.never - {gone}, set(rules.apart), dict(rules.keep)))
    del ws
    assert len(on_disk(path)[1].never) == NEVER - 1
    before = set(Workspace(path).backups())

    page = open_year(pages, server)
    dash.select_tab(page, "schoolyear")
    from makker.app.schoolyear import backup_time

    info = next(b for b in Workspace(path).backup_info() if b["path"] == first)
    assert "1STA" in info["changed"]
    label = tr("dashboard.backup_row", made=backup_time(info["made"], LANG),
               changed=tr("dashboard.backup_changed", classes="1STA"))
    try:
        page.wait_for_function(
            "(label) => Array.from(document.querySelectorAll('.makker-backup-select select option'))"
            ".some(o => o.textContent.replace(/\\u00a0/g, ' ').trim() === label)", arg=label, timeout=20_000)
    except Exception as err:
        raise AssertionError(f"{label!r} not in {option_texts(page, '.makker-backup-select')}") from err
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", label)
    labels = [o.replace("\xa0", " ").strip() for o in option_texts(page, ".makker-backup-select")]
    # newest first: of backups made in the same second, the test's own is the oldest (the page may add one on opening)
    index = max(i for i, text in enumerate(labels) if text == label)
    page.locator(".makker-backup-select select").first.select_option(index=index)

    page.click(".makker-restore-backup")
    dash.wait_text(page, ".makker-schoolyear-status", rx("dashboard.backup_confirm", made="§").replace(ANY_NUMBER, ".+"))
    assert len(on_disk(path)[1].never) == NEVER - 1  # the first click only asks

    page.click(".makker-restore-backup")
    dash.wait_text(page, ".makker-schoolyear-status", rx("dashboard.backup_rolled_back", made="§").replace(ANY_NUMBER, ".+"))
    assert same(on_disk(path), saved)  # the rules came back
    kept = [b for b in Workspace(path).backups() if b not in before]
    assert any(len(Workspace(b).rules("1STA").never) == NEVER - 1 for b in kept)  # the present was kept
    dash.select_tab(page, "load")
    assert rules_shown(page, saved)


def test_a_replan_after_a_leaver_shows_progress_by_its_button_and_can_be_cancelled(year, pages):
    server, path, saved = year
    roster = saved[0]
    leaver = roster.students[-1]
    page = open_year(pages, server)
    dash.select_tab(page, "tune")
    dash.set_slider(page, ".makker-time-limit", 120)  # a long re-plan, so that there is time to cancel it
    dash.select_tab(page, "schoolyear")
    dash.choose(page, ".makker-student-leaver", leaver.name)
    page.click(".makker-student-leave")
    dash.wait_text(page, ".makker-schoolyear-status", rx("schoolyear.ui.confirm_leave", name=leaver.name))
    page.click(".makker-student-leave")  # the second click acts
    changes = page.locator(".makker-roster-changes").first
    progress = page.locator(".makker-replan-progress").first
    progress.wait_for(state="visible", timeout=60_000)
    assert changes.locator(".makker-replan-progress").count() == 1  # beside the buttons that started it
    # the status sits in the section of «Endringer i klassen», not at the top of the tab
    section = page.locator(".makker-schoolyear-status").first.locator("xpath=../..")
    assert section.locator(".makker-roster-changes").count() == 1
    dash.select_tab(page, "tune")  # the other tabs keep answering
    assert page.locator(".makker-solve").first.is_enabled()
    dash.select_tab(page, "schoolyear")
    page.click(".makker-replan-cancel")
    progress.wait_for(state="hidden", timeout=120_000)
    dash.wait_text(page, ".makker-schoolyear-status", rx("schoolyear.ui.replanned", keep=2))
    after = on_disk(path)
    assert leaver.id not in after[0].ids() and after[2] == saved[2] and after[1].never <= saved[1].never
    assert all(leaver.id not in r.members() for r in after[3].rotations[2:])
