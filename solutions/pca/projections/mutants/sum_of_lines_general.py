"""Adds up the projections onto each column separately, as if the columns were orthogonal."""

import numpy as np


def projection_matrix_general(B):
    B = np.asarray(B, dtype=float)
    P = np.zeros((B.shape[0], B.shape[0]))
    for j in range(B.shape[1]):
        b = B[:, j]
        P += np.outer(b, b) / (b @ b)
    return P
