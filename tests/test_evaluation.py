"""The survey reader, the figures with small-group suppression, the fidelity table, the report and the CLI."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makker import evaluation as ev
from makker.cli import main
from makker.evaluation_report import report_pdf
from makker.i18n import MakkerError, percent, t

SAMPLES = Path(__file__).resolve().parent.parent / "sample_rosters"

SCALES = {
    "nb": ["Helt uenig", "Delvis uenig", "Verken enig eller uenig", "Delvis enig", "Helt enig"],
    "nn": ["Heilt ueinig", "Delvis ueinig", "Verken einig eller ueinig", "Delvis einig", "Heilt einig"],
    "en": ["Strongly disagree", "Partly disagree", "Neither agree nor disagree", "Partly agree", "Strongly agree"],
    "codes": ["1", "2", "3", "4", "5"],
}
DONT_KNOW = {"nb": "Vet ikke", "nn": "Veit ikkje", "en": "Don't know", "codes": "Vet ikke"}
HEADINGS = {
    "better_start": {"nb": "Makkerskap ga meg en bedre start på skolen", "nn": "Makkarskap gav meg ein betre start",
                     "en": "Buddy pairs gave me a better start at school"},
    "know_more": {"nb": "Jeg ble kjent med flere i klassen", "nn": "Eg vart kjend med fleire i klassen",
                  "en": "I got to know more people in my class"},
    "safe": {"nb": "Det er trygt å være på skolen", "nn": "Det er trygt å vere på skulen", "en": "I feel safe at school"},
    "less_left_out": {"nb": "Jeg føler meg mindre utenfor", "nn": "Eg kjenner meg mindre utanfor",
                      "en": "I feel less left out"},
    "less_absence": {"nb": "Jeg har mindre fravær", "nn": "Eg har mindre fråvær", "en": "I have less absence"},
}
ODD = ["Kanskje", "Enig?", "x", "7", "ja"]


@st.composite
def surveys(draw):
    """A random export: random column order, scale language, class sizes, don't-knows and odd answers."""
    lang = draw(st.sampled_from(["nb", "nn", "en", "codes"]))
    head_lang = "nb" if lang == "codes" else lang
    keys = draw(st.lists(st.sampled_from(list(HEADINGS)), min_size=1, max_size=5, unique=True))
    classes = draw(st.lists(st.tuples(st.sampled_from(["1STA", "1STB", "2STA", "3STA", "1EL", "2EL"]),
                                      st.integers(1, 34)), min_size=1, max_size=5, unique_by=lambda c: c[0]))
    seed = draw(st.integers(0, 10**6))
    rng = random.Random(seed)
    columns = ["Klasse"] + [HEADINGS[k][head_lang] for k in keys] + ["Kommentar"]
    order = draw(st.permutations(list(range(len(columns)))))
    expect = {k: ev.Counts() for k in keys}
    rows = []
    for klass, n in classes:
        for _ in range(n):
            cells = {"Klasse": klass, "Kommentar": "fritt skrevet svar" if rng.random() < 0.3 else ""}
            for k in keys:
                r = rng.random()
                c = expect[k]
                if r < 0.05:
                    cells[HEADINGS[k][head_lang]] = DONT_KNOW[lang]
                    c.dont_know += 1
                elif r < 0.1:
                    cells[HEADINGS[k][head_lang]] = rng.choice(ODD)
                    c.unknown += 1
                elif r < 0.15:
                    cells[HEADINGS[k][head_lang]] = ""
                else:
                    v = rng.randint(1, 5)
                    cells[HEADINGS[k][head_lang]] = SCALES[lang][v - 1]
                    c.answers += 1
                    c.agree += v >= 4
            rows.append([cells[columns[i]] for i in order])
    text = io.StringIO()
    csv.writer(text, delimiter=rng.choice([",", ";"])).writerows([[columns[i] for i in order]] + rows)
    return text.getvalue().encode("utf-8"), expect, classes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_reader_counts_every_answer_and_never_guesses(case):
    data, expect, classes = case
    survey = ev.read_survey(data, "svar.csv")
    assert set(k for k in survey.columns.values() if k) == set(expect)
    for key, c in expect.items():
        got = survey.counts.get(key, {}).get(("school", ""), ev.Counts())
        assert (got.agree, got.answers, got.dont_know, got.unknown) == (c.agree, c.answers, c.dont_know, c.unknown)
    assert survey.unknown_answers == sum(c.unknown for c in expect.values())
    for ex in survey.unknown_examples:  # only short scale-like words, never the free-text column
        assert "fritt" not in ex


def _all_outputs(survey, figs, lang="nb"):
    """Every output the figures go to: JSON, the CLI table text and the PDF text."""
    js = json.dumps([f.to_json() for f in figs])
    pdf = report_pdf(survey, figs, None, lang)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return js, text, pdf


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_no_group_under_five_is_shown_or_can_be_worked_out(case):
    data, expect, classes = case
    survey = ev.read_survey(data, "svar.csv")
    figs = ev.figures(survey)
    for f in figs:
        assert f.answers >= ev.MIN_GROUP
    for key in expect:
        for kind in ("level", "class"):
            real = {g: c for (k, g), c in survey.counts.get(key, {}).items() if k == kind}
            shown = [f for f in figs if f.statement == key and f.kind == kind]
            named = {f.group for f in shown if f.group != "other"}
            hidden = [c for g, c in real.items() if g not in named]
            # a small group is never named, and what is not named is never a single small group alone
            assert all(real[g].answers >= ev.MIN_GROUP for g in named)
            assert sum(c.answers for c in hidden) == 0 or sum(c.answers for c in hidden) >= ev.MIN_GROUP or not named
        by_level: dict = {}
        for g, lv in survey.class_levels.items():
            c = survey.counts.get(key, {}).get(("class", g))
            if c and g not in {f.group for f in figs if f.statement == key and f.kind == "class"}:
                by_level[lv] = by_level.get(lv, 0) + c.answers
        named_levels = {f.group for f in figs if f.statement == key and f.kind == "level"}
        assert all(n == 0 or n >= ev.MIN_GROUP for lv, n in by_level.items() if lv in named_levels)
    small = [k for k, n in classes if 0 < n < ev.MIN_GROUP]
    js, text, _ = _all_outputs(survey, figs)
    for klass in small:
        assert klass not in js
        assert klass not in text


def test_complement_is_protected():
    """With one small class left out, the smallest other class joins it, so no subtraction reveals it."""
    counts = {("school", ""): ev.Counts(10, 33), ("class", "A"): ev.Counts(5, 20),
              ("class", "B"): ev.Counts(3, 10), ("class", "C"): ev.Counts(1, 3)}
    survey = ev.Survey("x", "students", {"h": "safe"}, {"safe": counts})
    shown = {f.group: f.answers for f in ev.figures(survey) if f.kind == "class"}
    assert shown == {"A": 20, "other": 13}


def test_a_small_class_cannot_be_worked_out_from_its_level():
    """Vg1 = 1STA + 1EL (3 answers): naming both Vg1 and 1STA would reveal 1EL by subtraction."""
    counts = {("school", ""): ev.Counts(30, 50), ("level", "Vg1"): ev.Counts(15, 23), ("level", "Vg2"): ev.Counts(15, 27),
              ("class", "1STA"): ev.Counts(14, 20), ("class", "1EL"): ev.Counts(1, 3), ("class", "2STA"): ev.Counts(15, 27)}
    survey = ev.Survey("x", "students", {"h": "safe"}, {"safe": counts},
                       class_levels={"1STA": "Vg1", "1EL": "Vg1", "2STA": "Vg2"})
    shown = {f.group for f in ev.figures(survey) if f.kind == "class"}
    assert "1STA" not in shown and "1EL" not in shown


# every answer the fictional exports may hold on a statement: the scales, «Vet ikke», codes 1-6 and blanks
UNDERSTOOD = {a.lower() for a in [*SCALES["nb"], *SCALES["nn"], "Svært misfornøyd", "Misfornøyd",
                                  "Verken fornøyd eller misfornøyd", "Fornøyd", "Svært fornøyd",
                                  "Vet ikke", "Veit ikkje", "1", "2", "3", "4", "5", "6", "", "nan"]}


def _odd_answers(path: Path, columns) -> int:
    """The answers outside :data:`UNDERSTOOD`, counted straight from the file with pandas."""
    import pandas as pd

    frame = (pd.read_excel(path, dtype=str) if path.suffix == ".xlsx" else
             pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig"))
    return sum(str(v).strip().lower() not in UNDERSTOOD for c in columns for v in frame[c].fillna(""))


@pytest.mark.parametrize("name", [p.name for p in sorted(SAMPLES.glob("evaluering_*"))])
def test_samples_read_without_edits(name, capsys):
    """Every fictional export (nynorsk, 1-5 codes, teachers) reads as it is; odd answers are counted, not guessed."""
    survey = ev.read_survey(SAMPLES / name)
    figs = ev.figures(survey)
    assert {f.kind for f in figs} >= {"school"}
    want = 2 if "laerere" in name else 5
    assert len({f.statement for f in figs}) == want
    assert survey.who == ("teachers" if "laerere" in name else "students")
    used = [h for h, k in survey.columns.items() if k]
    odd = _odd_answers(SAMPLES / name, used)
    assert survey.unknown_answers == odd
    for key in {k for k in survey.columns.values() if k}:
        c = survey.counts[key][("school", "")]
        assert c.answers + c.dont_know + c.unknown <= survey.respondents
    assert main(["evaluate", str(SAMPLES / name), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["unknown_answers"] == odd
    if odd:  # reported with its count, in the user's language
        assert t("evaluation.unknown_answers", "nb", count=odd, examples=", ".join(survey.unknown_examples)) in out.err
    else:
        assert out.err == ""


def test_odd_answers_in_sample_are_reported():
    survey = ev.read_survey(SAMPLES / "evaluering_elever_2025-26.xlsx")
    assert survey.unknown_answers > 0
    assert "kanskje" in survey.unknown_examples or "enig" in survey.unknown_examples


def test_matching_can_be_corrected():
    data = "Klasse;Spørsmål 1;Kommentar\n" + "".join("1STA;Helt enig;x\n" for _ in range(6))
    with pytest.raises(MakkerError):
        ev.read_survey(data.encode(), "s.csv")
    survey = ev.read_survey(data.encode(), "s.csv", mapping={"Spørsmål 1": "safe"})
    assert survey.counts["safe"][("school", "")].agree == 6
    survey = ev.read_survey(SAMPLES / "evaluering_elever_2024-25.csv",
                            mapping={"Jeg har hatt mindre fravær": None})
    assert "less_absence" not in survey.counts
    with pytest.raises(MakkerError):
        ev.read_survey(data.encode(), "s.csv", mapping={"Spørsmål 1": "nonsense"})


def test_fidelity_beside_class_figures():
    from makker.store import LogEntry

    def entry(klass, rotation, done, contract, day=None):
        return LogEntry(klass, rotation, done, contract, day, "", "")

    survey = ev.read_survey(SAMPLES / "evaluering_elever_2025-26.xlsx")
    figs = ev.figures(survey)
    start = {1: date(2026, 8, 17), 2: date(2026, 9, 7), 3: date(2026, 9, 28), 4: date(2027, 1, 4)}
    log = [entry("1STA", 1, True, True, date(2026, 8, 17)), entry("1STA", 2, True, True, date(2026, 9, 20)),
           entry("1EL", 1, True, False)]
    rows = {r.klass: r for r in ev.fidelity(log, figs, {"1STA": start}, today=date(2026, 10, 1))}
    # rotation 2 was logged two weeks late, rotation 3 is due and not logged, rotation 4 is not due yet
    assert (rows["1STA"].rotations, rows["1STA"].logged) == (3, 2)
    assert rows["1STA"].changes_on_time == pytest.approx(1 / 3)
    assert rows["1STA"].contracts_written == pytest.approx(2 / 3)
    assert rows["1STA"].shares["safe"] is not None
    assert rows["1EL"].shares == {}  # a small class's survey figure is never shown beside its log
    assert (rows["1EL"].changes_on_time, rows["1EL"].contracts_written) == (1.0, 0.0)


def test_report_is_two_pages_with_statements_and_percentages():
    survey = ev.read_survey(SAMPLES / "evaluering_elever_2025-26.xlsx")
    prev = ev.read_survey(SAMPLES / "evaluering_elever_2024-25.csv")
    figs = ev.figures(survey, prev)
    for lang in ("nb", "nn", "en"):
        pdf = report_pdf(survey, figs, None, lang)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 2
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
        assert t("evaluation.statement.better_start", lang) in text
        assert percent(0.78, lang) in text
        school = next(f for f in figs if f.kind == "school" and f.statement == "safe")
        assert percent(school.share, lang) in text


def test_cli_json_and_pdf(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    code = main(["evaluate", str(SAMPLES / "evaluering_elever_nynorsk_2025-26.csv"),
                 "--previous", str(SAMPLES / "evaluering_elever_2024-25.csv"), "--json", "--out", str(out)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    rows = data["figures"]
    assert {r["statement"] for r in rows} >= {"better_start", "safe"}
    assert all(r["answers"] >= 5 for r in rows)
    assert all(set(r) >= {"statement", "group", "answers", "share_agreeing", "national"} for r in rows)
    assert "1EL" not in json.dumps(data)
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_fidelity_from_workspace(tmp_path, capsys):
    from makker.roster import read_rosters
    from makker.store import Workspace

    ws = Workspace(tmp_path / "year.sqlite")
    roster = read_rosters(SAMPLES / "vg1_yrkesfag_15.csv").rosters[0]
    ws.save_roster(roster)
    klass = ws.class_names()[0]
    ws.log_rotation(klass, 1, change_done=True, contracts_written=False, day=date(2026, 9, 1))
    code = main(["evaluate", str(SAMPLES / "evaluering_elever_2025-26.xlsx"), "--workspace",
                 str(tmp_path / "year.sqlite"), "--json"])
    assert code == 0
    fid = json.loads(capsys.readouterr().out)["fidelity"]
    assert fid[0]["class"] == klass and fid[0]["changes_on_time"] == 1.0 and fid[0]["contracts_written"] == 0.0


def test_cli_user_errors_exit_2(tmp_path, capsys):
    bad = tmp_path / "s.csv"
    bad.write_text("Klasse;Navn\n1STA;Kari\n", encoding="utf-8")
    assert main(["--lang", "en", "evaluate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--statement" in err and len(err.strip().splitlines()) == 1
    assert main(["evaluate", str(bad), "--statement", "nothing"]) == 2


def test_help_translated(capsys):
    for lang in ("nb", "nn", "en"):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "evaluate", "--help"])
        out = re.sub(r"\s+", " ", capsys.readouterr().out)
        assert t("evaluation.help_previous", lang) in out and t("evaluation.help_json", lang) in out


def test_cli_finds_this_years_saved_school_year(isolated_workspace, capsys):
    """Without --workspace, the page's own school year ($MAKKER_WORKSPACE) gives the log; with none, no log."""
    from makker.roster import read_rosters
    from makker.store import Workspace

    survey = str(SAMPLES / "evaluering_elever_2025-26.xlsx")
    assert main(["evaluate", survey, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fidelity"] == []
    ws = Workspace(isolated_workspace / "workspace.sqlite")
    roster = read_rosters(SAMPLES / "vg1_yrkesfag_15.csv").rosters[0]
    ws.save_roster(roster)
    ws.log_rotation(ws.class_names()[0], 1, change_done=True, contracts_written=True)
    assert main(["evaluate", survey, "--json"]) == 0
    fid = json.loads(capsys.readouterr().out)["fidelity"]
    assert [r["class"] for r in fid] == ws.class_names() and fid[0]["changes_on_time"] == 1.0


@st.composite
def year_logs(draw):
    """A school year's log and plans: 1-6 classes, 1-12 rotations three weeks apart, entries late or not."""
    from makker.store import LogEntry

    first = date(2026, 8, 17)
    log, planned = [], {}
    for c in range(draw(st.integers(1, 6))):
        klass = f"{c + 1}STA"
        n = draw(st.integers(1, 12))
        planned[klass] = {r: first + timedelta(weeks=3 * (r - 1)) for r in range(1, n + 1)}
        for r in draw(st.lists(st.integers(1, n), unique=True)):
            late = draw(st.sampled_from([None, 0, 3, 6, 7, 20]))
            day = None if late is None else planned[klass][r] + timedelta(days=late)
            log.append(LogEntry(klass, r, draw(st.booleans()), draw(st.booleans()), day, "", ""))
    today = first + timedelta(days=draw(st.integers(-10, 400)))
    return log, planned, today


@settings(max_examples=80, deadline=None)
@given(year_logs())
def test_fidelity_counts_on_distributions(case):
    log, planned, today = case
    rows = {r.klass: r for r in ev.fidelity(log, [], planned, today)}
    for klass, plan in planned.items():
        mine = {e.rotation: e for e in log if e.klass == klass}
        due = set(mine) | {n for n, d in plan.items() if d <= today}
        if not due:
            assert klass not in rows
            continue
        r = rows[klass]
        assert (r.rotations, r.logged) == (len(due), len(mine))
        late = sum(1 for e in mine.values() if e.change_done and e.day and e.day > plan[e.rotation] + timedelta(days=6))
        done = sum(e.change_done for e in mine.values())
        assert r.changes_on_time * len(due) == pytest.approx(done - late)
        assert r.contracts_written * len(due) == pytest.approx(sum(e.contracts_written for e in mine.values()))
        assert r.shares == {}  # no survey figures given: nothing beside the log


@pytest.mark.parametrize("lang, tick", [("nb", "40 %"), ("nn", "40 %"), ("en", "40%")])
def test_chart_axis_writes_percent_as_the_language_does(lang, tick):
    from makker.evaluation_charts import fidelity_chart

    fig = fidelity_chart([ev.Fidelity("1STA", 3, 3, 2 / 3, 1.0)], lang)
    ticks = [label.get_text() for label in fig.axes[0].get_xticklabels()]
    assert tick in ticks and all(text.endswith("%") for text in ticks)
