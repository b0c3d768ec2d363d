"""Keep-together («hold sammen»): read from a file, saved with the class, planned as one pair, never shown."""

from __future__ import annotations

import json
import random

import pytest
from test_privacy import assert_clean, pdf_text, xlsx_text

from makker.cli import main as cli_main
from makker.export import plan_to_csv, plan_to_xlsx
from makker.fictional import fictional_roster
from makker.pack import class_pack
from makker.planner import plan_year
from makker.roster import read_keep_file
from makker.rules import Rules, check_keep, keep_entries, keep_for, pair, parse_rotations
from makker.store import Workspace

KEEP_WORDS = ("hold sammen", "hald saman", "keep together", "keep-together", "hold-sammen", "hald-saman")


def _csv(rows) -> bytes:
    return "\n".join(";".join(r) for r in rows).encode()


def _random_keep(students, rng, rotations):
    """One to three disjoint keep-together pairs, each for one, several or every rotation."""
    ids = [s.id for s in students]
    rng.shuffle(ids)
    entries = []
    for i in range(rng.randint(1, 3)):
        which = rng.choice([None, (1,), tuple(sorted(rng.sample(range(1, rotations + 1), 2)))])
        entries.append((pair(ids[2 * i], ids[2 * i + 1]), which))
    return entries


@pytest.mark.parametrize("n,seed", [(12, 1), (17, 2), (23, 3), (28, 4), (34, 5)])
def test_plan_keeps_each_pair_together_in_the_rotations_the_rule_names(n, seed):
    rng = random.Random(seed)
    students = fictional_roster(n, seed=seed).students
    entries = _random_keep(students, rng, 3)
    never = set()
    ids = [s.id for s in students]
    while len(never) < 2:  # never-together rules elsewhere in the class stay kept too
        p = pair(*rng.sample(ids, 2))
        if p not in {e[0] for e in entries}:
            never.add(p)
    rules = Rules(never=never, keep=keep_for(entries))
    plan = plan_year(students, rules, None, 3, klass="1STA", time_limit=5, seed=seed, improve=False).plan
    for p, numbers in entries:
        for rotation in plan.rotations:
            if numbers is None or rotation.number in numbers:
                assert any(p <= set(q) for q in rotation.pairs()), (sorted(p), rotation.number)
    for rotation in plan.rotations:
        assert not never & rotation.group_links()


def test_keep_file_reads_a_rotations_column_and_a_default():
    roster = fictional_roster(14, seed=3)
    s = roster.students
    data = _csv([["Elev 1", "Elev 2", "Makkerperioder"], [s[0].name, s[1].name, "1 2"], [s[2].id, s[3].id]])
    got = dict(read_keep_file(data, "hold.csv", roster, rotations=(3,)))
    assert got == {pair(s[0].id, s[1].id): (1, 2), pair(s[2].id, s[3].id): (3,)}
    assert parse_rotations("alle") is None and parse_rotations("1-3") == (1, 2, 3)
    with pytest.raises(ValueError):
        parse_rotations("snart")


@pytest.mark.parametrize("lang,words", [("nb", "finnes ikke"), ("nn", "finst ikkje"), ("en", "not in the class list")])
def test_cli_unknown_student_is_named_in_the_users_language(tmp_path, capsys, lang, words):
    roster_file, roster = _class_file(tmp_path)
    keep = tmp_path / "hold.csv"
    keep.write_bytes(_csv([[roster.students[0].name, "Ukjent Elevsen"]]))
    code = cli_main(["--lang", lang, "plan", str(roster_file), "--keep-together", str(keep), "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Ukjent Elevsen" in err and "Traceback" not in err


@pytest.mark.parametrize("lang,words", [("nb", "seg selv"), ("nn", "seg sjølv"), ("en", "themselves")])
def test_cli_student_kept_with_themself(tmp_path, capsys, lang, words):
    roster_file, roster = _class_file(tmp_path)
    keep = tmp_path / "hold.csv"
    keep.write_bytes(_csv([[roster.students[0].name, roster.students[0].id]]))
    code = cli_main(["--lang", lang, "plan", str(roster_file), "--keep-together", str(keep), "--out", str(tmp_path / "p.json")])
    assert code == 2 and words in capsys.readouterr().err


@pytest.mark.parametrize("lang,words", [("nb", "aldri-sammen-regel"), ("nn", "aldri-saman-regel"), ("en", "never-together")])
def test_cli_keep_pair_that_is_also_never_together(tmp_path, capsys, lang, words):
    roster_file, roster = _class_file(tmp_path)
    a, b = roster.students[0], roster.students[1]
    (tmp_path / "hold.csv").write_bytes(_csv([[a.name, b.name]]))
    (tmp_path / "aldri.csv").write_bytes(_csv([[b.id, a.id]]))
    code = cli_main(["--lang", lang, "plan", str(roster_file), "--keep-together", str(tmp_path / "hold.csv"),
                     "--never", str(tmp_path / "aldri.csv"), "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert code == 2 and words in err and a.name in err and b.name in err


def test_cli_bad_keep_rotations(tmp_path, capsys):
    roster_file, roster = _class_file(tmp_path)
    (tmp_path / "hold.csv").write_bytes(_csv([[roster.students[0].name, roster.students[1].name]]))
    code = cli_main(["plan", str(roster_file), "--keep-together", str(tmp_path / "hold.csv"), "--keep-rotations", "x",
                     "--out", str(tmp_path / "p.json")])
    assert code == 2 and "--keep-rotations" in capsys.readouterr().err


def _class_file(tmp_path, n=16, seed=7):
    roster = fictional_roster(n, seed=seed, klass="1STA")
    path = tmp_path / "klasse.csv"
    rows = [["Elevnummer", "Navn", "Klasse", "Kjønn"]] + [[s.id, s.name, "1STA", s.gender or ""] for s in roster.students]
    path.write_bytes(_csv(rows))
    return path, roster


def test_cli_plan_keeps_the_pair_and_the_plan_file_has_no_rule(tmp_path, capsys):
    roster_file, roster = _class_file(tmp_path, 21, 9)
    a, b, c, d = roster.students[:4]
    (tmp_path / "hold.csv").write_bytes(_csv([[a.name, b.name], [c.id, d.id, "2"]]))
    out = tmp_path / "plan.json"
    code = cli_main(["plan", str(roster_file), "--keep-together", str(tmp_path / "hold.csv"), "--keep-rotations", "1,2",
                     "--rotations", "3", "--time-limit", "5", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text())
    from makker.plan import Plan

    plan = Plan.from_json(data)
    pairs = {r.number: [set(p) for p in r.pairs()] for r in plan.rotations}
    assert any({a.id, b.id} <= p for p in pairs[1]) and any({a.id, b.id} <= p for p in pairs[2])
    assert any({c.id, d.id} <= p for p in pairs[2])
    text = out.read_text().casefold()
    assert "keep" not in text and "hold" not in text  # the plan file has no place for rules


def test_keep_rules_saved_with_the_class_come_back(tmp_path):
    roster = fictional_roster(16, seed=4, klass="1STB")
    ws = Workspace(tmp_path / "year.sqlite")
    ws.save_roster(roster)
    s = roster.students
    keep = keep_for([(pair(s[0].id, s[1].id), (1, 3)), (pair(s[2].id, s[3].id), None)])
    ws.save_rules("1STB", Rules(never={pair(s[4].id, s[5].id)}, keep=keep))
    ws.save_settings("1STB", {**ws.settings("1STB"), "rotations": 4})
    again = Workspace(tmp_path / "year.sqlite").rules("1STB")
    assert keep_entries(again.keep) == keep_entries(keep)
    assert again.never == {pair(s[4].id, s[5].id)}


def test_exports_and_class_pack_of_a_plan_with_keep_rules_show_no_rule():
    roster = fictional_roster(14, seed=11, klass="1STA")
    s = roster.students
    rules = Rules(never={pair(s[4].id, s[5].id)}, keep=keep_for([(pair(s[0].id, s[1].id), None)]))
    check_keep(rules)
    plan = plan_year(s, rules, None, 2, klass="1STA", time_limit=5, improve=False).plan
    texts = {"xlsx": xlsx_text(plan_to_xlsx(plan)), "csv": plan_to_csv(plan).decode("utf-8-sig"),
             "pack": pdf_text(class_pack(plan, 1, "nb")), "pack en": pdf_text(class_pack(plan, 1, "en"))}
    for where, text in texts.items():
        assert_clean(text, where, expect_names=False)
        assert any(x.last in text for x in s), f"positive control: no name in {where}"
        for word in KEEP_WORDS:
            assert word not in text.casefold(), f"{word!r} in {where}"
