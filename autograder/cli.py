"""The ``mml`` command: parses arguments and hands each subcommand to its module."""

import argparse
import os
import sys
from pathlib import Path

from .course import CourseError, load_course


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (argparse prints the whole usage first)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="mml", description="Build, validate, check and grade the MML course assignments."
    )
    p.add_argument("--course", type=Path, default=None, help="course folder (default: nearest)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="build student notebooks and autograder zips")
    b.add_argument("slugs", nargs="*", metavar="SLUG", help="assignments (default: all)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: <course>/dist)")
    b.add_argument("--force", action="store_true", help="rebuild even if up to date")

    v = sub.add_parser("validate", help="check that the built assignments grade as intended")
    v.add_argument("slugs", nargs="*", metavar="SLUG", help="assignments (default: all)")
    v.add_argument("--out", type=Path, default=None, help="build folder (default: <course>/dist)")
    v.add_argument(
        "--engine",
        choices=["otter", "local"],
        default="otter",
        help="otter: build and grade with `otter run` (default); local: fast in-process check "
        "of sources only, for authors",
    )
    v.add_argument("--workers", type=int, default=2, help="parallel otter runs (default 2)")

    c = sub.add_parser("check", help="run a notebook's public tests (for students)")
    c.add_argument("notebook", type=Path, metavar="NOTEBOOK")
    c.add_argument("-q", "--question", action="append", help="only this question (repeatable)")
    c.add_argument("--timeout", type=int, default=300, help="seconds for the whole notebook")

    g = sub.add_parser(
        "grade",
        help="grade a batch of submissions safely and fast",
        description="Grade every submission for SLUG, each in a sandbox, into the folder --out. "
        "The assignment must be built (`mml build SLUG`).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=GRADE_EPILOG,
    )
    g.add_argument("slug", metavar="SLUG", help="the assignment, e.g. mean-covariance")
    g.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help=".ipynb files, .zip files from grader.export(), or folders searched recursively",
    )
    g.add_argument("--out", type=Path, required=True, metavar="DIR", help="results folder")
    g.add_argument(
        "--workers",
        type=_positive(int),
        default=None,
        metavar="N",
        help="parallel judges (default: grading.workers in course.yml)",
    )
    g.add_argument(
        "--timeout",
        type=_positive(float),
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


def _positive(kind):
    """An argparse type: a number greater than zero."""

    def parse(text: str):
        try:
            x = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not 0 < x < 1e9:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"must be a number greater than 0, not {text}")
        return x

    parse.__name__ = kind.__name__
    return parse


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    single_threaded_blas()
    try:
        if args.command == "check":
            from .check import check_notebook

            return check_notebook(args.notebook, args.question, args.timeout)
        if args.command == "gradebook":
            from .gradebook import main as gradebook_main

            try:  # titles and weights come from the course; without one, folder names serve
                gb_course = load_course(args.course)
            except CourseError:
                gb_course = None
            return gradebook_main(
                args.dirs, args.format, args.out, args.roster, args.allow_unmatched, gb_course
            )
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
                dist=args.dist,
                regrade=args.regrade,
                force=args.force,
            )
    except CourseError as e:
        print(f"mml: {e}", file=sys.stderr)
        return 2
    return 2


def single_threaded_blas() -> None:
    """One BLAS thread per process: kernels and graders run side by side on few cores, and
    multithreaded BLAS under contention made a 64x64 eigh a thousand times slower."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _under(course, out: Path | None) -> Path:
    return course.root / "dist" if out is None else out.resolve()


if __name__ == "__main__":
    sys.exit(main())
