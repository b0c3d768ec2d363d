"""``makker pack``: the printable class pack (PDF) for one rotation, or the papers of the whole school (zip)."""

from __future__ import annotations

import os
from pathlib import Path

from .. import pack
from ..i18n import MakkerError
from ..plan import Plan


def add_parser(subparsers, tr):
    p = subparsers.add_parser("pack", help=tr("pack.help"), description=tr("pack.help"))
    p.add_argument("plan", nargs="?", metavar="PLAN.json", help=tr("pack.help_plan"))
    p.add_argument("--rotation", type=int, default=1, metavar="R", help=tr("pack.help_rotation"))
    p.add_argument("--out", metavar=tr("cli.metavar.file_pdf"), help=tr("pack.help_out") + "; " + tr("papers.help_out_zip"))
    p.add_argument("--school", metavar=tr("cli.metavar.name"), help=tr("pack.help_school"))
    p.add_argument("--letters", action="store_true", help=tr("pack.help_letters"))
    p.add_argument("--templates", metavar=tr("cli.metavar.folder"), help=tr("pack.help_templates"))
    p.add_argument("--all-classes", action="store_true", help=tr("papers.help_all_classes"))
    p.add_argument("--all-rotations", action="store_true", help=tr("papers.help_all_rotations"))
    p.add_argument("--workspace", metavar=tr("cli.metavar.path"), help=tr("papers.help_workspace"))
    return p


def _school_papers(args, tr) -> int:
    from .. import papers
    from ..store import Workspace, default_path

    if args.plan:
        raise MakkerError("papers.plan_needs_all")
    out = Path(args.out or papers.zip_name(tr.lang))
    if out.suffix.lower() != ".zip":
        raise MakkerError("papers.not_zip", path=str(out))
    source = Path(args.workspace or os.environ.get("MAKKER_WORKSPACE", "").strip() or default_path()).expanduser()
    if not source.exists():
        raise MakkerError("papers.no_workspace", path=str(source))
    result = papers.from_workspace(Workspace(source), tr.lang, all_rotations=args.all_rotations, school=args.school)
    out.write_bytes(result.data)
    print(tr("papers.saved", path=str(out), n=len(result.folders)))
    if result.not_planned:
        print(tr("papers.skipped", classes=", ".join(result.not_planned)))
    return 0


def run(args, tr) -> int:
    if args.all_classes:
        return _school_papers(args, tr)
    if not args.out:
        raise MakkerError("pack.need_out")
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise MakkerError("pack.not_pdf", path=args.out)
    if args.plan:
        plan = Plan.load(args.plan)
        data = pack.class_pack(plan, args.rotation, tr.lang, school=args.school, letters=args.letters,
                               templates=args.templates)
    elif args.letters:
        data = pack.letters_pdf(tr.lang, school=args.school, templates=args.templates)
    else:
        raise MakkerError("pack.need_plan")
    out.write_bytes(data)
    print(tr("pack.saved", path=str(out)))
    return 0
