"""Adds A @ mean into b in place and returns b, changing the caller's b."""


def affine_mean(mean, A, b):
    b += A @ mean
    return b
