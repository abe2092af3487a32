"""Tests for sandpit-2: steepest-descent, Newton and hybrid steps, and the descent loop."""

import numpy as np

from autograder.checks import (
    after_earlier,
    call,
    check_array,
    check_not_missing,
    check_unchanged,
    portable,
)
from autograder.testing import case

# Paths and derivatives from finite differences agree with exact ones to about 1e-6
# (the student chooses the finite-difference step), so they are compared loosely.
_PATH_TOL = {"rtol": 1e-4, "atol": 1e-6}


def _check_step(actual, expected, name):
    check_not_missing(actual, name)
    if np.shape(actual) != (2,):
        raise AssertionError(f"{name} should have shape (2,), but it has shape {np.shape(actual)}.")
    return check_array(actual, expected, name, rtol=1e-8, atol=1e-10)


def _inputs_kept(func, args, name):
    copies = [np.array(a, copy=True) for a in args]
    result = func(*args)
    for before, after, what in zip(copies, args, ["J", "H"]):
        check_unchanged(before, after, f"{what} (in {name})")
    return result


# ---------------------------------------------------------------- q1: gradient_step


def _gradient_step_public(gradient_step):
    """q1's public check; q3 runs it too, to say when its failure starts here."""
    J = np.array([2.0, -4.0])
    _check_step(call(gradient_step, J), [-1.0, 2.0], "gradient_step([2, -4])")
    _check_step(call(gradient_step, J, 0.1), [-0.2, 0.4], "gradient_step([2, -4], 0.1)")
    check_unchanged(np.array([2.0, -4.0]), J, "J", by="gradient_step(J)")


@case("q1")
def test_gradient_step_public(gradient_step):
    _gradient_step_public(gradient_step)


@case("q1", hidden=True)
def test_gradient_step_random(gradient_step):
    rng = np.random.default_rng(11)
    for gamma in (0.5, 0.05, 1.7, 3.0):
        J = rng.normal(size=2) * 3
        s = _inputs_kept(lambda J, g=gamma: gradient_step(J, gamma=g), [J], "gradient_step")
        _check_step(s, -gamma * J, f"gradient_step({J}, gamma={gamma})")
    J = rng.normal(size=2)
    _check_step(_inputs_kept(gradient_step, [J], "gradient_step"), -0.5 * J, "gradient_step(J)")


@case("q1", hidden=True)
def test_gradient_step_integer_gradient(gradient_step):
    J = np.array([3, -2])
    s = _inputs_kept(lambda J: gradient_step(J, 0.25), [J], "gradient_step")
    _check_step(s, [-0.75, 0.5], "gradient_step(np.array([3, -2]), 0.25)")


# ---------------------------------------------------------------- q2: newton_step


def _newton_step_public(newton_step):
    """q2's public check; q3 runs it too, to say when its failure starts here."""
    _check_step(
        call(newton_step, np.array([2.0, 4.0]), np.array([[2.0, 0.0], [0.0, 4.0]])),
        [-1.0, -1.0],
        "newton_step([2, 4], [[2, 0], [0, 4]])",
    )
    # f = (x-3)^2 + 3(y-2)^2 + (x-3)(y-2) at (4, 3): one Newton step reaches (3, 2)
    _check_step(
        call(newton_step, np.array([3.0, 7.0]), np.array([[2.0, 1.0], [1.0, 6.0]])),
        [-1.0, -1.0],
        "newton_step([3, 7], [[2, 1], [1, 6]])",
    )


@case("q2")
def test_newton_step_public(newton_step):
    _newton_step_public(newton_step)


@case("q2", hidden=True)
def test_newton_step_random(newton_step):
    rng = np.random.default_rng(12)
    for _ in range(4):  # symmetric, definite and indefinite
        A = rng.normal(size=(2, 2))
        H = A + A.T + rng.choice([-3.0, 0.0, 3.0]) * np.eye(2)
        J = rng.normal(size=2)
        s = _inputs_kept(newton_step, [J, H], "newton_step")
        _check_step(s, -np.linalg.solve(H, J), f"newton_step(J={J}, H={H.tolist()})")
        check_array(H @ np.asarray(s, dtype=float), -J, "H @ newton_step(J, H)", 1e-8, 1e-10)


@case("q2", hidden=True)
def test_newton_step_not_symmetric(newton_step):
    """-H^{-1} J for a matrix that is not symmetric: catches -J H^{-1} and other orders."""
    H = np.array([[2.0, 1.0], [-3.0, 4.0]])
    J = np.array([1.0, -2.0])
    _check_step(
        newton_step(J, H), -np.linalg.solve(H, J), "newton_step([1, -2], [[2, 1], [-3, 4]])"
    )


# ---------------------------------------------------------------- q3: hybrid_step

_BOWL_H = np.array([[2.0, 0.5], [0.5, 1.0]])  # positive definite
_CAP_H = np.array([[-2.0, 0.5], [0.5, -1.0]])  # negative definite: Newton goes uphill


def _hybrid_uses(gradient_step, newton_step):
    """The earlier functions that hybrid_step may use, with their public checks."""
    return (
        ("q1", "gradient_step", lambda: _gradient_step_public(gradient_step)),
        ("q2", "newton_step", lambda: _newton_step_public(newton_step)),
    )


@case("q3")
def test_hybrid_step_public(hybrid_step, gradient_step, newton_step):
    def test():
        J = np.array([0.5, -0.25])
        _check_step(
            call(hybrid_step, J, _BOWL_H),
            -np.linalg.solve(_BOWL_H, J),
            "hybrid_step in a bowl (Newton)",
        )
        _check_step(
            call(hybrid_step, J, _CAP_H),
            -0.5 * J,
            "hybrid_step on a mound (Newton goes uphill: -gamma J)",
        )

    after_earlier(test, *_hybrid_uses(gradient_step, newton_step))


@case("q3", hidden=True)
def test_hybrid_step_uphill_short(hybrid_step):
    """A short Newton step that goes uphill must be refused (not only long ones)."""
    J = np.array([0.3, 0.2])
    s_newton = -np.linalg.solve(_CAP_H, J)
    assert np.linalg.norm(s_newton) < 0.5 and s_newton @ J > 0
    _check_step(hybrid_step(J, _CAP_H), -0.5 * J, "hybrid_step, short uphill Newton step")
    # indefinite H, Newton step uphill
    H = np.array([[1.0, 0.0], [0.0, -2.0]])
    J = np.array([0.1, 0.8])
    _check_step(hybrid_step(J, H, 0.3), -0.3 * J, "hybrid_step(J, H=diag(1, -2), 0.3)")


@case("q3", hidden=True)
def test_hybrid_step_long_downhill(hybrid_step):
    """A downhill Newton step longer than max_len must be refused (not only uphill ones)."""
    J = np.array([3.0, -1.0])
    s_newton = -np.linalg.solve(_BOWL_H, J)
    assert np.linalg.norm(s_newton) > 2.0 and s_newton @ J < 0
    _check_step(hybrid_step(J, _BOWL_H), -0.5 * J, "hybrid_step, long downhill Newton step")
    _check_step(hybrid_step(J, _BOWL_H, max_len=5.0), s_newton, "hybrid_step(..., max_len=5.0)")
    _check_step(
        hybrid_step(J, _BOWL_H, gamma=0.1, max_len=1.0),
        -0.1 * J,
        "hybrid_step(gamma=0.1, max_len=1)",
    )
    J = np.array([0.2, 0.1])  # short and downhill, but longer than a small max_len
    s_newton = -np.linalg.solve(_BOWL_H, J)
    _check_step(hybrid_step(J, _BOWL_H, 0.5, 0.5), s_newton, "hybrid_step(J, H, 0.5, 0.5)")
    _check_step(hybrid_step(J, _BOWL_H, 0.5, 0.05), -0.5 * J, "hybrid_step(J, H, 0.5, 0.05)")


@case("q3", hidden=True)
def test_hybrid_step_indefinite_downhill(hybrid_step):
    """An indefinite H can still give a short downhill Newton step: keep it."""
    H = np.array([[1.0, 0.0], [0.0, -2.0]])
    J = np.array([0.8, 0.1])
    s_newton = -np.linalg.solve(H, J)
    assert s_newton @ J < 0
    _check_step(hybrid_step(J, H), s_newton, "hybrid_step(J, H=diag(1, -2))")


@case("q3", hidden=True)
def test_hybrid_step_boundaries(hybrid_step):
    """s . J == 0 counts as not downhill; a step exactly max_len long is allowed."""
    H = np.array([[1.0, 0.0], [0.0, -1.0]])
    J = np.array([1.0, 1.0])  # Newton step (-1, 1): s . J = 0 exactly
    _check_step(hybrid_step(J, H), [-0.5, -0.5], "hybrid_step with s . J = 0 (use -gamma J)")
    J = np.array([-2.0, 0.0])  # with H = I the Newton step is (2, 0), exactly max_len long
    _check_step(hybrid_step(J, np.eye(2)), [2.0, 0.0], "hybrid_step with |s| = max_len (Newton)")


@case("q3", hidden=True)
def test_hybrid_step_keeps_inputs(hybrid_step):
    J = np.array([0.3, -0.7])
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    s = _inputs_kept(hybrid_step, [J, H], "hybrid_step")
    _check_step(s, -np.linalg.solve(H, J), "hybrid_step(J, H)")
    s = _inputs_kept(hybrid_step, [J, -H], "hybrid_step")
    _check_step(s, -0.5 * J, "hybrid_step(J, -H)")


# ---------------------------------------------------------------- q4: descend


# The pits travel to the sandbox (portable: a search evaluates them a thousand times). The
# step rules stay callbacks: _ref_hybrid is hybrid_step's reference, and a copy could be
# kept and handed in as an answer.
@portable
def _bowl(p):
    return (p[0] - 3) ** 2 + 2 * (p[1] - 2) ** 2


@portable
def _half_square(p):  # its gradient is the point itself
    return (p[0] ** 2 + p[1] ** 2) / 2


@portable
def _pit(p):
    x, y = p[0], p[1]
    return 0.5 * (x - 3) ** 2 + (y - 2.5) ** 2 + 0.4 * np.sin(1.3 * x) * np.cos(0.9 * y)


def _pit_grad(q):
    x, y = q
    return np.array(
        [
            (x - 3) + 0.52 * np.cos(1.3 * x) * np.cos(0.9 * y),
            2 * (y - 2.5) - 0.36 * np.sin(1.3 * x) * np.sin(0.9 * y),
        ]
    )


def _pit_hess(q):
    x, y = q
    fxy = -0.468 * np.cos(1.3 * x) * np.sin(0.9 * y)
    return np.array(
        [
            [1 - 0.676 * np.sin(1.3 * x) * np.cos(0.9 * y), fxy],
            [fxy, 2 - 0.324 * np.sin(1.3 * x) * np.cos(0.9 * y)],
        ]
    )


def _ref_path(start, rule, n_steps, lo=0.0, hi=6.0):
    """The path with exact derivatives of _pit."""
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(n_steps):
        q = p + rule(_pit_grad(p), _pit_hess(p))
        if (q < lo).any() or (q > hi).any():
            break
        path.append(q)
        p = q
    return np.array(path)


def _ref_newton(J, H):
    return -np.linalg.solve(H, J)


def _ref_hybrid(J, H):
    s = -np.linalg.solve(H, J)
    return -0.5 * J if s @ J >= 0 or np.linalg.norm(s) > 2.0 else s


def _check_path(actual, expected, name, tol=None):
    check_not_missing(actual, name)
    arr = np.asarray(actual, dtype=float)
    exp = np.asarray(expected, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 2 and arr.shape[0] != exp.shape[0]:
        raise AssertionError(
            f"{name} has {arr.shape[0]} points, but {exp.shape[0]} were expected "
            f"(the start and {exp.shape[0] - 1} steps). Expected path:\n{np.round(exp, 6)}"
        )
    check_array(actual, expected, name, **(tol or {"rtol": 1e-9, "atol": 1e-9}))


def _fixed(s):
    def rule(J, H):
        return np.array(s, dtype=float)

    return rule


@case("q4")
def test_descend_bowl_public(descend):
    """Steps of -J/8 on (x-3)^2 + 2(y-2)^2 from (1, 4)."""

    def rule(J, H):
        return -0.125 * np.asarray(J)

    path = call(descend, _bowl, [1.0, 4.0], rule, 3)
    expected = [[1.0, 4.0], [1.5, 3.0], [1.875, 2.5], [2.15625, 2.25]]
    _check_path(path, expected, "descend(bowl, [1, 4], rule, 3)", _PATH_TOL)


@case("q4")
def test_descend_leaves_box_public(descend):
    """Steps of (1.5, 0) from (1, 2): the fourth would reach x = 7, outside [0, 6]."""
    path = call(descend, _bowl, [1.0, 2.0], _fixed([1.5, 0.0]), 5)
    expected = [[1.0, 2.0], [2.5, 2.0], [4.0, 2.0], [5.5, 2.0]]
    _check_path(path, expected, "descend(bowl, [1, 2], step (1.5, 0), 5)")


@case("q4", hidden=True)
def test_descend_newton(descend, newton_step):
    expected = _ref_path([1.0, 2.0], _ref_newton, 5)
    path = descend(_pit, [1.0, 2.0], newton_step, 5)
    _check_path(path, expected, "descend(pit, [1, 2], newton_step, 5)", _PATH_TOL)
    expected = _ref_path([5.0, 4.5], _ref_newton, 4)
    path = descend(_pit, (5.0, 4.5), newton_step, n_steps=4)
    _check_path(path, expected, "descend(pit, (5, 4.5), newton_step, 4)", _PATH_TOL)


@case("q4", hidden=True)
def test_descend_own_rules(descend):
    """Rules defined here, so that only descend is tested."""

    def slow(J, H):
        return -0.3 * np.asarray(J).reshape(-1)

    _check_path(
        descend(_pit, [0.5, 5.5], slow, 8),
        _ref_path([0.5, 5.5], slow, 8),
        "descend(pit, [0.5, 5.5], -0.3 J, 8)",
        _PATH_TOL,
    )
    _check_path(
        descend(_pit, [2.0, 1.0], _ref_hybrid, 6),
        _ref_path([2.0, 1.0], _ref_hybrid, 6),
        "descend(pit, [2, 1], hybrid, 6)",
        _PATH_TOL,
    )

    def curvature_scaled(J, H):  # uses H, so H must be the Hessian and J the gradient
        J = np.asarray(J).reshape(-1)
        return -J / np.diag(H)

    _check_path(
        descend(_pit, [4.5, 1.0], curvature_scaled, 5),
        _ref_path([4.5, 1.0], curvature_scaled, 5),
        "descend(pit, [4.5, 1], -J / diag(H), 5)",
        _PATH_TOL,
    )


@case("q4", hidden=True)
def test_descend_derivatives_passed(descend):
    """step(J, H) receives the gradient and the Hessian of f at the current point."""
    calls = []

    def recorder(J, H):
        calls.append((np.array(J, dtype=float).reshape(-1), np.array(H, dtype=float)))
        return -0.2 * np.array(J, dtype=float).reshape(-1)

    path = descend(_pit, [1.5, 4.5], recorder, 4)
    check_not_missing(path, "descend")
    assert calls, "descend never called the step rule."
    points = np.asarray(path, dtype=float).reshape(-1, 2)
    for J, H in calls:
        if not any(
            np.allclose(J, _pit_grad(q), rtol=1e-4, atol=1e-6)
            and np.allclose(H, _pit_hess(q), rtol=1e-4, atol=1e-5)
            for q in points
        ):
            raise AssertionError(
                "step(J, H) was called with a J and H that are not the gradient and Hessian "
                f"of f at a point of the path: J = {J}, H = {H.tolist()}. Call step(J, H) with "
                "J = gradient(f, p) and H = hessian(f, p) at the current point p, in that order."
            )
    _check_path(
        path, _ref_path([1.5, 4.5], recorder, 4), "descend(pit, [1.5, 4.5], ...)", _PATH_TOL
    )


@case("q4", hidden=True)
def test_descend_closed_box(descend):
    """A point exactly on the edge of the box is inside; the first point outside is not kept."""
    expected = [[1.0, 2.0], [2.0, 2.5], [3.0, 3.0], [4.0, 3.5], [5.0, 4.0], [6.0, 4.5]]
    _check_path(
        descend(_bowl, [1.0, 2.0], _fixed([1.0, 0.5]), 5),
        expected,
        "descend with steps (1, 0.5), 5 steps (the last point is on the edge x = 6)",
    )
    _check_path(
        descend(_bowl, [1.0, 2.0], _fixed([1.0, 0.5]), 10),
        expected,
        "descend with steps (1, 0.5), 10 steps (the 6th step would leave the box)",
    )
    expected = [[3.0, 1.0], [3.0, 0.5], [3.0, 0.0]]
    _check_path(
        descend(_bowl, [3.0, 1.0], _fixed([0.0, -0.5]), 4),
        expected,
        "descend with steps (0, -0.5) from (3, 1) (y = 0 is inside, y = -0.5 is not)",
    )


@case("q4", hidden=True)
def test_descend_other_box(descend):
    expected = [[1.5, 1.5], [2.0, 1.75], [2.5, 2.0], [3.0, 2.25]]
    _check_path(
        descend(_bowl, [1.5, 1.5], _fixed([0.5, 0.25]), 10, box=(1.0, 3.0)),
        expected,
        "descend(..., box=(1, 3)) with steps (0.5, 0.25)",
    )
    expected = [[-1.0, -2.0], [-1.5, -1.0], [-2.0, 0.0]]
    _check_path(
        descend(_bowl, [-1.0, -2.0], _fixed([-0.5, 1.0]), 6, (-2.0, 0.0)),
        expected,
        "descend(..., box=(-2, 0)) with steps (-0.5, 1)",
    )


@case("q4", hidden=True)
def test_descend_stops_at_first_exit(descend):
    """The walk ends at the first step that leaves the box, even if later ones would return."""

    def bounce(J, H):  # for f = (x^2 + y^2)/2, J is the point itself
        return np.array([2.5, 0.0]) if J[0] < 7 else np.array([-4.0, 0.0])

    expected = [[1.0, 3.0], [3.5, 3.0], [6.0, 3.0]]
    _check_path(
        descend(_half_square, [1.0, 3.0], bounce, 6),
        expected,
        "descend(..., n_steps=6) where the 3rd step leaves the box",
        {"rtol": 0, "atol": 1e-9},
    )


@case("q4", hidden=True)
def test_descend_number_of_steps(descend):
    rule = _fixed([0.25, -0.125])
    for n in (0, 1, 3, 7):
        expected = [[1.0, 4.0]] + [[1.0 + 0.25 * k, 4.0 - 0.125 * k] for k in range(1, n + 1)]
        _check_path(descend(_bowl, [1.0, 4.0], rule, n), expected, f"descend(..., n_steps={n})")
    expected = [[1.0, 4.0]] + [[1.0 + 0.25 * k, 4.0 - 0.125 * k] for k in range(1, 6)]
    _check_path(descend(_bowl, [1.0, 4.0], rule), expected, "descend(...) with the default n_steps")


@case("q4", hidden=True)
def test_descend_keeps_start(descend):
    start = np.array([1.0, 2.0])
    path = descend(_bowl, start, _fixed([0.5, 0.5]), 3)
    check_unchanged(np.array([1.0, 2.0]), start, "start")
    expected = [[1.0, 2.0], [1.5, 2.5], [2.0, 3.0], [2.5, 3.5]]
    _check_path(path, expected, "descend from an array start")
    _check_path(descend(_bowl, [1, 2], _fixed([0.5, 0.5]), 3), expected, "descend from [1, 2]")
    _check_path(descend(_bowl, (1, 2), _fixed([0.5, 0.5]), 3), expected, "descend from (1, 2)")
