"""Multiplies in the wrong order in J_W2: a1 @ delta2.T, the transpose of the Jacobian."""


def J_W2(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)  # noqa: F821
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)  # noqa: F821
    return a1 @ delta2.T
