"""Subject groups (faggrupper): students of several classes, the never-together rules among them, planned like a class."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_privacy import assert_clean, pdf_text, xlsx_text
from uploads import csv_of

from makker import subjects
from makker.cli import main as cli_main
from makker.export import plan_to_csv, plan_to_xlsx
from makker.fictional import fictional_roster
from makker.pack import class_pack
from makker.plan import Plan
from makker.planner import plan_year
from makker.roster import read_rosters
from makker.rules import Rules, pair
from makker.store import Workspace
from makker.subjects import member_key

GROUP = "Matematikk R1"
RULE_WORDS = ("hold sammen", "hald saman", "keep together", "aldri", "never")


def _school(sizes=(24, 27, 22), seed=1):
    """Three classes; student numbers are unique in the school, as the admin system gives them."""
    return [fictional_roster(n, seed=seed + i, klass=f"1ST{'ABC'[i]}", id_start=4001 + 100 * i)
            for i, n in enumerate(sizes)]


def _class_rules(rosters, rng, per_class=6):
    out = {}
    for r in rosters:
        ids = r.ids()
        never = set()
        while len(never) < per_class:
            never.add(pair(*rng.sample(ids, 2)))
        out[r.klass] = Rules(never=never, apart={pair(*rng.sample(ids, 2))} - never)
    return out


def _draw(rosters, rng, size):
    """``size`` students from every class, and each class's rules partly inside, partly outside the group."""
    everyone = [s for r in rosters for s in r.students]
    members = rng.sample(everyone, size)
    assert len({s.klass for s in members}) == len(rosters)
    return members


def _expected(members, class_rules):
    inside = {(s.klass, s.id) for s in members}
    return {frozenset(member_key(k, x) for x in p) for k, rules in class_rules.items() for p in rules.never
            if all((k, x) in inside for x in p)}


def test_group_of_16_from_three_classes_keeps_every_inherited_rule_shows_none_and_names_itself(tmp_path):
    rng = random.Random(4)
    rosters = _school()
    class_rules = _class_rules(rosters, rng)
    ws = Workspace(tmp_path / "year.sqlite")
    for r in rosters:
        ws.save_roster(r)
        ws.save_rules(r.klass, class_rules[r.klass])
    # 16 members: both students of two rules per class are inside, one student of another rule is outside
    members = []
    for r in rosters:
        rules = sorted(class_rules[r.klass].never, key=sorted)
        inside = {x for p in rules[:2] for x in p}
        members += [s for s in r.students if s.id in inside]
    rest = [s for r in rosters for s in r.students if s not in members]
    members += rng.sample(rest, 16 - len(members))
    group = subjects.from_workspace(ws, GROUP, [(s.klass, s.id) for s in members])
    assert len(group.roster.students) == 16 and set(group.classes) == {"1STA", "1STB", "1STC"}
    expected = _expected(members, class_rules)
    assert group.rules.never == expected and len(expected) >= 6
    subjects.save(ws, group)
    saved = Workspace(tmp_path / "year.sqlite")
    assert saved.rules(GROUP).never == expected and subjects.saved_groups(saved) == [GROUP]
    plan = plan_year(saved.roster(GROUP).students, saved.rules(GROUP), None, 4, klass=GROUP, time_limit=5,
                     improve=False).plan
    for rotation in plan.rotations:
        assert not expected & rotation.group_links(), rotation.number
    saved.save_plan(GROUP, plan, saved.revision(GROUP))
    saved.publish(GROUP, 1)
    plan = saved.plan(GROUP)
    texts = {"xlsx": xlsx_text(plan_to_xlsx(plan)), "csv": plan_to_csv(plan).decode("utf-8-sig"),
             "pack": pdf_text(class_pack(plan, 1, "nb")), "pack nn": pdf_text(class_pack(plan, 1, "nn")),
             "pack en": pdf_text(class_pack(plan, 1, "en"))}
    for where, text in texts.items():
        assert_clean(text, where, expect_names=False)
        assert any(s.last in text for s in members), f"positive control: no member in {where}"
        for word in RULE_WORDS:
            assert word not in text.casefold(), f"{word!r} in {where}"
    assert f"Faggruppe: {GROUP}" in texts["xlsx"] and f"Faggruppe: {GROUP}" in texts["pack"]
    assert f"Subject group: {GROUP}" in texts["pack en"]


@st.composite
def schools(draw):
    classes = draw(st.integers(2, 4))
    sizes = [draw(st.integers(12, 34)) for _ in range(classes)]
    seed = draw(st.integers(0, 10**6))
    return sizes, seed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schools(), st.floats(0.1, 0.9))
def test_inherited_rules_are_exactly_the_never_together_rules_among_members(school, share):
    sizes, seed = school
    rng = random.Random(seed)
    rosters = [fictional_roster(n, seed=seed + i, klass=f"2ST{i}", id_start=4001 + 100 * i) for i, n in enumerate(sizes)]
    class_rules = _class_rules(rosters, rng, per_class=rng.randint(1, 8))
    everyone = [s for r in rosters for s in r.students]
    members = rng.sample(everyone, max(2, int(len(everyone) * share)))
    got = subjects.inherited_rules(members, class_rules)
    assert got.never == _expected(members, class_rules)
    assert not got.keep and not (got.apart & got.never)
    keys = {member_key(s.klass, s.id) for s in members}
    assert all(p <= keys for p in got.never | got.apart)
    # the same rules from one school-wide rule set (a rule file for the whole school)
    school_wide = Rules(never={p for r in class_rules.values() for p in r.never})
    assert subjects.inherited_rules(members, school_wide).never == _expected(members, class_rules)


def _school_file(tmp_path, rosters, members, rng):
    path = tmp_path / "skolen.csv"
    column = {s.id: (f"{GROUP}, Kjemi 1" if s in members else rng.choice(["", "Kjemi 1"])) for r in rosters
              for s in r.students}
    path.write_bytes(csv_of(*rosters, columns={"Faggruppe": column}))
    return path


@pytest.mark.parametrize("seed", [2, 3])
def test_cli_plans_the_subject_group_from_the_school_files_column(tmp_path, capsys, seed):
    rng = random.Random(seed)
    rosters = _school((20, 25, 31), seed)
    members = _draw(rosters, rng, 16)
    path = _school_file(tmp_path, rosters, members, rng)
    class_rules = _class_rules(rosters, rng, 10)
    (tmp_path / "aldri.csv").write_text("\n".join(";".join(sorted(p)) for r in class_rules.values() for p in r.never))
    out = tmp_path / "r1.json"
    code = cli_main(["plan", str(path), "--subject-group", GROUP.lower(), "--never", str(tmp_path / "aldri.csv"),
                     "--time-limit", "5", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    plan = Plan.load(out)
    assert plan.klass == GROUP and len(plan.students) == 16
    imported = {r.klass: r for r in read_rosters(path).rosters}
    got_members = [imported[s.klass].by_id()[s.id] for s in members]
    expected = _expected(got_members, class_rules)
    for rotation in plan.rotations:
        assert not expected & rotation.group_links()
    for text in (captured.err, captured.out, out.read_text()):
        assert "aldri" not in text.casefold()
    assert f"Faggruppe: {GROUP}" in xlsx_text(plan_to_xlsx(plan))


def test_cli_members_file_and_its_errors(tmp_path, capsys):
    rng = random.Random(9)
    rosters = _school((14, 15, 16), 9)
    members = _draw(rosters, rng, 12)
    path = tmp_path / "skolen.csv"
    path.write_bytes(csv_of(*rosters))
    lst = tmp_path / "r1.csv"
    lst.write_text("Navn;Klasse\n" + "\n".join(f"{s.name};{s.klass}" for s in members) + "\n")
    out = tmp_path / "r1.json"
    assert cli_main(["plan", str(path), "--subject-group", GROUP, "--members", str(lst), "--time-limit", "3",
                     "--rotations", "2", "--out", str(out)]) == 0, capsys.readouterr().err
    assert {s.id for s in Plan.load(out).students} == {member_key(s.klass, s.id) for s in members}
    lst.write_text("Navn\nUkjent Elevsen\n" + members[0].name + "\n")
    assert cli_main(["--lang", "nn", "plan", str(path), "--subject-group", GROUP, "--members", str(lst),
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Ukjent Elevsen" in err and "finst ikkje" in err and "Traceback" not in err
    assert cli_main(["plan", str(path), "--subject-group", "Fysikk 2", "--out", str(out)]) == 2
    assert "Fysikk 2" in capsys.readouterr().err
    assert cli_main(["plan", str(path), "--members", str(lst), "--out", str(out)]) == 2
    assert "--subject-group" in capsys.readouterr().err
