"""Allocates the result with the dtype of b, so an integer b gives a truncated integer matrix."""

import numpy as np


def projection_matrix_1d(b):
    b = np.asarray(b).reshape(-1)
    P = np.zeros((b.size, b.size), dtype=b.dtype)
    for i in range(b.size):
        for j in range(b.size):
            P[i, j] = b[i] * b[j] / (b @ b)
    return P
