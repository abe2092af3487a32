"""Properties of the sandpit reference: finite differences against calculus, classification."""

import numpy as np

from .conftest import load_solution

sol = load_solution("sandpit")


def wavy(p):
    return np.sin(3 * p[0]) * np.cos(2 * p[1]) + 0.5 * p[0] ** 2 * p[1]


def test_gradient_matches_calculus():
    x, y = 1.7, 2.6
    exact = [
        3 * np.cos(3 * x) * np.cos(2 * y) + x * y,
        -2 * np.sin(3 * x) * np.sin(2 * y) + x**2 / 2,
    ]
    np.testing.assert_allclose(sol.gradient(wavy, [x, y]), exact, atol=2e-5)


def test_gradient_error_shrinks_like_h_squared():
    exact = sol.gradient(wavy, [0.4, 1.1], h=1e-5)
    e1 = np.abs(sol.gradient(wavy, [0.4, 1.1], h=0.02) - exact).max()
    e2 = np.abs(sol.gradient(wavy, [0.4, 1.1], h=0.01) - exact).max()
    assert 3.5 < e1 / e2 < 4.5


def test_hessian_symmetric_and_matches_gradient_differences():
    p = np.array([0.9, 2.2])
    H = sol.hessian(wavy, p)
    assert H.shape == (2, 2) and H[0, 1] == H[1, 0]
    e = 1e-4
    for j in range(2):
        d = np.zeros(2)
        d[j] = e
        col = (sol.gradient(wavy, p + d) - sol.gradient(wavy, p - d)) / (2 * e)
        np.testing.assert_allclose(H[:, j], col, atol=1e-4)


def test_hessian_exact_for_quadratics():
    A = np.array([[3.0, -1.0], [-1.0, 2.0]])
    H = sol.hessian(lambda p: 0.5 * p @ A @ p + p.sum(), [0.3, -1.2])
    np.testing.assert_allclose(H, A, atol=1e-6)


def test_classify_all_kinds():
    assert sol.classify(lambda p: p[0] ** 2 + p[1] ** 2, [0, 0]) == "minimum"
    assert sol.classify(lambda p: -(p[0] ** 2) - p[1] ** 2, [0, 0]) == "maximum"
    assert sol.classify(lambda p: p[0] ** 2 + p[1] ** 2 + 3 * p[0] * p[1], [0, 0]) == "saddle"
    assert sol.classify(lambda p: p[0] ** 3 + p[1] ** 2, [0, 0]) == "flat"
    assert sol.classify(lambda p: 0.1 * p[0] ** 2 + p[1] ** 2, [0, 0], tol=0.5) == "flat"


def test_inputs_untouched():
    p = np.array([1.0, 2.0])
    sol.gradient(wavy, p)
    sol.hessian(wavy, p)
    assert p.tolist() == [1.0, 2.0]
