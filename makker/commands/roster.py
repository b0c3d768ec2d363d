"""``makker roster FILE [--class C] [--json]``: what makker read from a class list.

The first command a coordinator runs: it shows per class how many students,
girls and boys, which previous schools, and every warning (dropped ID-number
columns, duplicate names), so problems surface before any planning.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..i18n import Translator
from ..roster import ImportResult, pick_class, read_rosters, summary


def add_parser(subparsers, tr: Translator) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("roster", help=tr("roster.help"), description=tr("roster.help"))
    parser.add_argument("file", metavar=tr("cli.metavar.file"), help=tr("roster.file_help"))
    parser.add_argument("--class", dest="klass", metavar="C", help=tr("roster.class_help"))
    parser.add_argument("--json", action="store_true", help=tr("roster.json_help"))
    return parser


def run(args: argparse.Namespace, tr: Translator) -> int:
    result = read_rosters(args.file)
    rosters = [pick_class(result, args.klass)] if args.klass else result.rosters
    warnings = [w.render(tr.lang) for w in result.warnings] + [w.render(tr.lang) for r in rosters for w in r.warnings]
    if args.json:
        data = {"classes": [summary(r) for r in rosters], "warnings": warnings}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(result, rosters, warnings, tr))
    return 0


def render_text(result: ImportResult, rosters, warnings: list[str], tr: Translator) -> str:
    """The human summary, one block per class, warnings last."""
    lines = [tr("roster.file_line", file=result.source, classes=len(rosters), count=sum(len(r) for r in rosters))]
    for roster in rosters:
        info = summary(roster)
        lines.append("")
        lines.append(tr("roster.class_line", klass=roster.klass, count=info["students"]))
        g = info["gender"]
        lines.append(tr("roster.gender_line", girls=g["K"], boys=g["M"], unknown=g["unknown"]))
        if info["schools"]:
            schools = ", ".join(f"{name} {n}" for name, n in info["schools"].items())
            lines.append(tr("roster.schools_line", schools=schools))
        else:
            lines.append(tr("roster.no_schools"))
    if warnings:
        lines.append("")
        lines.append(tr("roster.warnings_title"))
        lines.extend(f"  - {w}" for w in warnings)
    return "\n".join(lines) + "\n"
