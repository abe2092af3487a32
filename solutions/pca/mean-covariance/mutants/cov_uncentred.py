"""Computes X^T X / N without centring the data."""


def cov(X):
    return X.T @ X / X.shape[0]
