"""Suite-wide settings: one BLAS thread per process, as the `mml` command sets."""

import os
from pathlib import Path

import pytest

from autograder.cli import single_threaded_blas

single_threaded_blas()


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/golden/ from the current build instead of comparing",
    )


@pytest.fixture(scope="session")
def course_dist(tmp_path_factory) -> Path:
    """Where the suite builds the course: a temporary folder, never the repository's dist/.

    Set MML_TEST_DIST to a folder to keep builds between runs (the build is incremental).
    """
    kept = os.environ.get("MML_TEST_DIST")
    return Path(kept).resolve() if kept else tmp_path_factory.mktemp("dist")
