"""Projects each column onto the original columns of A instead of the new unit vectors."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1]):
        r = B[:, j].copy()
        for i in range(j):
            a = np.asarray(A, dtype=float)[:, i]
            r = r - (a @ B[:, j]) / (a @ a) * a if a @ a > 0 else r
        norm = np.linalg.norm(r)
        B[:, j] = 0.0 if norm < VERY_SMALL else r / norm
    return B
