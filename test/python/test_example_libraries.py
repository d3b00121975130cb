"""mlax.example_libraries (optimizers, stax) against jax.example_libraries,
live: the same steps from the same start give the same parameters and
losses, and stax's initial parameters equal JAX's for the same key."""

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from jax.example_libraries import optimizers as jax_optimizers
from jax.example_libraries import stax as jax_stax
from mlax.example_libraries import optimizers, stax

RTOL = 1e-5
STEPS = 20

_rng = np.random.RandomState(0)
X = _rng.randn(6, 3).astype(np.float32)
Y = _rng.randn(6, 2).astype(np.float32)
PARAMS = {
    "w": _rng.randn(3, 2).astype(np.float32),
    "b": _rng.randn(2).astype(np.float32),
    "s": np.float32(0.5),  # a 0-d parameter (sm3 reshapes it)
}


def _loss(lib, params, x, y):
    pred = x @ params["w"] + params["b"]
    return ((pred - y) ** 2).mean() + 0.1 * params["s"] ** 4 + 0.01 * (params["w"] ** 4).sum()


def _leaves(tree):
    return [np.asarray(v) for v in jax.tree_util.tree_leaves(tree)]


def _run(lib, opt, jit_step=True):
    """The parameters after each of STEPS updates."""
    init, update, get_params = opt

    def step(i, state, x, y):
        grads = lib.grad(lambda p: _loss(lib, p, x, y))(get_params(state))
        return update(i, grads, state)

    if jit_step:
        step = lib.jit(step)
    params = {k: (jnp if lib is mlax else jjnp).asarray(v) for k, v in PARAMS.items()}
    state = init(params)
    history = []
    for i in range(STEPS):
        state = step(i, state, X, Y)
        history.append(_leaves(get_params(state)))
    return history


OPTIMIZERS = [
    ("sgd", lambda o: o.sgd(0.05)),
    ("momentum", lambda o: o.momentum(0.05, mass=0.9)),
    ("nesterov", lambda o: o.nesterov(0.05, mass=0.9)),
    ("adagrad", lambda o: o.adagrad(0.1)),
    ("rmsprop", lambda o: o.rmsprop(0.01)),
    ("rmsprop_momentum", lambda o: o.rmsprop_momentum(0.01)),
    ("adam", lambda o: o.adam(0.05)),
    ("adamax", lambda o: o.adamax(0.05)),
    ("sgd_exponential_decay", lambda o: o.sgd(o.exponential_decay(0.1, 5, 0.5))),
    ("sgd_inverse_time_decay", lambda o: o.sgd(o.inverse_time_decay(0.1, 4, 0.5, staircase=True))),
    (
        "momentum_polynomial_decay",
        lambda o: o.momentum(o.polynomial_decay(0.1, 10, 0.01, 2.0), 0.5),
    ),
    ("adam_piecewise_constant", lambda o: o.adam(o.piecewise_constant([5, 12], [0.1, 0.03, 0.01]))),
]


@pytest.mark.parametrize("name,make", OPTIMIZERS, ids=[n for n, _ in OPTIMIZERS])
def test_optimizer_steps_match_jax(name, make):
    mine, theirs = _run(mlax, make(optimizers)), _run(jax, make(jax_optimizers))
    for step, (m, t) in enumerate(zip(mine, theirs)):
        for a, b in zip(m, t):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-6, err_msg=f"{name} step {step}")
    assert not np.allclose(mine[-1][0], PARAMS["b"])  # it moved


def test_sm3_steps_match_jax():
    # sm3 keeps the parameter's shape (Python ints) in its state, so, as in
    # JAX, its get_params cannot run under jit: step eagerly.
    mine = _run(mlax, optimizers.sm3(0.1), jit_step=False)
    theirs = _run(jax, jax_optimizers.sm3(0.1), jit_step=False)
    for m, t in zip(mine, theirs):
        for a, b in zip(m, t):
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-6)


def test_schedules_and_utilities():
    schedules = [
        ("constant", (0.3,)),
        ("exponential_decay", (0.3, 4, 0.5)),
        ("inverse_time_decay", (0.3, 4, 0.5)),
        ("polynomial_decay", (0.3, 8, 0.05, 2.0)),
    ]
    for name, args in schedules:
        mine, theirs = getattr(optimizers, name)(*args), getattr(jax_optimizers, name)(*args)
        for i in (0, 3, 9):
            np.testing.assert_allclose(np.asarray(mine(i)), np.asarray(theirs(i)), rtol=1e-6)
    pc, jpc = (
        lib.piecewise_constant([2, 5], [1.0, 0.5, 0.1]) for lib in (optimizers, jax_optimizers)
    )
    assert [float(pc(i)) for i in (0, 2, 3, 5, 6)] == [float(jpc(i)) for i in (0, 2, 3, 5, 6)]
    with pytest.raises(ValueError, match="one shorter"):
        optimizers.piecewise_constant([1, 2], [1.0])
    assert optimizers.make_schedule(0.1)(7) == 0.1
    with pytest.raises(TypeError):
        optimizers.make_schedule([0.1, 0.2])
    grads = {"a": np.array([3.0, 4.0], np.float32), "b": np.float32(12.0)}
    np.testing.assert_allclose(np.asarray(optimizers.l2_norm(grads)), 13.0, rtol=1e-6)
    for max_norm in (1.0, 100.0):
        mine = optimizers.clip_grads(grads, max_norm)
        theirs = jax_optimizers.clip_grads(grads, max_norm)
        for a, b in zip(_leaves(mine), _leaves(theirs)):
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_optimizer_state_is_a_pytree_and_packs():
    init, update, _ = optimizers.momentum(0.1, 0.9)
    state = init({"w": jnp.ones(2), "b": [jnp.zeros(1)]})
    assert isinstance(state, optimizers.OptimizerState)
    assert len(mlax.tree.leaves(state)) == 4  # (x, velocity) per parameter
    marked = optimizers.unpack_optimizer_state(state)
    assert isinstance(marked["w"], optimizers.JoinPoint)
    repacked = optimizers.pack_optimizer_state(marked)
    assert mlax.tree.structure(repacked) == mlax.tree.structure(state)
    with pytest.raises(TypeError, match="did not match the parameter tree structure"):
        update(0, {"w": jnp.ones(2)}, state)

    @optimizers.optimizer
    def halve(step_size):
        return (lambda x: x), (lambda i, g, x: x - step_size * g / 2), (lambda x: x)

    h_init, h_update, h_get = halve(1.0)
    out = h_get(h_update(0, {"a": 2.0}, h_init({"a": 5.0})))
    assert out == {"a": 4.0}


def _mlp(lib):
    return lib.serial(lib.Dense(16), lib.Relu, lib.Dense(8), lib.Tanh, lib.Dense(4), lib.LogSoftmax)


def test_stax_init_matches_jax_bit_for_bit():
    layers = [
        ("mlp", _mlp, (-1, 5)),
        (
            "activations",
            lambda s: s.serial(
                s.Dense(4),
                s.Sigmoid,
                s.Elu,
                s.LeakyRelu,
                s.Softplus,
                s.Gelu,
                s.Exp,
                s.Softmax,
                s.Identity,
            ),
            (3, 5),
        ),
        (
            "fan",
            lambda s: s.serial(s.FanOut(2), s.parallel(s.Dense(3), s.Dense(3)), s.FanInSum),
            (2, 4),
        ),
        (
            "concat",
            lambda s: s.serial(s.FanOut(2), s.parallel(s.Dense(3), s.Identity), s.FanInConcat()),
            (2, 4),
        ),
        ("batchnorm", lambda s: s.serial(s.Flatten, s.BatchNorm(axis=0), s.Dense(2)), (4, 2, 3)),
    ]
    x_rng = np.random.RandomState(1)
    for name, build, shape in layers:
        init, apply = build(stax)
        j_init, j_apply = build(jax_stax)
        out_shape, params = init(mlax.random.PRNGKey(7), shape)
        j_out_shape, j_params = j_init(jax.random.PRNGKey(7), shape)
        assert out_shape == j_out_shape, name
        assert mlax.tree.structure(params) == mlax.tree.structure(
            jax.tree_util.tree_map(np.asarray, j_params)
        ), name
        for a, b in zip(_leaves(params), _leaves(j_params)):
            np.testing.assert_array_equal(a, b, err_msg=name)
        concrete = tuple(d if d > 0 else 3 for d in shape)
        x = x_rng.randn(*concrete).astype(np.float32)
        np.testing.assert_allclose(
            np.asarray(apply(params, x)),
            np.asarray(j_apply(j_params, x)),
            rtol=1e-5,
            atol=1e-6,
            err_msg=name,
        )


def test_stax_dropout_and_shape_dependent():
    init, apply = stax.serial(stax.Dense(3), stax.Dropout(0.5))
    j_init, j_apply = jax_stax.serial(jax_stax.Dense(3), jax_stax.Dropout(0.5))
    _, params = init(mlax.random.PRNGKey(0), (4, 6))
    _, j_params = j_init(jax.random.PRNGKey(0), (4, 6))
    x = np.ones((4, 6), np.float32)
    out = apply(params, x, rng=mlax.random.PRNGKey(3))
    np.testing.assert_allclose(
        np.asarray(out), np.asarray(j_apply(j_params, x, rng=jax.random.PRNGKey(3))), rtol=1e-6
    )
    with pytest.raises(ValueError, match="requires apply_fun to be called with a PRNG key"):
        apply(params, x)
    _, eval_apply = stax.Dropout(0.5, mode="test")
    assert eval_apply((), x, rng=mlax.random.PRNGKey(0)) is x
    init, apply = stax.shape_dependent(lambda shape: stax.Dense(shape[-1] * 2))
    out_shape, params = init(mlax.random.PRNGKey(0), (2, 3))
    assert out_shape == (2, 6) and apply(params, np.ones((2, 3), np.float32)).shape == (2, 6)


def test_stax_mlp_trained_with_adam_matches_jax():
    labels = np.arange(8) % 4
    x = np.random.RandomState(2).randn(8, 5).astype(np.float32)
    y = np.eye(4, dtype=np.float32)[labels]

    def train(lib, stax_lib, opt_lib, key):
        init, apply = _mlp(stax_lib)
        _, params = init(key, (-1, 5))
        opt_init, opt_update, get_params = opt_lib.adam(1e-2)

        def loss(p, x, y):
            return -(apply(p, x) * y).sum(-1).mean()

        @lib.jit
        def step(i, state, x, y):
            value, grads = lib.value_and_grad(loss)(get_params(state), x, y)
            return value, opt_update(i, grads, state)

        state, losses = opt_init(params), []
        for i in range(STEPS):
            value, state = step(i, state, x, y)
            losses.append(float(value))
        return np.array(losses)

    mine = train(mlax, stax, optimizers, mlax.random.PRNGKey(0))
    theirs = train(jax, jax_stax, jax_optimizers, jax.random.PRNGKey(0))
    np.testing.assert_allclose(mine, theirs, rtol=RTOL)
    assert mine[-1] < mine[0]


def test_stax_shapes_with_unknown_batch_match_jax():
    # JAX's reduce_window_shape_tuple clamps at 0 (a batch of -1 pools to
    # 0) and conv shapes are np.int64: what a printed init shape shows.
    def shapes(stax, random, input_shape):
        out = []
        for layer in (
            stax.GeneralConv(("NCHW", "OIHW", "NCHW"), 2, (2, 2)),
            stax.AvgPool((2, 2)),
            stax.Flatten,
            stax.Dense(1),
        ):
            input_shape = layer[0](random.PRNGKey(0), input_shape)[0]
            out.append(input_shape)
        return out

    for input_shape in ((2, 1, 5, 5), (-1, 1, 5, 5)):
        got = shapes(stax, mlax.random, input_shape)
        want = shapes(jax_stax, jax.random, input_shape)
        assert got == want
        assert [[type(d) for d in s] for s in got] == [[type(d) for d in s] for s in want]
    x = np.ones((2, 3), np.float32)
    got = mlax.lax.reduce_window(x, -np.inf, mlax.lax.max, (5, 2), (1, 1), "VALID")
    assert (
        got.shape == jax.lax.reduce_window(x, -np.inf, jax.lax.max, (5, 2), (1, 1), "VALID").shape
    )
