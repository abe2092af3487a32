"""Uses np.dot(x0, x1), which fails for column vectors of shape (D, 1)."""

import numpy as np


def angle(x0, x1):
    cos = np.dot(x0, x1) / (np.linalg.norm(x0) * np.linalg.norm(x1))
    return float(np.arccos(np.clip(cos, -1, 1)))
