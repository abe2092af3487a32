"""Copies A without converting to float, so integer matrices are truncated."""

import numpy as np


def is_singular(A, tol=1e-12):
    U = A.copy()
    n = U.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= tol:
            return True
        U[[k, p]] = U[[p, k]]
        for i in range(k + 1, n):
            U[i] = U[i] - U[i, k] / U[k, k] * U[k]
    return False
