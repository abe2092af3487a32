"""The parts of Otter's API, public and private, that the grader relies on: in one place.

Otter has no public API for loading a test file and running it against a namespace, so the
judge uses its internals; ``tests/grade/test_otter_api.py`` fails loudly if they change.
"""

import copy
import hashlib
import importlib.util
import marshal
import types
from pathlib import Path

from . import cache, imports

# Loaded test files by name and content. The main process loads them to check the zip, and
# the judges it forks then start with them loaded. Shared safely: each run uses a ``fresh`` copy.
_loaded: dict[tuple[str, str], object] = {}


def lazy_package() -> None:
    """``import otter.test_files`` without Otter's package ``__init__`` (its exporters and its
    runner: nbconvert and pandas, 0.6 s of the 0.8 s the import costs); see ``imports``."""
    imports.lazy_package("otter")


def load_test_file(path: Path):
    """An Otter ``TestFile`` (exception-based or OK-format tests) read from ``path``, as
    Otter's ``create_test_file`` makes it, but compiled once (Otter compiles the file twice,
    and our self-contained test files take 25 ms each to compile) and through a cache of
    compiled code, as Python caches modules in ``__pycache__``."""
    lazy_package()
    from otter.nbmeta_config import OK_FORMAT_VARNAME
    from otter.test_files import ExceptionTestFile, OKTestFile

    path = Path(path)
    source = path.read_text()  # as Otter reads it
    key = (path.name, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest())
    if key in _loaded:
        return _loaded[key]
    code = compiled(source, str(path))
    env: dict = {}
    exec(code, env)  # as create_test_file: the file says which format it is
    if OK_FORMAT_VARNAME not in env:
        raise RuntimeError(
            f"Malformed test file: does not define the global variable '{OK_FORMAT_VARNAME}'"
        )
    if env[OK_FORMAT_VARNAME]:
        tf = OKTestFile.from_file(str(path))
    else:
        tf = ExceptionTestFile._from_compiled_code(code, path=str(path))
        tf.source = source
    _loaded[key] = tf
    return tf


def compiled(source: str, filename: str) -> types.CodeType:
    """``compile(source, filename, "exec")``, kept on disk by content and Python version (the
    instructor's own cache: a sandboxed child can neither see nor write it). Any trouble with
    the cache only means compiling again."""
    digest = hashlib.sha256(
        importlib.util.MAGIC_NUMBER + source.encode("utf-8", "surrogatepass")
    ).hexdigest()
    path = cache.folder("code") / f"{digest}.marshal"
    try:
        code = marshal.loads(path.read_bytes())
        if isinstance(code, types.CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = compile(source, filename, "exec")
    cache.put(path, marshal.dumps(code))
    return code


def test_params(test_case) -> list[str]:
    """The notebook names one test case's function takes (Otter passes them from the env)."""
    body = test_case.body
    return body._get_func_params() if hasattr(body, "_get_func_params") else []


def fresh(test_file):
    """A copy of ``test_file`` with no results, ready to ``run`` (the loaded one is shared)."""
    tf = copy.copy(test_file)
    tf.test_case_results = []
    tf._score = None  # Otter caches the score once computed
    return tf


def run(test_file, env: dict) -> None:
    """Run every test case against ``env`` as ``otter run`` does: Otter's messages and points."""
    test_file.run(env)


def case_result(test_case, message: str, passed: bool):
    """One test case's result, as Otter records it."""
    from otter.test_files.abstract_test import TestCaseResult

    return TestCaseResult(test_case=test_case, message=message, passed=passed)
