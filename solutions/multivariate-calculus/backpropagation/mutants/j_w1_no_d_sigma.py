"""Forgets the sigma'(z1) factor when sending delta back to the first layer in J_W1."""


def J_W1(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)  # noqa: F821
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)  # noqa: F821
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)  # noqa: F821
    delta1 = params["W2"].T @ delta2
    return delta1 @ a0.T
