"""Normalises b in place (b /= |b|), changing the caller's array."""

import numpy as np


def projection_matrix_1d(b):
    if np.issubdtype(np.asarray(b).dtype, np.floating):
        b /= np.linalg.norm(b)
    else:
        b = b / np.linalg.norm(b)
    b = np.reshape(b, (-1, 1))
    return b @ b.T
