"""Returns the coordinate lambda = b.x / |b|^2 instead of the projected vector lambda b."""

import numpy as np


def project_1d(x, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    b = np.asarray(b, dtype=float).reshape(-1)
    return np.array([(b @ x) / (b @ b)])
