"""Where judges run: local judge processes (replaced when one dies), or Dask tasks."""

import atexit
import hashlib
import multiprocessing as mp
import os
import resource
import signal
import subprocess
import sys
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from multiprocessing import util as mp_util
from multiprocessing.connection import wait
from pathlib import Path

from .judge import Grader
from .result import Status
from .sandbox import SandboxError, SharedZygote, Template, Zygote
from .settings import Settings

ATTEMPTS = 2  # a submission whose judge dies this many times ends `crashed`
CONNECT_TIMEOUT = 5  # seconds to reach a Dask scheduler


@dataclass(frozen=True)
class Failure:
    """A submission the pool could not get a result for, and why."""

    status: Status
    detail: str


class SchedulerError(Exception):
    """A Dask scheduler that cannot be used (bad address, nothing listening)."""


KEEP = 2  # judges (each with its zygote) a worker keeps; a course run goes assignment by assignment
_graders: "OrderedDict[str, Grader]" = OrderedDict()
_shared: SharedZygote | None = None  # a local judge of several assignments: one zygote for all


@dataclass(frozen=True)
class Job:
    """One submission of one assignment: ``key`` names the assignment in the judges' table."""

    key: str
    sub: object  # load.Submission

    @property
    def path(self) -> Path:
        return self.sub.path


def _get_grader(zip_bytes: bytes, settings: Settings) -> Grader:
    """One judge (with its zygote) per assignment in each worker process, reused across
    submissions and tasks; a worker keeps the last ``KEEP`` assignments' judges."""
    key = hashlib.sha256(zip_bytes).hexdigest() + repr(settings)
    grader = _graders.get(key)
    if grader is not None:
        _graders.move_to_end(key)
        return grader
    # One BLAS thread per judge, whatever the parent process set: judges run side by side
    # with their sandboxes, and multithreaded BLAS made tests on 1000x64 data 40% slower.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    while len(_graders) >= KEEP:
        _graders.popitem(last=False)[1].close()
    if not _graders:
        atexit.register(_close)
        # pool and Dask worker processes leave through os._exit: atexit does not run there
        mp_util.Finalize(None, _close, exitpriority=10)
    _graders[key] = grader = Grader(zip_bytes, **settings.grader_args(), shared=_shared)
    return grader


def _close() -> None:
    while _graders:
        _graders.popitem()[1].close()
    if _shared is not None:
        _shared.close()


def _grade_one(zip_bytes: bytes, settings: Settings, name: str, path: str, data: bytes):
    try:
        return _get_grader(zip_bytes, settings).grade(name, Path(path), data)
    except Exception as e:  # a judge that cannot start or fails outside its own guard
        return Failure(Status.ERROR, f"the judge failed: {type(e).__name__}: {e}")


_early: list[Zygote] = []  # zygotes started before the judges, each adopted by one (prestart)
_adopted: list[Zygote] = []  # their processes, ours to reap once their judges have stopped
_template: Template | None = None  # what the prestarted zygotes of this run are forked from


def prestart(preimport: list[str], workers: int) -> None:
    """Start the judges' zygotes now: they warm up (half a second of imports) while this
    process reads the zip and finds the submissions, and each judge forked later adopts one.
    Two or more are forked warm from one template, which warms up once for all of them.
    Only with fork, where a judge inherits the zygote's socket."""
    global _template
    if "fork" not in mp.get_all_start_methods():
        return
    preimport = sorted(set(preimport))
    if _template is None and not _early and workers >= 2:
        _template = Template(preimport)
    while len(_early) < workers:
        template = _template if _template and _template.preimport == preimport else None
        _early.append(Zygote(None, preimport, template=template))


def forget_prestarted() -> None:
    """In a process forked from this one that will never use them: close its copies of the
    prestarted zygotes' control sockets and the template's (the processes and this
    process's copies stay)."""
    global _template
    for z in _early:
        z.ctrl.close()
    _early.clear()
    if _template is not None:
        _template.ctrl.close()
        _template = None


def stop_prestarted() -> None:
    """Stop the zygotes no judge adopted, reap those that were adopted, then the template."""
    global _template
    while _early:
        _early.pop().close()
    while _adopted:
        z = _adopted.pop()
        if z.proc is None:  # forked by the template, which reaps it
            continue
        try:
            z.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            z.proc.kill()
            z.proc.wait()
    if _template is not None:
        _template.close()
        _template = None


def _judge_process(
    conn, table: dict[str, tuple[str, Settings]], zygote: Zygote | None, cpu: int | None
) -> None:
    """A local judge: grade each (key, name, path) received with the assignment ``table[key]``
    (its zip and settings), send back a Result or a Failure. ``zygote``: one started for it
    in advance (it then names each child's data files, as for several assignments). ``cpu``:
    the processor it keeps to, with its zygote and children (see ``_cpus``)."""
    global _shared
    from .confine import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # Stopped mid-submission: leave through SystemExit, so the judge's finalizer removes its
    # zygote and temporary folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    judge_mb = max(s.judge_memory_mb for _, s in table.values())
    if judge_mb and all(s.judge_memory_mb for _, s in table.values()):
        # The soft limit only: the judge is trusted code, this stops data (a child's huge
        # message) from exhausting the machine; the sandbox sets its own, lower, limits.
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (judge_mb * 2**20, hard))
    forget_prestarted()  # the zygotes started for other judges: only their judge may hold them
    if cpu is not None:
        _keep_to(cpu, [0])
    zips: dict[str, bytes] = {}
    if zygote is not None or len(table) > 1:  # one zygote for every assignment, warm already
        _shared = SharedZygote([m for _, s in table.values() for m in s.preimport], zygote)
        _shared.get()
    if zygote is not None and cpu is not None:
        try:
            zygote.ready()  # a template's zygote says its pid when warm
            _keep_to(cpu, [zygote.pid])
        except SandboxError:  # grading it finds the fault again, and replaces the zygote
            pass
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        key, name, path = task
        zip_path, settings = table[key]
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            r = Failure(Status.INVALID, f"cannot read the file: {e.strerror or e}")
        else:
            if key not in zips:
                zips[key] = Path(zip_path).read_bytes()
            r = _grade_one(zips[key], settings, name, path, data)
        try:
            conn.send(r)
        except Exception as e:  # e.g. a result that cannot be pickled: that one only
            conn.send(Failure(Status.ERROR, f"the judge could not send its result: {e}"))


class _Judge:
    """One local judge process and the submission it is grading."""

    def __init__(self, ctx, table: dict[str, tuple[str, Settings]], cpu: int | None = None):
        self.conn, child = ctx.Pipe()
        zygote = _early.pop() if _early and ctx.get_start_method() == "fork" else None
        self.cpu = cpu
        args = (child, table, zygote, cpu)
        self.proc = ctx.Process(target=_judge_process, args=args, daemon=True)
        self.proc.start()
        child.close()
        if zygote is not None:  # the judge holds its end now; the zygote ends with the judge
            zygote.ctrl.close()
            _adopted.append(zygote)
        self.sub = None
        self.key: str | None = None  # the assignment it graded last (its judge is loaded)

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class _Queue:
    """Jobs waiting, by assignment: a judge keeps to the assignment it has loaded, else takes
    one no other judge is on, so each assignment's tests are loaded by as few judges as can
    keep every judge busy."""

    def __init__(self, jobs: list[Job]):
        self.waiting: dict[str, deque] = {}
        for job in jobs:
            self.waiting.setdefault(job.key, deque()).append(job)

    def __bool__(self) -> bool:
        return any(self.waiting.values())

    def take(self, judge: "_Judge", judges: list["_Judge"]) -> Job:
        keys = [k for k, q in self.waiting.items() if q]
        taken = {j.key for j in judges if j is not judge}
        if judge.key not in keys:
            judge.key = next((k for k in keys if k not in taken), keys[0])
        return self.waiting[judge.key].popleft()

    def put_back(self, job: Job) -> None:
        self.waiting[job.key].appendleft(job)


def run_local(zip_path: Path, settings: Settings, todo, workers: int, on_result) -> None:
    """Grade ``todo`` (Submissions of one assignment) locally; see ``run_local_jobs``."""
    table = {"": (str(zip_path), settings)}
    jobs = [Job("", s) for s in todo]
    run_local_jobs(table, jobs, workers, lambda job, r: on_result(job.sub, r))


def run_local_jobs(table: dict, jobs: list[Job], workers: int, on_result) -> None:
    """Grade ``jobs`` on ``workers`` judge processes, calling ``on_result(job, result)``.

    ``table`` maps each job's key to its assignment's (zip path, Settings); every judge can
    grade every assignment, so one pool serves a whole course (jobs in assignment order keep
    each judge on one assignment at a time).

    Each judge grades one submission at a time, so a judge that dies is charged to exactly
    that submission: it is retried once on a fresh judge, then ends `crashed`; the others
    never notice.
    """
    # Judges are forked from this process, which never runs student code and has already
    # imported numpy and Otter: a judge starts in milliseconds. (Zygotes are fresh
    # interpreters, so no test ever sits in a sandbox's memory.)
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    todo = jobs
    queue = _Queue(todo)
    deaths: Counter = Counter()
    judges: list[_Judge] = []
    cpus = _cpus(max(1, min(workers, len(todo))))
    try:
        while queue or any(j.sub for j in judges):
            for j in [j for j in judges if j.sub is None and not j.proc.is_alive()]:
                judges.remove(j)  # died between submissions: nobody to charge
                j.stop()
            while queue and len(judges) < max(1, min(workers, len(todo))):
                free = [c for c in cpus if c not in {j.cpu for j in judges}] or [None]
                judges.append(_Judge(ctx, table, free[0]))
            for j in judges:
                _dispatch(j, queue, judges)
            busy = [j for j in judges if j.sub is not None]
            ready = set(wait([j.conn for j in busy] + [j.proc.sentinel for j in busy]))
            done = []
            for j in busy:
                if j.conn in ready:
                    try:
                        r = j.conn.recv()
                    except (EOFError, OSError):
                        r = None
                    if r is not None:
                        sub, j.sub = j.sub, None
                        done.append((sub, r))
                        _dispatch(j, queue, judges)  # its next one first: judges never wait on us
                        continue
                elif j.proc.sentinel not in ready:
                    continue
                # the judge died with this submission in hand: replace it, retry or give up
                sub, j.sub = j.sub, None
                judges.remove(j)
                j.stop()
                deaths[(sub.key, sub.path)] += 1
                if deaths[(sub.key, sub.path)] >= ATTEMPTS:
                    why = f"the judge process died while grading it ({ATTEMPTS} times)"
                    on_result(sub, Failure(Status.CRASHED, why))
                else:
                    queue.put_back(sub)
            for sub, r in done:
                on_result(sub, r)
    finally:
        for j in judges:
            if j.sub is not None:  # interrupted mid-submission: no need to wait for it
                j.proc.terminate()
            j.stop()
        stop_prestarted()


def _cpus(workers: int) -> list[int]:
    """One processor per judge when there are enough: a judge and its sandboxed child take
    turns (each waits while the other works), and on one processor each turn is a direct
    switch, not a wake-up on another one (about 10% per submission, measured). With fewer
    processors than judges, none is pinned and the kernel shares them out."""
    try:
        mine = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []
    return mine[:workers] if len(mine) >= workers else []


def _keep_to(cpu: int, pids: list[int]) -> None:
    for pid in pids:
        try:
            os.sched_setaffinity(pid, {cpu})
        except (AttributeError, OSError):  # not allowed here: the kernel decides
            pass


def _dispatch(j: _Judge, queue: _Queue, judges: list[_Judge]) -> None:
    """Give an idle judge its next submission, if any is waiting."""
    if j.sub is None and queue:
        j.sub = queue.take(j, judges)
        try:
            j.conn.send((j.sub.key, j.sub.sub.name, str(j.sub.path)))
        except OSError:  # it died before taking it: not this one's fault
            queue.put_back(j.sub)
            j.sub = None


def grade_batch(zip_bytes: bytes, settings: Settings, items: list[tuple[str, str, bytes]]):
    """A Dask task: grade a batch in this worker, with a zygote subprocess (never a fork)."""
    return [_grade_one(zip_bytes, settings, name, path, data) for name, path, data in items]


def connect(scheduler: str):
    """A Dask client for ``scheduler``, or SchedulerError with a one-line reason."""
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as e:  # unreachable, or not an address
        first = (str(e).splitlines() or [type(e).__name__])[0][:200]
        raise SchedulerError(f"cannot reach the Dask scheduler {scheduler!r}: {first}") from None


def run_dask(client, zip_bytes: bytes, settings: Settings, todo, on_result, batch_size=None):
    """Grade ``todo`` as Dask tasks of a few submissions each.

    A task that fails (its worker died, even after Dask's own retries) is split into tasks
    of one submission, so only a submission that itself kills workers ends `crashed`; a
    task that failed otherwise (e.g. the scattered zip was lost with its worker) is tried
    again once with the zip sent anew.
    """
    from asyncio import CancelledError

    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    nworkers = max(1, len(client.scheduler_info().get("workers", {})))
    size = batch_size or max(1, min(50, -(-len(todo) // (nworkers * 4))))
    shared = {"zip": client.scatter(zip_bytes, broadcast=True)}
    futures = {}
    retried: set[Path] = set()

    def submit(batch):
        items, live = [], []
        for s in batch:
            try:
                items.append((s.name, str(s.path), s.path.read_bytes()))
                live.append(s)
            except OSError as e:
                on_result(s, Failure(Status.INVALID, f"cannot read the file: {e.strerror}"))
        if not items:
            return None
        fut = client.submit(grade_batch, shared["zip"], settings, items, pure=False)
        futures[fut] = live
        return fut

    for i in range(0, len(todo), size):
        submit(todo[i : i + size])
    pending = as_completed(list(futures))
    for fut in pending:
        batch = futures.pop(fut)
        try:
            results = fut.result()
            if not isinstance(results, list) or len(results) != len(batch):
                raise RuntimeError("a task returned the wrong number of results")
        except (Exception, CancelledError) as e:
            if shared["zip"].status != "finished":  # lost with the worker that held it
                shared["zip"] = client.scatter(zip_bytes, broadcast=True)
            culprit = isinstance(e, KilledWorker) and len(batch) == 1
            again = [] if culprit else [s for s in batch if s.path not in retried]
            for s in again:  # one by one: a culprit alone fails again
                retried.add(s.path)
                new = submit([s])
                if new is not None:
                    pending.add(new)
            if culprit:
                why = "grading it killed the Dask worker repeatedly"
            else:
                why = f"the Dask task failed twice: {type(e).__name__}"
            results = [
                None if s in again else Failure(Status.CRASHED if culprit else Status.ERROR, why)
                for s in batch
            ]
        for s, r in zip(batch, results):
            if r is not None:
                on_result(s, r)
