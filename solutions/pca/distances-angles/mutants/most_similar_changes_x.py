"""Marks row i by overwriting it in X with a far-away value, changing the caller's X."""

import numpy as np


def most_similar_image(X, i):
    target = X[i].copy()
    X[i] = np.inf
    return int(np.argmin(np.linalg.norm(X - target, axis=1)))
