"""Excludes every row at distance zero instead of row i, missing exact copies."""

import numpy as np


def most_similar_image(X, i):
    d = np.linalg.norm(X - X[i], axis=1)
    d[d == 0] = np.inf
    return int(np.argmin(d))
