"""Divides b b^T by the length |b| instead of the squared length |b|^2."""

import numpy as np


def projection_matrix_1d(b):
    b = np.asarray(b, dtype=float).reshape(-1, 1)
    return (b @ b.T) / np.linalg.norm(b)
