"""Unit tests of the heights reference solution: derivatives, descent, the shipped data."""

from pathlib import Path

import numpy as np

from .conftest import load_solution

sol = load_solution("heights")
DATA = Path(__file__).resolve().parents[2] / "assignments/multivariate-calculus/heights/heights.csv"


def _chi2(x, y, mu, sig):
    return np.sum((y - sol.f(x, mu, sig)) ** 2)


def test_f_is_a_normalised_density():
    x = np.linspace(100.0, 240.0, 20001)
    assert np.isclose(np.sum(sol.f(x, 170.0, 9.0)) * (x[1] - x[0]), 1.0)


def test_derivatives_agree_with_central_differences():
    rng = np.random.default_rng(0)
    x = rng.uniform(140.0, 200.0, 50)
    mu, sig, h = 168.0, 7.5, 1e-5
    fd_mu = (sol.f(x, mu + h, sig) - sol.f(x, mu - h, sig)) / (2 * h)
    fd_sig = (sol.f(x, mu, sig + h) - sol.f(x, mu, sig - h)) / (2 * h)
    assert np.allclose(sol.dfdmu(x, mu, sig), fd_mu, rtol=1e-6, atol=1e-12)
    assert np.allclose(sol.dfdsig(x, mu, sig), fd_sig, rtol=1e-6, atol=1e-12)


def test_derivative_symmetries():
    d = np.array([0.5, 1.0, 3.0])
    assert np.allclose(sol.dfdmu(170.0 + d, 170.0, 4.0), -sol.dfdmu(170.0 - d, 170.0, 4.0))
    assert np.allclose(sol.dfdsig(170.0 + d, 170.0, 4.0), sol.dfdsig(170.0 - d, 170.0, 4.0))
    # the area stays one whatever mu and sig are, so both derivatives integrate to zero
    x = np.linspace(100.0, 240.0, 20001)
    assert abs(np.sum(sol.dfdmu(x, 170.0, 9.0)) * (x[1] - x[0])) < 1e-9
    assert abs(np.sum(sol.dfdsig(x, 170.0, 9.0)) * (x[1] - x[0])) < 1e-9


def test_step_is_minus_aggression_times_gradient():
    x = np.linspace(150.0, 190.0, 9)
    y = sol.f(x, 172.0, 6.0) * np.linspace(0.8, 1.2, 9)
    mu, sig, h = 165.0, 8.0, 1e-5
    grad = np.array(
        [
            (_chi2(x, y, mu + h, sig) - _chi2(x, y, mu - h, sig)) / (2 * h),
            (_chi2(x, y, mu, sig + h) - _chi2(x, y, mu, sig - h)) / (2 * h),
        ]
    )
    step = sol.steepest_step(x, y, mu, sig, 250.0)
    assert step.shape == (2,)
    assert np.allclose(step, -250.0 * grad, rtol=1e-6)


def test_fit_descends_and_recovers_an_exact_gaussian():
    x = np.linspace(150.0, 190.0, 21)
    y = sol.f(x, 172.0, 6.0)
    path = sol.fit(x, y, 168.0, 7.0, 1000.0, 100)
    assert path.shape == (101, 2)
    assert np.array_equal(path[0], [168.0, 7.0])
    costs = [_chi2(x, y, *p) for p in path]
    assert np.all(np.diff(costs) <= 1e-15)
    assert np.allclose(path[-1], [172.0, 6.0], rtol=1e-4)
    assert sol.fit(x, y, 168.0, 7.0, 1000.0, 0).shape == (1, 2)


def test_shipped_histogram_is_a_density_and_fits_sensibly():
    data = np.loadtxt(DATA, delimiter=",", skiprows=1)
    x, y = data[:, 0], data[:, 1]
    assert np.all(y >= 0) and np.isclose(np.sum(y) * (x[1] - x[0]), 1.0, atol=1e-4)
    mu, sig = sol.fit(x, y, 150.0, 5.0, 1000.0, 120)[-1]
    assert 165.0 < mu < 175.0 and 8.0 < sig < 13.0
