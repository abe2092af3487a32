"""Forgets the shift b in the mean."""


def affine_mean(mean, A, b):
    return A @ mean
