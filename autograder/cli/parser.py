"""The ``mml`` command line: every subcommand's arguments, help texts and examples."""

import argparse
import math
import shutil
import textwrap
from pathlib import Path

DIST = (
    "(default: dist/ in the course folder); it will hold, per assignment, <slug>/student/ (the "
    "student notebook <slug>.ipynb and its data files), <slug>/autograder/<slug>-autograder.zip "
    "(for `otter run` and Gradescope) and <slug>/autograder/<slug>.ipynb (the executed reference)"
)

BUILD_EPILOG = """examples:
  mml build                          every assignment, into dist/
  mml build pca sandpit --out /tmp/release --force
"""
VALIDATE_EPILOG = """examples:
  mml validate                       every assignment, with otter run (minutes)
  mml validate sandpit --engine local    one assignment, in about a second, while writing it
  mml validate --mutate --min-score 95   mutation score of every assignment's hidden tests
"""
CHECK_EPILOG = """examples:
  mml check reflecting-bear.ipynb
  mml check my-copy.ipynb -q q1 -q q2 --timeout 60
"""


class Parser(argparse.ArgumentParser):
    """Input errors in one line (no usage block), pointing at --help; exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown (unless None/False, said in the text), examples kept as written."""

    def _get_help_string(self, action):
        if action.default in (None, False) or "(default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=min(100, shutil.get_terminal_size().columns - 2))


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="mml", description="Build, validate, check and grade the MML course assignments."
    )
    p.add_argument("--course", type=Path, default=None, help="course folder (default: nearest)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    b = sub.add_parser(
        "build",
        help="build student notebooks and autograder zips",
        description=_wrap(
            "Build each assignment: compose the Otter master notebook from the template "
            "and the solution, run it in a Jupyter kernel (it must finish within build.timeout of "
            "course.yml), run `otter assign`, and place stable outputs under --out. Unchanged "
            "assignments are not rebuilt."
        ),
        epilog=BUILD_EPILOG,
        formatter_class=HelpFormatter,
    )
    b.add_argument(
        "slugs", nargs="*", metavar="SLUG", help="assignments to build (default: all in course.yml)"
    )
    b.add_argument("--out", type=Path, default=None, metavar="DIR", help=f"output folder {DIST}")
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")

    v = sub.add_parser(
        "validate",
        help="check that the built assignments grade as intended",
        description=_wrap(
            "For each assignment: the reference solution must score full marks, the "
            "blank notebook 0, every mutant in solutions/.../mutants/ must lose points, and no "
            "hidden test or solution may appear in the student folder. Prints a table; exit 1 if "
            "any check fails."
        ),
        epilog=VALIDATE_EPILOG,
        formatter_class=HelpFormatter,
    )
    v.add_argument(
        "slugs",
        nargs="*",
        metavar="SLUG",
        help="assignments to validate (default: all in course.yml)",
    )
    v.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"build folder, built first if stale, as by `mml build --out` {DIST}",
    )
    v.add_argument(
        "--engine",
        choices=["otter", "local"],
        default="otter",
        help="otter: build and grade with the real `otter run`; local: fast in-process check "
        "of the sources only (no build), for authors",
    )
    v.add_argument(
        "--workers",
        type=positive_int,
        default=2,
        metavar="N",
        help="parallel `otter run`s (engine otter), or judges (with --mutate)",
    )
    v.add_argument(
        "--mutate",
        action="store_true",
        help="mutation score: generate mutants of each reference solution and grade them with "
        "the sandboxed grader (equivalent mutants found and not counted)",
    )
    v.add_argument(
        "--min-score",
        type=float,
        default=None,
        metavar="P",
        help="with --mutate: exit 1 if an assignment's mutation score is below P percent",
    )

    c = sub.add_parser(
        "check",
        help="run a notebook's public tests (for students)",
        description=_wrap(
            "Run your notebook top to bottom in a fresh Jupyter kernel (Otter's own "
            "cells are skipped), then the public tests of each question, and say what passed. "
            "Hidden tests run only when you are graded. Exit 0: all public tests pass; 1: some "
            "fail; 2: the notebook could not be checked (not a notebook, or it did not finish "
            "within --timeout: the cell or question that was running is named); 130: Ctrl-C."
        ),
        epilog=CHECK_EPILOG,
        formatter_class=HelpFormatter,
    )
    c.add_argument(
        "notebook", type=Path, metavar="NOTEBOOK", help="your .ipynb (its data files beside it)"
    )
    c.add_argument(
        "-q",
        "--question",
        action="append",
        metavar="Q",
        help="only this question, e.g. q2 (repeatable; default: every question)",
    )
    c.add_argument(
        "--timeout",
        type=positive_seconds,
        default=300,
        metavar="S",
        help="seconds for the whole run, tests included; then it stops and names the cell",
    )

    g = sub.add_parser(
        "grade",
        help="grade a batch of submissions safely and fast",
        description="Grade every submission for SLUG (or for any Otter autograder zip given with "
        "--autograder), each in a sandbox, into the folder --out. A course assignment must be "
        "built first (`mml build SLUG`).",
        usage="mml grade (SLUG | --autograder ZIP) PATH ... --out DIR [options]\n"
        "       mml grade --all ROOT --out DIR [options]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=GRADE_EPILOG,
    )
    g.add_argument(
        "targets",
        nargs="*",
        metavar="SLUG/PATH",
        help="the assignment's SLUG (not with --autograder), then .ipynb files, .zip files from "
        "grader.export(), or folders searched recursively",
    )
    g.add_argument(
        "--all",
        type=Path,
        default=None,
        metavar="ROOT",
        help="grade the whole course in one run: ROOT/<slug>/ holds each assignment's "
        "submissions; writes DIR/<slug>/ as for one assignment, plus a course-wide "
        "DIR/scores.csv (weighted total) and DIR/report.html",
    )
    g.add_argument(
        "--autograder",
        type=Path,
        default=None,
        metavar="ZIP",
        help="grade with any Otter autograder zip instead of a course assignment (no course "
        "needed; see docs/otter-zips.md)",
    )
    g.add_argument(
        "--fallback",
        choices=["otter-run"],
        default=None,
        help="with --autograder: grade a zip whose features the safe grader refuses with the "
        "real `otter run` (NOT sandboxed)",
    )
    g.add_argument("--out", type=Path, required=True, metavar="DIR", help="results folder")
    g.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="parallel judges (default: grading.workers in course.yml)",
    )
    g.add_argument(
        "--timeout",
        type=positive_seconds,
        default=None,
        metavar="S",
        help="seconds per submission (default: grading.timeout in course.yml)",
    )
    g.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDR",
        help="grade on a Dask cluster, e.g. tcp://host:8786 (default: local processes)",
    )
    g.add_argument(
        "--dist",
        type=Path,
        default=None,
        metavar="DIR",
        help="where `mml build --out` put the build (default: <course>/dist)",
    )
    g.add_argument(
        "--regrade",
        nargs="+",
        default=None,
        metavar="NAME",
        help="grade these submissions again (identity, as in scores.csv, or path)",
    )
    g.add_argument("--force", action="store_true", help="grade every submission again")

    gb = sub.add_parser(
        "gradebook",
        help="turn grading folders into a gradebook CSV for Canvas, Moodle or a spreadsheet",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Collect the results of `mml grade --out DIR` folders (one per assignment, "
        "or a folder of them) into one CSV: a column per assignment and, for several, a "
        "weighted total (weights from course.yml). See docs/gradebook.md.",
        epilog="examples:\n"
        "  mml gradebook out/pagerank --format csv --out grades.csv\n"
        "  mml gradebook out/* --format canvas --roster canvas-export.csv --out canvas.csv",
    )
    gb.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="mml grade --out folders")
    gb.add_argument(
        "--format",
        choices=["canvas", "moodle", "csv"],
        default="csv",
        help="canvas: Canvas gradebook import; moodle: Moodle grade import; csv: plain "
        "(default: %(default)s)",
    )
    gb.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="class list CSV (e.g. Canvas's gradebook export) matched to file names; "
        "required for canvas and moodle",
    )
    gb.add_argument(
        "--allow-unmatched",
        action="store_true",
        help="write the gradebook even if some submissions match no student (still listed)",
    )
    gb.add_argument("--out", type=Path, required=True, help="the CSV file to write")

    for command in sub.choices.values():  # `mml grade ... --course X` works too
        command.add_argument(
            "--course",
            type=Path,
            default=argparse.SUPPRESS,
            metavar="DIR",
            help="course folder (default: the nearest folder with course.yml)",
        )
    return p


GRADE_EPILOG = """\
--out DIR will contain:
  scores.csv           one row per submission in DIR: submission, status, q1..qN, total,
                       possible, source
  results/<file>.json  the full result of each submission (kept: reruns resume from them)
  feedback/<file>.html the page for each student
  summary.json, summary.md  counts per status, mean scores
A submission's identity (its row) is its file stem, or its folder's name when the stem is
the assignment's name (subs/kate/mean-covariance.ipynb is "kate").

exit status: 0 all graded, 1 a submission ended in `error` (rerun to retry), 2 bad input

examples:
  mml grade mean-covariance subs/ --out graded/
  mml grade mean-covariance subs/ --out graded/ --regrade kate bob
  mml grade pca subs/ --out graded/ --workers 8 --timeout 120 --scheduler tcp://host:8786
"""
