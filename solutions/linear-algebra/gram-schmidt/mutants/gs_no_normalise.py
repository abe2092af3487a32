"""Subtracts the projections but forgets to normalise the remainders."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1]):
        for i in range(j):
            n2 = B[:, i] @ B[:, i]
            if n2 > 0:
                B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) / n2 * B[:, i]
        if np.linalg.norm(B[:, j]) < VERY_SMALL:
            B[:, j] = 0.0
    return B
