"""``--fallback otter-run``: grade a zip the judge refuses with the real ``otter run``.

Not sandboxed (the student's code runs as the grader's user, with Otter's tests in its
process) and about 3 s a submission; said plainly in the output. The results, feedback,
``scores.csv`` and summary have the same form as the judge's, with resume by digest.
"""

import hashlib
import io
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import load, otter_zip, record, report
from .result import CaseResult, QuestionResult, Result, Status

WARNING = (
    "mml grade: WARNING: grading with the real `otter run`, NOT sandboxed: each submission "
    "runs as your user with full access to this machine, and the tests run in its process."
)


def grade(zip_path: Path, paths: list[Path], out: Path, timeout: float, workers: int, stream):
    """Grade every submission with ``otter run``; returns the exit code."""
    print(WARNING, file=stream)
    zip_bytes = Path(zip_path).read_bytes()
    digest = hashlib.sha256(zip_bytes).hexdigest()
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        names = set(z.namelist())
        config = json.loads(z.read("otter_config.json")) if "otter_config.json" in names else {}
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
        result.submission, result.source, result.digest = sub.name, str(sub.path), sub.digest
        result.autograder_digest = digest
        otter_zip.apply_config(result, config)  # points_possible, show_hidden, as Otter
        return result

    context = report.context(zip_bytes)
    with ThreadPoolExecutor(max(1, workers)) as ex:
        for result in ex.map(one, todo):
            rec.save(result)
            report.write_feedback(rec.out, result.to_json(), title=context.get("title", ""))
            progress.step()
    progress.finish()
    results, _ = rec.gather()
    questions = list(dict.fromkeys(q for r in results for q in r.questions))
    possible = {}
    for r in results:
        for q, qr in r.questions.items():
            possible.setdefault(q, qr.possible)
    from . import write_outputs

    code = write_outputs(rec, questions, possible, stream, time.monotonic() - start, context)
    print("mml grade: graded by otter run, not sandboxed", file=stream)
    return code


def run_one(zip_path: Path, submission: Path, timeout: float) -> Result:
    """One submission through ``python -m otter run``, as a Result (its identity left blank)."""
    from autograder.validate.otter_engine import OtterRunError, OtterRunTimeout, otter_results

    start = time.monotonic()
    try:
        data = otter_results(zip_path, submission, timeout)
    except OtterRunTimeout:
        return _failed("timeout", f"otter run stopped after {timeout:g} s", start)
    except OtterRunError as e:
        tail = str(e).strip().splitlines()[-3:]
        return _failed("error", "otter run left no results: " + " | ".join(tail), start)
    questions = {}
    for t in data.get("tests", []):
        if t.get("name") == "Public Tests" or "score" not in t:
            continue
        score, possible = float(t["score"]), float(t.get("max_score", 0))
        case = CaseResult(
            name=str(t["name"]),
            passed=score >= possible,
            points=possible,
            hidden=t.get("visibility") == "hidden",
            message=str(t.get("output", ""))[:4000],
        )
        questions[str(t["name"])] = QuestionResult(score, possible, tests=(case,))
    return _result(Status.GRADED, "graded by otter run (not sandboxed)", start, questions)


def _failed(status: str, detail: str, start: float) -> Result:
    return _result(Status(status), detail, start, {})


def _result(status: Status, detail: str, start: float, questions: dict) -> Result:
    return Result(
        submission="",
        source="",
        digest="",
        autograder_digest="",
        status=status,
        detail=detail,
        questions=questions,
        seconds=round(time.monotonic() - start, 4),
    )
