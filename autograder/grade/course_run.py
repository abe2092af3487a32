"""``mml grade --all ROOT``: every assignment of the course in one call, one pool of judges."""

import html
import io
import multiprocessing as mp
import os
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from . import GradeInputError, built_assignment, load, open_batch, pool
from .record import STATUSES, write_atomic
from .settings import Settings
from .view import read_results


def grade_all(
    course,
    root: Path,
    out: Path,
    workers: int | None = None,
    timeout: float | None = None,
    scheduler: str | None = None,
    dist: Path | None = None,
    force: bool = False,
    stream=None,
) -> int:
    """Grade ``root/<slug>/`` for every course assignment into ``out/<slug>/`` (as ``mml grade
    SLUG`` does), then write the course-wide ``out/scores.csv`` and ``out/report.html``.

    Returns 0, 1 if any result is ``error``, 2 for bad input (one line, nothing graded).
    """
    stream = stream or sys.stderr
    try:
        slugs = _assignment_folders(course, Path(root), stream)
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise GradeInputError(f"--out {out} is a file, not a folder")
        builds = {slug: built_assignment(course, slug, dist) for slug in slugs}
        client = pool.connect(scheduler) if scheduler else None  # before any folder is made
    except (GradeInputError, pool.SchedulerError) as e:
        print(f"mml grade: {e}", file=stream)
        return 2
    g = course.grading
    workers = workers or g.workers
    settings = {
        slug: Settings(
            timeout=float(timeout or g.timeout),
            memory_mb=int(g.memory_mb),
            preimport=load.preimports(builds[slug].student_notebook),
        )
        for slug in slugs
    }
    every = sorted({m for s in settings.values() for m in s.preimport})
    if client is None:  # the zygotes warm up while the zips and the submissions are read
        pool.prestart(every, load.count_files([Path(root) / s for s in slugs], workers))
    from . import report_html

    report_html.warm()  # meanwhile: what the report writers draw with
    try:
        return _grade_all(
            course, root, out, slugs, builds, settings, workers, client, scheduler, force, stream
        )
    finally:
        pool.stop_prestarted()


def _grade_all(
    course, root, out, slugs, builds, settings, workers, client, scheduler, force, stream
) -> int:
    batches = {}
    for slug in slugs:
        zip_path = builds[slug].autograder_zip
        batch = open_batch(
            zip_path, [Path(root) / slug], out / slug, settings[slug], stream, None, force, course
        )
        if isinstance(batch, int):
            if client is not None:
                client.close()
            return batch
        batches[slug] = batch
    total = sum(len(b.subs) for b in batches.values())
    todo = sum(len(b.todo) for b in batches.values())
    if client is None:
        pool.prestart(
            sorted({m for s in settings.values() for m in s.preimport}), min(workers, todo)
        )
    print(
        f"mml grade: {len(batches)} assignments, {total} submissions ({total - todo} already "
        f"graded), {scheduler or workers} workers",
        file=stream,
    )
    start = time.monotonic()
    interrupted = False
    for slug, b in batches.items():
        print(f"mml grade: {slug}:", file=stream, end=" ")
        b.announce(scheduler or workers)
    writer = _Writers(batches, stream)

    def on_result(job, result) -> None:
        b = batches[job.key]
        b.on_result(job.sub, result)
        if job.key not in writer and len(b.seen) == len({s.path for s in b.todo}):
            writer.submit(job.key, False)

    try:
        if client is not None:
            with client:  # one client; each worker keeps its judges across the assignments
                for slug, b in batches.items():
                    pool.run_dask(
                        client,
                        b.zip_bytes,
                        b.settings,
                        b.todo,
                        lambda s, r, k=slug: on_result(pool.Job(k, s), r),
                    )
        else:
            table = {s: (str(builds[s].autograder_zip), b.settings) for s, b in batches.items()}
            jobs = [pool.Job(slug, s) for slug, b in batches.items() for s in b.todo]
            if jobs:
                pool.run_local_jobs(table, jobs, workers, on_result)
    except KeyboardInterrupt:  # keep what is done; a rerun grades the rest
        interrupted = True
    except Exception as e:  # noqa: BLE001 - what is left becomes `error`, rerun to retry
        print(f"mml grade: the pool failed: {type(e).__name__}: {e}", file=stream)
    for slug in batches:
        if slug not in writer:
            writer.submit(slug, interrupted)
    codes = list(writer.wait().values())
    seconds = time.monotonic() - start
    try:
        write_course_outputs(course, out, list(batches), seconds, stream)
    except OSError as e:
        print(f"mml grade: cannot write to {out}: {e}", file=stream)
        return 1
    if interrupted:
        return 130
    return max(codes, default=0)


class _Writers:
    """Each assignment's outputs (feedback, scores.csv, summary and report.html with its
    figures, the costly part) are written as soon as its last submission is in, while the
    judges grade the next assignments, by one of two writer processes forked once (at nice
    10: the judges come first) when grading starts. A writer forked per assignment paid again
    for its copy of this process's memory (6,500 page copies, 0.1 s of its 0.25 s); a thread
    took the CPU and the main process's lock from the judges' dispatch. What a writer prints
    comes back with its exit code, and is shown as each assignment's outputs are done."""

    LIMIT = 2  # writer processes

    def __init__(self, batches: dict, stream):
        self.batches = batches
        self.stream = stream
        self.codes: dict[str, int] = {}
        self.pending: dict[str, int] = {}  # slug -> the writer it was given to
        self.procs: list = []
        if "fork" in mp.get_all_start_methods():
            for _ in range(self.LIMIT):
                ours, theirs = mp.get_context("fork").Pipe()
                proc = mp.get_context("fork").Process(
                    target=_writer, args=(batches, theirs), daemon=True
                )
                proc.start()
                theirs.close()
                self.procs.append((proc, ours))

    def __contains__(self, slug: str) -> bool:
        return slug in self.codes or slug in self.pending

    def submit(self, slug: str, interrupted: bool) -> None:
        seconds = self.batches[slug].settle(interrupted)  # here: the results are this process's
        self._poll()
        queued = [sum(1 for w in self.pending.values() if w == i) for i in range(len(self.procs))]
        for i in sorted(range(len(self.procs)), key=queued.__getitem__):
            try:
                self.procs[i][1].send((slug, interrupted, seconds))
                self.pending[slug] = i
                return
            except OSError:  # that writer is gone: the next one, or this process
                continue
        self.codes[slug] = self.batches[slug].write(interrupted, seconds)

    def _poll(self, block: bool = False) -> None:
        for i, (_proc, conn) in enumerate(self.procs):
            if i not in self.pending.values():
                continue
            while block or conn.poll():
                try:
                    slug, code, text = conn.recv()
                except (EOFError, OSError):  # the writer died: what it held is written here
                    for slug in [s for s, w in self.pending.items() if w == i]:
                        del self.pending[slug]
                        self.codes[slug] = self.batches[slug].write(False, 0.0)
                    break
                self.stream.write(text)
                self.codes[slug] = code
                del self.pending[slug]
                if i not in self.pending.values():
                    break

    def wait(self) -> dict[str, int]:
        self._poll(block=True)
        for proc, conn in self.procs:
            try:
                conn.send(None)
            except OSError:
                pass
            proc.join(timeout=5)
            conn.close()
        return self.codes


def _writer(batches: dict, conn) -> None:
    """A writer process: each (slug, interrupted, seconds) received, that assignment's outputs;
    sends back (slug, exit code, what it printed)."""
    os.nice(10)  # the judges come first; the writers fill the gaps
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    pool.forget_prestarted()  # a zygote must see its judge hang up, not wait for this process
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        slug, interrupted, seconds = job
        batch, buf = batches[slug], io.StringIO()
        batch.stream = buf
        try:
            code = batch.write(interrupted, seconds)
        except Exception as e:  # noqa: BLE001
            code = 1
            print(f"mml grade: the outputs could not be written: {type(e).__name__}: {e}", file=buf)
        conn.send((slug, code, buf.getvalue()))


def _assignment_folders(course, root: Path, stream) -> list[str]:
    """The course's slugs that have a folder in ``root``, in course order; others listed."""
    if not root.is_dir():
        raise GradeInputError(f"--all {root}: not a folder")
    known = [a.slug for a in course.assignments]
    present = {p.name for p in root.iterdir() if not p.name.startswith(".")}
    unknown = sorted(present - set(known))
    if unknown:
        shown = ", ".join(repr(n) for n in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        print(f"mml grade: skipped (not an assignment of the course): {shown}", file=stream)
    slugs = [s for s in known if s in present and (root / s).is_dir()]
    empty = [s for s in slugs if not _has_submissions(root / s)]
    if empty:
        print(f"mml grade: skipped (no .ipynb or .zip files): {', '.join(empty)}", file=stream)
    slugs = [s for s in slugs if s not in empty]
    if not slugs:
        raise GradeInputError(
            f"--all {root}: no folder named after an assignment (e.g. {root / known[0]})"
        )
    return slugs


def _has_submissions(folder: Path) -> bool:
    return any(p.suffix in (".ipynb", ".zip") and p.is_file() for p in folder.rglob("*"))


def write_course_outputs(course, out: Path, slugs: list[str], seconds: float, stream) -> None:
    """``out/scores.csv`` (one row per identity, a column per assignment, the weighted total)
    and ``out/report.html``, from every result in ``out/<slug>/``."""
    from autograder.gradebook import add_total, build_rows, graded_folders
    from autograder.gradebook.formats import plain

    graded = graded_folders([out / s for s in slugs], course, stream)
    rows, _ = build_rows(graded, None, stream)
    rows.sort(key=lambda r: r.label)
    columns = [g.column for g in graded] + [add_total(graded, rows)]
    write_atomic(out / "scores.csv", plain(columns, rows, roster=False))
    write_atomic(out / "report.html", course_report(course, out, slugs, seconds, stream))
    print(f"mml grade: wrote {out / 'scores.csv'} and {out / 'report.html'}", file=stream)


def course_report(course, out: Path, slugs: list[str], seconds: float, stream) -> str:
    """A self-contained page: one row per assignment with counts, mean, median and statuses."""
    titles = {a.slug: a.title for a in course.assignments}
    head = ["assignment", "submissions", "mean", "median", "full marks", *STATUSES]
    body = []
    for slug in slugs:
        results = read_results(out / slug, stream)
        counts = Counter(r.status for r in results)
        totals = [r.total for r in results if r.status not in ("invalid", "error")]
        possible = max((r.possible for r in results), default=0.0)
        full = sum(1 for t in totals if possible and t >= possible - 1e-9)
        cells = [
            f'<a href="{html.escape(slug)}/report.html">{html.escape(titles.get(slug, slug))}</a>',
            str(len(results)),
            _score(statistics.fmean(totals) if totals else None, possible),
            _score(statistics.median(totals) if totals else None, possible),
            f"{full}/{len(totals)}" if totals else "-",
            *[str(counts.get(s, 0)) for s in STATUSES],
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    name = html.escape(getattr(course, "title", "") or "the course")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Grading report: {name}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222 }}
table {{ border-collapse: collapse }}
th, td {{ border: 1px solid #ccc; padding: .3em .7em; text-align: right }}
th:first-child, td:first-child {{ text-align: left }}
th {{ background: #f3f3f3 }}
</style></head><body>
<h1>Grading report: {name}</h1>
<p>{len(slugs)} assignments; this run took {seconds:.1f} s. Each assignment's own report
(figures, failing tests, similar submissions) is linked from its name.</p>
<table><thead><tr>{"".join(f"<th>{html.escape(h)}</th>" for h in head)}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
</body></html>
"""


def _score(x: float | None, possible: float) -> str:
    return "-" if x is None else f"{x:.2f} / {possible:g}"
