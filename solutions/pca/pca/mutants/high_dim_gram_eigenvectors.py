"""Returns the eigenvectors of the N x N matrix themselves (length N) as the components."""


def pca_high_dim(X, num_components):
    N = len(X)
    Xbar, mean = normalize(X)  # noqa: F821 (given by the notebook)
    M = Xbar @ Xbar.T / N
    eigvals, eigvecs = eig(M)  # noqa: F821
    principal_values = eigvals[:num_components]
    principal_components = eigvecs[:, :num_components]
    U = Xbar.T @ principal_components
    reconst = Xbar @ projection_matrix(U) + mean  # noqa: F821
    return reconst, mean, principal_values, principal_components
