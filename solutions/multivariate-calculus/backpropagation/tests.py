"""Tests for backpropagation."""

import numpy as np

from autograder.checks import (
    after_earlier,
    as_float_array,
    call,
    check_array,
    check_each,
    check_unchanged,
)
from autograder.testing import case

_SHAPES = {"W1": (6, 1), "W2": (7, 6), "W3": (2, 7), "b1": (6, 1), "b2": (7, 1), "b3": (2, 1)}


def _sigma(z):
    return 1 / (1 + np.exp(-z))


def _cost(x, y, params):
    """The cost, with a forward pass of our own (not the notebook's)."""
    a = x
    for k in ("1", "2", "3"):
        a = _sigma(params["W" + k] @ a + params["b" + k])
    return np.sum((a - y) ** 2) / x.shape[1]


def _network(seed, n, scale=1.0):
    """A random network and data set: x (1, n) in [0, 1), y (2, n) in (0.1, 0.9)."""
    rng = np.random.default_rng(seed)
    params = {key: rng.normal(0.0, scale, shape) for key, shape in _SHAPES.items()}
    x = rng.uniform(0.0, 1.0, (1, n))
    y = rng.uniform(0.1, 0.9, (2, n))
    return x, y, params


def _fd_jacobian(x, y, params, name, h=1e-6):
    """Central differences of the cost for every entry of params[name]."""
    J = np.zeros(params[name].shape)
    for index in np.ndindex(*J.shape):
        up = {key: value.copy() for key, value in params.items()}
        down = {key: value.copy() for key, value in params.items()}
        up[name][index] += h
        down[name][index] -= h
        J[index] = (_cost(x, y, up) - _cost(x, y, down)) / (2 * h)
    return J


def _check_jacobian(func, name, x, y, params, label):
    """Compare func(x, y, params) with finite differences; check purity too."""
    copies = {key: value.copy() for key, value in params.items()}
    x_before, y_before = x.copy(), y.copy()
    expected = _fd_jacobian(x, y, params, name)
    what = f"J_{name}(x, y, params) {label}"
    actual = as_float_array(call(func, x, y, params), what)
    if actual.shape != expected.shape:
        raise AssertionError(
            f"{what} has shape {actual.shape}, but it should have the shape of {name}, "
            f"{expected.shape}."
        )
    scale = np.abs(expected).max()
    check_array(actual, expected, what, rtol=1e-4, atol=1e-6 * scale + 1e-12)
    check_unchanged(x_before, x, "x", by=what)
    check_unchanged(y_before, y, "y", by=what)
    assert sorted(params) == sorted(copies), f"{what} added or removed keys of params."
    for key in params:
        check_unchanged(copies[key], params[key], f"params[{key!r}]", by=what)


# ---------------------------------------------------------------- q1: d_sigma


def _d_sigma_values(d_sigma):
    """q1's public check; q2 to q4 run it too, to say when their failure starts here."""
    z = np.array([-2.0, 0.0, 2.0])
    s2 = 1 / (1 + np.exp(-2.0))
    expected = np.array([s2 * (1 - s2), 0.25, s2 * (1 - s2)])
    check_array(call(d_sigma, z), expected, "d_sigma([-2, 0, 2])")


@case("q1")
def test_d_sigma_values(d_sigma):
    """sigma'(0) = 1/4; sigma'(z) = sigma(z)(1 - sigma(z)); the slope is symmetric."""
    _d_sigma_values(d_sigma)


@case("q1", hidden=True)
def test_d_sigma_finite_differences(d_sigma):
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 4.0, (3, 5))
    z_before = z.copy()
    h = 1e-6
    expected = (_sigma(z + h) - _sigma(z - h)) / (2 * h)
    check_array(d_sigma(z), expected, "d_sigma(z) for a random 3x5 array z", rtol=1e-6, atol=1e-10)
    check_unchanged(z_before, z, "z")


@case("q1", hidden=True)
def test_d_sigma_tails_and_scalar(d_sigma):
    z = np.array([-30.0, -10.0, 10.0, 30.0])
    expected = np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2
    check_array(d_sigma(z), expected, "d_sigma([-30, -10, 10, 30])", rtol=1e-6, atol=1e-15)
    check_array(d_sigma(1.5), _sigma(1.5) * (1 - _sigma(1.5)), "d_sigma(1.5)")


def _check_random_networks(J, name, first_seed):
    """J against finite differences on three seeded networks: N = 1, 9, 25, weight scales 1,
    0.5 and 2 (one sample, a middle size, and saturated units)."""
    for k, (n, scale) in enumerate([(1, 1.0), (9, 0.5), (25, 2.0)]):
        x, y, params = _network(first_seed + k, n, scale)
        _check_jacobian(J, name, x, y, params, f"(random network, N = {n})")


# ---------------------------------------------------------------- q2: output layer


def _check_layer(J_W, w, J_b, b):
    """Both Jacobians of a layer on a fixed network; every failure is reported."""
    x, y, params = _network(0, 4)
    check_each(
        lambda: _check_jacobian(J_W, w, x, y, params, "(a fixed network, N = 4)"),
        lambda: _check_jacobian(J_b, b, x, y, params, "(a fixed network, N = 4)"),
    )


@case("q2")
def test_J_W3_J_b3_against_finite_differences(J_W3, J_b3, d_sigma):
    # both functions' failures, not only the first; and say when d_sigma is the cause
    def test():
        _check_layer(J_W3, "W3", J_b3, "b3")

    after_earlier(test, ("q1", "d_sigma", lambda: _d_sigma_values(d_sigma)))


@case("q2", hidden=True)
def test_J_W3_random_networks(J_W3):
    _check_random_networks(J_W3, "W3", first_seed=11)


@case("q2", hidden=True)
def test_J_b3_random_networks(J_b3):
    _check_random_networks(J_b3, "b3", first_seed=21)


# ---------------------------------------------------------------- q3: second hidden layer


@case("q3")
def test_J_W2_J_b2_against_finite_differences(J_W2, J_b2, d_sigma):
    # both functions' failures, not only the first; and say when d_sigma is the cause
    def test():
        _check_layer(J_W2, "W2", J_b2, "b2")

    after_earlier(test, ("q1", "d_sigma", lambda: _d_sigma_values(d_sigma)))


@case("q3", hidden=True)
def test_J_W2_random_networks(J_W2):
    _check_random_networks(J_W2, "W2", first_seed=31)


@case("q3", hidden=True)
def test_J_b2_random_networks(J_b2):
    _check_random_networks(J_b2, "b2", first_seed=41)


# ---------------------------------------------------------------- q4: first hidden layer


@case("q4")
def test_J_W1_J_b1_against_finite_differences(J_W1, J_b1, d_sigma):
    # both functions' failures, not only the first; and say when d_sigma is the cause
    def test():
        _check_layer(J_W1, "W1", J_b1, "b1")

    after_earlier(test, ("q1", "d_sigma", lambda: _d_sigma_values(d_sigma)))


@case("q4", hidden=True)
def test_J_W1_random_networks(J_W1):
    _check_random_networks(J_W1, "W1", first_seed=51)


@case("q4", hidden=True)
def test_J_b1_random_networks(J_b1):
    _check_random_networks(J_b1, "b1", first_seed=61)
