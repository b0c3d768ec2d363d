"""``makker pack``: the printable class pack (PDF) for one rotation."""

from __future__ import annotations

from pathlib import Path

from .. import pack
from ..i18n import MakkerError
from ..plan import Plan


def add_parser(subparsers, tr):
    p = subparsers.add_parser("pack", help=tr("pack.help"), description=tr("pack.help"))
    p.add_argument("plan", nargs="?", metavar="PLAN.json", help=tr("pack.help_plan"))
    p.add_argument("--rotation", type=int, default=1, metavar="R", help=tr("pack.help_rotation"))
    p.add_argument("--out", required=True, metavar=tr("cli.metavar.file_pdf"), help=tr("pack.help_out"))
    p.add_argument("--school", metavar=tr("cli.metavar.name"), help=tr("pack.help_school"))
    p.add_argument("--letters", action="store_true", help=tr("pack.help_letters"))
    p.add_argument("--templates", metavar=tr("cli.metavar.folder"), help=tr("pack.help_templates"))
    return p


def run(args, tr) -> int:
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
