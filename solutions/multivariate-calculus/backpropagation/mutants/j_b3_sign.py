"""Writes the derivative of the square as 2(y - a3) instead of 2(a3 - y) in J_b3."""

import numpy as np


def J_b3(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (y - a3) / x.shape[1] * d_sigma(z3)  # noqa: F821
    return np.sum(delta3, axis=1, keepdims=True)
