"""Tests for sandpit: central-difference gradient and Hessian, classification of flat spots."""

import numpy as np

from autograder.checks import (
    after_earlier,
    call,
    check_array,
    check_equal,
    check_not_missing,
    check_unchanged,
    portable,
)
from autograder.testing import case

# Tolerances that central differences with h = 1e-3 meet with a wide margin on the pits
# below (errors of order h^2), while forward or backward differences (errors of order h)
# miss them by a factor of ten or more.
_GRAD_TOL = {"rtol": 1e-5, "atol": 1e-5}
_HESS_TOL = {"rtol": 2e-5, "atol": 2e-4}
_FD_HINT = (
    "\nHint: central differences (f(p + h e) - f(p - h e)) / (2h) are accurate to about h^2;"
    " forward or backward differences are not accurate enough."
)


@portable
def _wavy(p):
    x, y = p[0], p[1]
    return np.sin(3 * x) * np.cos(2 * y) + 0.5 * x**2 * y


def _wavy_grad(x, y):
    return np.array(
        [3 * np.cos(3 * x) * np.cos(2 * y) + x * y, -2 * np.sin(3 * x) * np.sin(2 * y) + 0.5 * x**2]
    )


def _wavy_hess(x, y):
    fxx = -9 * np.sin(3 * x) * np.cos(2 * y) + y
    fyy = -4 * np.sin(3 * x) * np.cos(2 * y)
    fxy = -6 * np.cos(3 * x) * np.sin(2 * y) + x
    return np.array([[fxx, fxy], [fxy, fyy]])


@portable
def _poly(p):
    x, y = p[0], p[1]
    return x**3 * y**2 - 4 * x * y + 2 * y**4


def _poly_grad(x, y):
    return np.array([3 * x**2 * y**2 - 4 * y, 2 * x**3 * y - 4 * x + 8 * y**3])


def _poly_hess(x, y):
    fxy = 6 * x**2 * y - 4
    return np.array([[6 * x * y**2, fxy], [fxy, 2 * x**3 + 24 * y**2]])


@portable
def _well(p):
    x, y = p[0], p[1]
    return -3 * np.exp(-((x - 2) ** 2 + 4 * (y - 3) ** 2))


def _well_grad(x, y):
    g = np.exp(-((x - 2) ** 2 + 4 * (y - 3) ** 2))
    return 3 * g * np.array([2 * (x - 2), 8 * (y - 3)])


def _well_hess(x, y):
    g = np.exp(-((x - 2) ** 2 + 4 * (y - 3) ** 2))
    qx, qy = 2 * (x - 2), 8 * (y - 3)
    return 3 * g * np.array([[2 - qx**2, -qx * qy], [-qx * qy, 8 - qy**2]])


_PITS = [
    (
        "sin(3x) cos(2y) + x^2 y / 2",
        _wavy,
        _wavy_grad,
        _wavy_hess,
        [(0.4, 1.1), (2.5, 0.3), (1.7, 2.6), (4.2, 5.1)],
    ),
    ("x^3 y^2 - 4xy + 2y^4", _poly, _poly_grad, _poly_hess, [(1.0, 2.0), (2.0, 1.5), (0.5, -1.0)]),
    (
        "a narrow well at (2, 3)",
        _well,
        _well_grad,
        _well_hess,
        [(2.3, 3.2), (1.6, 2.9), (2.8, 2.7)],
    ),
]


def _check_accurate(actual, expected, name, tol):
    try:
        check_array(actual, expected, name, **tol)
    except AssertionError as e:
        raise AssertionError(f"{e}{_FD_HINT}") from None


def _check_symmetric(H, name):
    check_not_missing(H, name)
    H = np.asarray(H, dtype=float)
    if H.shape != (2, 2):
        raise AssertionError(f"{name} has shape {H.shape}, but shape (2, 2) was expected.")
    if abs(H[0, 1] - H[1, 0]) > 1e-6 * (1 + abs(H[0, 1])):
        raise AssertionError(
            f"{name} is not symmetric: [0, 1] is {H[0, 1]:.8g} but [1, 0] is {H[1, 0]:.8g}. "
            "Estimate the mixed derivative once, with the symmetric four-point formula, and "
            "use it for both entries."
        )


@portable
def _quadratic(p):
    x, y = p[0], p[1]
    return x**2 * y


# ---------------------------------------------------------------- q1: gradient


@case("q1")
def test_gradient_simple(gradient):
    """x^2 y at (1, 2): central differences are exact for it."""
    J = call(gradient, _quadratic, [1.0, 2.0])
    check_array(J, [4.0, 1.0], "gradient(x^2 y, [1, 2])", rtol=1e-6, atol=1e-6)


@case("q1")
def test_gradient_accuracy_public(gradient):
    """sin(3x) cos(2y) + x^2 y / 2 at (0.4, 1.1), against the exact gradient."""
    J = call(gradient, _wavy, np.array([0.4, 1.1]))
    _check_accurate(J, [-0.19974383, -1.4271005], "gradient(wavy, [0.4, 1.1])", _GRAD_TOL)


@case("q1")
def test_gradient_keeps_point(gradient):
    p = np.array([1.3, 0.7])
    before = p.copy()
    J = call(gradient, _wavy, p)
    check_unchanged(before, p, "the point p", by="gradient(wavy, p)")
    check_array(J, [0.53984608, 2.20051795], "gradient(wavy, [1.3, 0.7])", **_GRAD_TOL)


@case("q1", hidden=True)
def test_gradient_against_analytic(gradient):
    for label, f, grad, _, points in _PITS:
        for x, y in points:
            J = gradient(f, np.array([x, y]))
            _check_accurate(J, grad(x, y), f"gradient of {label} at ({x}, {y})", _GRAD_TOL)


@case("q1", hidden=True)
def test_gradient_uses_h(gradient):
    """With h = 0.1 the central difference of x^3 at x = 1 is 3.01 (exact slope 3)."""

    @portable
    def cubes(p):
        return p[0] ** 3 + 2 * p[1] ** 3

    J = gradient(cubes, [1.0, 1.0], h=0.1)
    check_array(J, [3.01, 6.02], "gradient(x^3 + 2y^3, [1, 1], h=0.1)", rtol=1e-9, atol=1e-9)
    J = gradient(cubes, [1.0, 1.0], 0.01)
    check_array(J, [3.0001, 6.0002], "gradient(x^3 + 2y^3, [1, 1], 0.01)", rtol=1e-9, atol=1e-9)


@case("q1", hidden=True)
def test_gradient_inputs(gradient):
    """Integer lists, tuples and arrays as points; the result is a float array (2,); p kept."""
    for p in ([2, 3], (2, 3), np.array([2, 3]), np.array([2.0, 3.0])):
        before = np.array(p, copy=True)
        J = gradient(_poly, p)
        _check_accurate(
            J, _poly_grad(2.0, 3.0), f"gradient(x^3 y^2 - 4xy + 2y^4, {p!r})", _GRAD_TOL
        )
        check_unchanged(before, p, "the point p")
    for p in ([0.1, 0.7], np.array([0.1, 0.7]), np.array([1.7, 2.9])):
        before = np.array(p, copy=True)
        J = gradient(_wavy, p)
        check_unchanged(before, p, "the point p")
        _check_accurate(J, _wavy_grad(*before), f"gradient(wavy, {before})", _GRAD_TOL)
        if np.shape(J) != (2,):
            raise AssertionError(f"gradient should return shape (2,), not {np.shape(J)}.")


# ---------------------------------------------------------------- q2: hessian


def _hessian_simple(hessian):
    """q2's first public check; q3 runs it too, to say when its failure starts here."""
    H = call(hessian, _quadratic, [1.0, 2.0])
    check_array(H, [[4.0, 2.0], [2.0, 0.0]], "hessian(x^2 y, [1, 2])", rtol=1e-5, atol=1e-5)


@case("q2")
def test_hessian_simple(hessian):
    """x^2 y at (1, 2): [[2y, 2x], [2x, 0]]."""
    _hessian_simple(hessian)


@case("q2")
def test_hessian_accuracy_public(hessian):
    H = call(hessian, _wavy, np.array([0.4, 1.1]))
    _check_symmetric(H, "hessian(wavy, [0.4, 1.1])")
    _check_accurate(
        H,
        [[6.03655439, -1.35778965], [-1.35778965, 2.19402417]],
        "hessian(wavy, [0.4, 1.1])",
        _HESS_TOL,
    )


@case("q2")
def test_hessian_keeps_point(hessian):
    p = np.array([1.3, 0.7])
    before = p.copy()
    H = call(hessian, _wavy, p)
    check_unchanged(before, p, "the point p", by="hessian(wavy, p)")
    _check_symmetric(H, "hessian(wavy, [1.3, 0.7])")


@case("q2", hidden=True)
def test_hessian_against_analytic(hessian):
    for label, f, _, hess, points in _PITS:
        for x, y in points:
            H = hessian(f, np.array([x, y]))
            _check_accurate(H, hess(x, y), f"hessian of {label} at ({x}, {y})", _HESS_TOL)


@case("q2", hidden=True)
def test_hessian_symmetric(hessian):
    """Mixed third derivatives that differ make one-sided schemes visibly asymmetric."""
    for label, f, _, _, points in _PITS:
        for x, y in points:
            _check_symmetric(hessian(f, (x, y)), f"hessian of {label} at ({x}, {y})")


@case("q2", hidden=True)
def test_hessian_uses_h(hessian):
    """A step h = 1e-2 is still accurate to about 1e-4; a large h visibly changes x^4."""
    for x, y in [(1.7, 2.6), (0.4, 1.1)]:
        H = hessian(_wavy, [x, y], h=1e-2)
        check_array(H, _wavy_hess(x, y), f"hessian(wavy, [{x}, {y}], h=1e-2)", 2e-3, 2e-3)

    @portable
    def quartic(p):
        return p[0] ** 4 + p[1] ** 2

    H = hessian(quartic, [1.0, 1.0], 0.5)
    check_not_missing(H, "hessian")
    if abs(float(np.asarray(H, dtype=float)[0, 0]) - 12.0) < 0.1:
        raise AssertionError(
            "hessian(x^4 + y^2, [1, 1], 0.5) gave f_xx close to the exact 12: the step h you "
            "were given is not used."
        )


@case("q2", hidden=True)
def test_hessian_inputs(hessian):
    for p in ([2, 3], (2, 3), np.array([2, 3])):
        before = np.array(p, copy=True)
        H = hessian(_poly, p)
        check_unchanged(before, p, "the point p")
        _check_accurate(H, _poly_hess(2.0, 3.0), f"hessian(x^3 y^2 - 4xy + 2y^4, {p!r})", _HESS_TOL)
    for p in ([0.1, 0.7], np.array([0.1, 0.7]), np.array([2.3, 3.2])):
        before = np.array(p, copy=True)
        H = hessian(_well, p)
        check_unchanged(before, p, "the point p")
        _check_accurate(H, _well_hess(*before), f"hessian(well, {before})", _HESS_TOL)


# ---------------------------------------------------------------- q3: classify


@portable
def _bowl(p):
    return (p[0] - 1) ** 2 + 2 * (p[1] - 2) ** 2


@portable
def _mound(p):
    return 5 - 3 * (p[0] - 1) ** 2 - (p[1] - 2) ** 2


@portable
def _pass(p):
    return (p[0] - 1) ** 2 - 0.5 * (p[1] - 2) ** 2


@portable
def _shelf(p):
    return 2 + (p[0] - 1) ** 3 + (p[1] - 2) ** 3


@case("q3")
def test_classify_basic(classify, hessian):
    def test():
        check_equal(call(classify, _bowl, [1.0, 2.0]), "minimum", "classify(bowl, [1, 2])")
        check_equal(call(classify, _mound, [1.0, 2.0]), "maximum", "classify(mound, [1, 2])")
        check_equal(call(classify, _pass, [1.0, 2.0]), "saddle", "classify(pass, [1, 2])")
        check_equal(call(classify, _shelf, [1.0, 2.0]), "flat", "classify(shelf, [1, 2])")

    after_earlier(test, ("q2", "hessian", lambda: _hessian_simple(hessian)))


@case("q3", hidden=True)
def test_classify_off_diagonal(classify):
    """The diagonal of the Hessian misleads: only the eigenvalues tell."""

    @portable
    def twisted(p):  # Hessian [[2, 3], [3, 2]]: eigenvalues 5 and -1
        x, y = p[0] - 3, p[1] - 4
        return x**2 + y**2 + 3 * x * y

    @portable
    def twisted_down(p):  # Hessian [[-2, -3], [-3, -2]]: eigenvalues 1 and -5
        return -twisted(p)

    @portable
    def crossed(p):  # Hessian [[0, 1], [1, 0]]: eigenvalues 1 and -1
        return (p[0] - 3) * (p[1] - 4)

    @portable
    def leaning(p):  # Hessian [[2, -1.5], [-1.5, 2]]: eigenvalues 0.5 and 3.5
        x, y = p[0] - 3, p[1] - 4
        return x**2 + y**2 - 1.5 * x * y

    hint = " (the diagonal of the Hessian is not enough: use its eigenvalues)"
    check_equal(classify(twisted, [3.0, 4.0]), "saddle", "classify(twisted, [3, 4])" + hint)
    check_equal(classify(twisted_down, [3.0, 4.0]), "saddle", "classify(-twisted, [3, 4])" + hint)
    check_equal(classify(crossed, [3.0, 4.0]), "saddle", "classify((x-3)(y-4), [3, 4])" + hint)
    check_equal(classify(leaning, (3, 4)), "minimum", "classify(leaning, (3, 4))" + hint)
    check_equal(
        classify(portable(lambda p: -leaning(p)), np.array([3.0, 4.0])),
        "maximum",
        "classify(-leaning, [3, 4])" + hint,
    )


@case("q3", hidden=True)
def test_classify_tolerance(classify):
    """Eigenvalues inside [-tol, tol] count as zero, with the tol that is passed."""

    @portable
    def faint(p):  # eigenvalues 2e-8: below the default tolerance
        return 1e-8 * ((p[0] - 1) ** 2 + (p[1] - 2) ** 2)

    @portable
    def trough(p):  # eigenvalues 0 and 2
        return (p[0] - 1) ** 2 + (p[1] - 2) ** 3

    @portable
    def gentle(p):  # eigenvalues 0.2 and 4
        return 0.1 * (p[0] - 1) ** 2 + 2 * (p[1] - 2) ** 2

    @portable
    def tilted(p):  # eigenvalues -0.2 and 4
        return -0.1 * (p[0] - 1) ** 2 + 2 * (p[1] - 2) ** 2

    check_equal(classify(faint, [1.0, 2.0]), "flat", "classify(1e-8 (x^2 + y^2))")
    check_equal(
        classify(portable(lambda p: -faint(p)), [1.0, 2.0]), "flat", "classify(-1e-8 (x^2+y^2))"
    )
    check_equal(classify(trough, [1.0, 2.0]), "flat", "classify(x^2 + y^3) (eigenvalues 2, 0)")
    check_equal(classify(portable(lambda p: -trough(p)), [1, 2]), "flat", "classify(-(x^2 + y^3))")
    check_equal(classify(gentle, [1.0, 2.0]), "minimum", "classify(gentle) with tol=1e-6")
    check_equal(classify(gentle, [1.0, 2.0], tol=0.5), "flat", "classify(gentle, tol=0.5)")
    check_equal(classify(gentle, [1.0, 2.0], 0.1), "minimum", "classify(gentle, tol=0.1)")
    check_equal(classify(tilted, [1.0, 2.0]), "saddle", "classify(tilted) with tol=1e-6")
    check_equal(classify(tilted, [1.0, 2.0], tol=0.5), "flat", "classify(tilted, tol=0.5)")
    check_equal(
        classify(portable(lambda p: -gentle(p)), [1.0, 2.0], tol=0.5),
        "flat",
        "classify(-gentle, tol=0.5)",
    )


@case("q3", hidden=True)
def test_classify_sandpit_points(classify):
    """Stationary points of a smooth pit: the wells, the mound and the pass between wells."""

    @portable
    def two_wells(p):
        x, y = p[0], p[1]
        return (
            -2 * np.exp(-((x - 2) ** 2 + (y - 3) ** 2))
            - 2 * np.exp(-((x - 4) ** 2 + (y - 3) ** 2))
            + 1.5 * np.exp(-((x - 3) ** 2 + (y - 5.5) ** 2) / 0.5)
        )

    # by symmetry x = 3 is stationary in x; find the stationary y near 3 with Newton steps
    y = 3.0
    for _ in range(30):
        e = 1e-5
        g1 = (two_wells([3.0, y + e]) - two_wells([3.0, y - e])) / (2 * e)
        g2 = (two_wells([3.0, y + e]) - 2 * two_wells([3.0, y]) + two_wells([3.0, y - e])) / e**2
        y -= g1 / g2
    check_equal(classify(two_wells, [3.0, y]), "saddle", "classify at the pass between wells")
    check_equal(classify(two_wells, [3.0, 5.5]), "maximum", "classify at the top of the mound")
    for x in (1.9999, 4.0001):  # close to the well centres: curvature decides
        check_equal(classify(two_wells, [x, 3.0]), "minimum", f"classify at the well ({x}, 3)")
    check_equal(classify(_shelf, (1, 2)), "flat", "classify(shelf, (1, 2))")
