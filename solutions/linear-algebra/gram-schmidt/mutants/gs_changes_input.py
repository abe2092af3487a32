"""gs_basis works in the caller's array (B = A), destroying A."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = A if A.dtype.kind == "f" else A.astype(float)
    for j in range(B.shape[1]):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ B[:, j]) * B[:, i]
        norm = np.linalg.norm(B[:, j])
        B[:, j] = 0.0 if norm < VERY_SMALL else B[:, j] / norm
    return B
