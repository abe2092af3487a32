"""Builds the 1-D projection matrix as b b^T, forgetting to divide by |b|^2."""

import numpy as np


def projection_matrix_1d(b):
    b = np.asarray(b, dtype=float).reshape(-1, 1)
    return b @ b.T
