"""``mml validate --mutate``: generated mutants of each reference, graded by the fast grader."""

import difflib
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from ..build import BuildError, build
from ..course import Assignment, Course, CourseError
from ..course.template import read_solution
from .mutation_ops import Mutant, generate
from .specimens import fill, mutant_bodies, reference_bodies

CACHE_VERSION = "2"  # bump when operators or verdict rules change
GRADE_TIMEOUT = 20.0  # seconds per mutant: a hanging mutant scores 0 (killed) when it ends
NOTES = "mutation-notes.yml"


@dataclass
class Outcome:
    """What became of one generated mutant."""

    id: str
    function: str
    question: str
    operator: str
    line: int
    status: str  # killed, equivalent, survived, accepted
    lost: list[str] = field(default_factory=list)
    diff: str = ""
    reason: str = ""


@dataclass
class Report:
    """One assignment's mutation results."""

    slug: str
    questions: list[str]
    outcomes: list[Outcome]
    handwritten: dict[str, list[str]]  # hand-written mutant -> questions it loses
    problems: list[str] = field(default_factory=list)
    graded: int = 0  # submissions graded in this run (the rest came from the cache)

    def count(self, status: str, question: str | None = None) -> int:
        return sum(o.status == status and question in (None, o.question) for o in self.outcomes)

    def score(self, question: str | None = None) -> float | None:
        """Killed among the non-equivalent mutants (accepted survivors count as survivors)."""
        killed = self.count("killed", question)
        rest = self.count("survived", question) + self.count("accepted", question)
        return None if killed + rest == 0 else 100.0 * killed / (killed + rest)


def accepted_survivors(a: Assignment) -> dict[str, str]:
    """``id -> reason`` from the assignment's mutation-notes.yml (survivors judged harmless)."""
    path = a.solution_dir / NOTES
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text()) or {}
        items = data.get("accepted") or []
        out = {str(i["id"]): str(i["reason"]) for i in items}
    except (yaml.YAMLError, AttributeError, KeyError, TypeError) as e:
        raise CourseError(
            f"{path}: expected `accepted: [{{id: ..., reason: ...}}]` ({e})"
        ) from None
    if any(not r.strip() for r in out.values()):
        raise CourseError(f"{path}: every accepted survivor needs a one-line reason")
    return out


def generated_mutants(a: Assignment) -> list[Mutant]:
    solution = read_solution(a.solution_file)
    return [m for name in a.graded_functions for m in generate(solution.functions[name])]


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode())
        h.update(b"\0")
    return h.hexdigest()


def _text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def _diff(m: Mutant) -> str:
    lines = difflib.unified_diff(
        m.original.splitlines(), m.source.splitlines(), "reference", "mutant", lineterm="", n=1
    )
    return "\n".join(lines)


class Cache:
    """Verdicts by digest of (solution, tests, autograder zip, contract, mutant)."""

    def __init__(self, folder: Path, slug: str):
        self.path = folder / f"{slug}.json"
        try:
            self.data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def save(self, keys: set[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = {k: v for k, v in self.data.items() if k in keys}  # drop stale verdicts
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(kept, indent=0, sort_keys=True))
        tmp.replace(self.path)


def _grade(a: Assignment, built, named_bodies: dict[str, dict], workers: int, course) -> dict:
    """Grade each (name -> bodies) submission with the sandboxed grader; name -> scores."""
    from ..grade import grade, load
    from ..grade.record import Record

    if not named_bodies:
        return {}
    student = nbformat.read(built.student_notebook, as_version=4)
    settings = {
        "timeout": min(GRADE_TIMEOUT, float(course.grading.timeout)),
        "memory_mb": int(course.grading.memory_mb),
        "preimport": load.preimports(built.student_notebook),
    }
    with tempfile.TemporaryDirectory(prefix=f"mml-mutate-{a.slug}-") as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        for name, bodies in named_bodies.items():
            nbformat.write(fill(student, bodies), subs / f"{name}.ipynb")
        out = Path(tmp) / "out"
        grade(built.autograder_zip, [subs], out, settings, workers=workers, stream=io.StringIO())
        results, _ = Record(out).gather()
        by_name = {r.submission: r for r in results}
        scores = {}
        for name in named_bodies:
            r = by_name.get(name)
            if r is None:
                scores[name] = {"status": "error"}
                continue
            scores[name] = {
                "status": str(r.status),
                "seconds": r.seconds,
                "scores": {q: v.score for q, v in r.questions.items()},
            }
    return scores


def _lost(a: Assignment, result: dict) -> list[str] | None:
    """Questions that lost points, or None when the grader itself failed."""
    if result.get("status") == "error":
        return None
    got = result.get("scores", {})
    return [q.name for q in a.questions if got.get(q.name, 0.0) < q.points - 1e-9]


def _fill_cache(a, built, course, cache, mutants, handwritten, keys, workers) -> dict:
    """Verdicts for what the cache lacks (``keys``: name -> cache key), equivalence first,
    then the grader; returns what was graded."""
    from .mutation_equiv import verdicts

    reference = reference_bodies(a)
    todo = [m for m in mutants if keys[m.id] not in cache.data]
    for m, v in zip(todo, verdicts(a, [(m.function, m.source) for m in todo], workers)):
        if v == "equivalent":
            cache.data[keys[m.id]] = {"status": "equivalent"}
        elif v == "hangs":  # the grader would stop it at its deadline with 0 points
            every = [q.name for q in a.questions]
            cache.data[keys[m.id]] = {"status": "killed", "lost": every, "hangs": True}
    to_grade = {
        m.id: {**reference, m.function: m.body()} for m in todo if keys[m.id] not in cache.data
    }
    to_grade.update({n: b for n, b in handwritten.items() if keys[n] not in cache.data})
    if to_grade and keys["reference"] not in cache.data:
        to_grade["reference"] = reference
    graded = _grade(a, built, to_grade, workers, course)
    for name, result in graded.items():
        lost = _lost(a, result)
        if lost is not None:  # grader faults are not cached: the next run tries again
            cache.data[keys[name]] = {"status": "killed" if lost else "survived", "lost": lost}
    return graded


def mutate_assignment(a: Assignment, built, course, cache_dir: Path, workers: int) -> Report:
    """Generate, sort out the equivalent ones, grade the rest (what the cache lacks)."""
    question_of = {f: q.name for f, q in a.graded_functions.items()}
    zip_digest = hashlib.sha256(built.autograder_zip.read_bytes()).hexdigest()
    base = _digest(
        CACHE_VERSION,
        zip_digest,
        _text(a.solution_file),
        _text(a.tests_file),
        _text(a.solution_dir / "contract.py"),
    )
    cache = Cache(cache_dir, a.slug)
    mutants = generated_mutants(a)
    keys = {m.id: _digest(base, m.function, m.source) for m in mutants}
    handwritten = {f"hand-{k}": v for k, v in mutant_bodies(a).items()}
    hand_keys = {n: _digest(base, n, json.dumps(b, sort_keys=True)) for n, b in handwritten.items()}
    ref_key = _digest(base, "reference")

    all_keys = {**keys, **hand_keys, "reference": ref_key}
    graded = _fill_cache(a, built, course, cache, mutants, handwritten, all_keys, workers)

    problems = []
    ref = cache.data.get(ref_key)
    if ref is None or ref["lost"]:
        problems.append("the reference does not score full marks with the fast grader")
    accepted = accepted_survivors(a)
    outcomes = []
    for m in mutants:
        v = cache.data.get(keys[m.id])
        if v is None:
            problems.append(f"mutant {m.id} could not be graded")
            continue
        status = v["status"]
        if status == "survived" and m.id in accepted:
            status = "accepted"
        outcomes.append(
            Outcome(
                m.id,
                m.function,
                question_of[m.function],
                m.operator,
                m.line,
                status,
                v.get("lost", []),
                _diff(m) if status in ("survived", "accepted") else "",
                accepted.get(m.id, ""),
            )
        )
    stale = set(accepted) - {o.id for o in outcomes if o.status == "accepted"}
    problems += [f"{NOTES}: {i} is not a surviving mutant (remove it)" for i in sorted(stale)]
    hand = {}
    for n, k in hand_keys.items():
        v, stem = cache.data.get(k), n[len("hand-") :]
        hand[stem] = v["lost"] if v else []
        if v is None:
            problems.append(f"hand-written mutant {stem} could not be graded")
        elif not v["lost"]:
            problems.append(f"hand-written mutant {stem} loses no points")
    cache.save(set(all_keys.values()))
    questions = [q.name for q in a.questions]
    return Report(a.slug, questions, outcomes, hand, problems, graded=len(graded))


def print_report(r: Report, echo=print, show_accepted: bool = False) -> None:
    def row(label, q=None):
        s = r.score(q)
        counts = [
            sum(q in (None, o.question) for o in r.outcomes),
            r.count("killed", q),
            r.count("equivalent", q),
            r.count("survived", q),
            r.count("accepted", q),
        ]
        score = "-" if s is None else f"{s:5.1f}%"
        echo(f"{label:<24} " + " ".join(f"{c:>9}" for c in counts) + f" {score:>8}")

    head = ["generated", "killed", "equivalent", "survived", "accepted"]
    echo(f"{'':<24} " + " ".join(f"{h:>9}" for h in head) + f" {'score':>8}")
    for q in r.questions:
        row(f"{r.slug} {q}", q)
    row(f"{r.slug} (all)")
    killed = sum(bool(v) for v in r.handwritten.values())
    echo(f"{r.slug} hand-written mutants/: {killed} of {len(r.handwritten)} killed")
    for o in r.outcomes:
        if o.status == "survived" or (show_accepted and o.status == "accepted"):
            why = f" (accepted: {o.reason})" if o.reason else ""
            echo(f"\nSURVIVED {o.id} [{o.operator}, line {o.line}]: should fail {o.question}{why}")
            echo(o.diff)
    for p in r.problems:
        echo(f"PROBLEM {r.slug}: {p}")


def mutate(
    course: Course,
    slugs,
    out: Path,
    min_score: float | None = None,
    workers: int = 2,
    echo=print,
) -> int:
    """Run mutation testing on the selected assignments; print the report; exit code."""
    selected = course.select(slugs)
    try:
        built = build(course, [a.slug for a in selected], out, echo=lambda *a, **k: None)
    except BuildError as e:
        echo(f"mml validate --mutate: {e}")
        return 1
    reports = []
    for a, b in zip(selected, built, strict=True):
        r = mutate_assignment(a, b, course, out / ".mutate-cache", workers)
        print_report(r, echo)
        echo("")
        reports.append(r)
    failed = [r.slug for r in reports if r.problems]
    if min_score is not None:
        failed += [
            r.slug for r in reports if r.score() is not None and r.score() < min_score - 1e-9
        ]
    echo("mutation scores: " + ", ".join(f"{r.slug} {_pct(r.score())}" for r in reports))
    if failed:
        echo(f"mml validate --mutate: FAILED for {', '.join(sorted(set(failed)))}")
        return 1
    return 0


def _pct(s: float | None) -> str:
    return "-" if s is None else f"{s:.1f}%"
