"""The demo's last step: write example submissions for every assignment and grade them.

Five made-up students per assignment, made from the sources so they never drift:
ada (the reference), ben and cleo (two different mutants: one mistake each), dev (only the
first question answered), each submitted as the zip that `grader.export()` makes, and eve
(the reference, submitted as a bare notebook saved under her own name).
Results land in demo-out/<slug>/ (scores.csv, feedback/, results/, report.html, summary), and
the Canvas gradebook of the whole course in demo-out/canvas.csv.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

from autograder.course import load_course
from autograder.validate.specimens import (
    blank_submission,
    fill,
    mutant_bodies,
    reference_bodies,
)

ROOT = Path(__file__).resolve().parents[1]


def write_examples(course, slug: str, folder: Path) -> None:
    a = course.assignment(slug)
    folder.mkdir(parents=True, exist_ok=True)
    blank = blank_submission(course, slug)
    reference = reference_bodies(a)
    mutants = list(mutant_bodies(a).values())
    first = {f: reference[f] for f in a.questions[0].functions}
    students = {
        "ada": fill(blank, reference),
        "ben": fill(blank, mutants[0]),
        "cleo": fill(blank, mutants[len(mutants) // 2]),
        "dev": fill(blank, first),
    }
    for name, nb in students.items():
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as z:
            z.writestr(f"{slug}.ipynb", nbformat.writes(nb))
    nbformat.write(students["ada"], folder / "eve.ipynb")


def main() -> int:
    course = load_course(ROOT)
    out = ROOT / "demo-out"
    failures = 0
    for a in course.assignments:
        subs = out / "submissions" / a.slug
        write_examples(course, a.slug, subs)
        results = out / a.slug
        cmd = [str(ROOT / ".venv/bin/mml"), "grade", a.slug, str(subs), "--out", str(results)]
        print(f"== {a.slug}: {' '.join(cmd[1:])}", flush=True)
        failures += subprocess.run(cmd).returncode != 0
        print((results / "scores.csv").read_text() if (results / "scores.csv").is_file() else "")
    canvas = out / "canvas.csv"
    cmd = [str(ROOT / ".venv/bin/mml"), "gradebook"]
    cmd += [str(out / a.slug) for a in course.assignments]
    cmd += ["--format", "canvas", "--roster", str(ROOT / "scripts/demo-roster.csv")]
    cmd += ["--out", str(canvas)]
    print(f"== gradebook: {' '.join(cmd[1:])}", flush=True)
    failures += subprocess.run(cmd).returncode != 0
    print(f"Scores, feedback, report.html and summaries are in {out}/<slug>/; Canvas: {canvas}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
