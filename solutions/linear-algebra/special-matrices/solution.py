"""Reference solution for special-matrices."""

import numpy as np


class MatrixIsSingular(Exception):
    """Raised when a row cannot be given a non-zero pivot."""


def fix_row_two(A):
    A[2] = A[2] - A[2, 0] * A[0]
    A[2] = A[2] - A[2, 1] * A[1]
    if A[2, 2] == 0:
        A[2] = A[2] + A[3]
        A[2] = A[2] - A[2, 0] * A[0]
        A[2] = A[2] - A[2, 1] * A[1]
    if A[2, 2] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 2")
    A[2] = A[2] / A[2, 2]
    return A


def fix_row_three(A):
    for k in range(3):
        A[3] = A[3] - A[3, k] * A[k]
    if A[3, 3] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 3")
    A[3] = A[3] / A[3, 3]
    return A


def is_singular(A, tol=1e-12):
    U = np.array(A, dtype=float)
    n = U.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= tol:
            return True
        if p != k:
            U[[k, p]] = U[[p, k]]
        U[k + 1 :] -= np.outer(U[k + 1 :, k] / U[k, k], U[k])
    return False
