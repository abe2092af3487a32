"""``--fallback otter-run``: grade a zip the judge refuses with the real ``otter run``.

Not sandboxed (the student's code runs as the grader's user, with Otter's tests in its
process) and about 3 s a submission; said plainly in the output. The results, feedback,
``scores.csv`` and summary have the same form as the judge's, with resume by digest.
"""

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import load, record, report

WARNING = (
    "mml grade: WARNING: grading with the real `otter run`, NOT sandboxed: each submission "
    "runs as your user with full access to this machine, and the tests run in its process."
)


def grade(zip_path: Path, paths: list[Path], out: Path, timeout: float, workers: int, stream):
    """Grade every submission with ``otter run``; returns the exit code."""
    print(WARNING, file=stream)
    digest = hashlib.sha256(Path(zip_path).read_bytes()).hexdigest()
    try:
        subs = load.discover(paths)
    except FileNotFoundError as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    rec = record.Record(out)
    todo = [s for s in subs if not rec.is_current(s.name, s.digest, digest)]
    print(
        f"mml grade: {len(subs)} submissions ({len(subs) - len(todo)} already graded), "
        f"otter run on {workers} workers",
        file=stream,
    )
    progress = report.Progress(len(subs), len(subs) - len(todo), stream)
    start = time.monotonic()

    def one(sub):
        result = run_one(Path(zip_path), sub.path, timeout)
        result.update(submission=sub.name, source=str(sub.path), digest=sub.digest)
        result["autograder_digest"] = digest
        return result

    with ThreadPoolExecutor(max(1, workers)) as ex:
        for result in ex.map(one, todo):
            rec.save(result)
            report.write_feedback(rec.out, result)
            progress.step()
    progress.finish()
    results = rec.gather([s.name for s in subs])
    questions = list(dict.fromkeys(q for r in results for q in r.get("questions", {})))
    possible = {}
    for r in results:
        for q, qr in r.get("questions", {}).items():
            possible.setdefault(q, qr.get("possible", 0.0))
    csv_path = rec.write_csv(results, questions)
    s = report.summary(results, questions, possible)
    s["wall_seconds"] = round(time.monotonic() - start, 3)
    report.write_summary(rec.out, s)
    print(report.summary_text(s), file=stream)
    print(f"mml grade: wrote {csv_path} (graded by otter run, not sandboxed)", file=stream)
    return 1 if any(r["status"] == "error" for r in results) else 0


def run_one(zip_path: Path, submission: Path, timeout: float) -> dict:
    """One submission through ``python -m otter run``, as a result dict."""
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mml-otter-run-") as d:
        cmd = [sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", d]
        try:
            proc = subprocess.run(
                [*cmd, str(submission)], capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return _failed("timeout", f"otter run stopped after {timeout:g} s", start)
        try:
            data = json.loads((Path(d) / "results.json").read_text())
        except (OSError, ValueError):
            tail = (proc.stdout[-600:] + proc.stderr[-600:]).strip().splitlines()[-3:]
            return _failed("error", "otter run left no results: " + " | ".join(tail), start)
    questions = {}
    for t in data.get("tests", []):
        if t.get("name") == "Public Tests" or "score" not in t:
            continue
        score, possible = float(t["score"]), float(t.get("max_score", 0))
        questions[str(t["name"])] = {
            "score": score,
            "possible": possible,
            "all_or_nothing": False,
            "tests": [
                {
                    "name": str(t["name"]),
                    "passed": score >= possible,
                    "points": possible,
                    "hidden": t.get("visibility") == "hidden",
                    "message": str(t.get("output", ""))[:4000],
                    "failure_message": None,
                }
            ],
        }
    total = sum(q["score"] for q in questions.values())
    possible = sum(q["possible"] for q in questions.values())
    return {
        "status": "graded",
        "detail": "graded by otter run (not sandboxed)",
        "questions": questions,
        "total": round(float(data.get("score", total)), 6),
        "possible": round(possible, 6),
        "cell_errors": [],
        "seconds": round(time.monotonic() - start, 4),
    }


def _failed(status: str, detail: str, start: float) -> dict:
    return {
        "status": status,
        "detail": detail,
        "questions": {},
        "total": 0.0,
        "possible": 0.0,
        "cell_errors": [],
        "seconds": round(time.monotonic() - start, 4),
    }
