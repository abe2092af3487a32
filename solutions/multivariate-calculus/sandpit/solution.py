"""Reference solution for sandpit: central-difference derivatives and stationary points."""

import numpy as np


def gradient(f, p, h=1e-3):
    p = np.asarray(p, dtype=float).reshape(-1)
    J = np.zeros(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        J[i] = (f(p + e) - f(p - e)) / (2 * h)
    return J


def hessian(f, p, h=1e-3):
    p = np.asarray(p, dtype=float).reshape(-1)
    e = np.eye(2) * h
    f0 = f(p)
    H = np.zeros((2, 2))
    for i in range(2):
        H[i, i] = (f(p + e[i]) - 2 * f0 + f(p - e[i])) / h**2
    H[0, 1] = H[1, 0] = (
        f(p + e[0] + e[1]) - f(p + e[0] - e[1]) - f(p - e[0] + e[1]) + f(p - e[0] - e[1])
    ) / (4 * h**2)
    return H


def classify(f, p, tol=1e-6):
    low, high = np.linalg.eigvalsh(hessian(f, p))
    if low > tol:
        return "minimum"
    if high < -tol:
        return "maximum"
    if low < -tol and high > tol:
        return "saddle"
    return "flat"
