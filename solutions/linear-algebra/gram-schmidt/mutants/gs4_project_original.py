"""gs_basis4 subtracts projections onto the original columns, not onto the unit vectors."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis4(A):
    A = np.array(A, dtype=float)
    B = A.copy()
    for j in range(4):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ A[:, j]) * A[:, i]
        norm = np.linalg.norm(B[:, j])
        if norm < VERY_SMALL:
            B[:, j] = 0.0
        else:
            B[:, j] = B[:, j] / norm
    return B
