"""Forgets to multiply by the input x in J_W1 (the result then equals J_b1)."""

import numpy as np


def J_W1(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)  # noqa: F821
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)  # noqa: F821
    delta1 = (params["W2"].T @ delta2) * d_sigma(z1)  # noqa: F821
    return np.sum(delta1, axis=1, keepdims=True)
