"""The ``mml`` command: parses arguments and hands each subcommand to its module."""

import argparse
import math
import os
import shutil
import sys
import textwrap
from pathlib import Path

from .course import CourseError, load_course

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


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="mml", description="Build, validate, check and grade the MML course assignments."
    )
    p.add_argument("--course", type=Path, default=None, help="course folder (default: nearest)")
    sub = p.add_subparsers(dest="command", required=True)

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
        help="parallel `otter run`s (engine otter)",
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

    g = sub.add_parser("grade", help="grade a batch of submissions safely and fast")
    g.add_argument("slug", metavar="SLUG")
    g.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".ipynb, .zip or folders")
    g.add_argument("--out", type=Path, required=True, help="results folder")
    g.add_argument("--workers", type=int, default=None, help="parallel submissions")
    g.add_argument("--timeout", type=float, default=None, help="seconds per submission")
    g.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786)")
    return p


class InputError(Exception):
    """A command-line value that cannot be used (the message is for the user)."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    single_threaded_blas()
    try:
        return _run(args)
    except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM during a kernel run (kernel.Terminated)
        print(f"mml {args.command}: interrupted", file=sys.stderr)
        return getattr(e, "exit_code", 130)


def _run(args) -> int:
    try:
        if args.command == "check":
            from .check import check_notebook

            return check_notebook(args.notebook, args.question, args.timeout)
        course = load_course(args.course)
        if args.command == "build":
            from .build import BuildError, build

            try:
                build(course, args.slugs, _under(course, args.out), force=args.force)
            except BuildError as e:
                print(f"mml build: {e}", file=sys.stderr)
                return 1
            return 0
        if args.command == "validate":
            from .validate import validate

            return validate(course, args.slugs, _under(course, args.out), args.engine, args.workers)
        if args.command == "grade":
            from .grade import main as grade_main

            course.assignment(args.slug)
            return grade_main(
                slug=args.slug,
                paths=args.paths,
                out=args.out,
                workers=args.workers,
                timeout=args.timeout,
                scheduler=args.scheduler,
                course=course,
            )
    except (CourseError, InputError) as e:
        print(f"mml {args.command}: {e}", file=sys.stderr)
        return 2
    return 2


def single_threaded_blas() -> None:
    """One BLAS thread per process: kernels and graders run side by side on few cores, and
    multithreaded BLAS under contention made a 64x64 eigh a thousand times slower."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _under(course, out: Path | None) -> Path:
    out = course.root / "dist" if out is None else out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    return out


if __name__ == "__main__":
    sys.exit(main())
