"""Sorts the distances in decreasing order, voting among the k farthest points."""

import numpy as np


def knn(k, X, y, x):
    nearest = np.argsort(-np.linalg.norm(X - x, axis=1))[:k]
    values, counts = np.unique(np.asarray(y)[nearest], return_counts=True)
    return int(values[np.argmax(counts)])
