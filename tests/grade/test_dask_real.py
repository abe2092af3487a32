"""``mml grade --scheduler`` against a real ``dask scheduler`` and two ``dask worker`` processes
on loopback: a worker killed mid-batch costs no submission its result."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SLUG, write

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the finalizer ends everything it made
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


@pytest.fixture
def cluster(request):
    """A scheduler and two workers (no nanny: a killed worker stays dead), as processes."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    request.addfinalizer(lambda: [_stop(p) for p in reversed(procs)])
    procs.append(
        _start(
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        )
    )
    for _ in range(2):
        procs.append(
            _start(
                "distributed.cli.dask_worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
            )
        )
    deadline = time.monotonic() + 90
    while True:
        try:
            with Client(address, timeout=5) as client:
                client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    return address, procs[1:]


def _mml(*args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", *map(str, args), "--course", str(REPO)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_worker_mid_batch_every_submission_still_graded(
    cluster, tmp_path, built, course_dist, notebooks
):
    address, workers = cluster
    subs = tmp_path / "subs"
    names = ["reference", "blank", *sorted(k for k in notebooks if k.startswith("mutant"))]
    for i in range(20):  # about twenty students, some handing in the same work
        write(notebooks[names[i % len(names)]], subs / f"s{i:02d}-{names[i % len(names)]}.ipynb")
    local = _mml("grade", SLUG, subs, "--out", tmp_path / "local", "--dist", course_dist)
    _, err = local.communicate(timeout=600)
    assert local.returncode == 0, err

    out = tmp_path / "dask"
    run = _mml("grade", SLUG, subs, "--out", out, "--dist", course_dist, "--scheduler", address)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((out / "results").glob("*.json")):
        time.sleep(0.02)
    done_at_kill = len(list((out / "results").glob("*.json")))
    os.kill(workers[0].pid, signal.SIGKILL)  # mid-batch, with tasks in its hands
    _, err = run.communicate(timeout=600)
    assert workers[0].wait(10) == -signal.SIGKILL
    assert 0 < done_at_kill < 20, "the worker was not killed in the middle of the batch"
    assert run.returncode == 0, err
    csv_dask = (out / "scores.csv").read_text().splitlines()
    assert len(csv_dask) == 21
    assert all(",graded," in line for line in csv_dask[1:])
    assert csv_dask == (tmp_path / "local" / "scores.csv").read_text().splitlines()
