"""A notebook client on a local Jupyter kernel over IPC (no TCP ports, no warning about them)."""

import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


class IPCKernelManager(KernelManager):
    """A kernel manager whose kernels talk over Unix sockets in a private folder.

    Over TCP, kernels pick a free port and then bind it, and two starting at once can race
    for the same port; IPC has no ports.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(Path(tempfile.mkdtemp(prefix="mml-kernel-")) / "kernel"))
        super().__init__(**kwargs)


def notebook_client(nb, workdir: Path, timeout: int, allow_errors: bool = False) -> NotebookClient:
    """A client that runs ``nb`` in a fresh python3 kernel whose working folder is ``workdir``.

    The client creates (and so owns) the kernel manager: the kernel is shut down as soon as
    the notebook has run, rather than when this process exits.
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
