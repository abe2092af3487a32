"""``mml grade``: grade many submissions fast, each in a sandbox, judged by a trusted process.

Pipeline: ``load`` (find and read submissions) -> ``sandbox``/``zygote``/``child`` (run the
notebook confined) -> ``judge`` (Otter's tests, via ``remote`` proxies) -> ``record`` (results,
scores.csv) -> ``report`` (progress, feedback, summary). ``pool`` runs judges locally or on Dask.
"""

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import load, otter_zip, pool, record, report
from .result import MalformedResult, Result, Status, zero_questions
from .settings import Settings


class GradeInputError(Exception):
    """Input that ``mml grade`` refuses (exit 2), with a one-line reason."""


def main(
    slug: str,
    paths: list[Path],
    out: Path,
    workers: int | None = None,
    timeout: float | None = None,
    scheduler: str | None = None,
    course=None,
    dist: Path | None = None,
    regrade: list[str] | None = None,
    force: bool = False,
    stream=None,
) -> int:
    """Grade every submission in ``paths`` for ``slug`` into ``out``; returns the exit code."""
    from autograder.course import load_course

    stream = stream or sys.stderr
    course = course or load_course()
    try:
        built = built_assignment(course, slug, dist)
    except GradeInputError as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    g = course.grading
    settings = Settings(
        timeout=float(timeout or g.timeout),
        memory_mb=int(g.memory_mb),
        preimport=load.preimports(built.student_notebook),
    )
    return grade(
        built.autograder_zip,
        paths,
        out,
        settings,
        workers=workers or g.workers,
        scheduler=scheduler,
        stream=stream,
        regrade=regrade,
        force=force,
        course=course,
    )


def built_assignment(course, slug: str, dist: Path | None):
    """The build of ``slug`` under ``dist`` (default ``<course>/dist``), if present and current."""
    from autograder.builds import Built, source_hash

    dist = Path(course.root) / "dist" if dist is None else Path(dist)
    built = Built(slug, dist / slug)
    default = dist == Path(course.root) / "dist"
    hint = f"run `mml build {slug}" + ("" if default else f" --out {dist}")
    if not built.autograder_zip.is_file() or not built.student_notebook.is_file():
        raise GradeInputError(f"{slug} is not built in {dist}: {hint}` first")
    try:
        stamp = built.stamp.read_text().strip()
    except OSError:
        stamp = ""
    if stamp != source_hash(course, course.assignment(slug)):
        raise GradeInputError(f"the build of {slug} in {dist} is out of date: {hint}` first")
    return built


def grade(
    zip_path: Path,
    paths: list[Path],
    out: Path,
    settings: Settings | dict,
    workers: int = 2,
    scheduler: str | None = None,
    stream=None,
    regrade: list[str] | None = None,
    force: bool = False,
    course=None,
) -> int:
    """The batch itself, for any autograder zip (``main`` finds the course's; ``course``, if
    known, titles the report and feedback).

    Returns 0, 1 if any submission in the folder ended in ``error``, 2 for bad input. Every
    per-submission fault becomes that submission's status; the outputs are always written.
    """
    stream = stream or sys.stderr
    settings = Settings.of(settings)
    if not scheduler:  # the zygotes warm up while the zip and the submissions are read
        pool.prestart(settings.preimport, load.count_files(paths, workers))
    try:
        return _grade(
            zip_path, paths, out, settings, workers, scheduler, stream, regrade, force, course
        )
    finally:
        pool.stop_prestarted()


def _grade(zip_path, paths, out, settings, workers, scheduler, stream, regrade, force, course):
    batch = open_batch(zip_path, paths, out, settings, stream, regrade, force, course)
    if isinstance(batch, int):
        return batch
    try:
        client = pool.connect(scheduler) if scheduler else None
    except pool.SchedulerError as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    if client is None:
        pool.prestart(settings.preimport, min(workers, len(batch.todo)))
    # The report's libraries, now: this process would wait for the zygotes' warm-up anyway,
    # and at the end they were a third of a second more before the report could be drawn.
    from . import report_html

    report_html.warm()
    batch.announce(workers if not scheduler else scheduler)
    interrupted = False
    try:
        if client is not None:
            with client:
                pool.run_dask(client, batch.zip_bytes, batch.settings, batch.todo, batch.on_result)
        elif batch.todo:
            pool.run_local(zip_path, batch.settings, batch.todo, workers, batch.on_result)
    except KeyboardInterrupt:  # keep what is done; a rerun grades the rest
        interrupted = True
    except Exception as e:  # noqa: BLE001 - what is left becomes `error`, rerun to retry
        print(f"mml grade: the pool failed: {type(e).__name__}: {e}", file=stream)
    return batch.finish(interrupted)


@dataclass
class Batch:
    """One assignment's grading run into one ``--out`` folder: what to grade, and where."""

    zip_bytes: bytes
    settings: Settings
    questions: list[str]
    possible: dict[str, float]
    digest: str
    subs: list[load.Submission]
    todo: list[load.Submission]
    rec: record.Record
    stream: object
    context: dict = field(default_factory=dict)  # the report's title, graded functions ...
    seen: set = field(default_factory=set)
    progress: report.Progress | None = None
    start: float = field(default_factory=time.monotonic)

    def announce(self, workers) -> None:
        reused = len(self.subs) - len(self.todo)
        print(
            f"mml grade: {len(self.subs)} submissions ({reused} already graded), "
            f"{len(self.questions)} questions, {workers} workers",
            file=self.stream,
        )
        self.progress = report.Progress(len(self.subs), reused, self.stream)
        self.start = time.monotonic()

    def on_result(self, sub, result) -> None:
        self.seen.add(sub.path)
        try:
            title = self.context.get("title", "")
            _record(self.rec, sub, result, self.digest, self.possible, title)
        except Exception as e:  # noqa: BLE001 - the batch goes on; the row says why
            print(f"mml grade: {sub.name!r}: could not record: {e}", file=self.stream)
        if self.progress is not None:
            self.progress.step()

    def finish(self, interrupted: bool) -> int:
        """Mark what the pool lost as ``error``, write every output; the exit code."""
        return self.write(interrupted, self.settle(interrupted))

    def settle(self, interrupted: bool) -> float:
        """Mark what the pool lost as ``error`` and end the progress line; the batch's seconds."""
        for sub in self.todo:
            if sub.path not in self.seen and not interrupted:
                self.on_result(sub, pool.Failure(Status.ERROR, "the grader lost this submission"))
        if self.progress is not None:
            self.progress.finish()
        return time.monotonic() - self.start

    def write(self, interrupted: bool, seconds: float) -> int:
        """Every output, from the results on disk (``settle`` first); the exit code."""
        stream = self.stream
        try:
            code = write_outputs(
                self.rec, self.questions, self.possible, stream, seconds, self.context
            )
        except OSError as e:
            print(f"mml grade: cannot write to {self.rec.out}: {e}", file=stream)
            return 1
        if interrupted:
            print(
                "mml grade: interrupted; run the same command again to grade the rest", file=stream
            )
            return 130
        return code


def open_batch(
    zip_path: Path,
    paths: list[Path],
    out: Path,
    settings: Settings | dict,
    stream,
    regrade: list[str] | None = None,
    force: bool = False,
    course=None,
) -> "Batch | int":
    """Read the zip, find the submissions, open ``out`` and choose what to grade; or print
    one line and return the exit code 2."""
    settings = Settings.of(settings)
    try:
        zip_bytes = Path(zip_path).read_bytes()
        inspection = otter_zip.inspect(zip_bytes)  # never a silent wrong score
    except OSError as e:
        print(f"mml grade: cannot read the autograder zip {zip_path}: {e}", file=stream)
        return 2
    except otter_zip.BadZip as e:
        print(f"mml grade: {Path(zip_path).name}: {e}", file=stream)
        return 2
    if inspection.refused:
        print(inspection.message(Path(zip_path).name), file=stream)
        return 2
    questions, possible = list(inspection.questions), dict(inspection.possible)
    digest = hashlib.sha256(zip_bytes).hexdigest()
    assignment = inspection.config.get("assignment_name")
    try:
        subs = load.discover(paths, assignment, lambda m: print(f"mml grade: {m}", file=stream))
        if not subs:
            shown = " ".join(str(p) for p in paths)
            raise GradeInputError(f"no submissions (.ipynb or .zip files) found in {shown}")
        chosen = _chosen(subs, regrade or [])
        try:
            rec = record.Record(out)
        except OSError as e:
            raise GradeInputError(f"cannot use {out} as the results folder: {e.strerror}") from e
    except (FileNotFoundError, GradeInputError) as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    todo = [
        s for s in subs if force or s.path in chosen or not rec.is_current(s.name, s.digest, digest)
    ]
    context = report.context(zip_bytes, course)
    return Batch(zip_bytes, settings, questions, possible, digest, subs, todo, rec, stream, context)


def _chosen(subs: list[load.Submission], names: list[str]) -> set[Path]:
    """The paths that ``--regrade`` names (by identity, file stem or path)."""
    chosen = set()
    for n in names:
        hits = [
            s.path
            for s in subs
            if n in (s.name, record.file_stem(s.name), str(s.path)) or Path(n).resolve() == s.path
        ]
        if not hits:
            raise GradeInputError(f"--regrade {n!r} matches no submission")
        chosen.update(hits)
    return chosen


def _record(rec: record.Record, sub, result, digest: str, possible: dict, title: str) -> None:
    """Save one submission's result and feedback; any fault becomes its status."""
    if isinstance(result, pool.Failure):
        result = _failed(sub, digest, possible, result.status, result.detail)
    else:
        try:  # what comes back from a judge process is checked like anything read from disk
            if not isinstance(result, Result):
                raise MalformedResult("not a Result")
            result = Result.from_json(result.to_json())
        except (MalformedResult, ValueError, TypeError, AttributeError) as e:
            result = _failed(sub, digest, possible, Status.ERROR, f"a malformed result: {e}")
    result.submission, result.source = sub.name, str(sub.path)
    result.digest = sub.digest
    result.file = record.file_stem(sub.name)
    try:
        report.write_feedback(rec.out, result.to_json(), title=title)
    except Exception as e:  # noqa: BLE001
        why = f"the feedback could not be written: {type(e).__name__}: {e}"
        result = _failed(sub, digest, possible, Status.ERROR, why)
        rec.save(result)
        report.write_feedback(rec.out, result.to_json(), title=title)
    else:
        rec.save(result)


def _failed(sub, digest: str, possible: dict, status: Status, why: str) -> Result:
    return Result(
        submission=sub.name,
        source=str(sub.path),
        digest=sub.digest,
        autograder_digest=digest,
        status=status,
        detail=str(why),
        questions=zero_questions(possible),
    )


def write_outputs(rec, questions, possible, stream, seconds: float, context: dict) -> int:
    """scores.csv, missing feedback, the summary and report.html, from every valid result in
    the folder; returns the exit code (1 if any result is ``error``). ``context``: the
    report's (``report.context``), its title also heads each feedback page."""
    results, skipped = rec.gather()
    if skipped:
        shown = ", ".join(skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        print(f"mml grade: skipped {len(skipped)} unreadable results: {shown}", file=stream)
    dicts = [r.to_json() for r in results]
    for d in dicts:
        if not (rec.out / "feedback" / f"{d['file']}.html").exists():
            try:
                report.write_feedback(rec.out, d, title=context.get("title", ""))
            except Exception as e:  # noqa: BLE001
                print(f"mml grade: no feedback for {d['submission']!r}: {e}", file=stream)
    csv_path = rec.write_csv(results, questions)
    s = report.summary(dicts, questions, possible)
    s["wall_seconds"] = round(seconds, 3)
    report.write_summary(rec.out, s)
    report.write_report(rec.out, results, questions, possible, context)
    print(report.summary_text(s), file=stream)
    print(f"mml grade: wrote {csv_path}", file=stream)
    return 1 if any(r.status is Status.ERROR for r in results) else 0
