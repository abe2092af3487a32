"""The ``mml`` command: parses arguments (``cli.parser``) and hands each command to its package."""

import os
import sys
from pathlib import Path

from ..course import CourseError, load_course
from .parser import build_parser


class InputError(Exception):
    """A command-line value that cannot be used (the message is for the user)."""


def run() -> None:
    """The ``mml`` command: ``main``, then leave without taking the interpreter apart. Exit
    handlers run and output is flushed first; what is skipped is freeing every module and
    object one by one, 0.15 s after a grading run (numpy, matplotlib, Otter, pydantic)."""
    import atexit

    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`mml ... | head`): nothing to keep
            pass
    os._exit(code if isinstance(code, int) else 0)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    single_threaded_blas()
    try:
        return _run(args)
    except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM during a kernel run (kernel.Terminated)
        print(f"mml {args.command}: interrupted", file=sys.stderr)
        return getattr(e, "exit_code", 130)


def _run(args) -> int:
    try:
        if args.command == "check":
            from ..check import check_notebook

            return check_notebook(args.notebook, args.question, args.timeout)
        if args.command == "grade" and args.all is not None:
            return _grade_all(args)
        if args.command == "grade" and args.autograder is not None and not args.targets:
            raise InputError("no PATH: give --autograder ZIP PATH ...")
        if args.command == "grade" and args.autograder is not None:
            from ..grade.otter_zip import main as grade_zip

            return grade_zip(
                args.autograder,
                [Path(t) for t in args.targets],
                args.out,
                workers=args.workers,
                timeout=args.timeout,
                scheduler=args.scheduler,
                fallback=args.fallback,
            )
        if args.command == "gradebook":
            from ..gradebook import main as gradebook_main

            try:  # titles and weights come from the course; without one, folder names serve
                gb_course = load_course(args.course)
            except CourseError:
                gb_course = None
            return gradebook_main(
                args.dirs, args.format, args.out, args.roster, args.allow_unmatched, gb_course
            )
        course = load_course(args.course)
        if args.command == "build":
            from ..build import BuildError, build

            try:
                build(course, args.slugs, _under(course, args.out), force=args.force)
            except BuildError as e:
                print(f"mml build: {e}", file=sys.stderr)
                return 1
            return 0
        if args.command == "validate" and args.min_score is not None and not args.mutate:
            raise InputError("--min-score goes with --mutate")
        if args.command == "validate" and args.mutate:
            from ..validate.mutate import mutate

            out = _under(course, args.out)
            return mutate(course, args.slugs, out, args.min_score, args.workers)
        if args.command == "validate":
            from ..validate import validate

            return validate(course, args.slugs, _under(course, args.out), args.engine, args.workers)
        if args.command == "grade":
            from ..grade import main as grade_main

            if args.fallback or len(args.targets) < 2:
                why = "--fallback needs --autograder ZIP" if args.fallback else "no PATH"
                print(
                    f"mml grade: {why}: give SLUG PATH ... or --autograder ZIP PATH ...",
                    file=sys.stderr,
                )
                return 2
            slug, *paths = args.targets
            course.assignment(slug)
            return grade_main(
                slug=slug,
                paths=[Path(p) for p in paths],
                out=args.out,
                workers=args.workers,
                timeout=args.timeout,
                scheduler=args.scheduler,
                course=course,
                dist=args.dist,
                regrade=args.regrade,
                force=args.force,
            )
    except (CourseError, InputError) as e:
        print(f"mml {args.command}: {e}", file=sys.stderr)
        return 2
    return 2


def _grade_all(args) -> int:
    """``mml grade --all ROOT --out DIR``: every assignment with a folder in ROOT."""
    from ..grade.course_run import grade_all

    clash = [
        flag
        for flag, used in (
            ("SLUG/PATH", args.targets),
            ("--autograder", args.autograder),
            ("--fallback", args.fallback),
            ("--regrade", args.regrade),
        )
        if used
    ]
    if clash:
        raise InputError(f"--all grades ROOT/<slug>/ folders; it does not take {clash[0]}")
    return grade_all(
        load_course(args.course),
        args.all,
        args.out,
        workers=args.workers,
        timeout=args.timeout,
        scheduler=args.scheduler,
        dist=args.dist,
        force=args.force,
    )


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
