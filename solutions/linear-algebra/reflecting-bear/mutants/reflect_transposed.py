"""Returns the reflected points as rows, shape (K, 2), instead of columns."""


def reflect(points, basis):
    T = build_reflection_matrix(basis)  # noqa: F821 (defined in the notebook)
    return (T @ points).T
