"""Uses np.outer and b @ b, which works for a (D,) vector b but fails for a (D, 1) column."""

import numpy as np


def projection_matrix_1d(b):
    return np.outer(b, b) / (b @ b)
