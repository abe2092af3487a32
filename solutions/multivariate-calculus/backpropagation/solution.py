"""Reference solution for backpropagation."""

import numpy as np


def sigma(z):
    return 1 / (1 + np.exp(-z))


def forward_pass(x, params):
    a0 = x
    z1 = params["W1"] @ a0 + params["b1"]
    a1 = sigma(z1)
    z2 = params["W2"] @ a1 + params["b2"]
    a2 = sigma(z2)
    z3 = params["W3"] @ a2 + params["b3"]
    a3 = sigma(z3)
    return a0, z1, a1, z2, a2, z3, a3


def d_sigma(z):
    s = sigma(z)
    return s * (1 - s)


def J_W3(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    return delta3 @ a2.T


def J_b3(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    return np.sum(delta3, axis=1, keepdims=True)


def J_W2(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)
    return delta2 @ a1.T


def J_b2(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)
    return np.sum(delta2, axis=1, keepdims=True)


def J_W1(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)
    delta1 = (params["W2"].T @ delta2) * d_sigma(z1)
    return delta1 @ a0.T


def J_b1(x, y, params):
    a0, z1, a1, z2, a2, z3, a3 = forward_pass(x, params)
    delta3 = 2 * (a3 - y) / x.shape[1] * d_sigma(z3)
    delta2 = (params["W3"].T @ delta3) * d_sigma(z2)
    delta1 = (params["W2"].T @ delta2) * d_sigma(z1)
    return np.sum(delta1, axis=1, keepdims=True)
