"""Divides every remainder by its norm, giving nan for a dependent column."""

import numpy as np


def gs_basis4(A):
    B = np.array(A, dtype=float)
    for j in range(4):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) * B[:, i]
        B[:, j] = B[:, j] / np.linalg.norm(B[:, j])
    return B
