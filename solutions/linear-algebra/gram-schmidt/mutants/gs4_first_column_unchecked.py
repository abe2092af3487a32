"""Normalises column 0 without the VERY_SMALL check (nan when the first column is zero)."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis4(A):
    B = np.array(A, dtype=float)
    B[:, 0] = B[:, 0] / np.linalg.norm(B[:, 0])
    for j in range(1, 4):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) * B[:, i]
        norm = np.linalg.norm(B[:, j])
        if norm < VERY_SMALL:
            B[:, j] = 0.0
        else:
            B[:, j] = B[:, j] / norm
    return B
