"""Deletes row i and returns argmin of the rest, not shifting indices after i back."""

import numpy as np


def most_similar_image(X, i):
    others = np.delete(X, i, axis=0)
    return int(np.argmin(np.linalg.norm(others - X[i], axis=1)))
