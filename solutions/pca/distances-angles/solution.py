"""Reference solution for distances-angles: distances, angles, nearest neighbours."""

import numpy as np


def distance(x0, x1):
    d = np.ravel(x0).astype(float) - np.ravel(x1).astype(float)
    return float(np.sqrt(d @ d))


def angle(x0, x1):
    a = np.ravel(x0).astype(float)
    b = np.ravel(x1).astype(float)
    cos = (a @ b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.arccos(np.clip(cos, -1.0, 1.0)))


def pairwise_distance_matrix(X, Y):
    diff = X[:, np.newaxis, :] - Y[np.newaxis, :, :]
    return np.sqrt(np.sum(diff * diff, axis=2))


def knn(k, X, y, x):
    dist = np.sqrt(np.sum((X - np.ravel(x)) ** 2, axis=1))
    nearest = np.argsort(dist, kind="stable")[:k]
    values, counts = np.unique(np.asarray(y)[nearest], return_counts=True)
    return int(values[np.argmax(counts)])


def most_similar_image(X, i):
    dist = np.sqrt(np.sum((X - X[i]) ** 2, axis=1))
    dist[i] = np.inf
    return int(np.argmin(dist))
