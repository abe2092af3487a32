# %% [markdown]
# # Fitting a curve to a histogram of heights
#
# Suppose we have measured the heights of a few thousand adults and drawn a histogram.
# It looks roughly bell-shaped, so we would like to summarise it with a Gaussian (normal)
# distribution: two numbers, a centre $\mu$ and a width $\sigma$, instead of a whole table.
# Which $\mu$ and $\sigma$ fit best?
#
# In this exercise we answer that question with the tools of multivariate calculus. We
# measure how badly a candidate curve fits with a single number $\chi^2$ that depends on
# both parameters, work out its partial derivatives, and then walk downhill on the
# $\chi^2$ surface, one small step at a time: **steepest descent**.
#
# You will write four functions:
#
# 1. `dfdmu`: how the Gaussian changes when $\mu$ moves,
# 2. `dfdsig`: how it changes when $\sigma$ moves,
# 3. `steepest_step`: one step downhill on $\chi^2$,
# 4. `fit`: many steps, returning the whole path.

# %%
import matplotlib.pyplot as plt
import numpy as np


# %% [markdown]
# ## The data
#
# The file `heights.csv` next to this notebook holds a histogram of **simulated** heights:
# the course's script `make_data.py` drew 3500 made-up adults from two overlapping normal
# distributions (with a fixed random seed, so everyone gets the same file), and binned
# them into 2 cm bins from 140 cm to 210 cm. No real person is in it.
#
# Each row is a bin: its centre $x_i$ in centimetres and its **density** $y_i$, the
# fraction of people in the bin divided by the bin width. With that normalisation the
# bars have total area one, so they can be compared directly with a probability density.

# %%
data = np.loadtxt("heights.csv", delimiter=",", skiprows=1)
x_data, y_data = data[:, 0], data[:, 1]
bin_width = x_data[1] - x_data[0]
print(f"{x_data.size} bins, total area {np.sum(y_data) * bin_width:.3f}")

# %% tags=["otter_ignore"]
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.bar(x_data, y_data, width=bin_width, color="#9ecae1", edgecolor="#3182bd")
ax.set_xlabel("height (cm)")
ax.set_ylabel("density (1/cm)")
ax.set_title("Histogram of simulated adult heights")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The model and the measure of fit
#
# The Gaussian density with centre $\mu$ and width $\sigma$ is
#
# $$ f(x; \mu, \sigma) = \frac{1}{\sqrt{2\pi}\,\sigma}
#    \exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right). $$
#
# The factor in front makes the area under the curve equal to one, just like our
# histogram. It is written below for you; it works elementwise on a numpy array `x`.
#
# To say how well a curve fits, we add up the squared vertical gaps between the bars and
# the curve at the bin centres:
#
# $$ \chi^2(\mu, \sigma) = \sum_i \big(y_i - f(x_i; \mu, \sigma)\big)^2 . $$
#
# A perfect fit would give $\chi^2 = 0$. For our data, $\chi^2$ is a function of two
# variables, a landscape over the $(\mu, \sigma)$ plane, and the best fit sits at the
# bottom of its valley.

# %%
def f(x, mu, sig):
    """The normalised Gaussian density at x (elementwise), with centre mu and width sig."""
    return np.exp(-((x - mu) ** 2) / (2 * sig**2)) / (np.sqrt(2 * np.pi) * sig)


def chi_squared(x, y, mu, sig):
    """The sum of squared differences between the histogram y and the Gaussian at x."""
    return np.sum((y - f(x, mu, sig)) ** 2)


# %% [markdown]
# ### A worked example
#
# Let us try two guesses by eye: a curve centred at 160 cm with width 10 cm, and one
# centred at 170 cm with width 10 cm. The second should fit better, and $\chi^2$ agrees.

# %%
for mu_guess, sig_guess in [(160.0, 10.0), (170.0, 10.0)]:
    value = chi_squared(x_data, y_data, mu_guess, sig_guess)
    print(f"mu = {mu_guess:5.1f}, sig = {sig_guess:4.1f}:  chi^2 = {value:.3e}")

# %% [markdown]
# ## Partial derivatives of the Gaussian
#
# To go downhill we need to know which way is down, so we need the partial derivatives of
# $\chi^2$, and by the chain rule those need the partial derivatives of $f$.
#
# **With respect to $\mu$.** Only the exponent depends on $\mu$. If
# $f = c\,e^{g}$ with a constant $c$, then $\partial f/\partial\mu = f\,\partial g/\partial\mu$,
# so
#
# $$ \frac{\partial f}{\partial \mu}
#    = f(x; \mu, \sigma)\,\frac{\partial}{\partial \mu}
#      \left(-\frac{(x-\mu)^2}{2\sigma^2}\right). $$
#
# Differentiating the bracket is the part left to you. (Careful with the sign: $\mu$
# appears inside $(x - \mu)$.)
#
# **With respect to $\sigma$.** Now $\sigma$ appears twice: in the factor
# $1/(\sqrt{2\pi}\,\sigma)$ in front *and* in the exponent. The product rule gives one
# term for each, and each term can again be written as $f$ times something:
#
# $$ \frac{\partial f}{\partial \sigma}
#    = f \cdot \left(\frac{\partial}{\partial\sigma}\text{ of the exponent}\right)
#    + f \cdot \left(\sigma \,\frac{\partial}{\partial\sigma}\frac{1}{\sigma}\right). $$
#
# **Checking a derivative numerically.** You can always test a formula for a derivative
# against a *central difference*: nudge the parameter a little each way and see how much
# the function changes,
#
# $$ \frac{\partial f}{\partial \mu} \approx
#    \frac{f(x; \mu + h, \sigma) - f(x; \mu - h, \sigma)}{2h}, \qquad h \text{ small}. $$
#
# For example, at $x = 175$ with $\mu = 170$ and $\sigma = 8$:

# %%
h = 1e-5
slope = (f(175.0, 170.0 + h, 8.0) - f(175.0, 170.0 - h, 8.0)) / (2 * h)
print(f"df/dmu at x = 175, mu = 170, sig = 8 is about {slope:.6e}")

# %% [markdown]
# The slope is positive: moving the centre from 170 towards 175 raises the curve at 175.
# Your `dfdmu` should give the same number to about six digits.

# %% [markdown] question="q1"
# ## Question 1: the derivative with respect to $\mu$
#
# Write `dfdmu(x, mu, sig)`, the partial derivative $\partial f/\partial\mu$. It must work
# elementwise: when `x` is a numpy array, return an array of the same shape.

# %%
def dfdmu(x, mu, sig):
    """The partial derivative of f(x, mu, sig) with respect to mu.

    x: a number or a numpy array of positions; mu, sig: numbers (sig > 0).
    Returns an array of the same shape as x (a number if x is a number).
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: the derivative with respect to $\sigma$
#
# Write `dfdsig(x, mu, sig)`, the partial derivative $\partial f/\partial\sigma$,
# elementwise. Remember both places where $\sigma$ appears. A quick sanity check: at
# $x = \mu$ the exponent is zero whatever $\sigma$ is, so only the factor in front
# changes, and a wider curve is lower in the middle: the derivative there is negative.

# %%
def dfdsig(x, mu, sig):
    """The partial derivative of f(x, mu, sig) with respect to sig.

    x: a number or a numpy array of positions; mu, sig: numbers (sig > 0).
    Returns an array of the same shape as x (a number if x is a number).
    """
    ...


# %%
grader.check("q2")

# %% [markdown] question="q3"
# ## Question 3: one step downhill
#
# The gradient of $\chi^2$ is the vector of its two partial derivatives. Each term of the
# sum is a square, so the chain rule brings down a factor $2$ and the inner derivative of
# $y_i - f(x_i)$, which is $-\partial f/\partial\mu$ (or $-\partial f/\partial\sigma$):
#
# $$ \mathbf{J} = \begin{pmatrix} \partial \chi^2/\partial \mu \\
#                                 \partial \chi^2/\partial \sigma \end{pmatrix}
#    = -2 \sum_i \big(y_i - f(x_i; \mu, \sigma)\big)
#      \begin{pmatrix} \partial f/\partial \mu\,(x_i) \\
#                      \partial f/\partial \sigma\,(x_i) \end{pmatrix}. $$
#
# The gradient points uphill, so a step of steepest descent goes the other way, scaled
# by a number we call the `aggression`:
#
# $$ \delta = -\,\text{aggression}\; \mathbf{J}. $$
#
# Write `steepest_step(x, y, mu, sig, aggression)` returning $\delta$ as a numpy array of
# shape `(2,)`: the change in $\mu$ first, then the change in $\sigma$. Use your `dfdmu`
# and `dfdsig`. They are tested as you wrote them: if one fails its own checks, the message
# here says so ("fix q1 first").

# %%
def steepest_step(x, y, mu, sig, aggression):
    """One steepest-descent step on chi^2 for the histogram (x, y) from (mu, sig).

    x, y: arrays of bin centres and densities (same shape); mu, sig, aggression: numbers.
    Returns a numpy array of shape (2,): -aggression times (d chi^2/d mu, d chi^2/d sig).
    """
    ...


# %%
grader.check("q3")

# %% [markdown] question="q4"
# ## Question 4: the whole descent
#
# Starting from a guess $(\mu_0, \sigma_0)$, take `steps` steps, each from the point the
# previous one reached:
# $(\mu_{k+1}, \sigma_{k+1}) = (\mu_k, \sigma_k) + \delta(\mu_k, \sigma_k)$.
#
# Write `fit(x, y, mu0, sig0, aggression, steps)` returning the whole path as an array of
# shape `(steps + 1, 2)`: row 0 is the starting guess, row $k$ is the point after $k$ steps,
# and the last row is the fitted $(\mu, \sigma)$. With `steps = 0` the path is just the start.
# `fit` is tested with your own `steepest_step`: if that fails its checks, the message says so.

# %%
def fit(x, y, mu0, sig0, aggression, steps):
    """Steepest descent on chi^2 from (mu0, sig0); returns the path.

    Returns a numpy array of shape (steps + 1, 2) whose rows are (mu, sig): the start,
    then the point after each step.
    """
    ...


# %%
grader.check("q4")

# %% [markdown]
# ## The fit
#
# We start from a poor guess, a narrow curve centred at 150 cm, and let the descent run.
# With our bins the aggression can be about a thousand: the gradient of $\chi^2$ is tiny,
# because the densities themselves are small numbers. Try a much larger value and watch
# the path overshoot and zigzag.

# %% tags=["otter_ignore"]
path = fit(x_data, y_data, 150.0, 5.0, 1000.0, 120)
if answered(q4=path):
    mu_fit, sig_fit = path[-1]
    print(f"fitted: mu = {mu_fit:.2f} cm, sig = {sig_fit:.2f} cm")
    hist_mean = np.sum(x_data * y_data) * bin_width
    hist_sd = np.sqrt(np.sum((x_data - hist_mean) ** 2 * y_data) * bin_width)
    print(f"for comparison, the histogram's mean is {hist_mean:.2f} cm "
          f"and its standard deviation {hist_sd:.2f} cm")

    xs = np.linspace(140, 210, 400)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(x_data, y_data, width=bin_width, color="#9ecae1", edgecolor="#3182bd",
           label="histogram")
    ax.plot(xs, f(xs, 150.0, 5.0), color="0.6", ls="--", label="starting guess")
    ax.plot(xs, f(xs, mu_fit, sig_fit), color="#d62728", lw=2,
            label=rf"fit: $\mu$ = {mu_fit:.1f}, $\sigma$ = {sig_fit:.1f}")
    ax.set_xlabel("height (cm)")
    ax.set_ylabel("density (1/cm)")
    ax.legend()
    ax.set_title("The Gaussian found by steepest descent")
    fig.tight_layout()
    plt.show()

# %% [markdown]
# The fitted curve follows the histogram well, but not perfectly: the simulated people
# come from two overlapping groups, so the top of the histogram is flatter than a single
# Gaussian. $\chi^2$ can only pick the best *Gaussian*; it cannot tell us the model is
# too simple. Looking at the residuals would.
#
# ## The landscape and the path
#
# Finally, the $\chi^2$ surface drawn as contours over the $(\mu, \sigma)$ plane, with the
# path of the descent on top. Notice how the first steps are long (the slope is steep far
# from the minimum) and the later ones short, and how the path first climbs to wide curves
# before it moves sideways: with a narrow curve far from the data, changing $\sigma$ helps
# more than changing $\mu$. Each step is taken across the contour lines, because the
# gradient is perpendicular to them (the two axes have different scales, so the right
# angles look squashed).

# %% tags=["otter_ignore"]
mus = np.linspace(145, 185, 121)
sigs = np.linspace(3, 25, 111)
M, S = np.meshgrid(mus, sigs)
chi = np.array([[chi_squared(x_data, y_data, m, s) for m in mus] for s in sigs])

if answered(q4=path):
    fig, ax = plt.subplots(figsize=(7, 5))
    levels = np.geomspace(chi.min() * 1.05, chi.max(), 18)
    contours = ax.contour(M, S, chi, levels=levels, cmap="viridis", linewidths=1)
    ax.plot(path[:, 0], path[:, 1], "o-", color="#d62728", ms=3, lw=1.2,
            label="steepest descent")
    ax.plot(*path[0], "s", color="k", label="start")
    ax.plot(*path[-1], "*", color="#d62728", ms=14, label="end")
    ax.set_xlabel(r"$\mu$ (cm)")
    ax.set_ylabel(r"$\sigma$ (cm)")
    ax.set_title(r"Contours of $\chi^2(\mu, \sigma)$ (logarithmically spaced)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    plt.show()
