"""The judge's handle on its zygote: start it, fork a confined child per submission, stop it."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import wire
from .protocol import Op

_warned: set[str] = set()


class SandboxError(Exception):
    """The zygote could not be started or stopped answering (a grader fault)."""


# ``python -m autograder.grade.zygote`` would run the package's ``__init__`` first, and with it
# the judge, the pool and Otter's test classes: 60 ms of every warm-up, and memory each child
# is forked with. The zygote needs only its own modules (``imports.lazy_package``).
ZYGOTE_MAIN = (
    "from autograder.imports import lazy_package\n"
    "lazy_package('autograder.grade')\n"
    "from autograder.grade.zygote import main\n"
    "main()\n"
)


def _start(config: dict) -> tuple[socket.socket, subprocess.Popen]:
    """A fresh interpreter running ``autograder.grade.zygote``, and our end of its socket."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    env = dict(
        os.environ,
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
    )
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE_MAIN, str(theirs.fileno()), json.dumps(config)],
        pass_fds=[theirs.fileno()],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
    )
    theirs.close()
    return ours, proc


class Template:
    """A process that warms up once and forks warm zygotes (``Zygote(..., template=)``): the
    judges of one run pay for one warm-up (0.65 s of imports) instead of one each. It holds
    no tests either; it ends when this process closes it and its zygotes have ended."""

    def __init__(self, preimport: list[str]):
        self.preimport = preimport
        self.ctrl, self.proc = _start({"template": True, "preimport": preimport})

    def clone(self) -> socket.socket:
        """Ask for a zygote; returns its control socket (it answers once warm: ``ready``)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            wire.send(self.ctrl, {"op": Op.CLONE})
            socket.send_fds(self.ctrl, [b"C"], [theirs.fileno()])
        except OSError as e:
            ours.close()
            raise SandboxError(f"the sandbox template stopped answering: {e}") from None
        finally:
            theirs.close()
        return ours

    def close(self, timeout: float = 10) -> None:
        """Hang up and wait for it (it waits for its zygotes); kill it if that takes long."""
        try:
            self.ctrl.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # its zygotes die with it (and their children with them)
            self.proc.wait()


class Zygote:
    """A warm process that forks children; it never holds tests."""

    def __init__(
        self,
        files_dir: Path | None,
        preimport: list[str],
        startup_timeout: float = 120,
        template: Template | None = None,
    ):
        """Start the zygote; it warms up in the background until the first ``fork``. From a
        ``template`` (same ``preimport``), it is forked warm; the template is its parent."""
        self.proc: subprocess.Popen | None = None
        if template is not None:
            self.ctrl = template.clone()
        else:
            config = {"files_dir": str(files_dir) if files_dir else None, "preimport": preimport}
            self.ctrl, self.proc = _start(config)
        self.startup_timeout = startup_timeout
        self.features: dict | None = None
        self.warnings: list[str] = []
        self.pid: int | None = self.proc.pid if self.proc else None  # a clone's: once ready
        self.uid: int | None = None

    def ready(self) -> None:
        """Wait (once) until the zygote has warmed up and said which isolation it has."""
        if self.features is not None:
            return
        try:
            msg, _ = wire.recv(self.ctrl, time.monotonic() + self.startup_timeout)
        except wire.WireError as e:
            self.close()
            raise SandboxError(f"the sandbox process did not start: {e}") from None
        if msg.get("op") != Op.READY or "error" in msg:
            self.close()
            raise SandboxError(f"the sandbox process did not start: {msg.get('error')}")
        self.features = msg.get("features", {})
        self.warnings = msg.get("warnings", [])
        if self.pid is None and type(msg.get("pid")) is int:
            self.pid = msg["pid"]
        self.uid = msg.get("uid")  # the sandbox user its children run as
        for w in self.warnings:
            if w not in _warned:
                _warned.add(w)
                print(f"mml grade: warning: {w}", file=sys.stderr)

    def fork(self, limits: dict, files_dir: Path | None = None) -> tuple[socket.socket, int]:
        """A new confined child; returns the judge's end of its channel and its pid.

        ``files_dir``: the data files this child gets (default: the zygote's own)."""
        self.ready()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        for s in (ours, theirs):  # whole arrays in one write: fewer context switches
            for opt in (
                getattr(socket, "SO_SNDBUFFORCE", 32),
                getattr(socket, "SO_RCVBUFFORCE", 33),
            ):
                try:
                    s.setsockopt(socket.SOL_SOCKET, opt, 8 * 2**20)
                except OSError:
                    pass
        try:
            msg = {"op": Op.FORK, "limits": limits}
            if files_dir is not None:
                msg["files"] = str(files_dir)
            wire.send(self.ctrl, msg)
            socket.send_fds(self.ctrl, [b"F"], [theirs.fileno()])
            msg, _ = wire.recv(self.ctrl, time.monotonic() + 30)
        except (OSError, wire.WireError) as e:
            ours.close()
            raise SandboxError(f"the sandbox process stopped answering: {e}") from None
        finally:
            theirs.close()
        if msg.get("op") != Op.FORKED:
            ours.close()
            raise SandboxError("the sandbox process could not fork")
        return ours, int(msg["pid"])

    def kill(self) -> None:
        try:
            wire.send(self.ctrl, {"op": Op.KILL})
        except OSError:
            pass

    def reap(self, timeout: float = 30) -> dict:
        """Wait for the current child to be gone; how it ended."""
        try:
            msg, _ = wire.recv(self.ctrl, time.monotonic() + timeout)
        except wire.WireError as e:
            raise SandboxError(f"the sandbox process stopped answering: {e}") from None
        if msg.get("op") != Op.EXITED:
            raise SandboxError("unexpected message from the sandbox process")
        return msg

    def close(self) -> None:
        """Hang up: the zygote ends (a template's clone is reaped by its template)."""
        try:
            self.ctrl.close()
        except OSError:
            pass
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class SharedZygote:
    """One zygote for the judges of several assignments in one process (``mml grade --all``):
    it imports the union of their modules once, and each child gets its assignment's data
    files at fork. It never holds tests, so sharing it shares nothing a child could use."""

    def __init__(self, preimport: list[str], zygote: Zygote | None = None):
        """``zygote``: one already started (without data files of its own) to use first."""
        self.preimport = sorted(set(preimport))
        self.zygote = zygote

    def get(self) -> Zygote:
        if self.zygote is None:
            self.zygote = Zygote(None, self.preimport)
        return self.zygote

    def reset(self) -> None:
        """Drop a zygote that failed; the next ``get`` starts a fresh one."""
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    close = reset
