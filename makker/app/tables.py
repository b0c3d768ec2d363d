"""HTML fragments for the dashboard (pure functions, no widgets).

Every name and file text is escaped with ``html.escape``: class lists are
user input and may contain markup such as ``<img onerror=...>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..i18n import t
from ..students import Roster

TABLE_STYLE = "border-collapse:collapse;font-size:14px;color:#1a1a1a;background:#fff"
CELL = "border:1px solid #767676;padding:3px 8px;text-align:left"


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    head = "".join(f'<th scope="col" style="{CELL};background:#e8eef4">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f'<td style="{CELL}">{escape(str(c))}</td>' for c in row) + "</tr>" for row in rows)
    cap = f'<caption style="text-align:left;font-weight:bold;padding:4px 0">{escape(caption)}</caption>' if caption else ""
    return f'<table style="{TABLE_STYLE}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def gender_label(g: str | None, lang: str) -> str:
    return t({"K": "app.gender.K", "M": "app.gender.M"}.get(g or "", "app.gender.unknown"), lang)


def roster_table(roster: Roster | None, lang: str, presentation: bool = False) -> str:
    """The class list; in presentation mode only the names."""
    if roster is None:
        return f"<p>{escape(t('app.load.nothing', lang))}</p>"
    caption = t("app.load.roster_caption", lang, klass=roster.klass, n=len(roster.students))
    if presentation:
        rows = [[i, s.name] for i, s in enumerate(roster.students, 1)]
        return _table(["#", t("app.col.name", lang)], rows, caption)
    rows = [[i, s.name, gender_label(s.gender, lang), s.school or "–"] for i, s in enumerate(roster.students, 1)]
    headers = ["#", t("app.col.name", lang), t("app.col.gender", lang), t("app.col.school", lang)]
    return _table(headers, rows, caption)


def roster_counts(roster: Roster | None, lang: str) -> str:
    """Gender and previous-school counts (never shown in presentation mode)."""
    if roster is None:
        return ""
    g = roster.gender_counts()
    genders = t("app.load.gender_counts", lang, girls=g["K"], boys=g["M"], unknown=g["unknown"])
    schools = roster.school_counts()
    rows = [[name, n] for name, n in schools.items()]
    no_school = sum(1 for s in roster.students if not s.school)
    if no_school:
        rows.append([t("app.load.school_unknown", lang), no_school])
    table = _table([t("app.col.school", lang), t("app.col.count", lang)], rows, t("app.load.school_caption", lang))
    return f"<p>{escape(genders)}</p>{table}"


def message_list(messages, lang: str, title_key: str) -> str:
    """Importer warnings, planner notes: a titled bullet list (empty when none)."""
    items = [m.render(lang) if hasattr(m, "render") else str(m) for m in messages]
    if not items:
        return ""
    lis = "".join(f"<li>{escape(x)}</li>" for x in items)
    return f"<p><strong>{escape(t(title_key, lang))}</strong></p><ul>{lis}</ul>"


def rule_list(pairs, names: dict[str, str], lang: str, title_key: str) -> str:
    if not pairs:
        return f"<p>{escape(t(title_key, lang))}: {escape(t('app.rules.none', lang))}</p>"
    items = sorted(" – ".join(sorted(names.get(i, i) for i in p)) for p in pairs)
    lis = "".join(f"<li>{escape(x)}</li>" for x in items)
    return f"<p><strong>{escape(t(title_key, lang))}</strong></p><ul>{lis}</ul>"


def keep_list(entries, names: dict[str, str], lang: str) -> str:
    """Keep-together pairs with the rotations they hold for (coordinator only, like every rule list)."""
    if not entries:
        return rule_list((), names, lang, "app.rules.keep_list")
    items = []
    for p, numbers in entries:
        who = " – ".join(sorted(names.get(i, i) for i in p))
        when = t("app.rules.rotations_all", lang) if numbers is None else ", ".join(map(str, numbers))
        items.append(t("app.rules.keep_item", lang, pair=who, rotations=when))
    lis = "".join(f"<li class='makker-rule-keep'>{escape(x)}</li>" for x in sorted(items))
    return f"<p><strong>{escape(t('app.rules.keep_list', lang))}</strong></p><ul>{lis}</ul>"


def rotation_table(rotation, names: dict[str, str], lang: str) -> str:
    """Pairs and groups of one rotation: one row per pair, the group number first."""
    if rotation is None:
        return f"<p>{escape(t('app.see.no_plan', lang))}</p>"
    rows = []
    for gi, group in enumerate(rotation.groups, 1):
        for pi, p in enumerate(group, 1):
            rows.append([gi, pi, " + ".join(names.get(s, s) for s in p)])
    caption = t("app.see.table_caption", lang, number=rotation.number)
    if rotation.start and rotation.end:
        caption += " " + t("app.see.dates", lang, start=rotation.start, end=rotation.end)
    headers = [t("app.col.group", lang), t("app.col.pair", lang), t("app.col.students", lang)]
    return _table(headers, rows, caption)


def plain_lines(lines: list[str], lang: str, title_key: str, empty_key: str) -> str:
    if not lines:
        return f"<p><strong>{escape(t(title_key, lang))}</strong> {escape(t(empty_key, lang))}</p>"
    # a line that starts with a dash belongs to the line above it (the report's reasons)
    lis = "".join(f'<li style="list-style:none;margin-left:1.2em">{escape(x)}</li>' if x.startswith("– ")
                  else f"<li>{escape(x)}</li>" for x in lines)
    return f"<p><strong>{escape(t(title_key, lang))}</strong></p><ul>{lis}</ul>"


def error_box(text: str) -> str:
    if not text:
        return ""
    return (
        '<div role="alert" style="border:2px solid #a4000f;background:#fdecea;color:#5c0000;'
        f'padding:6px 10px;margin:4px 0"><strong>!</strong> {escape(text)}</div>'
    )
