"""Returns the squared distance, forgetting the square root."""

import numpy as np


def distance(x0, x1):
    d = np.ravel(x0) - np.ravel(x1)
    return float(d @ d)
