"""Breaks ties towards the largest label."""

import numpy as np


def knn(k, X, y, x):
    nearest = np.argsort(np.linalg.norm(X - x, axis=1))[:k]
    values, counts = np.unique(np.asarray(y)[nearest], return_counts=True)
    return int(values[counts == counts.max()].max())
