"""Checks only the length of the Newton step, not whether it goes downhill."""

import numpy as np


def hybrid_step(J, H, gamma=0.5, max_len=2.0):
    s = -np.linalg.solve(H, J)
    if np.linalg.norm(s) > max_len:
        return -gamma * np.asarray(J, dtype=float)
    return s
