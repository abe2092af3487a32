"""Results on disk: one JSON per submission (atomic, resumable) and the gathered scores.csv."""

import csv
import json
import os
import tempfile
from pathlib import Path

STATUSES = ("graded", "timeout", "memory", "crashed", "invalid", "error")


class Record:
    """The ``--out`` folder."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.results = self.out / "results"
        self.results.mkdir(parents=True, exist_ok=True)
        # The sandbox runs as another user: keep results out of its reach.
        os.chmod(self.results, 0o700)

    def path(self, name: str) -> Path:
        return self.results / f"{name}.json"

    def load(self, name: str) -> dict | None:
        try:
            data = json.loads(self.path(name).read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def is_current(self, name: str, digest: str, autograder_digest: str) -> bool:
        r = self.load(name)
        return (
            bool(r)
            and r.get("digest") == digest
            and r.get("autograder_digest") == autograder_digest
            and r.get("status") != "error"
        )

    def save(self, result: dict) -> None:
        write_atomic(self.path(result["submission"]), json.dumps(result, indent=1))

    def gather(self, names: list[str]) -> list[dict]:
        return [r for r in (self.load(n) for n in sorted(names)) if r]

    def write_csv(self, results: list[dict], questions: list[str]) -> Path:
        path = self.out / "scores.csv"
        tmp = path.with_suffix(".csv.tmp")
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["submission", "status", *questions, "total", "possible"])
            for r in sorted(results, key=lambda r: r["submission"]):
                qs = r.get("questions", {})
                w.writerow(
                    [
                        r["submission"],
                        r["status"],
                        *[_num(qs.get(q, {}).get("score", 0)) for q in questions],
                        _num(r.get("total", 0)),
                        _num(r.get("possible", 0)),
                    ]
                )
        os.replace(tmp, path)
        return path


def _num(x) -> str:
    x = round(float(x), 6)
    return str(int(x)) if x == int(x) else f"{x:g}"


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
