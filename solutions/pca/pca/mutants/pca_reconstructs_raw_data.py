"""Projects the raw data X instead of the centred data, then adds the mean on top."""


def pca(X, num_components):
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    S = Xbar.T @ Xbar / len(X)
    eigvals, eigvecs = eig(S)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = eigvecs[:, :num_components]
    reconst = X @ projection_matrix(principal_components) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
