"""``mml grade``: grade many submissions fast, each in a sandbox, judged by a trusted process.

Pipeline: ``load`` (find and read submissions) -> ``sandbox``/``zygote``/``child`` (run the
notebook confined) -> ``judge`` (Otter's tests, via ``remote`` proxies) -> ``record`` (results,
scores.csv) -> ``report`` (progress, feedback, summary). ``pool`` runs judges locally or on Dask.
"""

import sys
import time
from pathlib import Path

from . import load, otter_zip, pool, record, report
from .judge import Suite


def main(
    slug: str,
    paths: list[Path],
    out: Path,
    workers: int | None = None,
    timeout: float | None = None,
    scheduler: str | None = None,
    course=None,
) -> int:
    """Grade every submission in ``paths`` for ``slug`` into ``out``; returns the exit code."""
    from autograder.build import ensure_built
    from autograder.course import load_course

    course = course or load_course()
    built = ensure_built(course, slug, Path(course.root) / "dist")
    g = course.grading
    settings = {
        "timeout": float(timeout or g.timeout),
        "memory_mb": int(g.memory_mb),
        "preimport": load.preimports(built.student_notebook),
    }
    return grade(
        built.autograder_zip,
        paths,
        out,
        settings,
        workers=workers or g.workers,
        scheduler=scheduler,
    )


def grade(
    zip_path: Path,
    paths: list[Path],
    out: Path,
    settings: dict,
    workers: int = 2,
    scheduler: str | None = None,
    stream=None,
) -> int:
    """The batch itself, for any autograder zip (``main`` finds the course's)."""
    stream = stream or sys.stderr
    zip_bytes = Path(zip_path).read_bytes()
    refused = otter_zip.refusal(zip_bytes, Path(zip_path).name)  # never a silent wrong score
    if refused:
        print(refused, file=stream)
        return 2
    suite = Suite(zip_bytes)
    questions, possible = list(suite.tests), dict(suite.possible)
    digest = suite.digest
    suite.close()
    try:
        subs = load.discover(paths)
    except FileNotFoundError as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    rec = record.Record(out)
    todo = [s for s in subs if not rec.is_current(s.name, s.digest, digest)]
    reused = len(subs) - len(todo)
    print(
        f"mml grade: {len(subs)} submissions ({reused} already graded), "
        f"{len(questions)} questions, {workers if not scheduler else scheduler} workers",
        file=stream,
    )
    progress = report.Progress(len(subs), reused, stream)
    start = time.monotonic()

    def on_result(sub, result):
        if result is None or "status" not in result:
            why = (result or {}).get("error", "the grader lost this submission")
            result = _error_result(sub, digest, why, questions, possible)
        result["submission"] = sub.name
        result["digest"] = sub.digest
        rec.save(result)
        report.write_feedback(rec.out, result)
        progress.step()

    if scheduler:
        pool.run_dask(scheduler, zip_bytes, settings, todo, on_result)
    elif todo:
        pool.run_local(zip_path, settings, todo, workers, on_result)
    progress.finish()
    results = rec.gather([s.name for s in subs])
    for r in results:
        if not (rec.out / "feedback" / f"{r['submission']}.html").exists():
            report.write_feedback(rec.out, r)
    csv_path = rec.write_csv(results, questions)
    s = report.summary(results, questions, possible)
    s["wall_seconds"] = round(time.monotonic() - start, 3)
    report.write_summary(rec.out, s)
    print(report.summary_text(s), file=stream)
    print(f"mml grade: wrote {csv_path}", file=stream)
    return 1 if any(r["status"] == "error" for r in results) else 0


def _error_result(sub, digest, why, questions, possible) -> dict:
    qs = {
        q: {"score": 0.0, "possible": possible[q], "all_or_nothing": False, "tests": []}
        for q in questions
    }
    return {
        "submission": sub.name,
        "source": str(sub.path),
        "digest": sub.digest,
        "autograder_digest": digest,
        "status": "error",
        "detail": str(why),
        "questions": qs,
        "total": 0.0,
        "possible": sum(possible.values()),
        "cell_errors": [],
    }
