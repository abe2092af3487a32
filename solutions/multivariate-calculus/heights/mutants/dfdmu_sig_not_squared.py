"""Divides by sig instead of sig squared in the derivative with respect to mu."""


def dfdmu(x, mu, sig):
    return f(x, mu, sig) * (x - mu) / sig  # noqa: F821
