"""mlax.nn and mlax.nn.initializers against jax.nn (live): values, dtypes,
weak types, gradients (at the kinks too, and against finite differences in
float64), vmap and jit. Functions are grouped into one jitted call where
they can be, to keep the number of compiles small."""

import jax
import jax.numpy
import mlax
import numpy as np
import pytest

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


def test_activations_eagerly_and_with_parameters():
    x = np.linspace(-7, 7, 12, dtype=np.float32).reshape(3, 4)
    # Eager calls (one executable per function and shape, as JAX's jit).
    for name in ("relu", "relu6", "gelu_exact", "softplus"):
        got = _fn(mlax.nn, name)(x)
        assert isinstance(got, mlax.Array)
        _assert_close(got, _fn(jax.nn, name)(x), 2e-6, 1e-30, err_msg=name)

    # Extra parameters, as arrays and Python numbers.
    def with_parameters(nn):
        return lambda v: [
            nn.elu(v, 0.5),
            nn.celu(v, alpha=2.0),
            nn.leaky_relu(v, negative_slope=np.float32(0.2)),
            nn.squareplus(v, b=1.5),
            nn.glu(v, axis=1),
            nn.glu(v.T.reshape(2, 6), axis=0),
        ]

    got = mlax.jit(with_parameters(mlax.nn))(x)
    want = jax.jit(with_parameters(jax.nn))(x)
    for i, (g, w) in enumerate(zip(got, want)):
        _assert_close(g, w, 2e-6, 1e-30, err_msg=f"case {i}")


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


def _fd_jacobian(f, x, eps=1e-6):
    """d f(x)[i] / d x.flat[k] by central differences, f vector-valued."""
    cols = []
    for k in range(x.size):
        e = np.zeros_like(x)
        e.flat[k] = eps
        cols.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * eps))
    out = np.stack(cols, axis=-1)
    return out.reshape(out.shape[:-1] + x.shape)


def test_gradients_match_finite_differences(x64):
    """One vector of weighted-sum losses, one per function: its jacobian
    (mlax.jacrev, one compile) against central differences in float64."""
    x = np.array([-2.3, -0.4, 0.45, 1.7], np.float64)  # off every kink
    weights = np.array([1.0, -2.0, 0.5, 3.0])

    def losses(v):
        out = []
        for name in FD_FUNCTIONS:
            arg = mlax.numpy.abs(v) if name == "log1mexp" else v  # its domain: x > 0
            out.append((_fn(mlax.nn, name)(arg) * weights).sum())
        return mlax.numpy.stack(out)

    losses = mlax.jit(losses)
    got = np.asarray(mlax.jacrev(losses)(x))
    want = _fd_jacobian(losses, x)
    for i, name in enumerate(FD_FUNCTIONS):
        np.testing.assert_allclose(got[i], want[i], rtol=1e-7, atol=1e-9, err_msg=name)

    m = np.array([[0.3, -1.2, 2.0], [0.1, 0.1, -3.0]])
    w = np.array([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0]])
    nn = mlax.nn
    matrix_functions = {
        "softmax": lambda v: nn.softmax(v, axis=1),
        "log_softmax": lambda v: nn.log_softmax(v, axis=0),
        "logsumexp": lambda v: nn.logsumexp(v, axis=1, b=np.abs(w)),
        "logmeanexp": lambda v: nn.logmeanexp(v, axis=0),
        "standardize": lambda v: nn.standardize(v, axis=1),
        "glu": lambda v: nn.glu(v, axis=0),
    }

    def matrix_losses(v):
        out = []
        for f in matrix_functions.values():
            y = f(v)
            out.append((y * w[: y.shape[0]]).sum() if y.ndim == 2 else (y * w[0, : y.size]).sum())
        return mlax.numpy.stack(out)

    matrix_losses = mlax.jit(matrix_losses)
    got = np.asarray(mlax.jacrev(matrix_losses)(m))
    want = _fd_jacobian(matrix_losses, m)
    for i, name in enumerate(matrix_functions):
        np.testing.assert_allclose(got[i], want[i], rtol=1e-7, atol=1e-9, err_msg=name)


# ---------------------------------------------------------------------------
# logsumexp, softmax, log_softmax, logmeanexp, standardize

M = np.array(
    [[0.5, -1.0, 2.0, -np.inf], [3.0, 3.0, -2.0, 0.25], [-50.0, 40.0, 1.0, 0.0]], np.float32
)
WHERE = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])
B = np.array([[1.0, 2.0, 0.0, 1.0], [0.5, -1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 3.0]], np.float32)


def _reductions(nn):
    def f(x, where, b):
        return [
            nn.logsumexp(x),
            nn.logsumexp(x, axis=1),
            nn.logsumexp(x, axis=(0, 1), keepdims=True),
            nn.logsumexp(x, axis=0, b=b),
            nn.logsumexp(x, axis=1, b=b, return_sign=True),
            nn.logsumexp(x, axis=-1, where=where),
            nn.logsumexp(x[:, :1] - np.inf),  # all -inf
            nn.softmax(x),
            nn.softmax(x, axis=0),
            nn.softmax(x, axis=(0, 1)),
            nn.softmax(x, where=where),
            nn.log_softmax(x),
            nn.log_softmax(x, axis=0, where=where),
            nn.logmeanexp(x, axis=1),
            nn.logmeanexp(x, axis=0, where=where, keepdims=True),
            nn.standardize(x[:, :3]),
            nn.standardize(x[:, :3], axis=0, algorithm="stable"),
            nn.standardize(x[:, :3], mean=1.0, variance=4.0, epsilon=0.1),
            nn.standardize(x[:, :3], axis=1, where=where[:, :3]),
        ]

    return f


def _traced_avals(f):
    """(mlax's traced output avals, jax.eval_shape's) of f(nn) with no inputs."""
    return mlax.jit(lambda: f(mlax.nn)).lower().out_avals, jax.eval_shape(lambda: f(jax.nn))


def test_reductions_match_jax():
    got = mlax.jit(_reductions(mlax.nn))(M, WHERE, B)
    want = jax.jit(_reductions(jax.nn))(M, WHERE, B)
    got_leaves, want_leaves = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)
    assert len(got_leaves) == len(want_leaves)
    for i, (g, w) in enumerate(zip(got_leaves, want_leaves)):
        _assert_close(g, w, 2e-6, 1e-6, err_msg=f"result {i}")
    # Eagerly, on other dtypes and Python scalars (dtype and weak type as JAX).
    h = M[:2, :3].astype(np.float16)
    for f in (
        lambda nn: nn.softmax(h, axis=1),
        lambda nn: nn.log_softmax(h),
        lambda nn: nn.logsumexp(h, axis=0),
        lambda nn: nn.logsumexp(np.arange(4)),
    ):
        _assert_close(f(mlax.nn), f(jax.nn), 2e-3, 2e-3)
    for f in (lambda nn: nn.logsumexp(2.0), lambda nn: nn.softmax(np.float32(1.0), axis=())):
        (a,), b = _traced_avals(f)
        assert (a.dtype, a.weak_type) == (b.dtype, b.weak_type)


def _reduction_losses(top):
    """grad of a weighted sum of each function's finite outputs."""
    nn, jnp = _NN[top], top.numpy
    fs = [
        lambda x: nn.softmax(x),
        lambda x: nn.softmax(x, axis=0, where=WHERE),
        lambda x: nn.log_softmax(x, axis=1),
        lambda x: nn.log_softmax(x, where=WHERE),
        lambda x: nn.logsumexp(x, axis=1),
        lambda x: nn.logsumexp(x, axis=0, b=B),
        lambda x: nn.logsumexp(x, where=WHERE),
        lambda x: nn.logmeanexp(x, axis=1),
        lambda x: nn.standardize(x, axis=0),
        lambda x: nn.glu(x, axis=1),
    ]

    def loss(f):
        def weighted(v):
            y = f(v)
            w = np.arange(y.size, dtype=np.float32).reshape(y.shape) - 5
            return jnp.sum(jnp.where(jnp.isfinite(y), y * w, 0.0))

        return weighted

    return lambda x: [top.grad(loss(f))(x) for f in fs]


def test_reduction_gradients_match_jax():
    x = np.where(np.isfinite(M), M, -7.0).astype(np.float32)
    got = mlax.jit(_reduction_losses(mlax))(x)
    want = jax.jit(_reduction_losses(jax))(x)
    for i, (g, w) in enumerate(zip(got, want)):
        _assert_close(g, w, 2e-5, 1e-6, err_msg=f"loss {i}")


def test_vmap_matches_jax():
    x = M[:, :3] + np.arange(3, dtype=np.float32)

    def fs(nn):
        return [
            nn.vmap(lambda r: _NN[nn].softmax(r))(x),
            nn.vmap(lambda c: _NN[nn].logsumexp(c), in_axes=1)(x),
            nn.vmap(lambda r: _NN[nn].gelu(r, approximate=False))(x),
            nn.vmap(lambda r: _NN[nn].glu(r[:2]))(x),
            nn.vmap(_NN[nn].relu6, in_axes=1, out_axes=1)(x),
            nn.vmap(lambda r: _NN[nn].standardize(r))(x),
        ]

    for i, (g, w) in enumerate(zip(fs(mlax), fs(jax))):
        _assert_close(g, w, 2e-6, 1e-6, err_msg=f"vmap {i}")


def test_bad_arguments_raise_as_jax():
    with pytest.raises(AssertionError, match="divisible by 2"):
        mlax.nn.glu(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="Unknown algorithm 'slow'"):
        mlax.nn.standardize(np.ones(3, np.float32), algorithm="slow")
    with pytest.raises(TypeError):
        mlax.nn.softmax([1.0, 2.0])
    with pytest.raises(TypeError):
        mlax.nn.relu([1.0, 2.0])
    with pytest.raises(ValueError, match="out of bounds"):
        mlax.nn.logsumexp(np.ones(3, np.float32), axis=2)


# ---------------------------------------------------------------------------
# Initializers: the same key gives JAX's values

BF16 = jax.numpy.bfloat16
INITIALIZERS = {
    "zeros": (lambda m: m.zeros, (3, 4), None),
    "ones-f16": (lambda m: m.ones, (2,), np.float16),
    "constant": (lambda m: m.constant(2.5), (2, 3), None),
    "constant-int": (lambda m: m.constant(7, dtype=np.int32), (2,), None),
    "uniform": (lambda m: m.uniform(0.5), (3, 4), None),
    "uniform-f16": (lambda m: m.uniform(), (5,), np.float16),
    "normal": (lambda m: m.normal(2.0), (7,), None),
    "truncated_normal": (lambda m: m.truncated_normal(0.3, lower=-1.0, upper=3.0), (4, 3), None),
    "glorot_uniform": (lambda m: m.glorot_uniform(), (4, 6), None),
    "xavier_normal": (lambda m: m.xavier_normal(), (3, 3, 4, 6), None),
    "he_uniform": (lambda m: m.he_uniform(in_axis=0, out_axis=1), (5, 2), None),
    "kaiming_normal": (lambda m: m.kaiming_normal(), (2, 3, 4), None),
    "lecun_normal": (lambda m: m.lecun_normal(batch_axis=0), (2, 4, 6), None),
    "lecun_uniform-f16": (lambda m: m.lecun_uniform(), (4, 6), np.float16),
    "fan_geo_avg-normal": (
        lambda m: m.variance_scaling(0.7, "fan_geo_avg", "normal", (0, 1), 2, 3),
        (2, 3, 4, 5),
        None,
    ),
    "fan_out-truncated": (
        lambda m: m.variance_scaling(1.3, "fan_out", "truncated_normal", 0, 1, dtype=np.float16),
        (7, 3),
        None,
    ),
    "he_normal-bf16": (lambda m: m.he_normal(), (4, 6), BF16),
    "fan_avg-uniform-bf16": (lambda m: m.variance_scaling(2.0, "fan_avg", "uniform"), (3, 5), BF16),
}


@pytest.mark.parametrize("name", list(INITIALIZERS))
def test_initializers_match_jax(name):
    make, shape, dtype = INITIALIZERS[name]
    got = make(mlax.nn.initializers)(mlax.random.key(7), shape, dtype)
    want = make(jax.nn.initializers)(jax.random.key(7), shape, dtype)
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    if got.dtype in (np.float16, BF16) and "uniform" not in name:
        # mlax.random's float16/bfloat16 normal and truncated_normal differ
        # from JAX's by about an ulp of the [-1, 1) uniform they transform
        # (erf_inv in another precision); the scaling adds nothing.
        eps = float(jax.numpy.finfo(got.dtype).eps)
        np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32),
                                   rtol=eps, atol=2 * eps)  # fmt: skip
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape,kw", [((4, 6), {}), ((5, 3, 2), {"scale": 2.0, "column_axis": 0})])
def test_orthogonal_matches_jax(shape, kw):
    got = mlax.nn.initializers.orthogonal(**kw)(mlax.random.PRNGKey(3), shape)
    want = jax.nn.initializers.orthogonal(**kw)(jax.random.PRNGKey(3), shape)
    assert got.shape == want.shape and got.dtype == want.dtype
    # mlax's QR is Gram-Schmidt, JAX's LAPACK's Householder: equal to rounding.
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)
    if kw:
        return
    for k in ((4, 3, 3), (3, 3, 2, 4)):
        g = mlax.nn.initializers.delta_orthogonal()(mlax.random.PRNGKey(1), k)
        w = jax.nn.initializers.delta_orthogonal()(jax.random.PRNGKey(1), k)
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-5, atol=1e-6)


def test_initializer_errors_match_jax():
    inits = mlax.nn.initializers
    key = mlax.random.PRNGKey(0)
    with pytest.raises(ValueError, match="1-dimensional weights tensor with default in_axis"):
        inits.glorot_normal()(key, (5,))
    with pytest.raises(ValueError, match="invalid mode for variance scaling initializer: fan"):
        inits.variance_scaling(1.0, "fan", "normal")(key, (2, 2))
    with pytest.raises(ValueError, match="invalid distribution for variance scaling"):
        inits.variance_scaling(1.0, "fan_in", "cauchy")(key, (2, 2))
    with pytest.raises(ValueError, match="at least a 2D shape"):
        inits.orthogonal()(key, (3,))
    with pytest.raises(ValueError, match="3D, 4D or 5D"):
        inits.delta_orthogonal()(key, (3, 3))
    with pytest.raises(ValueError, match="fan_in"):
        inits.delta_orthogonal()(key, (3, 4, 2))


# ---------------------------------------------------------------------------
# dot_product_attention (the 'xla' implementation)

_rng = np.random.default_rng(0)
Q = _rng.standard_normal((2, 3, 4, 5)).astype(np.float32)  # B T N H
KV = _rng.standard_normal((2, 2, 4, 2, 5)).astype(np.float32)  # key, value: B S K H
BIAS = _rng.standard_normal((1, 4, 3, 4)).astype(np.float32)
MASK = _rng.random((2, 1, 3, 4)) > 0.3
ATTENTION_CASES = [
    {},
    {"bias": BIAS},
    {"mask": MASK, "scale": 0.3},
    {"is_causal": True, "bias": BIAS, "mask": MASK},
    {"query_seq_lengths": np.array([2, 3], np.int32),
     "key_value_seq_lengths": np.array([4, 1], np.int32)},
    {"local_window_size": 1},
    {"local_window_size": (0, 2), "return_residual": True},
]  # fmt: skip


def _attention(nn):
    def f(q, k, v):
        outs = [nn.dot_product_attention(q, k, v, **kw) for kw in ATTENTION_CASES]
        outs.append(nn.dot_product_attention(q[0], k[0], v[0], implementation="xla"))  # no batch
        return outs

    return f


def test_dot_product_attention_matches_jax():
    got = mlax.jit(_attention(mlax.nn))(Q, KV[0], KV[1])
    want = jax.jit(_attention(jax.nn))(Q, KV[0], KV[1])
    got, want = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        _assert_close(g, w, 1e-5, 1e-6, err_msg=f"case {i}")
    # bfloat16 (logits and softmax in float32, as JAX), and the gradient.
    low = [a.astype(BF16) for a in (Q, KV[0], KV[1])]
    _assert_close(
        mlax.nn.dot_product_attention(*low, is_causal=True),
        jax.nn.dot_product_attention(*low, is_causal=True),
        1e-2,
        1e-2,
    )

    def loss(top):
        return lambda q, k: (
            _NN[top].dot_product_attention(q, k, KV[1], bias=BIAS, is_causal=True) ** 2
        ).sum()

    for g, w in zip(
        mlax.grad(loss(mlax), argnums=(0, 1))(Q, KV[0]),
        jax.grad(loss(jax), argnums=(0, 1))(Q, KV[0]),
    ):
        _assert_close(g, w, 1e-5, 1e-5)


def test_dot_product_attention_errors_match_jax():
    attend = mlax.nn.dot_product_attention
    with pytest.raises(ValueError, match="number of query heads must be a multiple"):
        attend(Q[:, :, :3], KV[0], KV[1])
    with pytest.raises(ValueError, match="value shape should be"):
        attend(Q, KV[0], KV[1][:, :3])
    with pytest.raises(ValueError, match="mask dtype should be bool"):
        attend(Q, KV[0], KV[1], mask=MASK.astype(np.int32))
    with pytest.raises(ValueError, match="Unsupported implementation option: tpu"):
        attend(Q, KV[0], KV[1], implementation="tpu")
    with pytest.raises(NotImplementedError, match="cudnn"):
        attend(Q, KV[0], KV[1], implementation="cudnn")
