"""Eliminates in the caller's array instead of a copy (correct answer, input destroyed)."""

import numpy as np


def is_singular(A, tol=1e-12):
    U = A if A.dtype.kind == "f" else A.astype(float)
    n = U.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= tol:
            return True
        U[[k, p]] = U[[p, k]]
        U[k + 1 :] -= np.outer(U[k + 1 :, k] / U[k, k], U[k])
    return False
