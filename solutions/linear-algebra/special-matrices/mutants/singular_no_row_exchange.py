"""Never exchanges rows: reports singular as soon as a diagonal pivot is zero."""

import numpy as np


def is_singular(A, tol=1e-12):
    U = np.array(A, dtype=float)
    n = U.shape[0]
    for k in range(n):
        if abs(U[k, k]) <= tol:
            return True
        U[k + 1 :] -= np.outer(U[k + 1 :, k] / U[k, k], U[k])
    return False
