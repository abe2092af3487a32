"""The zygote: imports numpy and friends once, then forks one confined child per submission.

Started by ``sandbox.py`` (``ZYGOTE_MAIN FD CONFIG_JSON``, without the package ``__init__``);
FD is its control socket.
It never sees tests: it only makes children and reports how they ended. With ``"template"`` in
the config it is a template instead: it warms up once and forks, for each socket it is sent,
a zygote already warm (several judges then pay for one warm-up, not one each).
"""

import gc
import json
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import time

from . import confine, wire
from .protocol import Op

DISK_MB = 100  # what one submission may write in all, besides a copy of the data files


def _size_mb(folder: str | None) -> int:
    total = 0
    for root, _dirs, names in os.walk(folder or "/nonexistent"):
        total += sum(os.lstat(os.path.join(root, n)).st_size for n in names)
    return total // 2**20 + 1


def _init_process() -> None:
    """PID 1 of the sandbox PID namespace: reaps orphans; its death kills every child left."""
    confine.die_with_parent()
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        signal.pause()


def _namespaces(features: dict, warnings: list[str]) -> None:
    err = confine.unshare(confine.CLONE_NEWNET)
    features["netns"] = err is None
    if err:
        warnings.append(f"no network namespace ({err}): submissions may use the network")
    err = confine.unshare(confine.CLONE_NEWPID)
    if err is None:
        pid = os.fork()
        if pid == 0:
            _init_process()
        features["pidns"] = True
    else:
        features["pidns"] = False
        warnings.append(f"no PID namespace ({err}): stray processes are killed by user id only")


def _warm(preimport: list[str]) -> None:
    import importlib

    import numpy as np

    from autograder.imports import brief_matplotlib_docs

    brief_matplotlib_docs()

    for name in preimport:
        try:
            importlib.import_module(name)
        except Exception:  # a module the notebook imports may be absent here: it fails there too
            pass
    a = np.random.default_rng(0).standard_normal((6, 6))
    np.linalg.inv(a), np.linalg.det(a), np.linalg.eig(a), np.linalg.svd(a), np.linalg.qr(a)
    np.linalg.solve(a, a[:, 0]), np.linalg.eigh(a @ a.T), np.linalg.norm(a), np.linalg.pinv(a)
    if "matplotlib.pyplot" in sys.modules:
        plt = sys.modules["matplotlib.pyplot"]
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0], label="x")
        ax.legend()
        ax.set_title("warm")
        fig.canvas.draw()
        plt.close("all")
    import random

    # Everything a child may import of ours: after Landlock it can read no other file of ours
    import autograder.checks  # noqa: F401
    import autograder.grade.child  # noqa: F401
    import autograder.grade.otter_zip  # noqa: F401  (child.place: a zip's other files)
    from autograder.grade import load

    load.transform("%time x = 1")  # IPython's rewriter, for cells with magics

    random.seed(), np.random.seed(1)
    # Freeze what exists now: the children's garbage collector then leaves these pages shared.
    gc.collect()
    gc.freeze()


def main() -> None:
    ctrl = socket.socket(fileno=int(sys.argv[1]))
    config = json.loads(sys.argv[2])
    confine.die_with_parent()
    if config.get("template"):
        _template(ctrl, config)
    else:
        _serve(ctrl, config, warm=True)


def _template(ctrl: socket.socket, config: dict) -> None:
    """Warm up once, then fork a zygote for each socket received (CLONE), until the control
    socket closes; then wait for the zygotes (they end when their judges hang up) and exit:
    the zygotes die with it (``die_with_parent``). Only the zygote is forked from the warm
    state: namespaces, sandbox user and mounts are each zygote's own, made after the fork."""
    _warm(config.get("preimport", []))
    clones: set[int] = set()
    try:
        while True:
            try:
                msg, _ = wire.recv(ctrl)
            except wire.Closed:
                break
            _, fds, _, _ = socket.recv_fds(ctrl, 1, 1)
            if msg["op"] != Op.CLONE or not fds:
                for fd in fds:
                    os.close(fd)
                continue
            pid = os.fork()
            if pid == 0:
                try:
                    ctrl.close()
                    confine.die_with_parent()
                    _serve(socket.socket(fileno=fds[0]), config, warm=False)
                finally:
                    os._exit(0)
            os.close(fds[0])
            clones.add(pid)
            _reap(clones, block=False)
    finally:
        _reap(clones, block=True)


def _reap(pids: set[int], block: bool) -> None:
    for pid in list(pids):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            pids.discard(pid)


def _serve(ctrl: socket.socket, config: dict, warm: bool) -> None:
    """Set up this zygote's isolation, say READY, then fork a child per FORK until closed."""
    features: dict = {"user": os.geteuid() == 0}
    warnings: list[str] = []
    if not features["user"]:
        warnings.append("not root: submissions run as the grader's own user")
    _namespaces(features, warnings)
    abi = confine.landlock_abi()
    features["landlock"] = abi
    if not abi:
        warnings.append("no Landlock: submissions can read every world-readable file")
    if warm:
        _warm(config.get("preimport", []))
    if features["user"]:
        err = confine.expose(confine.read_only_roots())
        if err:
            warnings.append(
                f"the Python installation is private to root ({err}): "
                "submissions cannot import modules not imported in advance"
            )
    uid = os.getuid()
    if features["user"]:
        try:
            uid, _lock = confine.claim_uid(os.getpid())  # the lock lives as long as we do
        except OSError as e:
            wire.send(ctrl, {"op": Op.READY, "error": f"no sandbox user id: {e}"})
            return
        err = confine.private_mounts()
        features["quota"] = err is None
        if err:
            warnings.append(f"no disk quota ({err}): only the size of each file is limited")
    else:
        features["quota"] = False
        warnings.append("no disk quota (not root): only the size of each file is limited")
    base = tempfile.mkdtemp(prefix="mml-sandbox-")
    os.chmod(base, 0o711)
    files = config.get("files_dir")
    sizes = {files: DISK_MB + _size_mb(files)}
    features["disk_mb"] = sizes[files]
    gc.freeze()  # what this zygote made since the warm-up: shared by its children too
    ready = {"op": Op.READY, "features": features, "warnings": warnings, "uid": uid}
    wire.send(ctrl, {**ready, "pid": os.getpid()})
    done: list[str] = []
    try:
        while True:
            try:
                msg, _ = wire.recv(ctrl)
            except wire.Closed:
                return
            if msg["op"] != Op.FORK:
                continue
            _, fds, _, _ = socket.recv_fds(ctrl, 1, 1)
            if not fds:
                continue
            # The judge may name this child's data files (a zygote shared by assignments).
            mine = msg.get("files") if isinstance(msg.get("files"), str) else files
            if mine not in sizes:
                sizes[mine] = DISK_MB + _size_mb(mine)
            features["disk_mb"] = sizes[mine]
            _fork_one(ctrl, fds[0], base, mine, uid, msg["limits"], features, done)
    finally:
        _clean(done, features)
        shutil.rmtree(base, ignore_errors=True)


def _clean(done: list[str], features: dict) -> None:
    """Remove finished children's folders (their tmpfs first)."""
    while done:
        work = done.pop()
        if features["quota"]:
            confine.unmount(work)
        shutil.rmtree(work, ignore_errors=True)


def _fork_one(ctrl, fd, base, files, uid, limits, features, done: list[str]) -> None:
    work = tempfile.mkdtemp(dir=base)
    no_quota = features["quota"] and confine.mount_quota(work, features["disk_mb"], uid)
    if files and os.path.isdir(files):
        shutil.copytree(files, work, dirs_exist_ok=True)
    if features["user"]:
        for root, dirs, names in os.walk(work):
            for n in dirs + names:
                os.chown(os.path.join(root, n), uid, uid)
        os.chown(work, uid, uid)
    os.chmod(work, 0o700)
    pid = os.fork()
    if pid == 0:
        try:
            if no_quota:
                os._exit(74)  # never run a submission with weaker isolation than announced
            ctrl.close()
            from . import child

            child.run(fd, work, uid, limits, features)
        finally:
            os._exit(70)
    os.close(fd)
    pidfd = os.pidfd_open(pid)
    wire.send(ctrl, {"op": Op.FORKED, "pid": pid})
    _clean(done, features)  # the previous child's folder, while this one runs (off the hot path)
    killed = False
    while True:
        ready, _, _ = select.select([ctrl, pidfd], [], [])
        if pidfd in ready:
            break
        try:
            msg, _ = wire.recv(ctrl, deadline=time.monotonic() + 5)
        except wire.WireError:
            msg = {"op": Op.KILL}
            ctrl = None
        if msg["op"] == Op.KILL and not killed:
            killed = True
            os.kill(pid, signal.SIGKILL)
            if not features["pidns"]:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
        if ctrl is None:
            break
    _, status = os.waitpid(pid, 0)
    os.close(pidfd)
    if features["user"]:
        confine.sweep_uid(uid)
    if ctrl is None:
        done.append(work)
        sys.exit(0)
    code = os.waitstatus_to_exitcode(status)
    os.chmod(work, 0)  # closed to the next child (same uid) until it is removed
    wire.send(ctrl, {"op": Op.EXITED, "code": code, "killed": killed})
    done.append(work)


if __name__ == "__main__":
    main()
