"""Divides the sum with //, which rounds the mean down when X holds integers."""

import numpy as np


def mean_naive(X):
    total = np.zeros_like(X[0])
    for x in X:
        total = total + x
    return total // len(X)
