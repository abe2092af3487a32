"""Grade submissions with the real ``otter run`` (the reference engine Gradescope runs).

``otter_run`` starts the ``otter run`` command once per submission. ``otter_run_many`` calls
``otter.run.main``, the function behind that command, in a few long-lived worker processes,
which saves the interpreter start and ``import otter`` (about two seconds) per submission.
"""

import contextlib
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Kernels on TCP pick a free port and then bind it; two starting at once can race for the
# same port, and the kernel dies before it runs anything. That says nothing about the
# submission, so such a run is tried again.
KERNEL_START_FAILURES = ("Kernel died before replying", "Address already in use")
ATTEMPTS = 3


class OtterRunError(Exception):
    """``otter run`` gave no usable result."""


class OtterRunTimeout(OtterRunError):
    """``otter run`` did not finish within its time."""


def otter_results(zip_path: Path, submission_path: Path, timeout: float = 300) -> dict:
    """The ``results.json`` that the ``otter run`` command writes for one submission.

    A kernel that dies on start (the port race above) is tried again; raises
    ``OtterRunTimeout`` or ``OtterRunError`` (with the end of Otter's output) otherwise.
    """
    for _attempt in range(ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="mml-otter-run-") as out:
            cmd = [sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", out]
            try:
                proc = subprocess.run(
                    [*cmd, str(submission_path)], capture_output=True, text=True, timeout=timeout
                )
            except subprocess.TimeoutExpired:
                msg = f"otter run stopped after {timeout:g} s on {submission_path}"
                raise OtterRunTimeout(msg) from None
            try:
                return json.loads((Path(out) / "results.json").read_text())
            except (OSError, ValueError):
                output = f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        if not any(m in output for m in KERNEL_START_FAILURES):
            break
    raise OtterRunError(
        f"otter run left no results for {submission_path} (exit {proc.returncode}):\n" + output
    )


def _scores(data: dict) -> dict[str, float]:
    return {
        t["name"]: float(t["score"])
        for t in data.get("tests", [])
        if "score" in t and t["name"] != "Public Tests"
    }


def otter_run(zip_path: Path, submission_path: Path, timeout: float = 300) -> dict[str, float]:
    """Per-question scores (question name -> points) from the ``otter run`` command."""
    return _scores(otter_results(zip_path, submission_path, timeout))


def _run_in_worker(zip_path: str, submission_path: str) -> dict[str, float] | str:
    from otter.run import main as otter_run_main

    cwd = os.getcwd()
    quiet = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="mml-otter-run-") as out:
        try:
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                otter_run_main(submission_path, autograder=zip_path, output_dir=out, no_logo=True)
        except Exception as e:  # otter reports any failure this way
            return f"{type(e).__name__}: {e}"
        finally:
            os.chdir(cwd)
        results = Path(out) / "results.json"
        if not results.is_file():
            return "otter run left no results.json"
        return _scores(json.loads(results.read_text()))


def _run_retrying(zip_path: str, submission_path: str) -> dict[str, float] | str:
    for _ in range(ATTEMPTS):
        result = _run_in_worker(zip_path, submission_path)
        if not (isinstance(result, str) and any(m in result for m in KERNEL_START_FAILURES)):
            break
    return result


def _quiet_worker() -> None:
    """The kernels Otter starts write warnings straight to fd 2; results come back as values."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def otter_run_many(zip_path: Path, submissions: list[Path], workers: int = 2) -> list:
    """Scores for each submission (or an OtterRunError), from Otter's own ``otter run`` code."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max(1, workers), mp_context=ctx, initializer=_quiet_worker) as pool:
        futures = [pool.submit(_run_retrying, str(zip_path), str(s)) for s in submissions]
        results = [f.result() for f in futures]
    return [OtterRunError(r) if isinstance(r, str) else r for r in results]
