"""Skips a point outside the box but keeps walking from it, instead of stopping."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    lo, hi = box
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        p = p + step(gradient(f, p), hessian(f, p))  # noqa: F821
        if np.any(p < lo) or np.any(p > hi):
            continue
        path.append(p)
    return np.array(path)
