"""Forgets the transpose: A S A."""


def affine_covariance(S, A, b):
    return A @ S @ A
