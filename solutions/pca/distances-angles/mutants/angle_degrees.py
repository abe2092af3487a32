"""Converts the angle to degrees."""

import numpy as np


def angle(x0, x1):
    a, b = np.ravel(x0), np.ravel(x1)
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.degrees(np.arccos(np.clip(cos, -1, 1))))
