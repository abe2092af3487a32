"""Suite-wide settings: one BLAS thread per process, as the `mml` command sets."""

from autograder.cli import single_threaded_blas

single_threaded_blas()
