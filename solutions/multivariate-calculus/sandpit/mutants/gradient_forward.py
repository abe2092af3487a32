"""Uses forward differences (f(p + h e) - f(p)) / h for the gradient."""

import numpy as np


def gradient(f, p, h=1e-3):
    p = np.asarray(p, dtype=float)
    f0 = f(p)
    return np.array([(f(p + h * e) - f0) / h for e in np.eye(2)])
