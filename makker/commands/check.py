"""``makker check PLAN.json [--never FILE]``: the plan's figures as JSON.

Recomputes everything from the plan file itself (repeats, coverage, broken
rules), so a plan edited by hand or made elsewhere can be checked too. The
never-together file is only read to count broken rules; its pairs are never
printed.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..i18n import Translator
from ..plan import Plan
from ..rules import Rules


def add_parser(subparsers, tr: Translator) -> argparse.ArgumentParser:
    p = subparsers.add_parser("check", help=tr("planner.cli_check_help"), description=tr("planner.cli_check_help"))
    p.add_argument("plan", metavar="PLAN.json", help=tr("planner.cli_plan_file_help"))
    p.add_argument("--never", metavar=tr("cli.metavar.file"), help=tr("planner.cli_never_help"))
    p.add_argument("--apart", metavar=tr("cli.metavar.file"), help=tr("planner.cli_apart_help"))
    return p


def run(args: argparse.Namespace, tr: Translator) -> int:
    from ..metrics import compute
    from ..roster import read_pair_file

    plan = Plan.load(args.plan)
    never = set(read_pair_file(args.never, students=plan.students)) if args.never else set()
    apart = set(read_pair_file(args.apart, students=plan.students)) if args.apart else set()
    metrics = compute(plan, Rules(never=never, apart=apart))
    json.dump(metrics.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
