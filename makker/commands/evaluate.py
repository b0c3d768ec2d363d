"""``makker evaluate FILE [--previous FILE] [--out report.pdf] [--json] [--workspace FILE]``.

The survey beside the national figures, and, when there is a saved school year
(``--workspace``, else ``$MAKKER_WORKSPACE`` or this year's file), each class's
implementation log beside its figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..i18n import MakkerError, Translator


def add_parser(subparsers, tr: Translator) -> argparse.ArgumentParser:
    from ..evaluation import STATEMENTS

    p = subparsers.add_parser("evaluate", help=tr("evaluation.help"), description=tr("evaluation.help"))
    p.add_argument("file", metavar=tr("cli.metavar.file"), help=tr("evaluation.help_file"))
    p.add_argument("--previous", metavar=tr("cli.metavar.file"), help=tr("evaluation.help_previous"))
    p.add_argument("--out", metavar=tr("cli.metavar.file_pdf"), help=tr("evaluation.help_out"))
    p.add_argument("--json", action="store_true", help=tr("evaluation.help_json"))
    p.add_argument("--workspace", metavar=tr("cli.metavar.path"), help=tr("evaluation.help_workspace"))
    p.add_argument("--statement", action="append", default=[], metavar=tr("evaluation.metavar_match"),
                   help=tr("evaluation.help_match", keys=", ".join(STATEMENTS)))
    return p


def _mapping(items: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for item in items:
        column, sep, key = item.rpartition("=")
        if not sep or not column.strip():
            raise MakkerError("evaluation.bad_match", text=item)
        key = key.strip()
        out[column.strip()] = None if key.lower() in ("", "none", "ingen") else key
    return out


def _workspace(given: str | None) -> Path | None:
    """The saved school year: ``--workspace``, else ``$MAKKER_WORKSPACE`` or this year's file when it exists."""
    import os

    from ..store import default_path

    if given:
        return Path(given).expanduser()
    wanted = os.environ.get("MAKKER_WORKSPACE", "").strip()
    path = Path(wanted).expanduser() if wanted and wanted.lower() != "temp" else default_path()
    return path if path.is_file() else None


def run(args: argparse.Namespace, tr: Translator) -> int:
    from .. import evaluation as ev
    from ..i18n import percent

    mapping = _mapping(args.statement)
    survey = ev.read_survey(args.file, mapping=mapping)
    previous = ev.read_survey(args.previous, mapping=mapping) if args.previous else None
    figs = ev.figures(survey, previous)
    fid = None
    path = _workspace(args.workspace)
    if path is not None:
        from ..store import Workspace

        fid = ev.workspace_fidelity(Workspace(path), figs)
    if not figs:
        print(tr("evaluation.too_few", count=survey.respondents, min=ev.MIN_GROUP), file=sys.stderr)
    if survey.unknown_answers:
        print(tr("evaluation.unknown_answers", count=survey.unknown_answers,
                 examples=", ".join(survey.unknown_examples) or "–"), file=sys.stderr)
    if args.json:
        json.dump({"figures": [f.to_json() for f in figs], "respondents": survey.respondents,
                   "unknown_answers": survey.unknown_answers,
                   "fidelity": [r.to_json() for r in fid] if fid else []},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not args.out:
        for f in figs:
            group = tr("evaluation.group.school") if f.kind == "school" else (
                tr("evaluation.group.other") if f.group == "other" else f.group)
            print(f"{tr('evaluation.statement.' + f.statement)} | {group} | {f.answers} | "
                  f"{percent(f.share, tr.lang) if f.share is not None else '–'} | {percent(f.national, tr.lang)}")
        if fid:
            from ..evaluation_report import fidelity_table

            print()
            for r in fidelity_table(fid, list(dict.fromkeys(f.statement for f in figs)), tr.lang):
                print(" | ".join(r))
    if args.out:
        from ..evaluation_report import report_pdf

        out = Path(args.out)
        out.write_bytes(report_pdf(survey, figs, fid, tr.lang))
        print(tr("evaluation.saved", path=str(out)), file=sys.stderr if args.json else sys.stdout)
    return 0
