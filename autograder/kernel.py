"""A notebook client on a local Jupyter kernel over IPC (no TCP ports, no warning about them)."""

import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


def notebook_client(nb, workdir: Path, timeout: int, allow_errors: bool = False) -> NotebookClient:
    """A client that runs ``nb`` in a fresh python3 kernel whose working folder is ``workdir``."""
    sockets = Path(tempfile.mkdtemp(prefix="mml-kernel-")) / "kernel"
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets))
    return NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(workdir)}},
    )
