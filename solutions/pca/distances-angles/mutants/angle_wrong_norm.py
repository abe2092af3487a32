"""Divides by the squared norm of x0 instead of the product of the two norms."""

import numpy as np


def angle(x0, x1):
    a, b = np.ravel(x0), np.ravel(x1)
    cos = a @ b / (a @ a)
    return float(np.arccos(np.clip(cos, -1, 1)))
