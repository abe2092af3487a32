"""Suite-wide settings: one BLAS thread per process, as the `mml` command sets."""

from autograder.cli import single_threaded_blas

single_threaded_blas()


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/golden/ from the current build instead of comparing",
    )
