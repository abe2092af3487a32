"""Calls a point a minimum when no eigenvalue is negative (a zero one included)."""

import numpy as np


def classify(f, p, tol=1e-6):
    low, high = np.linalg.eigvalsh(hessian(f, p))  # noqa: F821
    if high < -tol:
        return "maximum"
    if low >= -tol and high > tol:
        return "minimum"
    if low < -tol and high <= tol:
        return "maximum"
    if low < -tol and high > tol:
        return "saddle"
    return "flat"
