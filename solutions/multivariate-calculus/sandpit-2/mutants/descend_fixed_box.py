"""Always checks against [0, 6], ignoring the box argument."""

import numpy as np


def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        q = p + step(gradient(f, p), hessian(f, p))  # noqa: F821
        if np.any(q < 0.0) or np.any(q > 6.0):
            break
        path.append(q)
        p = q
    return np.array(path)
