"""Counts the non-zero columns of A itself rather than of gs_basis(A)."""

import numpy as np

VERY_SMALL = 1e-14


def dimensions(A):
    return int(np.sum(np.linalg.norm(A, axis=0) > VERY_SMALL))
