"""mlax.nn against jax.nn (live): values, dtypes and shapes, under jit and
vmap. So far one_hot (the rest of jax.nn is issue 15)."""

import jax
import jax.numpy
import mlax
import numpy as np
import pytest
from finite_differences import fd_grad

ONE_HOT = {
    "ints": ((np.array([0, 2, 5, -1]), 3), {}),
    "axis0": ((np.array([[0, 1], [2, 2]]), 3), {"axis": 0}),
    "floats": ((np.array([0.0, 1.7, 2.0]), 3), {}),
    "dtype": ((np.array([1, 0], np.uint8), 2), {"dtype": np.int32}),
    "scalar": ((np.int32(1), 4), {}),
    "bool-dtype": ((np.array([1, 3]), 4), {"dtype": np.bool_}),
}


@pytest.mark.parametrize("name", sorted(ONE_HOT))
def test_one_hot_matches_jax(name):
    args, kw = ONE_HOT[name]
    if name == "floats":  # JAX deprecates non-integer input; so does mlax
        with pytest.warns(DeprecationWarning, match="integer-typed"):
            got = np.asarray(mlax.nn.one_hot(*args, **kw))
        with pytest.warns(DeprecationWarning, match="integer-typed"):
            want = np.asarray(jax.nn.one_hot(*args, **kw))
    else:
        got = np.asarray(mlax.nn.one_hot(*args, **kw))
        want = np.asarray(jax.nn.one_hot(*args, **kw))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_one_hot_under_jit_and_vmap():
    labels = np.array([[0, 3], [2, 1]])
    f = lambda n: lambda v: n.one_hot(v, 4)
    np.testing.assert_array_equal(
        np.asarray(mlax.jit(f(mlax.nn))(labels)), np.asarray(jax.jit(f(jax.nn))(labels))
    )
    np.testing.assert_array_equal(
        np.asarray(mlax.vmap(f(mlax.nn), in_axes=1)(labels)),
        np.asarray(jax.vmap(f(jax.nn), in_axes=1)(labels)),
    )
    with pytest.raises(TypeError, match="num_classes"):
        mlax.nn.one_hot(labels, 2.5)


# ---------------------------------------------------------------------------
# Activations: one jitted call per dtype evaluates them all, as JAX does.

ELEMENTWISE = [
    "relu", "relu6", "sigmoid", "softplus", "sparse_plus", "sparse_sigmoid", "soft_sign",
    "silu", "swish", "log_sigmoid", "leaky_relu", "hard_tanh", "hard_sigmoid", "hard_silu",
    "hard_swish", "elu", "celu", "selu", "gelu", "gelu_exact", "mish", "squareplus",
    "log1mexp", "identity", "tanh",
]  # fmt: skip


def _fn(nn, name):
    if name == "gelu_exact":
        return lambda x: nn.gelu(x, approximate=False)
    return getattr(nn, name)


# Zeros, infinities, NaN, large values, and every kink: relu/leaky_relu/elu
# at 0, relu6 at 0 and 6, hard_tanh and sparse_* at +-1, hard_sigmoid at +-3.
SPECIAL = np.array(
    [0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e30, 88.0, -88.0, 20.0, -20.0, 1.0, -1.0,
     6.0, 3.0, -3.0, 2.5, -2.5, 0.3, -0.7, 0.69314718, 1e-8, 5.5, -5.5],
    np.float32,
)  # fmt: skip


def _assert_close(got, want, rtol, atol=0.0, err_msg=""):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (
        err_msg,
        got.shape,
        got.dtype,
        want.shape,
        want.dtype,
    )
    g, w = got.astype(np.float64), want.astype(np.float64)
    with np.errstate(invalid="ignore"):
        ok = (g == w) | (np.isnan(g) & np.isnan(w)) | (np.abs(g - w) <= atol + rtol * np.abs(w))
    assert ok.all(), f"{err_msg}: at {np.flatnonzero(~ok)} got {g[~ok]}, want {w[~ok]}"


def _all_activations(nn):
    return lambda x: [_fn(nn, n)(x) for n in ELEMENTWISE]


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_activations_match_jax(dtype):
    with np.errstate(over="ignore"):  # 1e30 is inf in float16
        x = SPECIAL.astype(jax.numpy.dtype(dtype))
    got = mlax.jit(_all_activations(mlax.nn))(x)
    want = jax.jit(_all_activations(jax.nn))(x)
    # float16/bfloat16: XLA's fusion computes the whole chain in float32 and
    # rounds once; mlax's ops round at other points. Where a function cancels
    # (gelu's 1 + tanh near -3, squareplus' x + sqrt(x^2 + 4) at -88) the
    # error scales with |x|, hence the absolute tolerance.
    eps = float(jax.numpy.finfo(x.dtype).eps) if dtype != "float32" else 5e-7
    finite = np.isfinite(x.astype(np.float32))
    atol = np.where(finite, 4 * eps * (1 + np.abs(np.where(finite, x, 0).astype(np.float32))), 0)
    rtol = 4 * eps
    if dtype == "float32":
        atol = 1e-30
    for name, g, w in zip(ELEMENTWISE, got, want):
        _assert_close(g, w, rtol, atol, err_msg=name)


def test_activations_eagerly_on_a_matrix():
    x = np.linspace(-7, 7, 12, dtype=np.float32).reshape(3, 4)
    for name in ELEMENTWISE:
        got = _fn(mlax.nn, name)(x)
        assert isinstance(got, mlax.Array)
        _assert_close(got, _fn(jax.nn, name)(x), 2e-6, 1e-30, err_msg=name)
    # Extra parameters, as arrays and Python numbers.
    for f in (
        lambda nn: nn.elu(x, 0.5),
        lambda nn: nn.celu(x, alpha=2.0),
        lambda nn: nn.leaky_relu(x, negative_slope=0.2),
        lambda nn: nn.squareplus(x, b=1.5),
        lambda nn: nn.glu(x, axis=0 if x.shape[0] % 2 == 0 else -1),
        lambda nn: nn.glu(x.T.reshape(2, 6), axis=-1),
    ):
        _assert_close(f(mlax.nn), f(jax.nn), 2e-6, 1e-30)


@pytest.mark.parametrize(
    "arg",
    [1.0, 2, np.float32(1.5), np.array([1, -2], np.int32), np.array([0.5], np.float16)],
    ids=["py-float", "py-int", "f32-scalar", "i32", "f16"],
)
def test_activation_dtypes_and_weak_types_match_jax(arg):
    """Traced output avals (shape, dtype, weak type) against jax.eval_shape."""
    for name in ELEMENTWISE + ["glu_even"]:
        if name == "glu_even":
            if np.ndim(arg) == 0 or np.shape(arg)[-1] % 2:
                continue
            fm, fj = mlax.nn.glu, jax.nn.glu
        else:
            fm, fj = _fn(mlax.nn, name), _fn(jax.nn, name)
        try:
            want = jax.eval_shape(fj, arg)
        except TypeError:  # JAX refuses this input (lax.logistic of ints): so must mlax
            with pytest.raises(TypeError):
                mlax.jit(fm).lower(arg)
            continue
        (got,) = mlax.jit(fm).lower(arg).out_avals
        assert (got.shape, np.dtype(got.dtype), bool(got.weak_type)) == (
            want.shape,
            np.dtype(want.dtype),
            bool(want.weak_type),
        ), name


def _elementwise_grads(nn, names):
    return lambda x: [nn.vmap(nn.grad(_fn(_NN[nn], n)))(x) for n in names]


_NN = {mlax: mlax.nn, jax: jax.nn}


def test_activation_gradients_match_jax_at_the_kinks():
    names = [n for n in ELEMENTWISE if n != "log1mexp"]
    x = SPECIAL[np.isfinite(SPECIAL) & (np.abs(SPECIAL) < 1e29)]
    got = mlax.jit(_elementwise_grads(mlax, names))(x)
    want = jax.jit(_elementwise_grads(jax, names))(x)
    for name, g, w in zip(names, got, want):
        # atol: squareplus' 1 + x/sqrt(x^2 + b) cancels at x = -20.
        _assert_close(g, w, 2e-6, 1e-7, err_msg=name)
    # The custom derivatives JAX chooses at the kinks, spelled out.
    np.testing.assert_array_equal(
        np.asarray(got[names.index("relu")])[:2], [0.0, 0.0]
    )  # relu'(0) = 0
    kinks = np.array([0.0, 6.0, -3.0, 3.0, 1.0, -1.0], np.float32)
    relu6_grad = mlax.vmap(mlax.grad(mlax.nn.relu6))(kinks)
    np.testing.assert_array_equal(np.asarray(relu6_grad), [0, 0, 0, 1, 1, 0])
    # log1mexp: its custom derivative 1 / expm1(x), on its domain x > 0.
    pos = np.array([1e-3, 0.5, 0.6931472, 1.0, 5.0, 30.0], np.float32)
    _assert_close(
        mlax.vmap(mlax.grad(mlax.nn.log1mexp))(pos),
        jax.vmap(jax.grad(jax.nn.log1mexp))(pos),
        2e-6,
        err_msg="log1mexp",
    )


def test_gelu_exact_follows_erfc_far_into_the_tails():
    """gelu(approximate=False) = x/2 erfc(-x/sqrt 2): mlax builds erfc from
    exp and polynomials (lax has no erfc op); it must keep JAX's relative
    accuracy where 1 - erf would round to 0."""
    x = np.array([-12.0, -9.0, -6.0, -4.0, -1.5, -1.0, -0.2, 0.0, 0.4, 1.0, 1.2, 3.0, 9.0],
                 np.float32)  # fmt: skip
    _assert_close(mlax.nn.gelu(x, False), jax.nn.gelu(x, False), 2e-5, 1e-37)


# ---------------------------------------------------------------------------
# Derivatives against finite differences, in float64

FD_FUNCTIONS = [
    "softplus", "silu", "gelu", "gelu_exact", "elu", "celu", "selu", "mish", "log_sigmoid",
    "squareplus", "soft_sign", "sigmoid", "log1mexp", "sparse_plus", "hard_silu",
]  # fmt: skip


def test_gradients_match_finite_differences(x64):
    # Points off every kink; log1mexp needs x > 0.
    x = np.array([-2.3, -0.4, 0.45, 1.7], np.float64)
    weights = np.array([1.0, -2.0, 0.5, 3.0])
    for name in FD_FUNCTIONS:
        f = _fn(mlax.nn, name)
        xs = np.abs(x) if name == "log1mexp" else x
        loss = mlax.jit(lambda v, f=f: (f(v) * weights).sum())
        got = np.asarray(mlax.grad(loss)(xs))
        want = fd_grad(lambda v, loss=loss: float(loss(v)), xs, eps=1e-6)
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9, err_msg=name)
    m = np.array([[0.3, -1.2, 2.0], [0.1, 0.1, -3.0]])
    w = np.array([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0]])
    for name, f in [
        ("softmax", lambda v: mlax.nn.softmax(v, axis=1)),
        ("log_softmax", lambda v: mlax.nn.log_softmax(v, axis=0)),
        ("logsumexp", lambda v: mlax.nn.logsumexp(v, axis=1, b=np.abs(w))),
        ("logmeanexp", lambda v: mlax.nn.logmeanexp(v, axis=0)),
        ("standardize", lambda v: mlax.nn.standardize(v, axis=1)),
        ("glu", lambda v: mlax.nn.glu(v, axis=0)),
    ]:
        loss = mlax.jit(
            lambda v, f=f: (f(v) * w[: f(v).shape[0]] if f(v).ndim == 2 else f(v)).sum()
        )
        got = np.asarray(mlax.grad(loss)(m))
        want = fd_grad(lambda v, loss=loss: float(loss(v)), m, eps=1e-6)
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9, err_msg=name)
