"""Reference solution for gram-schmidt (classical Gram-Schmidt)."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis4(A):
    B = np.array(A, dtype=float)
    for j in range(4):
        for i in range(j):
            B[:, j] = B[:, j] - (B[:, i] @ A[:, j]) * B[:, i]
        norm = np.linalg.norm(B[:, j])
        if norm < VERY_SMALL:
            B[:, j] = 0.0
        else:
            B[:, j] = B[:, j] / norm
    return B


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1]):
        Q = B[:, :j]
        r = B[:, j] - Q @ (Q.T @ B[:, j])
        norm = np.linalg.norm(r)
        B[:, j] = 0.0 if norm < VERY_SMALL else r / norm
    return B


def dimensions(A):
    return int(np.sum(np.linalg.norm(gs_basis(A), axis=0) > VERY_SMALL))
