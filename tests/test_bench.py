"""``makker bench`` in a reduced form: the table's columns and 0 broken hard rules for makker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.cli import main
from makker.commands.bench import COLUMNS, METHODS, RULE_SETS, run_bench, table
from makker.i18n import Translator


def test_bench_rows_cover_every_method_and_keep_hard_rules():
    rows, ref, summary = run_bench((12,), RULE_SETS, seeds=1, rotations=4, time_limit=1.0)
    assert ref > 0
    assert {(s["rules"], s["method"]) for s in summary} == {(k, m) for k in RULE_SETS for m in METHODS}
    for s in summary:
        if s["method"] != "random":
            assert s["broken_hard"] == (0, 0), s
        if s["method"] in ("exact", "year"):
            assert s["repeated_pairs"] == (0, 0), s
    by = {(s["rules"], s["method"]): s for s in summary}
    for kind in RULE_SETS:  # the optimiser never loses what the exact plan has
        exact, year = by[(kind, "exact")], by[(kind, "year")]
        assert year["repeat_free"][0] >= exact["repeat_free"][0]
        assert year["mean_classmates"][0] >= exact["mean_classmates"][0]
        assert year["lone_groups"][0] <= exact["lone_groups"][0]
    text = table(summary, Translator("en"), ref)
    header = text.splitlines()[0]
    assert header.count("|") == len(COLUMNS) + 1
    assert "repeat-free rotations" in header and "broken hard rules" in header
    assert len(text.splitlines()) == 2 + len(summary)


def test_bench_command_writes_the_table(tmp_path, capsys):
    out = tmp_path / "bench.md"
    code = main(["bench", "--sizes", "8", "--rules", "realistic", "--rotations", "3", "--seeds", "1",
                 "--time-limit", "0.5", "--out", str(out), "--lang", "nn"])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "makkerperiodar utan gjentaking" in text and "makker + årsoptimalisering" in text
    assert text.strip() in capsys.readouterr().out


def test_bench_rejects_impossible_sizes(capsys):
    assert main(["bench", "--sizes", "2", "--lang", "en"]) == 2
    assert "between 4 and 40" in capsys.readouterr().err


@settings(max_examples=40, deadline=None)
@given(n=st.integers(12, 34), seed=st.integers(0, 10_000))
def test_varied_classes_draw_girl_shares_schools_and_rules(n, seed):
    from collections import Counter

    from makker.commands.bench import varied_class

    students, rules = varied_class(n, seed)
    assert len(students) == n and len({s.id for s in students}) == n
    share = sum(s.gender == "K" for s in students) / n
    if n >= 17:
        assert 0.2 - 1 / n <= share <= 0.8 + 1 / n
    schools = Counter(s.school for s in students)
    assert 1 <= len(schools) <= 6
    assert schools.most_common(1)[0][1] >= n / 6  # one dominant feeder school
    assert 1 <= len(rules.never) <= 3
    assert all(p <= {s.id for s in students} for p in rules.never)


def test_varied_is_a_rule_set_of_the_command():
    from makker.commands.bench import RULE_SETS, make_class, varied_class

    assert "varied" in RULE_SETS
    assert make_class(20, "varied", 3)[0] == varied_class(20, 3)[0]


def test_varied_runs_the_sizes_of_real_classes_and_times_the_final_figures():
    from makker.commands.bench import VARIED_SIZES, bench_one, default_sizes

    assert default_sizes("varied") == VARIED_SIZES and 27 in VARIED_SIZES and 14 in VARIED_SIZES
    assert default_sizes("varied", quick=True) == default_sizes("none", quick=True)
    rows = bench_one(14, "varied", 1, rotations=3, time_limit=1.0, methods=("exact", "year"))
    exact, year = rows
    assert exact.to_final == exact.seconds
    assert exact.seconds <= year.to_final <= year.seconds + 1e-9
    assert year.bound == 1  # 14 students as 6-4-4: no second repeat-free rotation
