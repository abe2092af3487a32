"""Tests for heights."""

import numpy as np

from autograder.checks import after_earlier, as_float_array, call, check_array, check_unchanged
from autograder.testing import case

# A small made-up histogram for the public tests of steepest_step and fit.
_X = np.array([150.0, 160.0, 170.0, 180.0, 190.0])
_Y = np.array([0.005, 0.025, 0.04, 0.025, 0.005])


def _check_shape(actual, shape, name):
    """Fail unless ``actual`` is a finite numeric array of the given shape; return it."""
    arr = as_float_array(actual, name)
    if arr.shape != shape:
        raise AssertionError(f"{name} has shape {arr.shape}, but shape {shape} was expected.")
    if not np.isfinite(arr).all():
        raise AssertionError(f"{name} contains NaN or infinity.")
    return arr


def _f(x, mu, sig):
    return np.exp(-((x - mu) ** 2) / (2 * sig**2)) / (np.sqrt(2 * np.pi) * sig)


def _chi2(x, y, mu, sig):
    return np.sum((y - _f(x, mu, sig)) ** 2)


def _fd_grad_chi2(x, y, mu, sig):
    """Central finite differences of chi^2 in mu and in sig (relative steps)."""
    hm, hs = 1e-6 * max(1.0, abs(mu)), 1e-6 * sig
    return np.array(
        [
            (_chi2(x, y, mu + hm, sig) - _chi2(x, y, mu - hm, sig)) / (2 * hm),
            (_chi2(x, y, mu, sig + hs) - _chi2(x, y, mu, sig - hs)) / (2 * hs),
        ]
    )


def _random_problems():
    """Random (x, y, mu, sig) with a fixed seed: histograms that are not Gaussians."""
    rng = np.random.default_rng(7)
    problems = []
    for n, mu, sig in [(12, 170.0, 8.0), (30, 1.7, 0.09), (7, -3.0, 2.5), (1, 0.5, 1.3)]:
        x = np.sort(mu + sig * rng.uniform(-3, 3, n))
        y = rng.uniform(0, 1.5, n) * _f(x, mu, sig) * rng.uniform(0.6, 1.4)
        mu_guess = mu + sig * rng.uniform(-0.8, 0.8)
        sig_guess = sig * rng.uniform(0.6, 1.6)
        problems.append((x, y, mu_guess, sig_guess))
    return problems


def _ref_path(x, y, mu0, sig0, aggression, steps):
    """Steepest descent with finite-difference gradients: an independent path."""
    path = [np.array([mu0, sig0], dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - aggression * _fd_grad_chi2(x, y, *path[-1]))
    return np.array(path)


# ---------------------------------------------------------------- q1: dfdmu


def _dfdmu_values(dfdmu):
    """q1's public check; q3 runs it too, to say when its failure starts here."""
    f_one_sd = np.exp(-0.5) / (np.sqrt(2 * np.pi) * 2.0)
    expected = np.array([-f_one_sd / 2.0, 0.0, f_one_sd / 2.0])
    x = np.array([168.0, 170.0, 172.0])
    check_array(call(dfdmu, x, 170.0, 2.0), expected, "dfdmu([168, 170, 172], mu=170, sig=2)")


@case("q1")
def test_dfdmu_values(dfdmu):
    """At the mean the slope is zero; one standard deviation either side it is +-f/sig."""
    _dfdmu_values(dfdmu)


@case("q1", hidden=True)
def test_dfdmu_finite_differences(dfdmu):
    rng = np.random.default_rng(11)
    for mu, sig in [(170.0, 8.0), (0.0, 1.0), (-2.0, 0.3), (1.7, 0.09)]:
        x = mu + sig * rng.uniform(-4, 4, 25)
        x_before = x.copy()
        h = 1e-6 * max(1.0, abs(mu))
        expected = (_f(x, mu + h, sig) - _f(x, mu - h, sig)) / (2 * h)
        name = f"dfdmu(x, mu={mu}, sig={sig})"
        scale = np.abs(expected).max()
        check_array(dfdmu(x, mu, sig), expected, name, rtol=1e-5, atol=1e-6 * scale)
        check_unchanged(x_before, x, "x")


@case("q1", hidden=True)
def test_dfdmu_scalar_and_grid(dfdmu):
    check_array(dfdmu(2.0, 0.0, 2.0), _f(2.0, 0.0, 2.0) / 2.0, "dfdmu(2, mu=0, sig=2)")
    grid = np.linspace(-1.0, 3.0, 6).reshape(2, 3)
    expected = _f(grid, 1.0, 0.5) * (grid - 1.0) / 0.25
    check_array(dfdmu(grid, 1.0, 0.5), expected, "dfdmu(a 2x3 grid, mu=1, sig=0.5)")


# ---------------------------------------------------------------- q2: dfdsig


def _dfdsig_values(dfdsig):
    """q2's public check; q3 runs it too, to say when its failure starts here."""
    x = np.array([170.0 - 2 * np.sqrt(3), 170.0, 170.0 + 2 * np.sqrt(3)])
    peak = 1 / (np.sqrt(2 * np.pi) * 2.0)
    side = 2 * peak * np.exp(-1.5) / 2.0
    check_array(
        call(dfdsig, x, 170.0, 2.0),
        np.array([side, -peak / 2.0, side]),
        "dfdsig([170 - 2*sqrt(3), 170, 170 + 2*sqrt(3)], mu=170, sig=2)",
    )


@case("q2")
def test_dfdsig_values(dfdsig):
    """At the mean f falls as sig grows (-f/sig); at x = mu +- sig*sqrt(3) it rises (2f/sig)."""
    _dfdsig_values(dfdsig)


@case("q2", hidden=True)
def test_dfdsig_finite_differences(dfdsig):
    rng = np.random.default_rng(12)
    for mu, sig in [(170.0, 8.0), (0.0, 1.0), (-2.0, 0.3), (1.7, 0.09), (5.0, 4.0)]:
        x = mu + sig * rng.uniform(-4, 4, 25)
        x_before = x.copy()
        h = 1e-6 * sig
        expected = (_f(x, mu, sig + h) - _f(x, mu, sig - h)) / (2 * h)
        name = f"dfdsig(x, mu={mu}, sig={sig})"
        scale = np.abs(expected).max()
        check_array(dfdsig(x, mu, sig), expected, name, rtol=1e-5, atol=1e-6 * scale)
        check_unchanged(x_before, x, "x")


@case("q2", hidden=True)
def test_dfdsig_at_mean_and_scalar(dfdsig):
    """Exactly at x = mu only the -1/sig term is left."""
    check_array(dfdsig(3.0, 3.0, 0.5), -_f(3.0, 3.0, 0.5) / 0.5, "dfdsig(3, mu=3, sig=0.5)")
    grid = np.linspace(-1.0, 3.0, 6).reshape(3, 2)
    h = 1e-6
    expected = (_f(grid, 1.0, 0.7 + h) - _f(grid, 1.0, 0.7 - h)) / (2 * h)
    check_array(dfdsig(grid, 1.0, 0.7), expected, "dfdsig(a 3x2 grid, mu=1, sig=0.7)", rtol=1e-5)


# ---------------------------------------------------------------- q3: steepest_step


def _steepest_step_example(steepest_step):
    """q3's public check; q4 runs it too, to say when its failure starts here."""
    name = "steepest_step(x, y, mu=165, sig=8, aggression=5000)"
    step = as_float_array(call(steepest_step, _X, _Y, 165.0, 8.0, 5000.0), name)
    step = _check_shape(step.reshape(-1) if step.size == 2 else step, (2,), name)
    assert step[0] > 0, (
        f"{name}: the histogram is centred at 170 and mu = 165 is too small, so the step in "
        f"mu should be positive (downhill in chi^2), but it is {step[0]:.4g}."
    )
    check_array(step, np.array([0.8905701906, 0.8977427144]), name, rtol=1e-5)


def _step_uses(dfdmu, dfdsig):
    """The earlier functions that the notebook asks steepest_step to use, with their checks."""
    return (
        ("q1", "dfdmu", lambda: _dfdmu_values(dfdmu)),
        ("q2", "dfdsig", lambda: _dfdsig_values(dfdsig)),
    )


@case("q3")
def test_steepest_step_shape_and_direction(steepest_step, dfdmu, dfdsig):
    """A small symmetric histogram centred at 170, a guess centred too low and too narrow."""
    after_earlier(lambda: _steepest_step_example(steepest_step), *_step_uses(dfdmu, dfdsig))


@case("q3", hidden=True)
def test_steepest_step_finite_differences(steepest_step):
    for x, y, mu, sig in _random_problems():
        x_before, y_before = x.copy(), y.copy()
        for aggression in [1.0, 37.5]:
            expected = -aggression * _fd_grad_chi2(x, y, mu, sig)
            name = f"steepest_step(x, y, mu={mu:.4g}, sig={sig:.4g}, aggression={aggression})"
            scale = np.abs(expected).max()
            actual = steepest_step(x, y, mu, sig, aggression)
            check_array(actual, expected, name, rtol=1e-4, atol=1e-6 * scale, vector=True)
        check_unchanged(x_before, x, "x")
        check_unchanged(y_before, y, "y")


@case("q3", hidden=True)
def test_steepest_step_at_perfect_fit(steepest_step):
    """When the histogram is exactly the Gaussian, chi^2 is at its minimum: no step."""
    x = np.linspace(150.0, 190.0, 21)
    y = _f(x, 170.0, 7.0)
    check_array(
        steepest_step(x, y, 170.0, 7.0, 500.0),
        np.zeros(2),
        "steepest_step at the exact fit",
        atol=1e-12,
        vector=True,
    )


# ---------------------------------------------------------------- q4: fit


@case("q4")
def test_fit_shape_and_start(fit, steepest_step):
    def test():
        name = "fit(x, y, 165, 8, 5000, 5)"
        path = _check_shape(call(fit, _X, _Y, 165.0, 8.0, 5000.0, 5), (6, 2), name)
        check_array(path[0], np.array([165.0, 8.0]), f"the first row of {name} (the start)")
        check_array(
            path[1],
            np.array([165.8905701906, 8.8977427144]),
            f"the second row of {name} (after one step)",
            rtol=1e-6,
        )

    after_earlier(test, ("q3", "steepest_step", lambda: _steepest_step_example(steepest_step)))


@case("q4", hidden=True)
def test_fit_against_independent_path(fit):
    for (x, y, mu, sig), aggression, steps in zip(
        _random_problems(), [2.0, 0.05, 0.5, 0.1], [7, 3, 12, 1]
    ):
        x_before, y_before = x.copy(), y.copy()
        expected = _ref_path(x, y, mu, sig, aggression, steps)
        name = f"fit(x, y, {mu:.4g}, {sig:.4g}, {aggression}, steps={steps})"
        scale = np.abs(expected).max()
        check_array(
            fit(x, y, mu, sig, aggression, steps), expected, name, rtol=1e-6, atol=1e-9 * scale
        )
        check_unchanged(x_before, x, "x")
        check_unchanged(y_before, y, "y")


@case("q4", hidden=True)
def test_fit_zero_steps_and_convergence(fit):
    x = np.linspace(150.0, 190.0, 21)
    y = _f(x, 172.0, 6.0)
    check_array(fit(x, y, 160.0, 9.0, 100.0, 0), np.array([[160.0, 9.0]]), "fit(..., steps=0)")
    path = fit(x, y, 168.0, 7.0, 1000.0, 200)
    path = _check_shape(path, (201, 2), "fit(x, y, 168, 7, 1000, steps=200)")
    check_array(
        path[-1], np.array([172.0, 6.0]), "the end of a long fit to an exact Gaussian", rtol=1e-3
    )
