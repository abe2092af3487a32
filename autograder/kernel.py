"""Run a notebook in a local Jupyter kernel over IPC, within a deadline, leaving nothing behind."""

import asyncio
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# After the deadline, nbclient gets this long to stop the cell itself before the kernel's
# process group is killed; then the client gets as long again to notice the dead kernel.
GRACE_SECONDS = 3.0


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels talk over Unix sockets in a private folder.

    Over TCP, kernels pick a free port and then bind it, and two starting at once can race
    for the same port; IPC has no ports. The manager is asynchronous because nbclient waits
    for a cell's reply and its output at once: a blocking client waits for output with no
    timeout at all, so a cell that never ends was never stopped and Ctrl-C was never seen.
    The private folder goes with the kernel.
    """

    def __init__(self, **kwargs):
        self.socket_dir = Path(tempfile.mkdtemp(prefix="mml-kernel-"))
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self.socket_dir / "kernel"))
        super().__init__(**kwargs)

    async def cleanup_resources(self, restart: bool = False) -> None:
        await self._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def kill_process_group(self) -> None:
        """SIGKILL the kernel and everything it started (it leads its own session)."""
        provisioner = self.provisioner
        process = getattr(provisioner, "process", None)
        pgid = getattr(provisioner, "pgid", None)
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if process is not None:
            try:
                process.wait(timeout=GRACE_SECONDS)
            except Exception:  # already reaped by the client, or unkillable: nothing more to do
                pass


def notebook_client(nb, workdir: Path, timeout: int, allow_errors: bool = False) -> NotebookClient:
    """A client that runs ``nb`` in a fresh python3 kernel whose working folder is ``workdir``.

    ``timeout`` is per cell. The client creates (and so owns) the kernel manager: the kernel
    and its socket folder are gone as soon as the notebook has run. For a run that must end
    by a deadline whatever the notebook does, and on Ctrl-C, use :func:`run_notebook`.
    """
    return NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )


class NotebookStopped(Exception):
    """The notebook did not run to the end: a cell ran out of time or the kernel died.

    ``cell_index`` is the index in ``nb.cells`` of the cell that was running (None if the
    kernel never got to a cell).
    """

    def __init__(self, reason: str, cell_index: int | None, timed_out: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.cell_index = cell_index
        self.timed_out = timed_out


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived during a run: handled like Ctrl-C, so every cleanup still runs."""

    exit_code = 128 + signal.SIGTERM


@dataclass
class _Progress:
    """What the worker thread reports to the guarding main thread."""

    cell_index: int | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


def run_notebook(nb, workdir: Path, timeout: float, allow_errors: bool = False) -> None:
    """Execute ``nb``'s code cells in place, in a fresh kernel, within ``timeout`` seconds.

    The client runs in a worker thread; this thread is the guard. Each cell gets what is
    left of the deadline as its nbclient timeout (so the usual case is nbclient's own clean
    stop); if the kernel still runs ``GRACE_SECONDS`` after the deadline, or on Ctrl-C or
    SIGTERM, its whole process group is killed. Whatever happens, the kernel process and its
    socket folder are gone when this returns or raises.

    Raises NotebookStopped (timeout, dead kernel), nbclient's CellExecutionError (a cell
    raised and ``allow_errors`` is false), KeyboardInterrupt or Terminated.
    """
    deadline = time.monotonic() + timeout
    km = IPCKernelManager(kernel_name="python3")
    progress = _Progress()

    def on_cell_start(cell, cell_index):
        progress.cell_index = cell_index

    client = NotebookClient(
        nb,
        km=km,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic() + 0.999)),
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",  # a graceful shutdown waits 5 s for a busy kernel
        allow_errors=allow_errors,
        record_timing=False,
        on_cell_start=on_cell_start,
        resources={"metadata": {"path": str(workdir)}},
    )

    def work():
        try:
            # asyncio.run cancels what nbclient leaves pending after a timeout (its output
            # poller); we made km, but cleanup_kc has the client shut the kernel down.
            asyncio.run(client.async_execute(cleanup_kc=True))
        except BaseException as e:  # handed to the guard, which decides what it means
            progress.error = e
        finally:
            progress.done.set()

    worker = threading.Thread(target=work, name="mml-kernel-client", daemon=True)
    with _SigtermRaises():
        try:
            worker.start()
            if not progress.done.wait(max(0.0, deadline - time.monotonic()) + GRACE_SECONDS):
                km.kill_process_group()
                progress.done.wait(2 * GRACE_SECONDS)
                raise NotebookStopped(_late(timeout), progress.cell_index, timed_out=True)
        finally:
            if not progress.done.is_set():  # interrupted, or the client is stuck
                km.kill_process_group()
                progress.done.wait(2 * GRACE_SECONDS)
            km.kill_process_group()  # a no-op after a clean shutdown
            shutil.rmtree(km.socket_dir, ignore_errors=True)
    _raise_outcome(progress, timeout)


def _raise_outcome(progress: _Progress, timeout: float) -> None:
    e = progress.error
    if e is None:
        return
    if isinstance(e, CellTimeoutError):
        raise NotebookStopped(_late(timeout), progress.cell_index, timed_out=True)
    if isinstance(e, DeadKernelError):
        raise NotebookStopped("the kernel died", progress.cell_index)
    if isinstance(e, CellExecutionError) or not isinstance(e, Exception):
        raise e
    # The kernel did not start, or the client failed: one line, not a traceback from a thread.
    reason = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
    raise NotebookStopped(f"the kernel failed ({type(e).__name__}: {reason})", progress.cell_index)


def _late(timeout: float) -> str:
    return f"did not finish within the {timeout:g} s the whole notebook is given"


class _SigtermRaises:
    """Within the block, SIGTERM raises Terminated in the main thread (like Ctrl-C)."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum, frame):
        raise Terminated()

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
        return False
