# %% [markdown]
# # The Sandpit, Part 2: descending automatically
#
# In Part 1 we learned to estimate the slope (the gradient $J = \nabla f$) and the
# curvature (the Hessian $H$) of a hidden sand surface $f(\mathbf{p})$ from a handful of
# probes around a point. Now we let those estimates steer: from a starting point we
# repeatedly measure $J$ and $H$, choose a **step** $\mathbf{s}$, and move to
# $\mathbf{p} + \mathbf{s}$, hoping to reach the deepest point, the minimum of $f$, in a
# few moves.
#
# You will write three **step rules** and the loop that uses them, then watch them on
# three sandpits of our own design (defined in the next cell; no data files are needed):
#
# * `many_minima`: a gentle bowl covered with a regular pattern of dips and bumps;
# * `rocky`: one broad well whose sides are covered in small rocks (ripples);
# * `narrow_well`: a long, curved, narrow valley whose floor slopes gently to the
#   minimum at $(4, 1.5)$.
#
# The next cell also gives you working `gradient` and `hessian` functions: they are
# answers to Part 1's questions, shared on purpose, because Part 2 opens once Part 1 has
# been graded and every step rule here needs good derivatives. You may use your own instead.

# %%
import numpy as np
import matplotlib.pyplot as plt


def gradient(f, p, h=1e-3):
    """Central-difference gradient of f at p, an array of shape (2,) (from Part 1)."""
    p = np.asarray(p, dtype=float).reshape(-1)
    e = np.eye(2) * h
    return np.array([(f(p + e[i]) - f(p - e[i])) / (2 * h) for i in range(2)])


def hessian(f, p, h=1e-3):
    """Central-difference Hessian of f at p, a symmetric (2, 2) array (from Part 1)."""
    p = np.asarray(p, dtype=float).reshape(-1)
    e = np.eye(2) * h
    f0 = f(p)
    H = np.zeros((2, 2))
    for i in range(2):
        H[i, i] = (f(p + e[i]) - 2 * f0 + f(p - e[i])) / h**2
    H[0, 1] = H[1, 0] = (
        f(p + e[0] + e[1]) - f(p + e[0] - e[1]) - f(p - e[0] + e[1]) + f(p - e[0] - e[1])
    ) / (4 * h**2)
    return H


def many_minima(p):
    """A bowl centred at (3.2, 2.8) with a chequerboard of dips and bumps on it."""
    x, y = p[0] - 3.2, p[1] - 2.8
    return 0.06 * (x**2 + y**2) - np.cos(2.4 * x) * np.cos(2.4 * y)


def rocky(p):
    """A broad well centred near (3.5, 2.5), its sides covered in small ripples."""
    x, y = p[0], p[1]
    well = -2.5 * np.exp(-((x - 3.5) ** 2 + (y - 2.5) ** 2) / 4.5)
    return well + 0.12 * np.sin(6 * x + 1) * np.sin(5 * y)


def narrow_well(p):
    """A narrow valley curving along y = 1.5 + 0.12 (x - 4)^2, lowest at (4, 1.5)."""
    x, y = p[0], p[1]
    return 0.08 * (x - 4.0) ** 2 + 3.0 * (y - 1.5 - 0.12 * (x - 4.0) ** 2) ** 2


PITS = {"many minima": many_minima, "rocky": rocky, "narrow well": narrow_well}


def draw_pit(f, ax, title=""):
    """Filled contours of the pit f over [0, 6]^2 (levels spaced evenly in rank)."""
    g = np.linspace(0, 6, 121)
    X, Y = np.meshgrid(g, g)
    Z = f(np.array([X, Y]))
    levels = np.unique(np.quantile(Z, np.linspace(0, 1, 26)))
    ax.contourf(X, Y, Z, levels=levels, cmap="YlOrBr_r")
    ax.set_xlim(0, 6)
    ax.set_ylim(0, 6)
    ax.set_aspect("equal")
    ax.set_title(title)
    return ax


# %% tags=["otter_ignore"]
fig, axes = plt.subplots(1, 3, figsize=(13, 4.3))
for ax, (name, f) in zip(axes, PITS.items()):
    draw_pit(f, ax, name)
fig.suptitle("Three sandpits (darker is deeper)")
plt.show()

# %% [markdown]
# ## Three ways to choose a step
#
# **Steepest descent.** $-J$ points straight downhill, so the simplest rule is
#
# $$ \mathbf{s} = -\gamma J, $$
#
# with a step size $\gamma > 0$ that we pick. Small $\gamma$ means many tiny steps; large
# $\gamma$ overshoots across steep valleys and can bounce from wall to wall.
#
# **Newton's step.** Near $\mathbf{p}$ the surface is approximately the quadratic
#
# $$ f(\mathbf{p} + \mathbf{s}) \approx f(\mathbf{p}) + J^\top \mathbf{s}
#    + \tfrac12 \mathbf{s}^\top H \mathbf{s}. $$
#
# Its gradient in $\mathbf{s}$ is $J + H\mathbf{s}$; setting it to zero gives the step to
# the model's stationary point,
#
# $$ \mathbf{s} = -H^{-1} J. $$
#
# In code we never form $H^{-1}$: `np.linalg.solve(H, J)` finds the $\mathbf{x}$ with
# $H\mathbf{x} = J$ more cheaply and more accurately. For a surface that really is
# quadratic, one Newton step lands exactly on the minimum, however narrow the valley.
#
# **A worked example.** Let $f = (x - 3)^2 + 3(y - 2)^2$ and $\mathbf{p} = (5, 3)$. Then
# $J = (2(x - 3), 6(y - 2)) = (4, 6)$ and $H = \begin{pmatrix} 2 & 0 \\ 0 & 6
# \end{pmatrix}$.
#
# * Newton: $\mathbf{s} = -(4/2, 6/6) = (-2, -1)$, which lands on the minimum $(3, 2)$.
# * Steepest descent with $\gamma = 0.5$: $\mathbf{s} = (-2, -3)$ lands on $(3, 0)$ where
#   $f = 12$, higher than the $f = 7$ we started from: the steep $y$ direction overshoots.
#   With $\gamma = 0.25$ we reach $(4, 1.5)$ with $f = 1.75$.
#
# **When Newton misleads.** The quadratic model's stationary point is a minimum only when
# $H$ is positive definite. On the side of a mound $H$ has a negative eigenvalue and
# Newton happily steps towards the top or a saddle. We can detect that: the step goes
# downhill exactly when its slope along $J$ is negative, $\mathbf{s} \cdot J < 0$ (for
# $\mathbf{s} = -H^{-1}J$ that is $-J^\top H^{-1} J$, negative whenever $H$ is positive
# definite). Far from a well the model is also poor and Newton's step can be enormous.
# A **hybrid** rule takes Newton's step when it is downhill and not too long, and falls
# back on steepest descent otherwise.

# %% [markdown] question="q1"
# ## Question 1: a steepest-descent step
#
# Write `gradient_step(J, gamma=0.5)` returning the step $-\gamma J$ as a new array of
# shape `(2,)`. Do not change `J`.

# %%
def gradient_step(J, gamma=0.5):
    """The steepest-descent step -gamma * J.

    J: the gradient, an array of shape (2,); not changed.
    gamma: the step size, a positive number.
    Returns an array of shape (2,).
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: a Newton step
#
# Write `newton_step(J, H)` returning $-H^{-1} J$, an array of shape `(2,)`. `H` is any
# invertible $2 \times 2$ matrix (in practice a Hessian, so symmetric; the tests also try
# others). Leave `J` and `H` unchanged.

# %%
def newton_step(J, H):
    """Newton's step -H^{-1} J towards the stationary point of the local quadratic model.

    J: the gradient, an array of shape (2,).
    H: the Hessian, an invertible array of shape (2, 2).
    Returns an array of shape (2,).
    """
    ...


# %%
grader.check("q2")

# %% [markdown] question="q3"
# ## Question 3: a safer hybrid
#
# Write `hybrid_step(J, H, gamma=0.5, max_len=2.0)` that computes Newton's step
# $\mathbf{s}$ and returns it, unless
#
# * it does not go downhill: $\mathbf{s} \cdot J \ge 0$, or
# * it is longer than `max_len`: $\lVert \mathbf{s} \rVert > $ `max_len`,
#
# in which case it returns the steepest-descent step $-\gamma J$ with the given `gamma`.
# You may use your `newton_step` and `gradient_step`. If you do and one of them fails its own
# checks, the message here says so ("fix q1 first").

# %%
def hybrid_step(J, H, gamma=0.5, max_len=2.0):
    """Newton's step if it goes downhill and is at most max_len long, else -gamma * J.

    J: the gradient, an array of shape (2,).
    H: the Hessian, an invertible array of shape (2, 2).
    gamma: the step size of the steepest-descent fallback.
    max_len: the longest Newton step we trust.
    Returns an array of shape (2,).
    """
    ...


# %%
grader.check("q3")

# %% [markdown]
# ## Walking downhill
#
# A descent repeats: measure, step, move. With a step rule `step(J, H)` and a start
# $\mathbf{p}_0$,
#
# $$ \mathbf{p}_{k+1} = \mathbf{p}_k + \texttt{step}\big(J(\mathbf{p}_k), H(\mathbf{p}_k)\big),
#    \qquad k = 0, 1, \dots $$
#
# Our probe only works inside the sandpit, so we stop as soon as a step would take us
# outside the box $[\text{lo}, \text{hi}]^2$. The box is closed: a point exactly on its
# edge, such as $x = 6$, is still inside.
#
# Every rule has the same form `step(J, H)`, so the loop does not need to know which one
# it is using. `gradient_step` takes no `H`, and the rules have parameters of their own,
# so we wrap them in small functions, for example `lambda J, H: gradient_step(J, 0.2)` or
# `lambda J, H: hybrid_step(J, H, gamma=0.2, max_len=1.0)`.

# %% [markdown] question="q4"
# ## Question 4: the descent
#
# Write `descend(f, start, step, n_steps=5, box=(0.0, 6.0))` that returns the path as an
# array of shape `(k + 1, 2)`: the start, then each point reached, one row per point.
#
# * Take at most `n_steps` steps. At each point measure `J = gradient(f, p)` and
#   `H = hessian(f, p)` (the functions given at the top, or your own from Part 1), call
#   `step(J, H)` and add the result to the point.
# * If the new point has a coordinate below `lo` or above `hi` (with `lo, hi = box`),
#   stop and do not include it. Points on the edge of the box count as inside.
# * `start` may be a list, tuple or array; do not change it.

# %%
def descend(f, start, step, n_steps=5, box=(0.0, 6.0)):
    """Follow the step rule from start, for at most n_steps steps, staying inside the box.

    f: the depth function, called as f(p) with p an array of shape (2,).
    start: the starting point, a sequence of two numbers; not changed.
    step: a step rule, called as step(J, H) and returning an array of shape (2,).
    n_steps: the largest number of steps to take.
    box: (lo, hi); the walk stops before a point with a coordinate outside [lo, hi].
    Returns an array of shape (k + 1, 2) with the start and the k points reached.
    """
    ...


# %%
grader.check("q4")

# %% [markdown]
# ## Three rules on three sandpits
#
# Each panel starts the three rules from the same three points (white circles) and runs
# them for up to 15 steps, with $\gamma = 0.2$ for the steepest-descent steps and the default
# `max_len`. Things to look for:
#
# * **many minima**: every rule finds *a* minimum near its start, not the deepest one.
#   Newton's step can even climb to the top of a bump or stop at a saddle, where it
#   stays, since $J = 0$ there; the hybrid refuses those uphill steps.
# * **rocky**: the ripples make the Hessian describe the rocks, not the well, so Newton
#   jumps about erratically; steepest descent is steadier but can settle in a crevice
#   between rocks.
# * **narrow well**: steepest descent zig-zags across the valley and then creeps along its
#   floor; Newton, reading the curvature, moves along the valley in far fewer steps.

# %% tags=["otter_ignore"]
RULES = {
    "steepest descent": (lambda J, H: gradient_step(J, 0.2), "tab:blue"),
    "Newton": (newton_step, "tab:red"),
    "hybrid": (lambda J, H: hybrid_step(J, H, gamma=0.2), "black"),
}
STARTS = {
    "many minima": [(0.8, 0.9), (1.6, 4.6), (5.0, 5.2)],
    "rocky": [(0.8, 0.9), (1.6, 4.6), (5.0, 5.2)],
    "narrow well": [(1.0, 2.5), (5.6, 2.4), (2.6, 0.6)],
}

# Each rule on a sample slope and curvature, and a walk with a rule of our own:
# None where a function is still blank.
J_sample, H_sample = np.array([1.0, -2.0]), np.array([[2.0, 0.0], [0.0, 1.0]])
rules_answered = dict(
    q1=gradient_step(J_sample, 0.2),
    q2=newton_step(J_sample, H_sample),
    q3=hybrid_step(J_sample, H_sample, gamma=0.2),
    q4=descend(narrow_well, (1.0, 2.5), lambda J, H: -0.1 * J, n_steps=2),
)
if answered(**rules_answered):
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.8))
    for ax, (name, f) in zip(axes, PITS.items()):
        draw_pit(f, ax, name)
        for k, start in enumerate(STARTS[name]):
            for label, (rule, colour) in RULES.items():
                path = descend(f, start, rule, n_steps=15)
                ax.plot(path[:, 0], path[:, 1], "o-", color=colour, ms=2.5, lw=1.2,
                        label=label if k == 0 else None)
            ax.plot(*start, "o", mfc="white", mec="black", ms=7)
        if name == "narrow well":
            xs = np.linspace(0, 6, 100)
            ax.plot(xs, 1.5 + 0.12 * (xs - 4) ** 2, "w--", lw=0.8)
            ax.plot(4.0, 1.5, "w*", ms=10)
    axes[0].legend(loc="lower right", fontsize=8)
    fig.suptitle("Paths of three step rules (at most 15 steps)")
    plt.show()

# %% [markdown]
# The depth along each path, for the narrow well from $(1, 2.5)$, shows the difference
# in speed. Newton reaches the bottom, to rounding error, in about seven steps. Steepest
# descent drops into the valley quickly and then barely moves: along the floor the slope
# is tiny, and so are its steps. The hybrid starts the same way, because far from the
# minimum Newton's step along the valley is longer than `max_len` and it is not trusted;
# once the step is short enough, Newton takes over and finishes in a few moves.

# %% tags=["otter_ignore"]
if answered(**rules_answered):
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for label, (rule, colour) in RULES.items():
        path = descend(narrow_well, (1.0, 2.5), rule, n_steps=30)
        ax.semilogy([narrow_well(q) for q in path], "o-", color=colour, ms=3, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("depth $f$ (log scale)")
    ax.set_title("Narrow well: depth along the path")
    ax.legend()
    plt.show()
