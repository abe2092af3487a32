"""Loops over the first n - 1 columns only, never checking the last pivot."""

import numpy as np


def is_singular(A, tol=1e-12):
    U = np.array(A, dtype=float)
    n = U.shape[0]
    for k in range(n - 1):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= tol:
            return True
        U[[k, p]] = U[[p, k]]
        U[k + 1 :] -= np.outer(U[k + 1 :, k] / U[k, k], U[k])
    return False
