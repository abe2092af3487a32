"""Ignores the tol argument and uses a fixed, much larger threshold of 1e-8."""

import numpy as np


def is_singular(A, tol=1e-12):
    U = np.array(A, dtype=float)
    n = U.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if abs(U[p, k]) <= 1e-8:
            return True
        U[[k, p]] = U[[p, k]]
        U[k + 1 :] -= np.outer(U[k + 1 :, k] / U[k, k], U[k])
    return False
