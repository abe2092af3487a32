"""The gradebook files an LMS imports: Canvas, Moodle and a plain CSV."""

import csv
import io
from dataclasses import dataclass

from .roster import Student

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class Column:
    """One graded item: an assignment, or the weighted course total."""

    key: str  # the assignment's slug (or the folder's name)
    title: str
    possible: float


@dataclass(frozen=True)
class Row:
    """One student's line: scores by column key (None: nothing graded)."""

    student: Student
    label: str  # what identifies the row without a roster (the submission's identity)
    scores: dict[str, float | None]


def safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(x: float | None) -> str:
    if x is None:
        return ""
    x = round(float(x), 4)
    return str(int(x)) if x == int(x) else f"{x:g}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe(h) for h in header])
    w.writerows(rows)
    return buf.getvalue()


def canvas(columns: list[Column], rows: list[Row]) -> str:
    """Canvas's gradebook import: five student columns, one per assignment, Points Possible."""
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [c.title for c in columns]
    lines = [["    Points Possible", "", "", "", "", *[number(c.possible) for c in columns]]]
    for r in rows:
        s = r.student
        cells = [s.name, s.id, s.sis_id, s.login, s.section]
        lines.append([safe(x) for x in cells] + [number(r.scores.get(c.key)) for c in columns])
    return _table(header, lines)


def moodle(columns: list[Column], rows: list[Row]) -> str:
    """Moodle's grade import (CSV): an identifier column, the name, one column per grade item."""
    field, label = _moodle_identifier(rows)
    header = [label, "Full name", *[c.title for c in columns]]
    lines = []
    for r in rows:
        cells = [getattr(r.student, field), r.student.name]
        lines.append([safe(x) for x in cells] + [number(r.scores.get(c.key)) for c in columns])
    return _table(header, lines)


def _moodle_identifier(rows: list[Row]) -> tuple[str, str]:
    """The first identifier every student has, named as Moodle's import lists it."""
    choices = (("email", "Email address"), ("sis_id", "ID number"), ("login", "Username"))
    for field, label in choices:
        if rows and all(getattr(r.student, field) for r in rows):
            return field, label
    return "id", "ID"


def plain(columns: list[Column], rows: list[Row], roster: bool) -> str:
    """Any spreadsheet: who, then one column per item; the second line holds the points."""
    who = ["student", "id", "email"] if roster else ["submission"]
    header = who + [c.key for c in columns]
    lines = [["points possible", *[""] * (len(who) - 1), *[number(c.possible) for c in columns]]]
    for r in rows:
        cells = [r.student.name, r.student.id or r.student.sis_id, r.student.email]
        cells = cells if roster else [r.label]
        lines.append([safe(x) for x in cells] + [number(r.scores.get(c.key)) for c in columns])
    return _table(header, lines)
