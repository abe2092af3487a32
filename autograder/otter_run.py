"""Grade one submission with the real ``otter run`` (the reference engine Gradescope runs)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path


class OtterRunError(Exception):
    """``otter run`` gave no usable result."""


def otter_run(zip_path: Path, submission_path: Path, timeout: float = 300) -> dict[str, float]:
    """Per-question scores from ``otter run`` (question name -> points earned)."""
    with tempfile.TemporaryDirectory(prefix="mml-otter-run-") as out:
        try:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "otter",
                    "run",
                    "-a",
                    str(zip_path),
                    "-o",
                    out,
                    str(submission_path),
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            msg = f"otter run timed out after {timeout}s on {submission_path}"
            raise OtterRunError(msg) from None
        results = Path(out) / "results.json"
        if not results.is_file():
            raise OtterRunError(
                f"otter run left no results for {submission_path} (exit {proc.returncode}):\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
            )
        data = json.loads(results.read_text())
    return {
        t["name"]: float(t["score"])
        for t in data.get("tests", [])
        if "score" in t and t["name"] != "Public Tests"
    }
