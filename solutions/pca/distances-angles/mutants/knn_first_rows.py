"""Votes among the first k rows of X instead of the k nearest (argsort result unused)."""

import numpy as np


def knn(k, X, y, x):
    values, counts = np.unique(np.asarray(y)[:k], return_counts=True)
    return int(values[np.argmax(counts)])
