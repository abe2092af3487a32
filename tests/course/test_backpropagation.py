"""Unit tests of the backpropagation reference solution: Jacobians against finite differences."""

import numpy as np
import pytest

from .conftest import load_solution

sol = load_solution("backpropagation")
SHAPES = {"W1": (6, 1), "W2": (7, 6), "W3": (2, 7), "b1": (6, 1), "b2": (7, 1), "b3": (2, 1)}


def _network(seed, n):
    rng = np.random.default_rng(seed)
    params = {key: rng.normal(0.0, 1.0, shape) for key, shape in SHAPES.items()}
    return rng.uniform(0, 1, (1, n)), rng.uniform(0.1, 0.9, (2, n)), params


def _cost(x, y, params):
    return np.sum((sol.forward_pass(x, params)[-1] - y) ** 2) / x.shape[1]


def _numerical(x, y, params, name, h=1e-6):
    J = np.zeros(SHAPES[name])
    for index in np.ndindex(*J.shape):
        up = {k: v.copy() for k, v in params.items()}
        down = {k: v.copy() for k, v in params.items()}
        up[name][index] += h
        down[name][index] -= h
        J[index] = (_cost(x, y, up) - _cost(x, y, down)) / (2 * h)
    return J


def test_d_sigma_matches_the_logistic_identity():
    z = np.linspace(-8, 8, 33)
    h = 1e-6
    fd = (sol.sigma(z + h) - sol.sigma(z - h)) / (2 * h)
    assert np.allclose(sol.d_sigma(z), fd, rtol=1e-6, atol=1e-9)
    assert sol.d_sigma(0.0) == 0.25
    assert np.allclose(sol.d_sigma(z), sol.d_sigma(-z))


@pytest.mark.parametrize("name", sorted(SHAPES))
@pytest.mark.parametrize("seed, n", [(0, 1), (1, 6)])
def test_jacobians_agree_with_finite_differences(name, seed, n):
    x, y, params = _network(seed, n)
    before = {k: v.copy() for k, v in params.items()}
    J = getattr(sol, f"J_{name}")(x, y, params)
    assert J.shape == SHAPES[name]
    assert np.allclose(J, _numerical(x, y, params, name), rtol=1e-5, atol=1e-10)
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_bias_jacobian_is_the_sum_of_per_sample_jacobians():
    x, y, params = _network(2, 5)
    total = sum(sol.J_b2(x[:, [i]], y[:, [i]], params) for i in range(5)) / 5
    assert np.allclose(sol.J_b2(x, y, params), total)


def test_a_small_steepest_descent_step_lowers_the_cost():
    x, y, params = _network(3, 20)
    step = {k: 0.1 * getattr(sol, f"J_{k}")(x, y, params) for k in SHAPES}
    new = {k: params[k] - step[k] for k in SHAPES}
    assert _cost(x, y, new) < _cost(x, y, params)
