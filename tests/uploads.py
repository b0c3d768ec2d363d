"""What the tests upload: a class list as the school's admin system exports it,
and the value ipywidgets' FileUpload holds after a browser upload of it."""

from __future__ import annotations


def csv_of(*rosters, columns: dict[str, dict[str, str]] | None = None) -> bytes:
    """A class list as Visma exports it (semicolons), one row per student.

    ``columns`` adds columns: heading -> {student id: value} (e.g. «Faggruppe»).
    """
    columns = columns or {}
    lines = [";".join(["Fornavn", "Etternavn", "Klasse", "Kjønn", "Elevnummer", *columns])]
    for roster in rosters:
        for s in roster.students:
            more = "".join(f";{values.get(s.id, '')}" for values in columns.values())
            lines.append(f"{s.first};{s.last};{roster.klass};{s.gender or ''};{s.id}{more}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload_value(data: bytes, name: str):
    """What ipywidgets 8 FileUpload.value looks like after a browser upload."""
    return ({"name": name, "type": "", "size": len(data), "content": memoryview(data), "last_modified": 0},)
