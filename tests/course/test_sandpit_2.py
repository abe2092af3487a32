"""Properties of the sandpit-2 reference: step rules and the descent loop."""

import numpy as np

from .conftest import load_solution

sol = load_solution("sandpit-2")

H_POS = np.array([[3.0, 1.0], [1.0, 2.0]])


def test_gradient_step_is_downhill():
    J = np.array([0.4, -1.2])
    s = sol.gradient_step(J, 0.3)
    np.testing.assert_allclose(s, -0.3 * J)
    assert s @ J < 0


def test_newton_step_solves_the_model():
    J = np.array([0.4, -1.2])
    s = sol.newton_step(J, H_POS)
    np.testing.assert_allclose(H_POS @ s, -J)


def test_newton_reaches_quadratic_minimum_in_one_step():
    def f(p):
        d = p - np.array([3.0, 2.0])
        return 0.5 * d @ H_POS @ d

    path = sol.descend(f, [5.0, 4.0], sol.newton_step, 3)
    np.testing.assert_allclose(path[1], [3.0, 2.0], atol=1e-6)
    np.testing.assert_allclose(path[2:], [[3.0, 2.0]] * 2, atol=1e-6)


def test_hybrid_falls_back_when_uphill_or_long():
    J = np.array([0.4, -0.2])
    np.testing.assert_allclose(sol.hybrid_step(J, H_POS), sol.newton_step(J, H_POS))
    np.testing.assert_allclose(sol.hybrid_step(J, -H_POS), -0.5 * J)
    np.testing.assert_allclose(sol.hybrid_step(10 * J, H_POS, 0.1, 1.0), -J)


def test_descend_decreases_depth_with_small_steps():
    def f(p):
        return (p[0] - 3) ** 2 + 4 * (p[1] - 2) ** 2 + np.sin(p[0])

    path = sol.descend(f, [1.0, 4.0], lambda J, H: sol.gradient_step(J, 0.05), 20)
    assert path.shape == (21, 2)
    depths = [f(q) for q in path]
    assert all(b < a for a, b in zip(depths, depths[1:]))


def test_descend_stops_before_leaving_closed_box():
    start = [1.0, 1.0]
    path = sol.descend(lambda p: 0.0, start, lambda J, H: np.array([2.5, 0.0]), 10)
    np.testing.assert_array_equal(path, [[1.0, 1.0], [3.5, 1.0], [6.0, 1.0]])
    assert start == [1.0, 1.0]
