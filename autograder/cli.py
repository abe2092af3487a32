"""The ``mml`` command: parses arguments and hands each subcommand to its module."""

import argparse
import os
import sys
from pathlib import Path

from .course import CourseError, load_course


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mml", description="Build, validate, check and grade the MML course assignments."
    )
    p.add_argument("--course", type=Path, default=None, help="course folder (default: nearest)")
    sub = p.add_subparsers(dest="command", required=True)

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
    v.add_argument(
        "--mutate", action="store_true", help="mutation score: generated mutants, fast grader"
    )
    v.add_argument(
        "--min-score",
        type=float,
        default=None,
        metavar="P",
        help="with --mutate: exit 1 if an assignment's mutation score is below P percent",
    )

    c = sub.add_parser("check", help="run a notebook's public tests (for students)")
    c.add_argument("notebook", type=Path, metavar="NOTEBOOK")
    c.add_argument("-q", "--question", action="append", help="only this question (repeatable)")
    c.add_argument("--timeout", type=int, default=300, help="seconds for the whole notebook")

    g = sub.add_parser("grade", help="grade a batch of submissions safely and fast")
    g.add_argument("slug", metavar="SLUG")
    g.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".ipynb, .zip or folders")
    g.add_argument("--out", type=Path, required=True, help="results folder")
    g.add_argument("--workers", type=int, default=None, help="parallel submissions")
    g.add_argument("--timeout", type=float, default=None, help="seconds per submission")
    g.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    single_threaded_blas()
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
        if args.command == "validate" and args.min_score is not None and not args.mutate:
            print("mml validate: --min-score goes with --mutate", file=sys.stderr)
            return 2
        if args.command == "validate" and args.mutate:
            from .mutation import mutate

            return mutate(
                course, args.slugs, _under(course, args.out), args.min_score, args.workers
            )
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
