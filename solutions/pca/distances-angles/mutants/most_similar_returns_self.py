"""Forgets to exclude row i, so image i is its own nearest image."""

import numpy as np


def most_similar_image(X, i):
    return int(np.argmin(np.linalg.norm(X - X[i], axis=1)))
