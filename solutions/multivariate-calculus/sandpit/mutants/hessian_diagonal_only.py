"""Estimates only the second derivatives f_xx and f_yy and leaves the mixed ones at zero."""

import numpy as np


def hessian(f, p, h=1e-3):
    p = np.asarray(p, dtype=float)
    f0 = f(p)
    return np.diag([(f(p + h * e) - 2 * f0 + f(p - h * e)) / h**2 for e in np.eye(2)])
