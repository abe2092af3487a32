"""gs_basis4 works in the caller's array (B = A), destroying A."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis4(A):
    B = A if A.dtype.kind == "f" else A.astype(float)
    for j in range(4):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) * B[:, i]
        norm = np.linalg.norm(B[:, j])
        if norm < VERY_SMALL:
            B[:, j] = 0.0
        else:
            B[:, j] = B[:, j] / norm
    return B
