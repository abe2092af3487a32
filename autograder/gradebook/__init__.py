"""``mml gradebook``: graded folders -> the CSV an LMS imports (Canvas, Moodle) or a plain one.

Pipeline: read each ``mml grade --out`` folder's results -> match them to the roster -> one
column per assignment plus a weighted total -> write the chosen format. Nothing is dropped
silently: unmatched submissions are listed and make the command fail unless allowed.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.grade.record import write_atomic
from autograder.grade.view import ResultView, read_results

from . import formats
from .formats import Column, Row
from .roster import Matcher, RosterError, Student, read_roster

TOTAL = "total"


class GradebookError(Exception):
    """Input that cannot make a gradebook (a folder that is not a grading run, ...)."""


@dataclass(frozen=True)
class Graded:
    """One assignment's grading run: its column and its results."""

    column: Column
    weight: float
    results: list[ResultView]


def graded_folders(dirs: list[Path], course=None, stream=sys.stderr) -> list[Graded]:
    """Each DIR (an ``mml grade --out`` folder, or a folder of them, one per assignment)."""
    runs = []
    for d in dirs:
        d = Path(d)
        if (d / "results").is_dir():
            runs.append(d)
            continue
        inner = sorted(p for p in d.glob("*/results") if p.is_dir()) if d.is_dir() else []
        if not inner:
            raise GradebookError(f"{d}: not a grading folder (no results/ in it or below it)")
        runs += [p.parent for p in inner]
    keys = [r.name for r in runs]
    twins = sorted({k for k in keys if keys.count(k) > 1})
    if twins:
        raise GradebookError(f"two folders are named {', '.join(twins)}: one column each needed")
    graded = []
    for run in runs:
        results = read_results(run, stream)
        if not results:
            print(f"mml gradebook: warning: {run} holds no results", file=stream)
        assignment = _assignment(course, run.name)
        if assignment is not None:
            column = Column(run.name, assignment.title, assignment.points)
            weight = assignment.total_weight
        else:
            possible = max((r.possible for r in results), default=0.0)
            column, weight = Column(run.name, run.name, possible), possible
        graded.append(Graded(column, weight, results))
    return graded


def _assignment(course, slug: str):
    if course is None:
        return None
    return next((a for a in course.assignments if a.slug == slug), None)


def score(r: ResultView) -> float | None:
    """What goes in the gradebook: the total, or nothing when the grader itself failed."""
    return None if r.status == "error" else r.total


def build_rows(
    graded: list[Graded], students: list[Student] | None, stream=sys.stderr
) -> tuple[list[Row], list[str]]:
    """Rows (every roster student, or every submission) and the unmatched submissions."""
    matcher = Matcher(students) if students is not None else None
    rows: dict[str, Row] = {}
    if students is not None:
        rows = {str(i): Row(s, s.name, {}) for i, s in enumerate(students)}
    index = {id(s): str(i) for i, s in enumerate(students or [])}
    unmatched, chosen = [], {}
    for g in graded:
        for r in g.results:
            if r.status == "error":
                print(
                    f"mml gradebook: {g.column.key}/{r.submission}: the grader failed on it; "
                    "left blank (regrade it with mml grade --regrade)",
                    file=stream,
                )
            if matcher is None:
                key = r.submission
                rows.setdefault(key, Row(Student(r.submission), r.submission, {}))
            else:
                student, why = matcher.match(r.submission, r.source)
                if student is None:
                    unmatched.append(f"{g.column.key}/{r.submission} ({r.source}): {why}")
                    continue
                key = index[id(student)]
            earlier = chosen.get((g.column.key, key))
            if earlier is not None:
                print(
                    f"mml gradebook: {g.column.key}: {earlier.submission} and {r.submission} "
                    f"are both {rows[key].label}'s; the higher score counts",
                    file=stream,
                )
                if (score(r) or 0) <= (score(earlier) or 0):
                    continue
            chosen[(g.column.key, key)] = r
            rows[key].scores[g.column.key] = score(r)
    return list(rows.values()), unmatched


def add_total(graded: list[Graded], rows: list[Row]) -> Column:
    """The weighted course total: each assignment's share of its points times its weight."""
    for row in rows:
        row.scores[TOTAL] = sum(
            g.weight * (row.scores.get(g.column.key) or 0.0) / g.column.possible
            for g in graded
            if g.column.possible
        )
    return Column(TOTAL, "Weighted total", sum(g.weight for g in graded))


def main(
    dirs: list[Path],
    fmt: str,
    out: Path,
    roster: Path | None = None,
    allow_unmatched: bool = False,
    course=None,
    stream=sys.stderr,
) -> int:
    """Write the gradebook; returns the exit code (1: unmatched submissions, 2: bad input)."""
    if fmt in ("canvas", "moodle") and roster is None:
        print(f"mml gradebook: --format {fmt} needs --roster (rows are matched by ID)", file=stream)
        return 2
    try:
        students = read_roster(roster) if roster is not None else None
        graded = graded_folders(dirs, course, stream)
    except (RosterError, GradebookError) as e:
        print(f"mml gradebook: {e}", file=stream)
        return 2
    rows, unmatched = build_rows(graded, students, stream)
    for u in unmatched:
        print(f"mml gradebook: unmatched: {u}", file=stream)
    if unmatched and not allow_unmatched:
        print(
            f"mml gradebook: {len(unmatched)} submissions match no student; fix the roster or "
            "the file names, or pass --allow-unmatched; nothing written",
            file=stream,
        )
        return 1
    columns = [g.column for g in graded]
    if len(graded) > 1:
        columns.append(add_total(graded, rows))
    if students is not None:
        missing = [r.student.name for r in rows if not any(k in r.scores for k in _keys(graded))]
        if missing:
            print(f"mml gradebook: no submission from: {', '.join(missing)}", file=stream)
    if fmt == "canvas":
        text = formats.canvas(columns, rows)
    elif fmt == "moodle":
        text = formats.moodle(columns, rows)
    else:
        text = formats.plain(columns, rows, roster=students is not None)
    out = Path(out)
    if not out.parent.is_dir():
        print(f"mml gradebook: no folder {out.parent} to write {out.name} into", file=stream)
        return 2
    write_atomic(out, text)
    print(f"mml gradebook: wrote {out} ({len(rows)} rows, {len(columns)} columns)", file=stream)
    return 0


def _keys(graded: list[Graded]) -> list[str]:
    return [g.column.key for g in graded]
