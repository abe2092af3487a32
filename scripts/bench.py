"""Benchmark ``mml grade`` against ``otter run`` on real submissions; check the scores agree.

Builds a mixed set (reference, blank, partly right and every mutant) from several assignments,
runs ``otter run`` on each file one after the other (or on a subset with --otter-sample) and
``mml grade`` on all, then prints per-submission medians, the throughput ratio and peak memory.
"""

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from autograder.build import ensure_built
from autograder.course import load_course
from autograder.grade import grade, load
from autograder.validate import specimens
from autograder.validate.otter_engine import otter_run

ROOT = Path(__file__).resolve().parents[1]


def make_set(course, slugs, folder: Path) -> dict[str, list[Path]]:
    sets = {}
    for slug in slugs:
        a = course.assignment(slug)
        d = folder / slug
        d.mkdir(parents=True)
        nbs = {
            "reference": specimens.reference_submission(course, slug),
            "blank": specimens.blank_submission(course, slug),
        }
        bodies = specimens.reference_bodies(a)
        half = {f for q in a.questions[: max(1, len(a.questions) // 2)] for f in q.functions}
        partial = {k: v for k, v in bodies.items() if k in half}
        nbs["partly-right"] = specimens.fill(specimens.blank_submission(course, slug), partial)
        nbs.update(
            {f"mutant-{k}": v for k, v in specimens.mutant_submissions(course, slug).items()}
        )
        for k, nb in nbs.items():
            nbformat.write(nb, d / f"{k}.ipynb")
        sets[slug] = sorted(d.glob("*.ipynb"))
    return sets


class PeakRSS:
    """Sample the summed RSS of this process and all its descendants."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import os

        me = os.getpid()
        while not self._stop.is_set():
            parents, rss = {}, {}
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    parents[int(pid)] = int(fields[1])
                    rss[int(pid)] = int(fields[21]) * 4096
                except (OSError, IndexError, ValueError):
                    pass
            tree, grew = {me}, True
            while grew:
                new = {p for p, pp in parents.items() if pp in tree} - tree
                tree |= new
                grew = bool(new)
            self.peak = max(self.peak, sum(rss.get(p, 0) for p in tree))
            self._stop.wait(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def steady_run(course, slug, files, args, otter_median, tmp: Path) -> None:
    """One large batch of one assignment, as an instructor grades a class: measured wall."""
    big = tmp / "steady" / slug
    big.mkdir(parents=True)
    for k in range(args.copies):
        for f in files:
            shutil.copyfile(f, big / f"{f.stem}-{k:03d}.ipynb")
    built = ensure_built(course, slug, args.dist)
    settings = {
        "timeout": float(course.grading.timeout),
        "memory_mb": course.grading.memory_mb,
        "preimport": load.preimports(built.student_notebook),
    }
    n = len(files) * args.copies
    t = time.perf_counter()
    out = tmp / "steady-out"
    grade(built.autograder_zip, [big], out, settings, args.workers, stream=open("/dev/null", "w"))
    wall = time.perf_counter() - t
    print(
        f"steady    : {n} submissions of {slug} in one run: {wall:.2f} s wall "
        f"= {wall / n * 1000:.1f} ms per submission, "
        f"{otter_median * n / wall:.0f}x the throughput of otter run one by one (measured)"
    )


def ok_format_run(args, tmp: Path) -> int:
    """Any instructor's Otter zip: the OK-format fixture (doctests over numbers, strings, arrays,
    a DataFrame, a generator) built with ``otter assign``, graded by both; scores must agree."""
    import importlib.util
    import json

    from autograder.grade import otter_zip

    spec = importlib.util.spec_from_file_location(
        "otter_fixtures", ROOT / "tests" / "fixtures" / "otter" / "build.py"
    )
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    z, student = fixtures.build("ok-basics", tmp / "ok-basics")
    honest = fixtures.ok_submissions(student, tmp / "ok-subs")
    big = tmp / "ok-batch"
    big.mkdir()
    for k in range(max(1, args.copies)):
        for f in honest:
            shutil.copyfile(f, big / f"{f.stem}-{k:03d}.ipynb")
    settings = {
        "timeout": otter_zip.DEFAULT_TIMEOUT,
        "memory_mb": otter_zip.DEFAULT_MEMORY_MB,
        "preimport": otter_zip._preimports(),
    }
    out = tmp / "ok-out"
    t = time.perf_counter()
    grade(z, [big], out, settings, args.workers, stream=open("/dev/null", "w"))
    wall = time.perf_counter() - t
    mine = [json.loads(f.read_text()) for f in (out / "results").glob("*.json")]
    otter, diffs = [], 0
    for f in honest:
        t = time.perf_counter()
        want = otter_run(z, f)
        otter.append(time.perf_counter() - t)
        got = {q: v["score"] for q, v in _result(mine, f"{f.stem}-000")["questions"].items()}
        if set(got) != set(want) or any(abs(got[q] - want[q]) > 1e-4 for q in want):
            diffs += 1
            print(f"bench: DISAGREE ok-basics {f.stem}: mml {got} otter {want}")
    otter_median = statistics.median(otter)
    mml_median = statistics.median(r["seconds"] for r in mine)
    n = len(mine)
    print(
        f"ok-format : {n} submissions of an OK-format Otter zip (otter assign) in "
        f"{wall:.2f} s wall = {wall / n * 1000:.1f} ms per submission, median "
        f"{mml_median * 1000:.1f} ms in its worker; otter run median {otter_median:.3f} s "
        f"({otter_median * n / wall:.0f}x the throughput); "
        f"scores {len(honest) - diffs}/{len(honest)} agree with otter run"
    )
    return diffs


def _mml(*args) -> float:
    """Wall seconds of one real ``mml`` command (process start-up included)."""
    import os
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "autograder.cli", *map(str, args), "--course", str(ROOT)],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"mml {' '.join(map(str, args))}: {p.stderr.strip()[-500:]}")
    return wall


def course_run(course, args, tmp: Path) -> None:
    """The whole course in one call against ``otter run``, a class-sized batch, the start-up
    on its own, and the cost per submission locally and through a two-worker Dask cluster.

    In ``--rounds`` rounds, each a share of the ``otter run`` sample followed by one of each
    ``mml`` measurement: this machine's speed drifts by a third within minutes, and a ratio
    of two figures taken minutes apart measured the drift as much as the grader. Medians
    are reported, with the range."""
    import json

    slugs = [a.slug for a in course.assignments]
    for slug in slugs:
        ensure_built(course, slug, args.dist)
    sets = make_set(course, slugs, tmp / "course")
    root = tmp / "course-root"
    for slug, files in sets.items():  # about nine each: reference, blank, partly right, mutants
        (root / slug).mkdir(parents=True)
        for f in files[: args.per_assignment]:
            shutil.copyfile(f, root / slug / f.name)
    n = sum(len(list((root / s).glob("*.ipynb"))) for s in slugs)
    slug, files = slugs[0], sorted((root / slugs[0]).glob("*.ipynb"))
    one = tmp / "one"
    one.mkdir()
    blank = next(f for f in files if f.stem == "blank")
    shutil.copyfile(blank, one / "blank.ipynb")
    klass = tmp / "class"
    klass.mkdir()
    for k in range(args.class_size):
        f = files[k % len(files)]
        shutil.copyfile(f, klass / f"{f.stem}-{k:03d}.ipynb")
    per = args.otter_per_assignment
    sample = [  # otter run on a sample: the first files of each assignment
        (s, f) for s in slugs for f in sorted((root / s).glob("*.ipynb"))[:per]
    ]
    otter, alls, classes, starts = [], [], [], []
    for r in range(args.rounds):
        for s, f in sample[r :: args.rounds]:
            z = ensure_built(course, s, args.dist).autograder_zip
            t = time.perf_counter()
            otter_run(z, f)
            otter.append(time.perf_counter() - t)
        alls.append(_mml("grade", "--all", root, "--out", tmp / f"all-{r}", "--dist", args.dist))
        start = _mml("grade", slug, one, "--out", tmp / f"one-{r}", "--dist", args.dist)
        inner = json.loads(next((tmp / f"one-{r}" / "results").glob("*.json")).read_text())
        starts.append((start - inner["seconds"], start, inner["seconds"]))
        classes.append(_mml("grade", slug, klass, "--out", tmp / f"class-{r}", "--dist", args.dist))
    otter_median = statistics.median(otter)
    wall = statistics.median(alls)
    print(
        f"course    : {n} submissions of {len(slugs)} assignments in one `mml grade --all`: "
        f"{wall:.2f} s wall, median of {len(alls)} ({_span(alls)}; process start included); "
        f"otter run median {otter_median:.3f} s ({len(otter)} files, in between): "
        f"{otter_median * n / wall:.0f}x the throughput of otter run"
    )
    up, start, inner = sorted(starts)[len(starts) // 2]
    print(
        f"start-up  : {up:.2f} s, median of {len(starts)} ({_span([u for u, _, _ in starts])}; "
        f"one `mml grade` of one blank submission: {start:.2f} s wall, {inner * 1000:.0f} ms "
        "of it grading)"
    )
    wall = statistics.median(classes)
    print(
        f"class     : {args.class_size} submissions of {slug} in one `mml grade`: {wall:.2f} s "
        f"wall, median of {len(classes)} ({_span(classes)}) = "
        f"{wall / args.class_size * 1000:.1f} ms each: "
        f"{otter_median * args.class_size / wall:.0f}x the throughput of otter run"
    )
    dask_cost(course, slug, klass, args, tmp, wall / args.class_size)


def _span(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f} s"


def dask_cost(course, slug, klass: Path, args, tmp: Path, local: float) -> None:
    """Per submission through a two-worker local Dask cluster (warm: a first pass starts the
    workers' judges), against the local pool's."""
    from distributed import Client, LocalCluster

    built = ensure_built(course, slug, args.dist)
    settings = {
        "timeout": float(course.grading.timeout),
        "memory_mb": course.grading.memory_mb,
        "preimport": load.preimports(built.student_notebook),
    }
    n = len(list(klass.glob("*.ipynb")))
    quiet = open("/dev/null", "w")
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        Client(c.scheduler_address),
    ):
        addr = c.scheduler_address
        grade(
            built.autograder_zip, [klass], tmp / "dask-warm", settings, stream=quiet, scheduler=addr
        )
        t = time.perf_counter()
        grade(
            built.autograder_zip, [klass], tmp / "dask-out", settings, stream=quiet, scheduler=addr
        )
        wall = time.perf_counter() - t
    print(
        f"dask      : {n} submissions through a two-worker local Dask cluster (warm): "
        f"{wall / n * 1000:.1f} ms each, against {local * 1000:.1f} ms each in the local pool"
    )


def _result(results: list[dict], name: str) -> dict:
    return next(r for r in results if r["submission"] == name)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--slugs",
        nargs="+",
        default=["mean-covariance", "projections", "reflecting-bear", "special-matrices"],
    )
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--otter-sample", type=int, default=0, help="run otter on only this many files (0: all)"
    )
    p.add_argument("--min", type=int, default=40, help="minimum number of submissions")
    p.add_argument(
        "--copies",
        type=int,
        default=10,
        help="for the steady-state run: copies of the first assignment's set (0: skip)",
    )
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the builds are")
    p.add_argument(
        "--per-assignment", type=int, default=9, help="--all run: submissions per assignment"
    )
    p.add_argument(
        "--otter-per-assignment",
        type=int,
        default=2,
        help="--all run: otter run on this many files of each assignment",
    )
    p.add_argument("--class-size", type=int, default=150, help="one assignment's class batch")
    p.add_argument("--only-course", action="store_true", help="run only the --all measurements")
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="--all measurements: rounds of otter run and mml runs, interleaved",
    )
    args = p.parse_args()

    course = load_course(ROOT)
    if args.only_course:
        tmp = Path(tempfile.mkdtemp(prefix="mml-bench-"))
        try:
            course_run(course, args, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    slugs = []
    for s in args.slugs:
        try:
            ensure_built(course, s, args.dist)
            slugs.append(s)
        except Exception as e:  # an assignment that is not ready is left out, and said so
            print(f"bench: skipping {s}: {e}", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="mml-bench-"))
    try:
        sets = make_set(course, slugs, tmp / "subs")
        total = sum(len(v) for v in sets.values())
        print(f"bench: {total} submissions from {', '.join(slugs)}")
        if total < args.min:
            print(f"bench: fewer than {args.min} submissions", file=sys.stderr)

        mine, otter, wall = {}, {}, 0.0
        peak = 0
        for slug, files in sets.items():
            built = ensure_built(course, slug, args.dist)
            z = tmp / f"{slug}.zip"
            shutil.copyfile(built.autograder_zip, z)
            settings = {
                "timeout": float(course.grading.timeout),
                "memory_mb": course.grading.memory_mb,
                "preimport": load.preimports(built.student_notebook),
            }
            out = tmp / "out" / slug
            t = time.perf_counter()
            with PeakRSS() as rss:
                grade(
                    z,
                    [tmp / "subs" / slug],
                    out,
                    settings,
                    args.workers,
                    stream=open("/dev/null", "w"),
                )
            wall += time.perf_counter() - t
            peak = max(peak, rss.peak)
            import json

            for f in (out / "results").glob("*.json"):
                r = json.loads(f.read_text())
                mine[(slug, r["submission"])] = r
            step = max(1, round(total / args.otter_sample)) if args.otter_sample else 1
            sample = files[::step]
            for f in sample:
                t = time.perf_counter()
                otter[(slug, f.stem)] = (otter_run(z, f), time.perf_counter() - t)

        diffs = 0
        for key, (want, _) in otter.items():
            got = {q: v["score"] for q, v in mine[key]["questions"].items()}
            if set(got) != set(want) or any(abs(got[q] - want[q]) > 1e-4 for q in want):
                diffs += 1
                print(f"bench: DISAGREE {key}: mml {got} otter {want}")
        otter_median = statistics.median(t for _, t in otter.values())
        mml_median = statistics.median(r["seconds"] for r in mine.values())
        per_sub = wall / len(mine)
        otter_serial = otter_median * len(mine)  # otter run, one file after the other
        print(f"otter run : {len(otter)} files, median {otter_median:.3f} s per submission")
        print(
            f"mml grade : {len(mine)} files, median {mml_median * 1000:.1f} ms per submission "
            f"(in its worker), {wall:.2f} s wall for all with {args.workers} workers "
            f"= {per_sub * 1000:.1f} ms per submission"
        )
        steady = otter_median * args.workers / mml_median
        print(
            f"ratio     : {otter_serial / wall:.0f}x the throughput of otter run one by one, "
            f"end to end ({len(sets)} batches, each starting its judges and sandboxes)"
        )
        print(
            f"            {steady:.0f}x in steady state ({args.workers} workers, start-up "
            f"amortised: a large batch of one assignment); {otter_median / mml_median:.0f}x "
            "per submission"
        )
        print(f"peak RSS  : {peak / 2**20:.0f} MB (grader, judges, zygotes and children)")
        print(
            f"scores    : {len(otter) - diffs}/{len(otter)} agree with otter run"
            f"{'' if not args.otter_sample else ' (sample)'}"
        )
        if args.copies:
            steady_run(course, slugs[0], sets[slugs[0]], args, otter_median, tmp)
        diffs += ok_format_run(args, tmp)
        course_run(course, args, tmp)
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"(bench process max RSS {max_rss} MB)")
        return 1 if diffs else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
