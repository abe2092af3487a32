"""Evaluates sigma' at the activation a2 instead of at the weighted sum z2 in J_W2."""


def J_W2(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)  # noqa: F821
    delta2 = (params["W3"].T @ delta3) * d_sigma(a2)  # noqa: F821
    return delta2 @ a1.T
