"""The parts of Otter's API, public and private, that the grader relies on: in one place.

Otter has no public API for loading a test file and running it against a namespace, so the
judge uses its internals; ``tests/grade/test_otter_api.py`` fails loudly if they change.
"""

import copy
import hashlib
from pathlib import Path

# Loaded test files by name and content. Loading compiles and runs the file (tens of ms for
# our self-contained tests); the main process loads them to check the zip, and the judges
# it forks then start with them loaded. Shared safely: each run uses a ``fresh`` copy.
_loaded: dict[tuple[str, str], object] = {}


def load_test_file(path: Path):
    """An Otter ``TestFile`` (exception-based or OK-format tests) read from ``path``."""
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    path = Path(path)
    key = (path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    if key not in _loaded:
        _loaded[key] = create_test_file(str(path), NBMetadataConfig())
    return _loaded[key]


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
