"""Unit tests of the reflecting-bear reference solution: properties of reflections."""

import json

import numpy as np
import pytest

from .conftest import ROOT, load_solution

sol = load_solution("reflecting-bear")
BASES = [
    np.array([[1.0, 1.5], [2.0, 0.5]]),
    np.array([[3, 1], [4, 2]]),
    np.array([[0.2, -5.0], [-0.1, 0.3]]),
    np.array([[-2.0, 1.0], [0.5, 4.0]]),
]


def test_orthonormal_basis_is_orthonormal_and_keeps_the_mirror():
    for basis in BASES:
        before = basis.copy()
        E = sol.orthonormal_basis(basis)
        np.testing.assert_allclose(E.T @ E, np.eye(2), atol=1e-12)
        u = basis[:, 0] / np.linalg.norm(basis[:, 0])
        np.testing.assert_allclose(E[:, 0], u, atol=1e-12)
        np.testing.assert_array_equal(basis, before)


def test_orthonormal_basis_rejects_parallel_columns():
    with pytest.raises(ValueError):
        sol.orthonormal_basis(np.array([[1.0, 2.0], [2.0, 4.0]]))


@pytest.mark.parametrize("basis", BASES)
def test_reflection_matrix_properties(basis):
    T = sol.build_reflection_matrix(basis)
    u = basis[:, 0] / np.linalg.norm(basis[:, 0])
    n = np.array([-u[1], u[0]])
    assert T.shape == (2, 2)
    np.testing.assert_allclose(T, T.T, atol=1e-12)
    np.testing.assert_allclose(T @ T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(T @ u, u, atol=1e-12)
    np.testing.assert_allclose(T @ n, -n, atol=1e-12)
    assert np.isclose(np.linalg.det(T), -1.0)
    np.testing.assert_allclose(T, 2 * np.outer(u, u) - np.eye(2), atol=1e-12)


def test_worked_example_swaps_coordinates():
    T = sol.build_reflection_matrix(np.array([[2.0, 0.0], [2.0, 3.0]]))
    np.testing.assert_allclose(T, [[0.0, 1.0], [1.0, 0.0]], atol=1e-12)


def test_reflect_bear_preserves_distances_and_is_an_involution():
    data = json.loads((ROOT / "assignments/linear-algebra/reflecting-bear/bear.json").read_text())
    points = np.hstack([np.array(p["points"]) for p in data["parts"]])
    assert points.shape[0] == 2
    basis = BASES[0]
    before = points.copy()
    image = sol.reflect(points, basis)
    np.testing.assert_array_equal(points, before)
    assert image.shape == points.shape
    np.testing.assert_allclose(np.linalg.norm(image, axis=0), np.linalg.norm(points, axis=0))
    np.testing.assert_allclose(sol.reflect(image, basis), points, atol=1e-12)
    # The midpoint of each point and its image lies on the mirror.
    u = basis[:, 0] / np.linalg.norm(basis[:, 0])
    mid = (points + image) / 2
    np.testing.assert_allclose(u[0] * mid[1] - u[1] * mid[0], 0.0, atol=1e-12)


def test_bear_file_is_small_and_well_formed():
    path = ROOT / "assignments/linear-algebra/reflecting-bear/bear.json"
    assert path.stat().st_size < 20_000
    for part in json.loads(path.read_text())["parts"]:
        assert {"name", "colour", "closed", "points"} <= set(part)
        assert np.array(part["points"]).shape[0] == 2
