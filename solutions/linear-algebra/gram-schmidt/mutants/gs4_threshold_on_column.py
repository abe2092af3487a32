"""Tests the norm of the original column against VERY_SMALL instead of the remainder's."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis4(A):
    B = np.array(A, dtype=float)
    for j in range(4):
        if np.linalg.norm(B[:, j]) < VERY_SMALL:
            B[:, j] = 0.0
            continue
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) * B[:, i]
        B[:, j] = B[:, j] / np.linalg.norm(B[:, j])
    return B
