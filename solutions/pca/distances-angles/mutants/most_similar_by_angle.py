"""Picks the smallest angle (largest cosine) instead of the smallest distance."""

import numpy as np


def most_similar_image(X, i):
    cos = X @ X[i] / (np.linalg.norm(X, axis=1) * np.linalg.norm(X[i]))
    cos[i] = -np.inf
    return int(np.argmax(cos))
