"""``mml validate``: reference full marks, blank zero, every mutant loses points, nothing leaks."""

import tempfile
from pathlib import Path

import nbformat

from ..build import Built, build
from ..course import Assignment, Course
from ..course.template import CHECK_CELL, fill_bodies, question_cells, read_template
from .leaks import check_leaks
from .local_engine import render_test_files, run_cells, score
from .specimens import fill, mutant_bodies, reference_bodies
from .table import Row, print_table


def _expect(slug: str, label: str, scores: dict[str, float], a: Assignment, want: str) -> Row:
    total = sum(scores.get(q.name, 0.0) for q in a.questions)
    text = f"{total:g}/{a.points:g}"
    if want == "full":
        ok = all(abs(scores.get(q.name, 0) - q.points) < 1e-9 for q in a.questions)
    elif want == "zero":
        ok = total == 0
    else:
        lost = [q.name for q in a.questions if scores.get(q.name, 0) < q.points - 1e-9]
        ok = bool(lost)
        text += f" (loses {', '.join(lost)})" if lost else " (loses nothing)"
    return Row(slug, label, text, ok)


def _local_sources(a: Assignment, bodies: dict[str, list[str]] | None) -> list[str]:
    nb = read_template(a)
    question_cells(a, nb)
    sources = []
    for cell in nb.cells:
        if cell.cell_type != "code" or CHECK_CELL.match(cell.source):
            continue
        if "otter_ignore" in cell.metadata.get("tags", []):
            continue
        sources.append(fill_bodies(cell.source, bodies or {}, str(a.template))[0])
    return sources


def validate_local(a: Assignment) -> list[Row]:
    """The fast, in-process check for authors (no Otter Assign, no kernel)."""
    files = render_test_files(a)
    rows = []
    runs = [("reference", reference_bodies(a), "full"), ("blank", None, "zero")]
    runs += [(f"mutant {m}", b, "loses") for m, b in mutant_bodies(a).items()]
    for label, bodies, want in runs:
        namespace, errors = run_cells(_local_sources(a, bodies), a.template_dir)
        scores = {q: s.score for q, s in score(files, namespace).items()}
        row = _expect(a.slug, label, scores, a, want)
        if errors and want == "full":
            row.ok, row.result = False, row.result + f" (cell error: {errors[0]})"
        rows.append(row)
    return rows


def validate_otter(
    a: Assignment, built: Built, workers: int, course: Course | None = None, mutants: bool = True
) -> list[Row]:
    """The real thing: ``otter run`` with the built zip on reference, blank and (unless
    ``mutants`` is false) every hand-written mutant; then the leak check."""
    from .otter_engine import otter_run_many

    student = nbformat.read(built.student_notebook, as_version=4)
    runs = [("reference", fill(student, reference_bodies(a)), "full"), ("blank", student, "zero")]
    if mutants:
        runs += [(f"mutant {m}", fill(student, b), "loses") for m, b in mutant_bodies(a).items()]
    with tempfile.TemporaryDirectory(prefix=f"mml-validate-{a.slug}-") as tmp:
        paths = []
        for k, (_, nb, _) in enumerate(runs):
            path = Path(tmp) / f"{k}" / f"{a.slug}.ipynb"
            path.parent.mkdir()
            nbformat.write(nb, path)
            paths.append(path)

        results = otter_run_many(built.autograder_zip, paths, workers)
    rows = []
    for (label, _, want), result in zip(runs, results, strict=True):
        if isinstance(result, Exception):
            rows.append(Row(a.slug, label, f"otter run failed: {result}", False))
        else:
            rows.append(_expect(a.slug, label, result, a, want))
    rows.append(check_leaks(a, built, course))
    return rows


def validate(course: Course, slugs, out: Path, engine: str = "otter", workers: int = 2, echo=print):
    """Validate the selected assignments; print a table; return the exit code."""
    rows: list[Row] = []
    selected = course.select(slugs)
    built = [None] * len(selected)
    if engine != "local":
        built = build(course, [a.slug for a in selected], out, echo=echo)
    w1 = max(len(a.slug) for a in selected)
    for a, b in zip(selected, built, strict=True):  # each assignment's rows as soon as known
        new = validate_local(a) if engine == "local" else validate_otter(a, b, workers, course)
        print_table(new, echo, w1, 34)
        rows += new
    failed = sum(not r.ok for r in rows)
    summary = f"{len(rows) - failed} of {len(rows)} checks passed"
    echo(summary + (f", {failed} FAILED" if failed else ""))
    return 1 if failed else 0
