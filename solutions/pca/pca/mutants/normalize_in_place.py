"""Centres X in place (X -= mu), so the caller's data are changed."""

import numpy as np


def normalize(X):
    mu = np.mean(X, axis=0)
    X -= mu
    return X, mu
