"""The instructor's own cache (``~/.cache/mml``): compiled test files, lexed boilerplate.

Keyed by content, like ``__pycache__``: a missing or damaged entry only means computing it
again. A sandboxed child can neither see nor write it.
"""

import os
from pathlib import Path


def folder(kind: str) -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mml" / kind


def put(path: Path, data: bytes) -> None:
    """Store ``data`` at ``path`` whole or not at all (a reader never sees half an entry)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: computed again next time
