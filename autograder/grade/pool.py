"""Where judges run: local worker processes, or tasks on a Dask distributed cluster."""

import atexit
import hashlib
import multiprocessing as mp
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import util as mp_util
from pathlib import Path

from .judge import Grader

_grader: Grader | None = None
_grader_key: str | None = None


def _get_grader(zip_bytes: bytes, settings: dict) -> Grader:
    """One judge (with its zygote) per worker process, reused across submissions and tasks."""
    global _grader, _grader_key
    key = hashlib.sha256(zip_bytes).hexdigest() + repr(sorted(settings.items()))
    if _grader is None or _grader_key != key:
        # One BLAS thread per judge, whatever the parent process set: judges run side by side
        # with their sandboxes, and multithreaded BLAS made tests on 1000x64 data 40% slower.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        if _grader is not None:
            _grader.close()
        _grader = Grader(zip_bytes, **settings)
        _grader_key = key
        atexit.register(_close)
        # pool and Dask worker processes leave through os._exit: atexit does not run there
        mp_util.Finalize(None, _close, exitpriority=10)
    return _grader


def _close() -> None:
    global _grader
    if _grader is not None:
        _grader.close()
        _grader = None


def _init_local(zip_path: str, settings: dict) -> None:
    from .confine import die_with_parent

    die_with_parent()
    _get_grader(Path(zip_path).read_bytes(), settings)


def _grade_local(name: str, path: str) -> dict:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        return {"submission": name, "source": path, "error": str(e)}
    return _grader.grade(name, p, data)


def grade_batch(zip_bytes: bytes, settings: dict, items: list[tuple[str, str, bytes]]) -> list:
    """A Dask task: grade a batch in this worker, with a zygote subprocess (never a fork)."""
    g = _get_grader(zip_bytes, settings)
    return [g.grade(name, Path(path), data) for name, path, data in items]


def run_local(zip_path: Path, settings: dict, todo, workers: int, on_result) -> None:
    """Grade ``todo`` (Submission objects) on ``workers`` processes, calling ``on_result``."""
    pending = list(todo)
    for _attempt in range(3):
        if not pending:
            return
        # Judges are forked from this process, which never runs student code and has already
        # imported numpy and Otter: a judge starts in milliseconds. (Zygotes are fresh
        # interpreters, so no test ever sits in a sandbox's memory.)
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(pending))),
            mp_context=ctx,
            initializer=_init_local,
            initargs=(str(zip_path), settings),
        ) as ex:
            futures = {ex.submit(_grade_local, s.name, str(s.path)): s for s in pending}
            left = set(futures)
            try:
                while left:
                    done, left = wait(left, return_when=FIRST_COMPLETED)
                    for f in done:
                        s = futures[f]
                        try:
                            r = f.result()
                        except BrokenProcessPool:
                            raise
                        except Exception as e:  # recorded as an error; a rerun retries it
                            r = {"error": f"{type(e).__name__}: {e}"}
                        on_result(s, r)
                        pending.remove(s)
            except BrokenProcessPool:
                continue  # a judge process died (e.g. killed): start again with what is left
    for s in pending:
        on_result(s, None)


def run_dask(
    scheduler: str, zip_bytes: bytes, settings: dict, todo, on_result, batch_size: int | None = None
) -> None:
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})))
        size = batch_size or max(1, min(50, -(-len(todo) // (nworkers * 4))))
        zip_future = client.scatter(zip_bytes, broadcast=True)
        futures = {}
        for i in range(0, len(todo), size):
            batch = todo[i : i + size]
            items = [(s.name, str(s.path), s.path.read_bytes()) for s in batch]
            futures[client.submit(grade_batch, zip_future, settings, items, pure=False)] = batch
        for fut in as_completed(futures):
            batch = futures[fut]
            try:
                results = fut.result()
            except Exception as e:  # a lost worker: those submissions are errors, rerun resumes
                results = [
                    {
                        "submission": s.name,
                        "source": str(s.path),
                        "error": f"{type(e).__name__}: {e}",
                    }
                    for s in batch
                ]
            for s, r in zip(batch, results):
                on_result(s, r)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
