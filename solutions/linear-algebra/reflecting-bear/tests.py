"""Tests for reflecting-bear."""

import numpy as np

from autograder.checks import after_earlier, as_float_array, call, check_array, check_unchanged
from autograder.testing import case

# The worked example of the notebook: the mirror is the line y = x.
_DIAGONAL_BASIS = np.array([[2.0, 0.0], [2.0, 3.0]])
_SWAP = np.array([[0.0, 1.0], [1.0, 0.0]])


def _ref_reflection(basis):
    """Reflection in the line along the first column: 2 u u^T / (u . u) - I (no Gram-Schmidt)."""
    u = np.array(basis, dtype=float)[:, 0]
    return 2.0 * np.outer(u, u) / (u @ u) - np.eye(2)


def _random_bases(seed, count, min_sine=0.2):
    """Random 2x2 bases of varied scale whose columns are far from parallel, both orientations."""
    rng = np.random.default_rng(seed)
    bases = []
    while len(bases) < count:
        B = rng.normal(size=(2, 2)) * 10.0 ** rng.uniform(-2, 2, size=2)
        u, v = B[:, 0], B[:, 1]
        sine = abs(u[0] * v[1] - u[1] * v[0]) / (np.linalg.norm(u) * np.linalg.norm(v))
        if sine > min_sine:
            bases.append(B)
    return bases


def _skewed_bases():
    """Bases whose second column is far from orthogonal to the first (10 to 60 degrees)."""
    bases = []
    for first, degrees in [(0.3, 10.0), (1.2, -25.0), (2.5, 40.0), (-2.0, -60.0), (4.0, 15.0)]:
        second = first + np.radians(degrees)
        u = 1.7 * np.array([np.cos(first), np.sin(first)])
        v = 0.6 * np.array([np.cos(second), np.sin(second)])
        bases.append(np.column_stack([u, v]))
    return bases


def _check_reflection(T, basis, name):
    """Compare with the reference reflection, with a hint for the common mistakes."""
    T = as_float_array(T, name)
    expected = _ref_reflection(basis)
    if T.shape == (2, 2) and np.all(np.isfinite(T)) and not np.allclose(T, expected, atol=1e-8):
        if np.allclose(T, -expected, atol=1e-8):
            raise AssertionError(
                f"{name} reflects in the line at right angles to the mirror. Check that T_E "
                "keeps the first coordinate and negates the second, and the order E @ T_E @ inv(E)."
            )
        if np.allclose(T, np.diag([1.0, -1.0])):
            raise AssertionError(
                f"{name} is T_E itself: change basis with E @ T_E @ inv(E) to get the matrix in "
                "the standard basis."
            )
    return check_array(T, expected, name, rtol=1e-7, atol=1e-9)


# ------------------------------------------------------- q1: build_reflection_matrix


@case("q1")
def test_reflection_in_the_x_axis(build_reflection_matrix):
    """With the standard basis the mirror is the x-axis: (x, y) -> (x, -y)."""
    T = call(build_reflection_matrix, np.eye(2))
    _check_reflection(T, np.eye(2), "build_reflection_matrix(np.eye(2))")


def _reflection_worked_example(build_reflection_matrix):
    """q1's public check; q2 runs it too, to say when its failure starts here."""
    basis = _DIAGONAL_BASIS.copy()
    T = call(build_reflection_matrix, basis)
    _check_reflection(T, _DIAGONAL_BASIS, "build_reflection_matrix([[2, 0], [2, 3]])")


@case("q1")
def test_reflection_worked_example(build_reflection_matrix):
    """The worked example: a mirror along (2, 2) is the line y = x; it swaps x and y."""
    _reflection_worked_example(build_reflection_matrix)


@case("q1")
def test_reflection_skewed_integer_basis(build_reflection_matrix):
    """A basis of integers whose columns are not orthogonal: the mirror is along (3, 4)."""
    basis = np.array([[3, 1], [4, 2]])
    name = "build_reflection_matrix([[3, 1], [4, 2]])"
    T = check_array(
        call(build_reflection_matrix, basis), [[-0.28, 0.96], [0.96, 0.28]], name, atol=1e-9
    )
    assert np.allclose(T @ T, np.eye(2)), f"{name} applied twice should give the identity."
    assert np.allclose(T, T.T), f"{name} should be symmetric."


@case("q1", hidden=True)
def test_reflection_random_bases(build_reflection_matrix):
    for i, basis in enumerate(_random_bases(7, 20)):
        T = build_reflection_matrix(basis.copy())
        _check_reflection(T, basis, f"build_reflection_matrix(random basis {i})")


@case("q1", hidden=True)
def test_reflection_skewed_bases(build_reflection_matrix):
    """The second column is not orthogonal to the first, in either orientation."""
    for i, basis in enumerate(_skewed_bases()):
        for B in (basis, np.column_stack([basis[:, 0], -basis[:, 1]])):
            T = build_reflection_matrix(B.copy())
            _check_reflection(T, B, f"build_reflection_matrix(skewed basis {i})")


@case("q1", hidden=True)
def test_reflection_properties(build_reflection_matrix):
    """Symmetric, its own inverse, fixes the mirror direction, negates the normal, det -1."""
    for i, basis in enumerate(_skewed_bases() + _random_bases(8, 5)):
        name = f"build_reflection_matrix(basis {i})"
        T = as_float_array(build_reflection_matrix(basis.copy()), name)
        assert T.shape == (2, 2), f"{name} has shape {T.shape}, but (2, 2) was expected."
        u = basis[:, 0] / np.linalg.norm(basis[:, 0])
        n = np.array([-u[1], u[0]])
        assert np.allclose(T, T.T, atol=1e-9), f"{name} is not symmetric."
        assert np.allclose(T @ T, np.eye(2), atol=1e-9), f"{name} @ itself is not the identity."
        assert np.allclose(T @ u, u, atol=1e-9), f"{name} moves the mirror direction."
        assert np.allclose(T @ n, -n, atol=1e-9), f"{name} does not negate the mirror's normal."
        assert np.isclose(np.linalg.det(T), -1.0), f"{name} should have determinant -1."


@case("q1", hidden=True)
def test_reflection_long_and_short_vectors(build_reflection_matrix):
    """Columns far from unit length: Gram-Schmidt must normalise."""
    for scale_u, scale_v in [(10.0, 1.0), (0.01, 3.0), (250.0, 0.004), (1.0, 40.0)]:
        basis = np.array([[0.6 * scale_u, 0.9 * scale_v], [0.8 * scale_u, -0.1 * scale_v]])
        T = build_reflection_matrix(basis.copy())
        _check_reflection(
            T, basis, f"build_reflection_matrix with column lengths {scale_u}, {scale_v}"
        )


@case("q1", hidden=True)
def test_reflection_integer_and_axis_bases(build_reflection_matrix):
    """Integer arrays (keep the arithmetic in floats) and mirrors along the axes."""
    for basis in (
        np.array([[1, 1], [2, 0]]),
        np.array([[5, 2], [-1, 3]]),
        np.array([[0, 1], [5, 1]]),
        np.array([[-3, 0], [0, 2]]),
        np.array([[2, -7], [0, 3]]),
    ):
        T = build_reflection_matrix(basis.copy())
        _check_reflection(T, basis, f"build_reflection_matrix({basis.tolist()})")


@case("q1", hidden=True)
def test_reflection_leaves_basis_unchanged(build_reflection_matrix):
    for basis in (np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[4, 1], [3, 5]])):
        before = basis.copy()
        T = build_reflection_matrix(basis)
        check_unchanged(before, basis, "basis")
        _check_reflection(T, before, f"build_reflection_matrix({before.tolist()})")


# ------------------------------------------------------------------ q2: reflect


@case("q2")
def test_reflect_worked_example(reflect, build_reflection_matrix):
    """Reflecting in y = x swaps the coordinates of every point (one point per column)."""

    def test():
        points = np.array([[2.0, 0.0, 1.0], [0.5, 3.0, 1.0]])
        expected = np.array([[0.5, 3.0, 1.0], [2.0, 0.0, 1.0]])
        result = call(reflect, points.copy(), _DIAGONAL_BASIS.copy())
        check_array(
            result, expected, "reflect(points, [[2, 0], [2, 3]]) with points of shape (2, 3)"
        )

    after_earlier(
        test,
        (
            "q1",
            "build_reflection_matrix",
            lambda: _reflection_worked_example(build_reflection_matrix),
        ),
    )


@case("q2", hidden=True)
def test_reflect_random_points(reflect):
    rng = np.random.default_rng(17)
    points = rng.uniform(-5, 5, size=(2, 37))
    for i, basis in enumerate(_random_bases(18, 6) + _skewed_bases()):
        result = reflect(points.copy(), basis.copy())
        check_array(
            result,
            _ref_reflection(basis) @ points,
            f"reflect(points, basis {i})",
            rtol=1e-7,
            atol=1e-9,
        )


@case("q2", hidden=True)
def test_reflect_two_points_and_one_point(reflect):
    """K = 2 gives a 2x2 points array: rows and columns must not be mixed up."""
    points = np.array([[1.0, -2.0], [3.0, 0.5]])
    for i, basis in enumerate(_skewed_bases()[:3]):
        expected = _ref_reflection(basis) @ points
        check_array(
            reflect(points.copy(), basis.copy()),
            expected,
            f"reflect(2 points, basis {i})",
            rtol=1e-7,
            atol=1e-9,
        )
        one = points[:, :1]
        check_array(
            reflect(one.copy(), basis.copy()),
            expected[:, :1],
            f"reflect(1 point of shape (2, 1), basis {i})",
            rtol=1e-7,
            atol=1e-9,
        )


@case("q2", hidden=True)
def test_reflect_twice_and_fixed_points(reflect):
    """Reflecting twice gives the drawing back; points on the mirror stay, normals flip."""
    basis = np.array([[1.0, 0.9], [1.8, 0.3]])
    u = basis[:, 0] / np.linalg.norm(basis[:, 0])
    n = np.array([-u[1], u[0]])
    points = np.column_stack([2.0 * u, -0.5 * u, 3.0 * n, u + n])
    once = as_float_array(reflect(points.copy(), basis.copy()), "reflect(points, basis)")
    expected = np.column_stack([2.0 * u, -0.5 * u, -3.0 * n, u - n])
    check_array(
        once,
        expected,
        "reflect(points on the mirror and on its normal, basis)",
        rtol=1e-7,
        atol=1e-9,
    )
    twice = reflect(once.copy(), basis.copy())
    check_array(twice, points, "reflect(reflect(points, basis), basis)", rtol=1e-7, atol=1e-9)


@case("q2", hidden=True)
def test_reflect_integer_points_and_inputs_unchanged(reflect):
    points = np.array([[3, 4, 5, 3], [1, 2, 1, 0]])
    basis = np.array([[1, 2], [2, 1]])
    p_before, b_before = points.copy(), basis.copy()
    result = reflect(points, basis)
    check_unchanged(p_before, points, "points")
    check_unchanged(b_before, basis, "basis")
    check_array(
        result,
        _ref_reflection(b_before) @ p_before,
        "reflect(integer points, basis)",
        rtol=1e-7,
        atol=1e-9,
    )
    fpoints = np.array([[0.5, -1.0, 2.0], [1.5, 2.5, -0.5]])
    fbasis = np.array([[0.3, 1.0], [1.0, 1.0]])
    f_before = fpoints.copy()
    reflect(fpoints, fbasis)
    check_unchanged(f_before, fpoints, "points")
