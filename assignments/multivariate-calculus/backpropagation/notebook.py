# %% [markdown]
# # Backpropagation: teaching a small network to draw
#
# A neural network is a function built from many simple pieces, with a great many knobs
# (its weights and biases). Training means turning the knobs to make a cost smaller, and
# for that we need the derivative of the cost with respect to every knob. The method that
# computes all of them efficiently, layer by layer from the output back to the input, is
# **backpropagation**: the multivariate chain rule, organised well.
#
# Our network will learn to **draw a heart**. Its input is a single number
# $t \in [0, 1)$, how far along the drawing we are; its output is a point $(p, q)$ in the
# unit square. As $t$ runs from 0 to 1 the output should trace the whole curve, once.
#
# You will write the derivative of the activation function and the six Jacobians of the
# cost. The training loop is given: once your derivatives are right, the network learns.

# %%
import matplotlib.pyplot as plt
import numpy as np


# %% [markdown]
# ## The network
#
# The network has four layers of sizes 1, 6, 7 and 2: one input, two hidden layers and two
# outputs. Layer $k$ takes the activations $\mathbf{a}^{(k-1)}$ of the layer before, forms
# a weighted sum plus a bias, and squashes it with the logistic function $\sigma$:
#
# $$ \mathbf{z}^{(k)} = W^{(k)} \mathbf{a}^{(k-1)} + \mathbf{b}^{(k)}, \qquad
#    \mathbf{a}^{(k)} = \sigma\big(\mathbf{z}^{(k)}\big), \qquad
#    \sigma(z) = \frac{1}{1 + e^{-z}}, $$
#
# for $k = 1, 2, 3$, with $\mathbf{a}^{(0)}$ the input. The shapes are
#
# | parameter | $W^{(1)}$ | $W^{(2)}$ | $W^{(3)}$ | $\mathbf{b}^{(1)}$ | $\mathbf{b}^{(2)}$ | $\mathbf{b}^{(3)}$ |
# |---|---|---|---|---|---|---|
# | shape | (6, 1) | (7, 6) | (2, 7) | (6, 1) | (7, 1) | (2, 1) |
#
# We process all $N$ training inputs at once by putting them side by side as **columns**:
# `x` has shape `(1, N)`, and then every $\mathbf{z}^{(k)}$ and $\mathbf{a}^{(k)}$ is a
# matrix with one column per sample (numpy broadcasting adds the bias column to every
# column). The targets `y` have shape `(2, N)`: column $n$ is where the drawing should be
# at input $x_n$.
#
# The parameters travel together in a dictionary `params` with keys `"W1"`, `"W2"`, `"W3"`,
# `"b1"`, `"b2"`, `"b3"`. The cost is the squared distance between output and target,
# summed over both outputs and averaged over the samples:
#
# $$ C = \frac{1}{N} \sum_{n=1}^{N} \big\lVert \mathbf{a}^{(3)}_n - \mathbf{y}_n \big\rVert^2 . $$
#
# The logistic function, the forward pass and the cost are given below.

# %%
def sigma(z):
    """The logistic function, elementwise."""
    return 1 / (1 + np.exp(-z))


def forward_pass(x, params):
    """Run the network on the inputs x, shape (1, N).

    Returns every intermediate quantity, in order: a0, z1, a1, z2, a2, z3, a3.
    """
    a0 = x
    z1 = params["W1"] @ a0 + params["b1"]
    a1 = sigma(z1)
    z2 = params["W2"] @ a1 + params["b2"]
    a2 = sigma(z2)
    z3 = params["W3"] @ a2 + params["b3"]
    a3 = sigma(z3)
    return a0, z1, a1, z2, a2, z3, a3


def cost(x, y, params):
    """The mean over samples of the squared distance between output and target."""
    a3 = forward_pass(x, params)[-1]
    return np.sum((a3 - y) ** 2) / x.shape[1]


# %% [markdown]
# ## The target: a heart
#
# The training data are made here, not loaded: we take $N = 80$ equally spaced values of
# $t$ and the classic parametric heart curve
#
# $$ X(\theta) = 16 \sin^3\theta, \qquad
#    Y(\theta) = 13\cos\theta - 5\cos 2\theta - 2\cos 3\theta - \cos 4\theta,
#    \qquad \theta = 2\pi t, $$
#
# shifted and shrunk into the square $[0.1, 0.9]^2$, where the logistic outputs can reach
# it comfortably (they can never reach 0 or 1 exactly).

# %%
N = 80
t = np.arange(N) / N
theta = 2 * np.pi * t
X = 16 * np.sin(theta) ** 3
Y = 13 * np.cos(theta) - 5 * np.cos(2 * theta) - 2 * np.cos(3 * theta) - np.cos(4 * theta)
width = max(np.ptp(X), np.ptp(Y))
x_train = t.reshape(1, N)
y_train = np.vstack([
    0.5 + 0.8 * (X - (X.max() + X.min()) / 2) / width,
    0.5 + 0.8 * (Y - (Y.max() + Y.min()) / 2) / width,
])
print("x:", x_train.shape, " y:", y_train.shape)

# %% [markdown]
# We start from random parameters, drawn with a fixed seed so that every run is the same.
# The first layer's weights and biases are spread widely. Each first-layer neuron is a
# smooth step in $t$ (up or down), centred where $w t + b = 0$; large weights make the
# steps sharp and put them at different places, which gives the later layers useful
# building blocks.

# %%
rng = np.random.default_rng(2)
initial_params = {
    "W1": rng.normal(0, 8, (6, 1)),
    "W2": rng.normal(0, 1, (7, 6)),
    "W3": rng.normal(0, 1, (2, 7)),
    "b1": rng.normal(0, 4, (6, 1)),
    "b2": rng.normal(0, 1, (7, 1)),
    "b3": rng.normal(0, 1, (2, 1)),
}
print(f"cost of the untrained network: {cost(x_train, y_train, initial_params):.4f}")

# %% tags=["otter_ignore"]
t_fine = np.linspace(0, 1, 400).reshape(1, -1)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.plot(y_train[0], y_train[1], "o", color="#d62728", ms=4, label="target points")
untrained = forward_pass(t_fine, initial_params)[-1]
ax.plot(untrained[0], untrained[1], color="0.4", label="untrained network")
ax.set_xlim(0, 1)
ax.set_ylim(0, 1)
ax.set_aspect("equal")
ax.set_xlabel("first output $p$")
ax.set_ylabel("second output $q$")
ax.legend(loc="lower right")
ax.set_title("The target and the untrained network")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The chain rule, layer by layer
#
# Start at the output. The cost depends on $W^{(3)}$ only through $\mathbf{z}^{(3)}$, then
# $\mathbf{a}^{(3)}$. For one sample $n$ and one output $i$:
#
# $$ \frac{\partial C}{\partial a^{(3)}_{in}} = \frac{2}{N}\big(a^{(3)}_{in} - y_{in}\big),
#    \qquad
#    \frac{\partial a^{(3)}_{in}}{\partial z^{(3)}_{in}} = \sigma'\big(z^{(3)}_{in}\big),
#    \qquad
#    \frac{\partial z^{(3)}_{in}}{\partial W^{(3)}_{ij}} = a^{(2)}_{jn} . $$
#
# Note the $2$ from differentiating a square and the $1/N$ from the average. It helps to
# name the product of the first two factors, the sensitivity of the cost to the weighted
# sum of each output neuron:
#
# $$ \delta^{(3)}_{in} = \frac{\partial C}{\partial z^{(3)}_{in}}
#    = \frac{2}{N}\big(a^{(3)}_{in} - y_{in}\big)\,\sigma'\big(z^{(3)}_{in}\big). $$
#
# Every sample contributes to the cost, so the derivative with respect to a weight sums
# over the samples:
#
# $$ \frac{\partial C}{\partial W^{(3)}_{ij}} = \sum_{n} \delta^{(3)}_{in}\, a^{(2)}_{jn},
#    \qquad
#    \frac{\partial C}{\partial b^{(3)}_{i}} = \sum_{n} \delta^{(3)}_{in}, $$
#
# because $\partial z^{(3)}_{in} / \partial b^{(3)}_i = 1$. A sum over $n$ of a product of
# two matrices' entries is a matrix product with one of them transposed; work out which
# one, using the shapes: the result must have the shape of the parameter.
#
# **One layer further back.** $\mathbf{z}^{(2)}$ affects the cost through *every* output
# neuron, so the chain rule sums over them:
#
# $$ \delta^{(2)}_{jn} = \frac{\partial C}{\partial z^{(2)}_{jn}}
#    = \Big(\sum_i W^{(3)}_{ij}\, \delta^{(3)}_{in}\Big)\, \sigma'\big(z^{(2)}_{jn}\big), $$
#
# and then $\partial C/\partial W^{(2)}$ and $\partial C/\partial \mathbf{b}^{(2)}$ follow
# exactly as for layer 3, with $\delta^{(2)}$ and $\mathbf{a}^{(1)}$ in place of
# $\delta^{(3)}$ and $\mathbf{a}^{(2)}$. The same step takes you from $\delta^{(2)}$ to
# $\delta^{(1)}$ and to layer 1, whose input is $\mathbf{a}^{(0)} = $ `x`. That is the
# whole of backpropagation: each layer's $\delta$ is the next layer's $\delta$ sent back
# through the transposed weights and multiplied, elementwise, by $\sigma'$.
#
# We call $\partial C / \partial W^{(k)}$ the **Jacobian** of the cost with respect to
# $W^{(k)}$. It has one entry per weight, so we store it with the same shape as $W^{(k)}$.

# %% [markdown]
# ### A worked example: checking a derivative numerically
#
# Whatever you derive, you can check it with a **central difference**: nudge one parameter
# entry up and down by a small $h$ and see how the cost changes,
#
# $$ \frac{\partial C}{\partial \theta} \approx \frac{C(\theta + h) - C(\theta - h)}{2h}. $$
#
# The helper below does this for every entry of one parameter. It is far too slow for
# training (two forward passes per entry), but it is a perfect referee. Here it estimates
# the Jacobian for $\mathbf{b}^{(3)}$ of the untrained network: a column of two numbers,
# one per output neuron.

# %%
def numerical_jacobian(x, y, params, name, h=1e-6):
    """Central-difference estimate of the derivative of the cost w.r.t. params[name]."""
    J = np.zeros_like(params[name], dtype=float)
    for index in np.ndindex(*J.shape):
        up = {key: value.copy() for key, value in params.items()}
        down = {key: value.copy() for key, value in params.items()}
        up[name][index] += h
        down[name][index] -= h
        J[index] = (cost(x, y, up) - cost(x, y, down)) / (2 * h)
    return J


print(numerical_jacobian(x_train, y_train, initial_params, "b3"))

# %% [markdown]
# When you have written a Jacobian below, compare it with `numerical_jacobian` for the
# same parameter: they should agree to six digits or so.

# %% [markdown] question="q1"
# ## Question 1: the derivative of the logistic function
#
# Show yourself that $\sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big)$ (differentiate
# $(1 + e^{-z})^{-1}$ with the chain rule, then rewrite the result), and write
# `d_sigma(z)`, elementwise, for numbers and arrays of any shape. You may use `sigma`.

# %%
def d_sigma(z):
    """The derivative of the logistic function at z, elementwise.

    z: a number or a numpy array of any shape. Returns the same shape.
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: the output layer
#
# Write `J_W3(x, y, params)` and `J_b3(x, y, params)`: the derivatives of the cost with
# respect to $W^{(3)}$ and $\mathbf{b}^{(3)}$, for inputs `x` of shape `(1, N)` and targets
# `y` of shape `(2, N)`. They return arrays of shapes `(2, 7)` and `(2, 1)`, the shapes of
# the parameters.
#
# Call `forward_pass` to get the $\mathbf{z}$'s and $\mathbf{a}$'s, use your `d_sigma`, and
# take $N$ from the shape of `x`. Do not change `x`, `y` or `params`.
#
# The Jacobians here and in the next two questions are tested with your own `d_sigma`: when
# it fails its checks, their messages say so ("fix q1 first"). Each message reports both
# functions of the question, so you see every mistake at once.

# %%
def J_W3(x, y, params):
    """The Jacobian of the cost with respect to W3, shape (2, 7)."""
    ...


def J_b3(x, y, params):
    """The Jacobian of the cost with respect to b3, shape (2, 1)."""
    ...


# %%
grader.check("q2")

# %% [markdown] question="q3"
# ## Question 3: the second hidden layer
#
# Write `J_W2(x, y, params)` and `J_b2(x, y, params)`, with shapes `(7, 6)` and `(7, 1)`.
# Start as before from $\delta^{(3)}$, then send it back one layer to get $\delta^{(2)}$.

# %%
def J_W2(x, y, params):
    """The Jacobian of the cost with respect to W2, shape (7, 6)."""
    ...


def J_b2(x, y, params):
    """The Jacobian of the cost with respect to b2, shape (7, 1)."""
    ...


# %%
grader.check("q3")

# %% [markdown] question="q4"
# ## Question 4: the first hidden layer
#
# Write `J_W1(x, y, params)` and `J_b1(x, y, params)`, with shapes `(6, 1)` and `(6, 1)`.
# One more step back, to $\delta^{(1)}$; the input to this layer is `x` itself.
# (The two Jacobians have the same shape here, but they are not the same thing.)

# %%
def J_W1(x, y, params):
    """The Jacobian of the cost with respect to W1, shape (6, 1)."""
    ...


def J_b1(x, y, params):
    """The Jacobian of the cost with respect to b1, shape (6, 1)."""
    ...


# %%
grader.check("q4")

# %% [markdown]
# ## Training
#
# With all six Jacobians we can do steepest descent: move every parameter a small step
# against its Jacobian, and repeat. The `rate` sets the step size. `train` returns new
# parameters (the ones passed in are left alone) and the cost before each step.

# %%
JACOBIANS = {"W1": J_W1, "W2": J_W2, "W3": J_W3, "b1": J_b1, "b2": J_b2, "b3": J_b3}


def train(x, y, params, iterations, rate):
    """Steepest descent on the cost; returns (new params, array of costs before each step)."""
    params = {key: value.copy() for key, value in params.items()}
    costs = np.zeros(iterations)
    for i in range(iterations):
        costs[i] = cost(x, y, params)
        steps = {key: rate * jacobian(x, y, params) for key, jacobian in JACOBIANS.items()}
        for key in params:
            params[key] = params[key] - steps[key]
    return params, costs


# %% [markdown]
# We train in stages to watch the drawing take shape: 5000 steps in all, which takes a
# couple of seconds. (If your Jacobians are wrong, the cost will not fall, or will fall
# and then climb.)

# %% tags=["otter_ignore"]
# Each Jacobian at the starting parameters: None where a function is still blank.
at_start = {key: J(x_train, y_train, initial_params) for key, J in JACOBIANS.items()}
jacobians_answered = dict(
    q2=(at_start["W3"], at_start["b3"]),
    q3=(at_start["W2"], at_start["b2"]),
    q4=(at_start["W1"], at_start["b1"]),
)
if answered(**jacobians_answered):
    stages = [0, 100, 500, 2000, 5000]
    snapshots = {0: initial_params}
    all_costs = []
    params = initial_params
    for start, stop in zip(stages[:-1], stages[1:]):
        params, costs = train(x_train, y_train, params, stop - start, rate=10.0)
        snapshots[stop] = params
        all_costs.append(costs)
    all_costs = np.concatenate(all_costs)
    print(f"cost after {stages[-1]} steps: {cost(x_train, y_train, params):.5f}")

# %% tags=["otter_ignore"]
if answered(**jacobians_answered):
    fig, axes = plt.subplots(1, len(stages), figsize=(3 * len(stages), 3.2))
    for ax, step in zip(axes, stages):
        drawing = forward_pass(t_fine, snapshots[step])[-1]
        ax.plot(y_train[0], y_train[1], "o", color="#d62728", ms=2.5)
        ax.plot(drawing[0], drawing[1], color="#1f4e79", lw=1.5)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"after {step} steps")
    fig.suptitle("The network's drawing (blue) and the target points (red) during training")
    fig.tight_layout()
    plt.show()

# %% tags=["otter_ignore"]
if answered(**jacobians_answered):
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(np.arange(1, all_costs.size + 1), all_costs, color="#1f4e79")
    ax.set_xscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("cost $C$")
    ax.set_title("The cost during steepest descent")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    plt.show()

# %% [markdown]
# The cost falls fast at first and then ever more slowly: plain steepest descent with a
# fixed rate crawls along the floor of long, shallow valleys. The line looks thick because
# the cost zigzags by tiny amounts from one step to the next: across some directions the
# valley is so narrow that each step overshoots its floor a little. The sharp corners of the
# heart are the hardest part, because logistic units make smooth curves; more neurons, or
# smarter optimisers that reuse past steps (momentum, Adam), would get closer.
#
# Things to try: a different seed for the initial parameters, a larger or smaller rate,
# or a curve of your own in place of the heart.
