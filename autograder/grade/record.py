"""Results on disk: one JSON per submission (atomic, resumable, validated) and scores.csv."""

import csv
import hashlib
import itertools
import json
import os
import re
from pathlib import Path

from .result import MalformedResult, QuestionResult, Result, Status

STATUSES = tuple(s.value for s in Status)
READABLE = 60  # characters of the identity kept in a file name; the hash makes it unique
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: cells a spreadsheet would evaluate


def file_stem(identity: str) -> str:
    """The name of a submission's files: a short readable part plus a hash of the identity.

    The hash is always there, so a name depends on the identity alone (never on the rest of
    the batch), no crafted identity can take another's name, and the length is bounded.
    """
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", identity)[:READABLE].strip("._-") or "submission"
    key = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{readable}-{key}"


class Record:
    """The ``--out`` folder: ``results/<file>.json`` per submission, then scores.csv."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.results = self.out / "results"
        self.results.mkdir(parents=True, exist_ok=True)
        # The sandbox runs as another user: keep results out of its reach.
        os.chmod(self.results, 0o700)

    def path(self, identity: str) -> Path:
        return self.results / f"{file_stem(identity)}.json"

    def load(self, identity: str) -> Result | None:
        """The stored result for ``identity``; None if missing, malformed or not its own."""
        try:
            r = read_result(self.path(identity))
        except (OSError, ValueError):
            return None
        return r if r.submission == identity else None

    def is_current(self, identity: str, digest: str, autograder_digest: str) -> bool:
        r = self.load(identity)
        return (
            r is not None
            and bool(digest)
            and r.digest == digest
            and r.autograder_digest == autograder_digest
            and r.status is not Status.ERROR
        )

    def save(self, result: Result) -> None:
        result.file = file_stem(result.submission)
        # Compact: json's C encoder (indent= takes its pure-Python path, 1.7 ms a result)
        write_atomic(
            self.path(result.submission), json.dumps(result.to_json(), separators=(",", ":"))
        )

    def gather(self) -> tuple[list[Result], list[str]]:
        """Every valid result in the folder, by identity, and the names of the files skipped."""
        results, skipped = {}, []
        for p in sorted(self.results.glob("*.json")):
            try:
                r = read_result(p)
            except (OSError, ValueError):
                skipped.append(p.name)
                continue
            if p.stem != file_stem(r.submission):  # copied or renamed by hand: not this one's
                skipped.append(p.name)
                continue
            results[r.submission] = r
        return [results[k] for k in sorted(results)], skipped

    def write_csv(self, results: list[Result], questions: list[str]) -> Path:
        path = self.out / "scores.csv"
        tmp = path.with_suffix(".csv.tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["submission", "status", *questions, "total", "possible", "source"])
            for r in sorted(results, key=lambda r: r.submission):
                qs = r.questions
                w.writerow(
                    [
                        safe_cell(r.submission),
                        r.status.value,
                        *[_num(qs.get(q, QuestionResult(0, 0)).score) for q in questions],
                        _num(r.total),
                        _num(r.possible),
                        safe_cell(r.source),
                    ]
                )
        os.replace(tmp, path)
        return path


def read_result(path: Path) -> Result:
    """A stored result, validated like any input (raises ValueError/OSError if it is not one)."""
    if path.stat().st_size > 64 * 2**20:
        raise MalformedResult("too large")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as e:
        raise MalformedResult(f"not JSON: {e}") from None
    return Result.from_json(data)


def safe_cell(text: str) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula (OWASP: a leading quote)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _num(x) -> str:
    x = round(float(x), 6)
    return str(int(x)) if x == int(x) else f"{x:g}"


_written = itertools.count()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a new file beside ``path``, then move it over ``path``: readers see the
    old file or the new one, never a part. The new file is made as ``mkstemp`` makes one
    (exclusive, mode 0600), with a name unique to this process (``mkstemp`` drew random names
    for it: a third of the cost of recording a result)."""
    for _ in range(100):  # a name left by an earlier process with this pid is skipped
        tmp = path.parent / f".tmp-{os.getpid()}-{next(_written)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name in {path.parent}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
