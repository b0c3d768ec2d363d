"""``makker plan FILE [options] --out PATH``: plan the rotations of one class.

Options are checked here (not by argparse types) so that a bad value gives
one translated line and exit code 2, like every other problem a user can fix.
Progress goes to stderr; the plan goes to ``--out`` (.json, .xlsx or .csv).
With ``--all-classes`` every class of the file is planned in parallel
processes and ``--out`` is a folder (see :mod:`makker.batch`).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from ..i18n import MakkerError, Translator, parse_date
from ..plan import Plan
from ..rules import Rules, Weights, check_keep, keep_for, parse_rotations

DEFAULTS = Weights()
WEIGHT_OPTIONS = (("gender", "--gender"), ("school", "--school"), ("repeat", "--repeat"), ("apart", "--apart-weight"))


def add_parser(subparsers, tr: Translator) -> argparse.ArgumentParser:
    p = subparsers.add_parser("plan", help=tr("planner.cli_plan_help"), description=tr("planner.cli_plan_help"))
    p.add_argument("file", metavar=tr("cli.metavar.file"), help=tr("planner.cli_file_help"))
    p.add_argument("--class", dest="klass", metavar="C", help=tr("planner.cli_class_help"))
    p.add_argument("--rotations", default="3", metavar="N", help=tr("planner.cli_rotations_help"))
    p.add_argument("--start", metavar=tr("cli.metavar.date"), help=tr("planner.cli_start_help"))
    p.add_argument("--weeks", default="3", metavar="W", help=tr("planner.cli_weeks_help"))
    p.add_argument("--county", metavar=tr("cli.metavar.name"), help=tr("planner.cli_county_help"))
    p.add_argument("--never", metavar=tr("cli.metavar.file"), help=tr("planner.cli_never_help"))
    p.add_argument("--apart", metavar=tr("cli.metavar.file"), help=tr("planner.cli_apart_help"))
    p.add_argument("--keep-together", dest="keep_together", metavar=tr("cli.metavar.file"),
                   help=tr("planner.cli_keep_together_help"))
    p.add_argument("--keep-rotations", dest="keep_rotations", default=None, metavar="1,2",
                   help=tr("planner.cli_keep_rotations_help"))
    p.add_argument("--subject-group", dest="subject_group", default=None, metavar=tr("cli.metavar.name"),
                   help=tr("planner.cli_subject_group_help"))
    p.add_argument("--members", default=None, metavar=tr("cli.metavar.file"), help=tr("planner.cli_members_help"))
    for field, flag in WEIGHT_OPTIONS:
        p.add_argument(flag, dest=f"w_{field}", default=None, metavar="W",
                       help=tr("planner.cli_weight_help", default=f"{getattr(DEFAULTS, field):g}"))
    p.add_argument("--history", metavar="PLAN.json", help=tr("planner.cli_history_help"))
    p.add_argument("--keep", default=None, metavar="K", help=tr("planner.cli_keep_help"))
    p.add_argument("--seed", default="0", metavar="S", help=tr("planner.cli_seed_help"))
    p.add_argument("--time-limit", dest="time_limit", default="60", metavar=tr("cli.metavar.seconds"), help=tr("planner.cli_time_help"))
    p.add_argument("--solver", default="cbc", metavar="cbc|highs", help=tr("planner.cli_solver_help"))
    p.add_argument("--shape", default="standard", metavar="standard|trio-alone", help=tr("shapes.cli_shape_help"))
    p.add_argument("--out", required=True, metavar=tr("cli.metavar.path"), help=tr("planner.cli_out_help"))
    p.add_argument("--all-classes", dest="all_classes", action="store_true", help=tr("planner.cli_all_classes_help"))
    p.add_argument("--format", dest="fmt", default="json", metavar="json|xlsx|csv", help=tr("planner.cli_format_help"))
    p.add_argument("--jobs", default=None, metavar="N", help=tr("planner.cli_jobs_help"))
    return p


def _int(value, option: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise MakkerError("planner.cli_bad_number", option=option, value=value, low=low, high=high) from None
    if not low <= number <= high:
        raise MakkerError("planner.cli_bad_number", option=option, value=value, low=low, high=high)
    return number


def _float(value, option: str, low: float, high: float) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise MakkerError("planner.cli_bad_number", option=option, value=value, low=low, high=high) from None
    if not low <= number <= high:
        raise MakkerError("planner.cli_bad_number", option=option, value=value, low=low, high=high)
    return number


def weights_from(args) -> Weights:
    values = {}
    for field, flag in WEIGHT_OPTIONS:
        raw = getattr(args, f"w_{field}")
        values[field] = getattr(DEFAULTS, field) if raw is None else _float(raw, flag, 0, 10)
    return Weights(**values)


def _start(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise MakkerError("planner.cli_bad_date", value=value) from None


def rotation_dates(start: date | None, count: int, weeks: int, county: str | None = None):
    """Dates from the school calendar, skipping the county's holidays; plain weekly arithmetic without it."""
    if start is None:
        return None
    from ..calendar import rotation_dates as calendar_dates

    return calendar_dates(start, count, weeks=weeks, county=county)


def _county(args) -> str | None:
    """The county name, checked now (an unknown one is named before any planning starts)."""
    if not args.county:
        return None
    if not args.start:
        raise MakkerError("planner.cli_county_needs_start")
    from ..calendar import county_spec

    county_spec(args.county)
    return args.county


def _rules(args, students) -> Rules:
    """Rule pairs looked up among ``students`` (one class, or the whole school in batch mode)."""
    from ..roster import read_pair_file

    never = set(read_pair_file(args.never, students=students)) if args.never else set()
    apart = set(read_pair_file(args.apart, students=students)) if args.apart else set()
    rules = Rules(never=never, apart=apart, keep=_keep(args, students))
    check_keep(rules, {s.id: s.name for s in students})
    return rules


def _keep_rotations(args) -> tuple[int, ...] | None:
    raw = getattr(args, "keep_rotations", None)
    if raw is None:
        return None
    if not getattr(args, "keep_together", None):
        raise MakkerError("planner.cli_keep_rotations_needs_file")
    try:
        return parse_rotations(raw)
    except ValueError:
        raise MakkerError("planner.cli_bad_keep_rotations", value=raw) from None


def _keep(args, students) -> dict[int, set[frozenset[str]]]:
    """``--keep-together FILE`` (and ``--keep-rotations``) as the planner's keep-together pairs."""
    rotations = _keep_rotations(args)
    if not getattr(args, "keep_together", None):
        return {}
    from ..roster import read_keep_file

    return keep_for(read_keep_file(args.keep_together, students=students, rotations=rotations))


def _subject_group(args):
    """``--subject-group NAME [--members FILE]``: students of several classes, with the rules among them."""
    from .. import subjects
    from ..roster import read_rosters

    if args.klass is not None:
        raise MakkerError("planner.batch_option_conflict", option="--class")
    rosters = read_rosters(args.file).rosters
    school = [s for r in rosters for s in r.students]
    if args.members:
        members = subjects.members_from_list(args.members, None, rosters)
    else:
        members = subjects.members_from_column(rosters, args.subject_group)
    name = args.subject_group.strip()
    if not args.members:  # the file's spelling of the group's name
        name = next(k for k in subjects.groups_in(rosters) if k.casefold() == name.casefold())
    school_rules = Rules(never=set(), apart=set())
    from ..roster import read_pair_file

    if args.never:
        school_rules.never = set(read_pair_file(args.never, students=school))
    if args.apart:
        school_rules.apart = set(read_pair_file(args.apart, students=school))
    group = subjects.build(name, members, school_rules)
    rules = group.rules
    rules.keep = _keep(args, group.roster.students)
    check_keep(rules, {s.id: s.name for s in group.roster.students})
    return group.roster, rules


def _write(plan: Plan, path: str, lang: str) -> None:
    suffix = Path(path).suffix.lower()
    if suffix not in (".json", ".xlsx", ".csv"):
        raise MakkerError("planner.cli_bad_out", path=path)
    from ..export import write_plan

    write_plan(plan, path, lang)


def _common(args) -> dict:
    """The options both modes share, checked before any file is read."""
    from ..planner.solve import SOLVERS

    options = dict(rotations=_int(args.rotations, "--rotations", 1, 60),
                   weeks=_int(args.weeks, "--weeks", 1, 20),
                   seed=_int(args.seed, "--seed", 0, 2**31 - 1),
                   time_limit=_float(args.time_limit, "--time-limit", 1, 24 * 3600),
                   weights=weights_from(args))
    if args.solver not in SOLVERS:
        raise MakkerError("planner.unknown_solver", solver=args.solver, choices=", ".join(SOLVERS))
    from ..shapes import SHAPES

    shape = getattr(args, "shape", "standard")
    if shape not in SHAPES:
        raise MakkerError("shapes.unknown", shape=shape, choices=", ".join(SHAPES))
    options["shape"] = shape
    options["start"] = _start(args.start)
    options["county"] = _county(args)
    return options


def run(args: argparse.Namespace, tr: Translator) -> int:
    if args.all_classes:
        return run_all(args, tr)
    from ..planner import plan_year
    from ..roster import pick_class, read_rosters

    options = _common(args)
    rotations, weeks, seed = options["rotations"], options["weeks"], options["seed"]
    time_limit, weights, start = options["time_limit"], options["weights"], options["start"]
    if Path(args.out).suffix.lower() not in (".json", ".xlsx", ".csv"):
        raise MakkerError("planner.cli_bad_out", path=args.out)
    out_folder = Path(args.out).resolve().parent
    if not out_folder.is_dir():  # say so before the solve, not after it
        raise MakkerError("planner.cli_no_out_folder", folder=str(out_folder))
    if args.members and not args.subject_group:
        raise MakkerError("planner.cli_members_needs_group")
    if args.subject_group:
        roster, rules = _subject_group(args)
    else:
        roster = pick_class(read_rosters(args.file), args.klass)
        rules = _rules(args, roster.students)
    if args.history and args.keep is None:
        raise MakkerError("planner.cli_history_needs_keep")
    if args.keep is not None and not args.history:
        raise MakkerError("planner.cli_keep_needs_history")
    history = Plan.load(args.history) if args.history else None
    keep = _int(args.keep, "--keep", 0, len(history.rotations)) if history is not None else 0
    if keep > rotations:
        raise MakkerError("planner.cli_keep_over_rotations", keep=keep, rotations=rotations)
    dates = rotation_dates(start, rotations, weeks, options["county"])

    from ..report import RunClock, console_summary

    clock = RunClock()

    def progress(p) -> None:
        best = clock.heard(p)
        if best is not None:  # the year optimiser's best figures so far, all from one plan
            text = best.line(tr.lang)
        elif p.message is not None:
            text = p.message.render(tr.lang)
        else:
            key = "planner.cli_progress_improve" if p.phase == "improve" else "planner.cli_progress"
            text = tr(key, done=p.done, total=p.total)
        print(f"makker: {text}", file=sys.stderr, flush=True)

    result = plan_year(roster.students, rules, weights, rotations, klass=roster.klass, dates=dates,
                       history=history, keep=keep, time_limit=time_limit, solver=args.solver, seed=seed,
                       progress=progress, shape=options["shape"])
    for note in result.notes:
        print(f"makker: {note.render(tr.lang)}", file=sys.stderr)
    _write(result.plan, args.out, tr.lang)
    print(f"makker: {tr('planner.cli_written', path=args.out, rotations=len(result.plan.rotations), seconds=f'{result.seconds:.1f}')}",
          file=sys.stderr)
    # counts only: never a rule's pair or wording (the console may be shown to others)
    print(f"makker: {clock.finish(result.plan, rules, result.seconds).final_line(tr.lang)}", file=sys.stderr)
    for line in console_summary(result.plan, rules, weights, tr.lang):
        print(f"makker: {line}", file=sys.stderr)
    return 0


def _batch_only(args) -> None:
    """Options that name one class or one earlier plan make no sense for the whole file."""
    for flag, value in (("--class", args.klass), ("--history", args.history), ("--keep", args.keep),
                        ("--subject-group", args.subject_group), ("--members", args.members)):
        if value is not None:
            raise MakkerError("planner.batch_option_conflict", option=flag)


def run_all(args: argparse.Namespace, tr: Translator) -> int:
    """``--all-classes``: one plan file per class in the folder ``--out``, plus a summary."""
    from .. import batch
    from ..roster import read_rosters

    _batch_only(args)
    options = _common(args)
    fmt = str(args.fmt).strip().lower().lstrip(".")
    if fmt not in batch.FORMATS:
        raise MakkerError("planner.batch_bad_format", value=args.fmt, choices=", ".join(batch.FORMATS))
    workers = _int(args.jobs, "--jobs", 1, 256) if args.jobs is not None else (os.cpu_count() or 1)
    result = read_rosters(args.file)
    school = [s for roster in result.rosters for s in roster.students]
    rules = _rules(args, school)  # rules belong to students: look names up in every class
    folder = batch.prepare_folder(args.out)
    dates = rotation_dates(options["start"], options["rotations"], options["weeks"], options["county"])
    jobs = batch.make_jobs(result.rosters, rules, options["weights"], folder, fmt, rotations=options["rotations"],
                           dates=dates, time_limit=options["time_limit"], solver=args.solver,
                           seed=options["seed"], lang=tr.lang)
    print(f"makker: {tr('planner.batch_start', classes=len(jobs), jobs=min(workers, len(jobs)))}",
          file=sys.stderr, flush=True)

    def done(row) -> None:
        key = "planner.batch_class_failed" if row.status == "failed" else "planner.batch_class_done"
        print(f"makker: {tr(key, klass=row.klass, file=row.file, seconds=f'{row.seconds:.1f}', message=row.message)}",
              file=sys.stderr, flush=True)

    rows = batch.run_jobs(jobs, workers, done)
    paths = batch.write_summary(folder, rows, tr.lang)
    bad = batch.failed(rows)
    written = tr("planner.batch_written", folder=str(folder), written=len(rows) - len(bad), classes=len(rows),
                 summary=paths[0].name)
    print(f"makker: {written}", file=sys.stderr)
    if bad:
        print(f"makker: {tr('planner.batch_some_failed', count=len(bad), classes=', '.join(r.klass for r in bad))}",
              file=sys.stderr)
        return 2
    return 0
