# %% [markdown]
# # The Sandpit: measuring slopes and curvature
#
# Somewhere in a square sandpit, $0 \le x, y \le 6$ metres, a phone has slipped to the
# deepest point. We cannot see the sand's surface: all we can do is push a probe in at a
# point $\mathbf{p} = (x, y)$ and read off the level of the sand there, $f(\mathbf{p})$,
# measured upwards from the rim (so it is negative inside the pit). The deepest point is
# where $f$ is smallest. Every measurement costs effort, so we want to learn as much as
# possible from each one.
#
# Two pieces of calculus tell us a lot from a handful of probes near a point:
#
# * the **gradient** $\nabla f = \left(\frac{\partial f}{\partial x},
#   \frac{\partial f}{\partial y}\right)$, which points uphill; walking along
#   $-\nabla f$ takes us down;
# * the **Hessian** $H$, the matrix of second derivatives, which describes how the surface
#   curves: whether a flat spot is the bottom of a bowl, the top of a mound, or a saddle.
#
# In this notebook you will estimate both from measurements alone (we never look at a
# formula for $f$), then use the Hessian to classify flat spots. Part 2 uses your tools to
# walk downhill automatically.
#
# The sandpits here are our own: `make_sandpit(seed)` below builds a smooth surface from a
# gentle bowl, one deep well, a few shallower wells that act as distractions, and a couple
# of mounds, placed at random from the seed. No data files are needed.

# %%
import numpy as np
import matplotlib.pyplot as plt


def make_sandpit(seed=0):
    """Return a depth function f(p) of a sandpit over [0, 6] x [0, 6].

    f(p) takes p = (x, y) (the two coordinates may also be arrays of the same shape, which
    is handy for plotting) and returns the level of the sand there. The surface is a
    shallow bowl plus six Gaussian bumps: the deepest well, three shallower wells and two
    mounds, with positions and widths drawn from `seed`.
    """
    rng = np.random.default_rng(seed)
    centres = []
    while len(centres) < 6:  # keep the features apart, so each well is visible
        c = rng.uniform(0.8, 5.2, size=2)
        if all(np.hypot(*(c - d)) > 1.7 for d in centres):
            centres.append(c)
    widths = rng.uniform(0.45, 0.75, size=6)
    heights = np.array([-3.0, -1.8, -1.5, -1.2, 1.2, 1.0])

    def depth(p):
        x, y = p[0], p[1]
        z = 0.05 * ((x - 3.0) ** 2 + (y - 3.0) ** 2)
        for (cx, cy), w, a in zip(centres, widths, heights):
            z = z + a * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * w**2))
        return z

    return depth


def plot_sandpit(f, ax=None, levels=25):
    """Draw the sandpit f as filled contours over [0, 6]^2 and return the axes."""
    if ax is None:
        ax = plt.figure(figsize=(5.5, 4.5)).gca()
    g = np.linspace(0, 6, 121)
    X, Y = np.meshgrid(g, g)
    cs = ax.contourf(X, Y, f(np.array([X, Y])), levels=levels, cmap="YlOrBr_r")
    ax.figure.colorbar(cs, ax=ax, label="level of the sand $f$ (m)")
    ax.set_xlabel("$x$ (m)")
    ax.set_ylabel("$y$ (m)")
    ax.set_aspect("equal")
    return ax


pit = make_sandpit(6)

# %% tags=["otter_ignore"]
ax = plot_sandpit(pit)
ax.set_title("A sandpit (seed 6): darker is deeper")
plt.show()

# %% [markdown]
# ## Slopes from measurements: finite differences
#
# The partial derivative $\partial f/\partial x$ is the slope along $x$ with $y$ held
# fixed. Taylor's theorem along that line, with a small step $h$, gives
#
# $$ f(x + h, y) = f + h f_x + \tfrac{h^2}{2} f_{xx} + \tfrac{h^3}{6} f_{xxx} + \dots $$
# $$ f(x - h, y) = f - h f_x + \tfrac{h^2}{2} f_{xx} - \tfrac{h^3}{6} f_{xxx} + \dots $$
#
# The **forward difference** $\big(f(x+h, y) - f(x, y)\big)/h = f_x + \tfrac{h}{2} f_{xx}
# + \dots$ is wrong by an amount proportional to $h$. Subtracting the two lines instead
# cancels the even powers:
#
# $$ \frac{f(x+h, y) - f(x-h, y)}{2h} = f_x + \frac{h^2}{6} f_{xxx} + \dots $$
#
# This **central difference** costs the same two measurements, but its error shrinks
# like $h^2$: with $h = 10^{-3}$ it is of order $10^{-7}$ (times $f_{xxx}$), where the
# forward difference is off by about $10^{-3}$ (times $f_{xx}$). (Making $h$ tiny does not
# help forever: each measurement carries a relative rounding error of about $10^{-16}$,
# and dividing by $h$ magnifies it.) The same recipe along $y$ gives
# $f_y$; together they make the gradient
#
# $$ \nabla f(\mathbf{p}) \approx \frac{1}{2h}\begin{pmatrix}
#    f(\mathbf{p} + h\mathbf{e}_x) - f(\mathbf{p} - h\mathbf{e}_x) \\
#    f(\mathbf{p} + h\mathbf{e}_y) - f(\mathbf{p} - h\mathbf{e}_y) \end{pmatrix},
#    \qquad \mathbf{e}_x = (1, 0),\ \mathbf{e}_y = (0, 1). $$
#
# The figure shows both errors for $f(x) = \sin 3x$ at $x = 1$, whose slope we know is
# $3\cos 3$.

# %% tags=["otter_ignore"]
hs = np.logspace(-8, 0, 60)
exact = 3 * np.cos(3.0)
forward_err = np.abs((np.sin(3 * (1 + hs)) - np.sin(3.0)) / hs - exact)
central_err = np.abs((np.sin(3 * (1 + hs)) - np.sin(3 * (1 - hs))) / (2 * hs) - exact)
fig, ax = plt.subplots(figsize=(5.5, 3.8))
ax.loglog(hs, forward_err, label="forward difference")
ax.loglog(hs, central_err, label="central difference")
ax.axvline(1e-3, color="grey", ls=":", label="$h = 10^{-3}$")
ax.set_xlabel("step $h$")
ax.set_ylabel("error in the slope")
ax.set_title("Central differences are far more accurate")
ax.legend()
plt.show()

# %% [markdown]
# **A worked example.** Take $f(x, y) = x^2 y$ at $\mathbf{p} = (1, 2)$ with $h = 0.1$.
# Along $x$: $f(1.1, 2) = 2.42$ and $f(0.9, 2) = 1.62$, so
# $f_x \approx (2.42 - 1.62)/0.2 = 4$. Along $y$: $f(1, 2.1) = 2.1$ and $f(1, 1.9) = 1.9$,
# so $f_y \approx 0.2/0.2 = 1$. The exact gradient is $(2xy, x^2) = (4, 1)$: for a
# quadratic, central differences are exact.

# %% [markdown] question="q1"
# ## Question 1: the gradient
#
# Write `gradient(f, p, h=1e-3)` that returns the central-difference estimate of
# $\nabla f(\mathbf{p})$ as a numpy array of shape `(2,)`.
#
# * `f` is a depth function: call it as `f(q)` with a point `q`, a numpy array of
#   shape `(2,)`, and it returns a number.
# * `p` may be a list, a tuple or an array, of floats or integers. Do not change it: build
#   new points such as `p + h * e` rather than shifting `p` in place.
# * Use four measurements, two along each axis, and the `h` you are given.

# %%
def gradient(f, p, h=1e-3):
    """Central-difference gradient of f at p.

    f: a function of a point q (array of shape (2,)) returning a number.
    p: the point, a sequence of two numbers (list, tuple or array); not changed.
    h: the step of the finite differences.
    Returns an array of shape (2,): (df/dx, df/dy) at p.
    """
    ...


# %%
grader.check("q1")

# %% [markdown]
# Your gradient tells us which way is downhill from every probe. Below, twelve probes are
# placed on the sandpit, and at each one an arrow points along $-\nabla f$, with a length
# proportional to the slope. Arrows are long on steep walls, short near flat spots, and
# they all lean towards some well, though not necessarily the deepest one.

# %% tags=["otter_ignore"]
probes = np.array(
    [[0.7, 0.8], [2.0, 0.6], [4.8, 0.9], [5.3, 2.4], [1.0, 2.9], [2.4, 2.0],
     [4.2, 3.4], [1.6, 4.6], [3.0, 5.2], [5.0, 5.0], [3.6, 1.4], [2.3, 3.6]]
)
if answered(q1=gradient(pit, probes[0])):
    slopes = np.array([gradient(pit, q) for q in probes])
    ax = plot_sandpit(pit)
    ax.plot(probes[:, 0], probes[:, 1], "ko", ms=4, label="probes")
    ax.quiver(probes[:, 0], probes[:, 1], -slopes[:, 0], -slopes[:, 1], color="navy",
              angles="xy", scale_units="xy", scale=1.5, width=0.006, label=r"$-\nabla f$")
    ax.set_title("Probes and the downhill direction")
    ax.legend(loc="upper left", fontsize=8)
    plt.show()

# %% [markdown]
# ## Curvature: the Hessian
#
# The Hessian collects the second derivatives,
#
# $$ H = \begin{pmatrix} f_{xx} & f_{xy} \\ f_{yx} & f_{yy} \end{pmatrix}, $$
#
# and for smooth surfaces $f_{xy} = f_{yx}$, so $H$ is symmetric. Adding the two Taylor
# lines above (instead of subtracting) cancels the odd powers and leaves the central
# second difference
#
# $$ f_{xx} \approx \frac{f(\mathbf{p} + h\mathbf{e}_x) - 2 f(\mathbf{p})
#    + f(\mathbf{p} - h\mathbf{e}_x)}{h^2}, $$
#
# with an error proportional to $h^2$; $f_{yy}$ is the same along $y$. For the mixed
# derivative, take the central difference along $y$ of the central difference along $x$.
# That uses the four diagonal neighbours of $\mathbf{p}$:
#
# $$ f_{xy} \approx \frac{f(\mathbf{p} + h\mathbf{e}_x + h\mathbf{e}_y)
#    - f(\mathbf{p} + h\mathbf{e}_x - h\mathbf{e}_y)
#    - f(\mathbf{p} - h\mathbf{e}_x + h\mathbf{e}_y)
#    + f(\mathbf{p} - h\mathbf{e}_x - h\mathbf{e}_y)}{4h^2}. $$
#
# Swapping the roles of $x$ and $y$ gives the same four terms, so this estimate is
# symmetric automatically. Nine measurements give the whole Hessian.
#
# *Worked example:* for $f = x^2 y$ at $(1, 2)$ with $h = 0.1$,
# $f_{xx} \approx (2.42 - 4 + 1.62)/0.01 = 4 = 2y$, $f_{yy} \approx (2.1 - 4 + 1.9)/0.01 = 0$,
# and $f_{xy} \approx (1.21 \cdot 2.1 - 1.21 \cdot 1.9 - 0.81 \cdot 2.1 + 0.81 \cdot 1.9)/0.04
# = 2 = 2x$.

# %% [markdown] question="q2"
# ## Question 2: the Hessian
#
# Write `hessian(f, p, h=1e-3)` that returns the central-difference Hessian of `f` at `p`
# as a symmetric numpy array of shape `(2, 2)`. The same rules as in Question 1 apply:
# `p` may be any sequence of two numbers and must not change. Forward differences are not
# accurate enough for the tests; the error of your estimate should shrink like $h^2$.

# %%
def hessian(f, p, h=1e-3):
    """Central-difference Hessian of f at p.

    f: a function of a point q (array of shape (2,)) returning a number.
    p: the point, a sequence of two numbers (list, tuple or array); not changed.
    h: the step of the finite differences.
    Returns a symmetric array of shape (2, 2): [[f_xx, f_xy], [f_yx, f_yy]] at p.
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## Flat spots: minimum, maximum or saddle?
#
# Where the gradient vanishes the sand is level, but that alone does not say whether we
# stand at the bottom of a well. Near such a point $\mathbf{p}$,
#
# $$ f(\mathbf{p} + \mathbf{d}) \approx f(\mathbf{p}) + \tfrac12 \mathbf{d}^\top H \mathbf{d}. $$
#
# Because $H$ is symmetric it has real eigenvalues $\lambda_1 \le \lambda_2$ with
# perpendicular eigenvectors. Moving along an eigenvector changes $f$ by
# $\tfrac12 \lambda |\mathbf{d}|^2$, so
#
# * both eigenvalues positive: every direction goes up, a **minimum**;
# * both negative: every direction goes down, a **maximum**;
# * one of each sign: up one way, down the other, a **saddle**;
# * an eigenvalue (numerically) zero: the second derivatives cannot decide, we call it
#   **flat**.
#
# Measurements are never exact, so "positive" means "above a small tolerance".
#
# The diagonal of $H$ is not enough. For $f = x^2 + y^2 + 3xy$ both $f_{xx} = 2$ and
# $f_{yy} = 2$ are positive, yet along the line $y = -x$ we get $f = -x^2$: the
# eigenvalues of $\begin{pmatrix} 2 & 3 \\ 3 & 2 \end{pmatrix}$ are $5$ and $-1$, and the
# origin is a saddle. (`np.linalg.eigvalsh` returns the eigenvalues of a symmetric matrix
# in increasing order.)

# %% [markdown] question="q3"
# ## Question 3: classify a flat spot
#
# Write `classify(f, p, tol=1e-6)` that estimates the Hessian of `f` at `p` with your
# `hessian` (its default step) and returns
#
# * `"minimum"` if both eigenvalues are greater than `tol`,
# * `"maximum"` if both are less than `-tol`,
# * `"saddle"` if one is greater than `tol` and the other less than `-tol`,
# * `"flat"` otherwise.
#
# Return one of these four Python strings exactly. `classify` is tested with your own
# `hessian`: if that fails its checks, the message here says so ("fix q2 first").

# %%
def classify(f, p, tol=1e-6):
    """Classify the stationary point p of f from the eigenvalues of its Hessian.

    f: a function of a point q (array of shape (2,)) returning a number.
    p: the point, a sequence of two numbers.
    tol: eigenvalues within [-tol, tol] count as zero.
    Returns "minimum", "maximum", "saddle" or "flat".
    """
    ...


# %%
grader.check("q3")

# %% [markdown]
# ## A curvature map of the sandpit
#
# `classify` is meant for flat spots, but the Hessian's eigenvalues exist everywhere. The
# map below applies it at every point of a grid: brown where the sand curves up in
# every direction (bowl-like), blue where it curves down in every direction (mound-like),
# and grey where it is saddle-shaped. Each well sits inside a bowl-like patch; the deepest
# point of the sandpit is marked with a star, found by brute force on a fine grid. That
# brute force took 14,641 measurements: in Part 2 we let the gradient and the Hessian
# find wells with a few dozen.

# %% tags=["otter_ignore"]
kinds = ["minimum", "saddle", "maximum", "flat"]
g = np.linspace(0.1, 5.9, 59)
if answered(q3=classify(pit, (1.0, 1.0), tol=1e-3)):
    labels = np.array([[kinds.index(classify(pit, (x, y), tol=1e-3)) for x in g] for y in g])
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ax.pcolormesh(g, g, labels, cmap=plt.matplotlib.colors.ListedColormap(
        ["#c8965a", "#d9d9d9", "#6b9bd1", "white"]), vmin=-0.5, vmax=3.5, shading="nearest")
    fine = np.linspace(0, 6, 121)
    FX, FY = np.meshgrid(fine, fine)
    FZ = pit(np.array([FX, FY]))
    ax.contour(FX, FY, FZ, levels=15, colors="k", linewidths=0.5)
    k = np.unravel_index(FZ.argmin(), FZ.shape)
    ax.plot(FX[k], FY[k], "r*", ms=14, label="deepest point")
    ax.set_aspect("equal")
    ax.set_xlabel("$x$ (m)")
    ax.set_ylabel("$y$ (m)")
    ax.set_title("Curvature: bowl (brown), saddle (grey), mound (blue)")
    ax.legend(loc="upper left", fontsize=8)
    plt.show()
    print("at the deepest point:", classify(pit, (FX[k], FY[k]), tol=1e-3))
