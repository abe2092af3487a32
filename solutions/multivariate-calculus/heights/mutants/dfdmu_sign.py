"""Loses the minus sign of the inner derivative of (x - mu): writes f (mu - x) / sig^2."""


def dfdmu(x, mu, sig):
    return f(x, mu, sig) * (mu - x) / sig**2  # noqa: F821
