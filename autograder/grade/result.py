"""What grading one submission produces: typed results, and their strict JSON form."""

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a submission's grading ended (docs/grading.md, "Statuses")."""

    GRADED = "graded"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"
    INVALID = "invalid"
    ERROR = "error"


class MalformedResult(ValueError):
    """A stored result that does not have the shape of a Result (corrupt, edited, old)."""


_SURROGATE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8
MAX_TEXT = 4000  # a message, a detail or a name: enough to read, small enough to render


def clean_text(x, limit: int = MAX_TEXT) -> str:
    """Any value as valid UTF-8 text of bounded length (lone surrogates become U+FFFD)."""
    s = x if isinstance(x, str) else str(x)
    if len(s) > limit:
        s = s[:limit]
    return _SURROGATE.sub("\ufffd", s)


def _finite(x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise MalformedResult(f"{what} is not a finite number")
    return float(x)


def _optional_number(x, what: str) -> float | None:
    return None if x is None else _finite(x, what)


def _text(x, what: str) -> str:
    if not isinstance(x, str):
        raise MalformedResult(f"{what} is not text")
    return clean_text(x)


def _flag(x, what: str) -> bool:
    if not isinstance(x, bool):
        raise MalformedResult(f"{what} is not true/false")
    return x


def _list(x) -> list:
    if not isinstance(x, list):
        raise MalformedResult("expected a list")
    return x


def _obj(x, keys: set[str], what: str, optional: frozenset = frozenset()) -> dict:
    if not isinstance(x, dict):
        raise MalformedResult(f"{what} is not an object")
    missing = keys - set(x) - optional
    if missing:
        raise MalformedResult(f"{what} lacks {sorted(missing)}")
    return x


@dataclass(frozen=True)
class CaseResult:
    """One Otter test case: passed or not, its points, and the message shown when it failed."""

    name: str
    passed: bool
    points: float
    hidden: bool
    message: str = ""
    failure_message: str | None = None

    def to_json(self) -> dict:
        return {
            "name": clean_text(self.name),
            "passed": bool(self.passed),
            "points": float(self.points),
            "hidden": bool(self.hidden),
            "message": clean_text(self.message),
            "failure_message": None
            if self.failure_message is None
            else clean_text(self.failure_message),
        }

    @classmethod
    def from_json(cls, d) -> "CaseResult":
        d = _obj(d, {"name", "passed", "points", "hidden", "message", "failure_message"}, "a test")
        fm = d["failure_message"]
        return cls(
            name=_text(d["name"], "a test's name"),
            passed=_flag(d["passed"], "passed"),
            points=_finite(d["points"], "points"),
            hidden=_flag(d["hidden"], "hidden"),
            message=_text(d["message"], "a test's message"),
            failure_message=None if fm is None else _text(fm, "failure_message"),
        )


@dataclass(frozen=True)
class QuestionResult:
    """One question (one Otter test file): its score out of its possible points."""

    score: float
    possible: float
    all_or_nothing: bool = False
    tests: tuple[CaseResult, ...] = ()
    # Types of values its tests met that cannot leave the sandbox (``--autograder`` zips:
    # objects of the notebook's own classes): ``otter run`` may score such a question higher.
    kept_in_sandbox: tuple[str, ...] = ()

    def to_json(self) -> dict:
        d = {
            "score": float(self.score),
            "possible": float(self.possible),
            "all_or_nothing": bool(self.all_or_nothing),
            "tests": [t.to_json() for t in self.tests],
        }
        if self.kept_in_sandbox:
            d["kept_in_sandbox"] = [clean_text(k, 200) for k in self.kept_in_sandbox]
        return d

    @classmethod
    def from_json(cls, d) -> "QuestionResult":
        d = _obj(d, {"score", "possible", "all_or_nothing", "tests"}, "a question")
        if not isinstance(d["tests"], list):
            raise MalformedResult("a question's tests are not a list")
        q = cls(
            score=_finite(d["score"], "a score"),
            possible=_finite(d["possible"], "possible"),
            all_or_nothing=_flag(d["all_or_nothing"], "all_or_nothing"),
            tests=tuple(CaseResult.from_json(t) for t in d["tests"]),
            kept_in_sandbox=tuple(
                _text(k, "kept_in_sandbox") for k in _list(d.get("kept_in_sandbox", []))[:10]
            ),
        )
        if not 0 <= q.score <= q.possible + 1e-9:
            raise MalformedResult("a score outside 0..possible")
        return q


@dataclass(frozen=True)
class CellError:
    """A notebook cell that raised: its index among the graded code cells, and the exception."""

    index: int
    ename: str
    evalue: str

    @classmethod
    def parse(cls, x) -> "CellError | None":
        """From the child's ``[index, ename, evalue]``; None for anything not of that shape."""
        if not isinstance(x, (list, tuple)) or len(x) != 3:
            return None
        i, ename, evalue = x
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < 1_000_000:
            return None
        return cls(i, clean_text(ename, 200), clean_text(evalue, 500))

    def to_json(self) -> list:
        return [self.index, self.ename, self.evalue]


@dataclass
class Result:
    """Everything known about one submission's grading (``DIR/results/<file>.json``)."""

    submission: str  # the identity: a row of scores.csv
    source: str  # the path graded
    digest: str  # SHA-256 of the submitted bytes
    autograder_digest: str  # SHA-256 of the autograder zip
    status: Status
    detail: str = ""
    questions: dict[str, QuestionResult] = field(default_factory=dict)
    cell_errors: list[CellError] = field(default_factory=list)
    seconds: float = 0.0
    file: str = ""  # the stem of this result's files in results/ and feedback/
    # From an Otter zip's otter_config.json (``--autograder``), applied as Otter does:
    points_possible: float | None = None  # the total is rescaled to this many points
    score_threshold: float | None = None  # full points at or above this share, else 0
    show_hidden: bool = False  # feedback shows hidden cases like public ones

    @property
    def raw_total(self) -> float:
        return round(sum(q.score for q in self.questions.values()), 6)

    @property
    def raw_possible(self) -> float:
        return round(sum(q.possible for q in self.questions.values()), 6)

    @property
    def total(self) -> float:
        total, possible = self.raw_total, self.raw_possible
        points, threshold = self.points_possible, self.score_threshold
        if points is not None:
            total = round(total / possible * points, 6) if possible else 0.0
        if threshold is not None:
            reached = (self.raw_total / possible >= threshold) if possible else (0 >= threshold)
            total = float(points if points is not None else possible) if reached else 0.0
        return total

    @property
    def possible(self) -> float:
        return (
            float(self.points_possible) if self.points_possible is not None else self.raw_possible
        )

    def to_json(self) -> dict:
        return {
            "submission": clean_text(self.submission),
            "source": clean_text(self.source),
            "file": self.file,
            "digest": self.digest,
            "autograder_digest": self.autograder_digest,
            "status": Status(self.status).value,
            "detail": clean_text(self.detail),
            "questions": {clean_text(q, 200): v.to_json() for q, v in self.questions.items()},
            "total": self.total,
            "possible": self.possible,
            "cell_errors": [e.to_json() for e in self.cell_errors],
            "seconds": round(float(self.seconds), 4),
        } | self._otter_config_json()

    def _otter_config_json(self) -> dict:
        d = {"show_hidden": True} if self.show_hidden else {}
        if self.points_possible is not None or self.score_threshold is not None:
            d |= {"points_possible": self.points_possible, "score_threshold": self.score_threshold}
            d |= {"raw_total": self.raw_total, "raw_possible": self.raw_possible}
        return d

    @classmethod
    def from_json(cls, d) -> "Result":
        """Strict: anything that is not exactly a result's shape raises MalformedResult."""
        keys = {"submission", "source", "file", "digest", "autograder_digest", "status"}
        keys |= {"detail", "questions", "total", "possible", "cell_errors", "seconds"}
        d = _obj(d, keys, "the result")
        try:
            status = Status(d["status"])
        except ValueError:
            raise MalformedResult("an unknown status") from None
        if not isinstance(d["questions"], dict) or not isinstance(d["cell_errors"], list):
            raise MalformedResult("questions or cell_errors of the wrong type")
        errors = [CellError.parse(e) for e in d["cell_errors"]]
        if None in errors:
            raise MalformedResult("a malformed cell error")
        for k, sizes in (("digest", (0, 64)), ("autograder_digest", (64,))):
            if not isinstance(d[k], str) or len(d[k]) not in sizes:
                raise MalformedResult(f"{k} is not a SHA-256")
        r = cls(
            submission=_text(d["submission"], "submission"),
            source=_text(d["source"], "source"),
            file=_text(d["file"], "file"),
            digest=d["digest"],
            autograder_digest=d["autograder_digest"],
            status=status,
            detail=_text(d["detail"], "detail"),
            questions={
                _text(q, "a question id"): QuestionResult.from_json(v)
                for q, v in d["questions"].items()
            },
            cell_errors=errors,
            seconds=_finite(d["seconds"], "seconds"),
            show_hidden=_flag(d.get("show_hidden", False), "show_hidden"),
            points_possible=_optional_number(d.get("points_possible"), "points_possible"),
            score_threshold=_optional_number(d.get("score_threshold"), "score_threshold"),
        )
        for k in ("total", "possible"):
            if abs(_finite(d[k], k) - getattr(r, k)) > 1e-6:
                raise MalformedResult(f"{k} is not the sum of the questions")
        return r


def zero_questions(possible: dict[str, float]) -> dict[str, QuestionResult]:
    """Every question at 0 with no test run (for a submission that could not be graded)."""
    return {q: QuestionResult(score=0.0, possible=float(p)) for q, p in possible.items()}


@dataclass(frozen=True)
class Outcome:
    """What the judge learnt from running a submission (a Result without its identity)."""

    status: Status
    detail: str
    questions: dict[str, QuestionResult]
    cell_errors: list[CellError]
