"""Writes the reflection into the caller's points array instead of a new one."""


def reflect(points, basis):
    T = build_reflection_matrix(basis)  # noqa: F821 (defined in the notebook)
    points[:] = T @ points
    return points
