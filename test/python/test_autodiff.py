"""Reverse-mode autodiff (mlax.grad / value_and_grad / vjp through the
mlax-autodiff pass), checked against central finite differences and against
JAX.

Every rule is checked in float32 and, with x64 enabled, in float64. The
finite differences are always taken in float64 (of the same function, with
x64 on), so they are accurate to ~1e-10 and a float32 derivative must be
float32-accurate (~1e-5), not merely within a float32 difference's error.
"""

import contextlib

import jax
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from mlax import lax

# Step of the float64 central differences: their error (truncation ~eps^2,
# rounding ~1e-16/eps) measured at most 3e-10 relative on every rule here.
FD_EPS = 1e-5

# Tolerances of a derivative in each dtype, (rtol, scale_atol):
#   |derivative - difference| <= rtol * |difference| + scale_atol * scale,
# where scale is the sum of the magnitudes of the terms the compared value
# adds up (rounding in a cancelling sum is relative to its terms). Measured
# worst cases: float32 4e-6 relative / 2e-7 of scale, float64 3e-10 / 9e-11.
# A gradient 1e-4 off fails in float32, one 1e-6 off in float64.
PRECISION = {
    "float32": (1e-5, 1e-6),
    "float64": (3e-8, 1e-9),
}


@contextlib.contextmanager
def float64_enabled():
    """x64 on for the body (unchanged if it already is)."""
    if mlax.config.x64:
        yield
        return
    mlax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        mlax.config.update("jax_enable_x64", False)


def float64_difference(f, args, directions):
    """(f(x + h d) - f(x - h d)) / 2h, with f evaluated in float64 at the
    (dtype-rounded) args; directions: one per argument, or None for none."""
    with float64_enabled():
        args = [np.asarray(a, np.float64) for a in args]
        plus, minus = [], []
        for a, d in zip(args, directions):
            step = 0.0 if d is None else FD_EPS * np.asarray(d, np.float64)
            plus.append(jnp.asarray(a + step))
            minus.append(jnp.asarray(a - step))
        return (np.asarray(f(*plus), np.float64) - np.asarray(f(*minus), np.float64)) / (2 * FD_EPS)


def assert_close(got, want, scale, rtol, scale_atol, err_msg=""):
    np.testing.assert_allclose(
        got, want, rtol=rtol, atol=scale_atol * float(np.max(scale, initial=0.0)), err_msg=err_msg
    )


def check_grad(f, args, dtype=np.float32, seed=0, rtol=None, scale_atol=None):
    """<grad f(x), v> (in `dtype`) equals the float64 central difference of f
    along random v."""
    dtype = np.dtype(dtype)
    default_rtol, default_scale_atol = PRECISION[dtype.name]
    rtol = default_rtol if rtol is None else rtol
    scale_atol = default_scale_atol if scale_atol is None else scale_atol
    rng = np.random.default_rng(seed)
    args = [np.asarray(a, dtype) for a in args]
    grads = mlax.grad(f, argnums=tuple(range(len(args))))(*[jnp.asarray(a) for a in args])
    for i, (a, g) in enumerate(zip(args, grads)):
        g = np.asarray(g)
        assert g.shape == a.shape and g.dtype == dtype
        v = rng.standard_normal(a.shape).astype(dtype)
        fd = float(float64_difference(f, args, [v if j == i else None for j in range(len(args))]))
        terms = g.astype(np.float64) * v
        assert_close(
            np.sum(terms), fd, np.sum(np.abs(terms)), rtol, scale_atol, err_msg=f"argument {i}"
        )


RNG = np.random.default_rng(42)
X = RNG.uniform(0.5, 2.0, (3, 4))
Y = RNG.uniform(0.5, 2.0, (3, 4))
W = RNG.standard_normal((3, 4))


def weighted(fn):
    return lambda *xs: jnp.sum(fn(*xs) * jnp.asarray(W))


UNARY = {
    "neg": lambda x: -x,
    "exp": jnp.exp,
    "log": jnp.log,
    "tanh": jnp.tanh,
    "logistic": lax.logistic,
    "sin": jnp.sin,
    "cos": jnp.cos,
    "sqrt": jnp.sqrt,
    "square": lambda x: x**2,
    "cube": lambda x: x * x * x,
    "integer_pow_5": lambda x: lax.integer_pow(x, 5),
    "integer_pow_-2": lambda x: lax.integer_pow(x, -2),
    "reciprocal": lambda x: 1.0 / x,
    "abs": lambda x: jnp.abs(x - 1.25),
    "exp2": jnp.exp2,
    "log1p": jnp.log1p,
    "expm1": jnp.expm1,
    "rsqrt": lax.rsqrt,
    "cbrt": jnp.cbrt,
    "tan": lambda x: jnp.tan(x * 0.5),
    "erf": lax.erf,
    "erf_inv": lambda x: lax.erf_inv(x / 3.0),
    "flip": lambda x: jnp.flip(x, 1) * jnp.arange(4.0),
    "clamp": lambda x: jnp.clip(x, 0.9, 1.6) * 2.0,
    "optimization_barrier": lambda x: lax.optimization_barrier(x) * x,
}


@pytest.fixture(params=sorted(PRECISION))
def precision(request):
    """Runs the test in float32 and in float64 (x64 on); yields the
    check_* keyword arguments for that dtype."""
    kwargs = {"dtype": np.dtype(request.param)}
    if request.param == "float32":
        yield kwargs
        return
    mlax.config.update("jax_enable_x64", True)
    try:
        yield kwargs
    finally:
        mlax.config.update("jax_enable_x64", False)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_rules(name, precision):
    check_grad(weighted(UNARY[name]), [X], **precision)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "fmod": lambda a, b: jnp.fmod(a * 3.0, b),
    "atan2": jnp.arctan2,
    "dynamic_update_slice": lambda a, b: lax.dynamic_update_slice(a, b[:2, :2] * 3.0, (1, 1)),
    "clamp_bounds": lambda a, b: lax.clamp(b * 0.9, a, b * 1.1),
    "max": jnp.maximum,
    "min": jnp.minimum,
    "where": lambda a, b: jnp.where(a > b, a, b * 2.0),
    "broadcast_row": lambda a, b: a + b[0],
    "broadcast_col": lambda a, b: a * b[:, :1],
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_rules(name, precision):
    check_grad(weighted(BINARY[name]), [X, Y], **precision)


STRUCTURAL = {
    "reshape": (lambda x: jnp.sum(x.reshape(4, 3) * jnp.arange(12.0).reshape(4, 3)), [X]),
    "transpose": (lambda x: jnp.sum(x.T * jnp.asarray(W.T)), [X]),
    "reduce_sum_axis": (lambda x: jnp.sum(jnp.sum(x, axis=0) ** 2), [X]),
    "reduce_max": (lambda x: jnp.sum(jnp.max(x, axis=1) * jnp.arange(3.0)), [X]),
    "prod": (lambda x: jnp.sum(jnp.prod(x, axis=1) * jnp.arange(3.0)), [X]),
    "reduce_min": (lambda x: jnp.sum(jnp.min(x, axis=0) * jnp.arange(4.0)), [X]),
    "pad": (
        lambda x: jnp.sum(
            lax.pad(x, jnp.asarray(0.5, x.dtype), [(1, -1, 1), (-1, 2, 0)]) ** 2
            * jnp.arange(5.0 * 5.0).reshape(5, 5)
        ),
        [X],
    ),
    "pad_value": (lambda x: jnp.sum(lax.pad(x, x[0, 0], [(1, 1, 1), (0, 1, 0)]) ** 2), [X]),
    "dynamic_slice": (
        lambda x: jnp.sum(lax.dynamic_slice(x, (jnp.int32(1), jnp.int32(2)), (2, 2)) ** 3),
        [X],
    ),
    "mean_var": (lambda x: jnp.var(x) + jnp.mean(x) ** 2, [X]),
    "matmul": (lambda a, b: jnp.sum(jnp.tanh(0.2 * (a @ b))), [X, Y.T]),
    "slice_concat": (
        lambda x: jnp.sum(jnp.concatenate([x[:, ::2], x[1:, 1:3] * 2.0], axis=0) ** 2),
        [X],
    ),
    "batch_matmul": (
        lambda a, b: jnp.sum(jnp.einsum("bij,bjk->bik", a, b) ** 2),
        [RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 4, 5))],
    ),
    "tensordot": (lambda a, b: jnp.sum(jnp.tensordot(a, b, axes=([0], [0])) ** 2), [X, Y]),
    "softmax_loss": (
        lambda x: -jnp.sum(jnp.log(jnp.exp(x) / jnp.sum(jnp.exp(x), axis=1, keepdims=True))[:, 0]),
        [X],
    ),
}


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_rules(name, precision):
    f, args = STRUCTURAL[name]
    check_grad(f, args, **precision)


def test_convert_rule():
    # The cotangent of a conversion is converted back to the operand's type.
    g = mlax.grad(lambda x: jnp.sum(x.astype(jnp.float16) * 3.0).astype(jnp.float32))(jnp.ones(3))
    assert g.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(g), [3.0, 3.0, 3.0])
    t = np.array([0.5, -1.0, 2.0], np.float32)
    _, tan = mlax.jvp(lambda x: x.astype(jnp.float16), (jnp.ones(3),), (jnp.asarray(t),))
    assert tan.dtype == np.float16
    np.testing.assert_array_equal(np.asarray(tan), t.astype(np.float16))


def logistic(x):
    return jnp.exp(x) / (jnp.exp(x) + 1)


def test_seed_example():
    g = mlax.grad(logistic)(1.0)
    assert isinstance(g, mlax.Array) and g.dtype == np.float32
    expected = np.exp(1.0) / (np.exp(1.0) + 1) ** 2
    np.testing.assert_allclose(float(g), expected, rtol=1e-6)


def test_grad_of_grad():
    # logistic'' = s(1-s)(1-2s)
    s = 1 / (1 + np.exp(-0.3))
    np.testing.assert_allclose(
        float(mlax.grad(mlax.grad(logistic))(0.3)), s * (1 - s) * (1 - 2 * s), rtol=1e-4
    )
    # third order of x^4 at 2: 24 * 2
    np.testing.assert_allclose(
        float(mlax.grad(mlax.grad(mlax.grad(lambda x: x**4)))(2.0)), 48.0, rtol=1e-6
    )


def test_jit_and_grad_compose():
    f = lambda x: jnp.sum(jnp.tanh(x) ** 2)
    x = jnp.asarray(np.linspace(-1, 1, 5, dtype=np.float32))
    a = mlax.grad(f)(x)
    b = mlax.jit(mlax.grad(f))(x)
    c = mlax.grad(mlax.jit(f))(x)
    expected = 2 * np.tanh(np.asarray(x)) * (1 - np.tanh(np.asarray(x)) ** 2)
    for g in (a, b, c):
        np.testing.assert_allclose(np.asarray(g), expected, rtol=1e-5, atol=1e-6)


def test_value_and_grad_pytrees_argnums_has_aux():
    def loss(params, x, scale):
        w, b = params["w"], params["b"]
        y = jnp.tanh(x @ w + b)
        return scale * jnp.sum(y**2), {"mean": jnp.mean(y)}

    params = {"w": jnp.ones((3, 2)) * 0.1, "b": jnp.zeros(2)}
    x = jnp.asarray(np.arange(6, dtype=np.float32).reshape(2, 3))
    (value, aux), (g_params, g_scale) = mlax.value_and_grad(loss, argnums=(0, 2), has_aux=True)(
        params, x, 2.0
    )
    assert set(g_params) == {"w", "b"} and g_params["w"].shape == (3, 2)
    jnp_ref = jax.numpy

    def jloss(params, x, scale):
        y = jnp_ref.tanh(x @ params["w"] + params["b"])
        return scale * jnp_ref.sum(y**2), {"mean": jnp_ref.mean(y)}

    (jv, jaux), (jgp, jgs) = jax.value_and_grad(jloss, argnums=(0, 2), has_aux=True)(
        {"w": np.full((3, 2), 0.1, np.float32), "b": np.zeros(2, np.float32)},
        np.arange(6, dtype=np.float32).reshape(2, 3),
        2.0,
    )
    np.testing.assert_allclose(float(value), float(jv), rtol=1e-6)
    np.testing.assert_allclose(float(aux["mean"]), float(jaux["mean"]), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(g_params["w"]), np.asarray(jgp["w"]), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(g_params["b"]), np.asarray(jgp["b"]), rtol=1e-5)
    np.testing.assert_allclose(float(g_scale), float(jgs), rtol=1e-5)


def test_seed_per_example_loss_matches_jax():

    def loss(params, x, y, np_=jnp):
        w, b = params
        return np_.sum((np_.tanh(x @ w + b) - y) ** 2)

    rng = np.random.default_rng(0)
    w, b = rng.standard_normal((8, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    x, y = (
        rng.standard_normal((32, 8)).astype(np.float32),
        rng.standard_normal((32, 4)).astype(np.float32),
    )
    gw, gb = mlax.grad(loss)((jnp.asarray(w), jnp.asarray(b)), jnp.asarray(x), jnp.asarray(y))
    jw, jb = jax.grad(lambda p, a, c: loss(p, a, c, jax.numpy))((w, b), x, y)
    np.testing.assert_allclose(np.asarray(gw), np.asarray(jw), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(gb), np.asarray(jb), rtol=1e-4, atol=1e-5)


def test_stop_gradient():
    f = lambda x: jnp.sum(x * lax.stop_gradient(x))
    x = jnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))
    np.testing.assert_allclose(np.asarray(mlax.grad(f)(x)), [1.0, 2.0, 3.0])


def test_closure_over_outer_tracer():
    @mlax.jit
    def outer(x, y):
        return mlax.grad(lambda z: jnp.sum(z * y))(x)

    x = jnp.asarray(np.ones(3, np.float32))
    y = jnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))
    np.testing.assert_allclose(np.asarray(outer(x, y)), [1.0, 2.0, 3.0])


def test_unused_and_integer_arguments():
    f = lambda x, n, unused: jnp.sum(x * n)
    x = jnp.asarray(np.ones(3, np.float32))
    n = jnp.asarray(np.array([1, 2, 3], np.int32))
    gx, gu = mlax.grad(f, argnums=(0, 2))(x, n, jnp.ones(2))
    np.testing.assert_allclose(np.asarray(gx), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(gu), [0.0, 0.0])


def test_vjp_matches_grad_and_consistency():
    f = lambda x: jnp.tanh(x) * 2.0
    x = jnp.asarray(np.array([0.1, -0.5, 2.0], np.float32))
    out, vjp_fun = mlax.vjp(f, x)
    np.testing.assert_allclose(np.asarray(out), np.tanh(np.asarray(x)) * 2, rtol=1e-6)
    ct = np.array([1.0, 0.5, -2.0], np.float32)
    (g,) = vjp_fun(jnp.asarray(ct))
    expected = ct * 2 * (1 - np.tanh(np.asarray(x)) ** 2)
    np.testing.assert_allclose(np.asarray(g), expected, rtol=1e-5)


def test_mlir_shows_request_and_lowering_has_no_request():
    text = str(mlax.make_mlir(mlax.grad(logistic))(1.0))
    assert "mlax.vjp @logistic" in text and "active = [true]" in text
    lowered = mlax.jit(mlax.grad(logistic)).lower(1.0).as_text("linalg")
    assert "mlax." not in lowered and "call" not in lowered


def test_errors():
    with pytest.raises(TypeError, match=r"scalar-output.*\(3,\)"):
        mlax.grad(lambda x: x * 2)(jnp.ones(3))
    with pytest.raises(TypeError, match="int32"):
        mlax.grad(lambda x: jnp.sum(x * 1.0))(jnp.asarray(np.arange(3, dtype=np.int32)))
    with pytest.raises(TypeError, match="argnums"):
        mlax.grad(lambda x: x, argnums=2)(1.0)
    with pytest.raises(TypeError, match="test_autodiff.py"):
        mlax.grad(lambda x: x * 2)(jnp.ones(3))


# ---------------------------------------------------------------------------
# Forward mode
# ---------------------------------------------------------------------------


def check_jvp(f, args, dtype=np.float32, seed=1):
    """jvp along random tangents (in `dtype`) equals the float64 central
    difference, and <vjp(ct), t> == <ct, jvp(t)> (the JVP/VJP consistency
    identity)."""
    dtype = np.dtype(dtype)
    rtol, scale_atol = PRECISION[dtype.name]
    rng = np.random.default_rng(seed)
    args = [np.asarray(a, dtype) for a in args]
    tangents = [rng.standard_normal(a.shape).astype(dtype) for a in args]
    primals = tuple(jnp.asarray(a) for a in args)
    out, tan = mlax.jvp(f, primals, tuple(jnp.asarray(t) for t in tangents))
    assert np.asarray(tan).dtype == dtype
    tan = np.asarray(tan, np.float64)
    fd = float64_difference(f, args, tangents)
    # the tangent's elements are sums over the inputs: their scale is the
    # largest of them (elementwise maps) up to the sum over all (reductions)
    assert_close(tan, fd, np.sum(np.abs(fd)) / max(fd.size, 1) + np.abs(fd), rtol, scale_atol)
    _, vjp_fun = mlax.vjp(f, *primals)
    ct = rng.standard_normal(np.shape(out)).astype(dtype)
    cts = vjp_fun(jnp.asarray(ct))
    lhs_terms = [np.asarray(c, np.float64) * t for c, t in zip(cts, tangents)]
    rhs_terms = ct.astype(np.float64) * tan
    scale = sum(float(np.sum(np.abs(t))) for t in lhs_terms) + float(np.sum(np.abs(rhs_terms)))
    assert_close(
        sum(float(np.sum(t)) for t in lhs_terms), float(np.sum(rhs_terms)), scale, rtol, scale_atol
    )


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_jvp_rules(name, precision):
    check_jvp(weighted(UNARY[name]), [X], **precision)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_jvp_rules(name, precision):
    check_jvp(weighted(BINARY[name]), [X, Y], **precision)


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_jvp_rules(name, precision):
    f, args = STRUCTURAL[name]
    check_jvp(f, args, **precision)


def test_jacobians_and_hessian():
    f = lambda x: jnp.sin(x) * x[::-1]
    v = np.array([0.5, 1.0, 2.0], np.float32)
    x = jnp.asarray(v)
    expected = np.diag(np.cos(v) * v[::-1]) + np.sin(v)[:, None] * np.eye(3)[::-1]
    np.testing.assert_allclose(np.asarray(mlax.jacfwd(f)(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(mlax.jacrev(f)(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(mlax.jacobian(f)(x)), expected, rtol=1e-5, atol=1e-6)
    h = mlax.hessian(lambda z: jnp.sum(z**3) + z[0] * z[1])(x)
    np.testing.assert_allclose(
        np.asarray(h), np.diag(6 * v) + np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]), rtol=1e-5
    )
    # jacfwd(jacrev) == jacrev(jacfwd) for a smooth function
    g = lambda z: jnp.tanh(z) * jnp.sum(z)
    a = np.asarray(mlax.jacfwd(mlax.jacrev(lambda z: jnp.sum(g(z))))(x))
    b = np.asarray(mlax.jacrev(mlax.jacfwd(lambda z: jnp.sum(g(z))))(x))
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_forward_and_reverse_compose():
    f = lambda x: jnp.sin(x) * x
    v = np.array([0.5, 1.0, 2.0], np.float32)
    x = jnp.asarray(v)
    # d/dx sum(f'(x)) = f''(x) = 2 cos x - x sin x
    g = mlax.grad(lambda z: jnp.sum(mlax.jvp(f, (z,), (jnp.ones(3),))[1]))(x)
    np.testing.assert_allclose(np.asarray(g), 2 * np.cos(v) - v * np.sin(v), rtol=1e-5)
    _, t = mlax.jvp(mlax.grad(lambda z: jnp.sum(z**3)), (x,), (jnp.ones(3),))
    np.testing.assert_allclose(np.asarray(t), 6 * v, rtol=1e-6)
    jitted = mlax.jit(lambda z: mlax.jvp(f, (z,), (jnp.ones(3),)))(x)
    np.testing.assert_allclose(np.asarray(jitted[1]), np.cos(v) * v + np.sin(v), rtol=1e-5)


def test_clamp_and_prod_follow_jax():
    # lo > hi: the result is hi, so only hi gets the derivative (JAX's rule).
    args = (np.float32(2.0), np.float32(1.5), np.float32(1.0))
    ours = mlax.grad(lambda a, b, c: lax.clamp(a, b, c), argnums=(0, 1, 2))(*args)
    theirs = jax.grad(lambda a, b, c: jax.lax.clamp(a, b, c), argnums=(0, 1, 2))(*args)
    np.testing.assert_array_equal([float(g) for g in ours], [float(g) for g in theirs])
    # products with zeros: the product of the other elements, no NaN
    for v in ([0.0, 2.0, 3.0], [0.0, 0.0, 3.0], [1.0, 2.0, 3.0]):
        x = np.array(v, np.float32)
        np.testing.assert_allclose(
            np.asarray(mlax.grad(lambda z: jnp.prod(z))(jnp.asarray(x))),
            np.asarray(jax.grad(lambda z: jax.numpy.prod(z))(x)),
        )
        _, t = mlax.jvp(lambda z: jnp.prod(z), (jnp.asarray(x),), (jnp.ones(3),))
        np.testing.assert_allclose(
            float(t),
            float(jax.jvp(lambda z: jax.numpy.prod(z), (x,), (np.ones(3, np.float32),))[1]),
        )


def test_jvp_errors():
    with pytest.raises(TypeError, match="tuples or lists"):
        mlax.jvp(jnp.sin, jnp.ones(3), jnp.ones(3))
    with pytest.raises(TypeError, match=r"equal types and shapes.*f32\[3\].*f32\[4\]"):
        mlax.jvp(jnp.sin, (jnp.ones(3),), (jnp.ones(4),))


def test_linearize():
    f = lambda x: jnp.sin(x) * x
    v = np.array([0.5, 1.0, 2.0], np.float32)
    out, f_jvp = mlax.linearize(f, jnp.asarray(v))
    np.testing.assert_allclose(np.asarray(out), np.sin(v) * v, rtol=1e-6)
    t = np.array([1.0, -1.0, 0.5], np.float32)
    np.testing.assert_allclose(
        np.asarray(f_jvp(jnp.asarray(t))), (np.cos(v) * v + np.sin(v)) * t, rtol=1e-5
    )


def test_checkpoint_recomputes_in_ir_and_matches():
    def block(x, w):
        return jnp.tanh(x @ w)

    def loss(w, x):
        h = mlax.checkpoint(block)(x, w)
        return jnp.sum(mlax.checkpoint(block)(h, w) ** 2)

    rng = np.random.default_rng(0)
    w = jnp.asarray(rng.standard_normal((4, 4)).astype(np.float32) * 0.5)
    x = jnp.asarray(rng.standard_normal((3, 4)).astype(np.float32))
    plain = lambda w, x: jnp.sum(block(block(x, w), w) ** 2)
    np.testing.assert_allclose(
        np.asarray(mlax.grad(loss)(w, x)),
        np.asarray(mlax.grad(plain)(w, x)),
        rtol=1e-5,
        atol=1e-6,
    )
    # The traced IR calls the checkpointed function; its derivative is a
    # separate request for that callee (recomputation), and forward mode too.
    text = str(mlax.make_mlir(loss)(w, x))
    assert "mlax.remat" in text and "call @block" in text
    # The recomputation survives lowering (an optimization barrier keeps CSE
    # from merging it with the forward pass): more exps than without remat.
    inner = lambda u: jnp.exp(jnp.exp(u))
    v = jnp.asarray(np.linspace(0, 1, 3, dtype=np.float32))
    exps = []
    for blk in (inner, mlax.checkpoint(inner)):
        lowered = mlax.jit(mlax.grad(lambda z, blk=blk: jnp.sum(jnp.sin(blk(z))))).lower(v)
        exps.append(lowered.as_text("linalg").count("math.exp"))
    assert exps == [2, 4], exps
    _, t = mlax.jvp(lambda w: loss(w, x), (w,), (jnp.ones((4, 4)),))
    _, t2 = mlax.jvp(lambda w: plain(w, x), (w,), (jnp.ones((4, 4)),))
    np.testing.assert_allclose(float(t), float(t2), rtol=1e-5)


def test_custom_jvp():
    @mlax.custom_jvp
    def log1pexp(x):
        return jnp.log(1.0 + jnp.exp(x))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return log1pexp(x), t * (1.0 - 1.0 / (1.0 + jnp.exp(x)))

    x = jnp.asarray(np.array([-2.0, 0.0, 3.0, 100.0], np.float32))
    expected = 1 / (1 + np.exp(-np.asarray(x, np.float64)))
    # reverse mode transposes the rule; the naive derivative is NaN at 100
    g = mlax.grad(lambda z: jnp.sum(log1pexp(z)))(x)
    np.testing.assert_allclose(np.asarray(g), expected, rtol=1e-6)
    _, t = mlax.jvp(log1pexp, (x,), (jnp.ones(4),))
    np.testing.assert_allclose(np.asarray(t), expected, rtol=1e-6)
    # eager call: the primal
    np.testing.assert_allclose(float(log1pexp(jnp.float32(0.0))), np.log(2.0), rtol=1e-6)


def test_custom_vjp():
    @mlax.custom_vjp
    def clip_gradient(x, lo, hi):
        return x

    def fwd(x, lo, hi):
        return x, (lo, hi)

    def bwd(res, g):
        lo, hi = res
        return (jnp.clip(g, lo, hi), None, None)

    clip_gradient.defvjp(fwd, bwd)
    x = jnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))
    g = mlax.grad(lambda z: jnp.sum(clip_gradient(z, -0.5, 0.5) * jnp.asarray([3.0, 0.1, -2.0])))(x)
    np.testing.assert_allclose(np.asarray(g), [0.5, 0.1, -0.5])
    with pytest.raises(TypeError, match="tuple of length"):

        @mlax.custom_vjp
        def f(x):
            return x

        f.defvjp(lambda x: (x, ()), lambda res, g: g)
        mlax.grad(lambda z: jnp.sum(f(z)))(x)


def test_custom_jvp_nondiff_argnums():
    # JAX's documented pattern: a function argument, passed first to the rule.
    from functools import partial

    @partial(mlax.custom_jvp, nondiff_argnums=(0,))
    def app(f, x):
        return f(x)

    @app.defjvp
    def app_jvp(f, primals, tangents):
        (x,), (x_dot,) = primals, tangents
        return f(x), 2.0 * x_dot  # deliberately not f's derivative

    x = jnp.asarray(np.array([0.5, 1.5], np.float32))
    out, tan = mlax.jvp(lambda z: app(jnp.sin, z), (x,), (jnp.ones(2),))
    np.testing.assert_allclose(np.asarray(out), np.sin([0.5, 1.5]), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(tan), [2.0, 2.0])
    g = mlax.grad(lambda z: jnp.sum(app(jnp.sin, z) * jnp.asarray([1.0, 3.0])))(x)
    np.testing.assert_allclose(np.asarray(g), [2.0, 6.0])
    assert float(mlax.jit(mlax.grad(lambda z: app(jnp.exp, z)))(1.0)) == 2.0


def test_custom_vjp_nondiff_argnums():
    from functools import partial

    @partial(mlax.custom_vjp, nondiff_argnums=(1, 2))
    def clip_gradient(x, lo, hi):
        return x

    def fwd(x, lo, hi):
        assert isinstance(lo, float) and isinstance(hi, float)
        return x, None

    def bwd(lo, hi, res, g):
        return (jnp.clip(g, lo, hi),)

    clip_gradient.defvjp(fwd, bwd)
    x = jnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))
    weights = jnp.asarray([3.0, 0.1, -2.0])
    g = mlax.grad(lambda z: jnp.sum(clip_gradient(z, -0.5, 0.5) * weights))(x)
    np.testing.assert_allclose(np.asarray(g), [0.5, 0.1, -0.5])
    with pytest.raises(TypeError, match="nondiff_argnums but holds an array"):
        mlax.grad(lambda z: jnp.sum(clip_gradient(z, z[0], 0.5)))(x)
    with pytest.raises(ValueError, match="out of range"):
        bad = mlax.custom_vjp(lambda x: x, nondiff_argnums=(3,))
        bad.defvjp(lambda x: (x, None), lambda res, g: (g,))
        mlax.grad(lambda z: jnp.sum(bad(z)))(x)


# ---------------------------------------------------------------------------
# Second order, both modes: reverse-over-reverse (grad of grad) and
# forward-over-reverse (jvp of grad), against finite differences of grad.
# ---------------------------------------------------------------------------

SECOND_ORDER = {
    **{f"unary-{k}": (weighted(v), [X]) for k, v in UNARY.items()},
    **{f"binary-{k}": (weighted(v), [X, Y]) for k, v in BINARY.items()},
}
# Piecewise-linear rules have a zero or undefined second derivative at kinks.
for _kink in (
    "unary-abs",
    "unary-clamp",
    "binary-max",
    "binary-min",
    "binary-where",
    "binary-clamp_bounds",
    "binary-fmod",
    "binary-dynamic_update_slice",
    "unary-flip",
    "unary-neg",
    "binary-add",
    "binary-sub",
    "binary-broadcast_row",
):
    SECOND_ORDER.pop(_kink, None)


# (rtol, scale_atol) of the Hessian-vector-product checks, by dtype.
SECOND_ORDER_PRECISION = {"float32": (3e-5, 3e-6), "float64": (3e-8, 1e-9)}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_order(name, precision):
    f, args = SECOND_ORDER[name]
    dtype = precision["dtype"]
    rtol, scale_atol = SECOND_ORDER_PRECISION[dtype.name]
    rng = np.random.default_rng(3)
    v = rng.standard_normal(np.shape(args[0])).astype(dtype)

    def directional_grad(x0, *rest):
        # <grad_x0 f, v>, a scalar whose gradient is the Hessian-vector product
        return jnp.sum(mlax.grad(f)(x0, *rest) * jnp.asarray(v))

    check_grad(directional_grad, args, dtype=dtype, rtol=rtol, scale_atol=scale_atol)
    # forward-over-reverse gives the same Hessian-vector product
    primals = tuple(jnp.asarray(np.asarray(a, dtype)) for a in args)
    hvp_fwd = mlax.jvp(lambda x0: mlax.grad(f)(x0, *primals[1:]), (primals[0],), (jnp.asarray(v),))[
        1
    ]
    hvp_rev = mlax.grad(directional_grad)(*primals)
    hvp_rev = np.asarray(hvp_rev, np.float64)
    assert_close(np.asarray(hvp_fwd, np.float64), hvp_rev, np.abs(hvp_rev), rtol, scale_atol)


# ---------------------------------------------------------------------------
# mlax.numpy functions built from several ops
# ---------------------------------------------------------------------------

NUMPY_FUNCTIONS = {
    "mean": lambda x: jnp.mean(x, axis=0) @ jnp.arange(4.0),
    "var": lambda x: jnp.var(x, axis=1) @ jnp.arange(3.0),
    "std": lambda x: jnp.std(x) * 2.0,
    "logaddexp": lambda x: jnp.sum(jnp.logaddexp(x, x[::-1]) * jnp.asarray(W)),
    "linspace_mul": lambda x: jnp.sum(x * jnp.linspace(0, 1, 4)),
    "stack_split": lambda x: jnp.sum(jnp.stack(jnp.split(x, 2, axis=1))[1] ** 2),
    "tile_repeat": lambda x: jnp.sum(jnp.tile(x, (1, 2)) * jnp.repeat(x, 2, axis=1)),
    "outer_inner": lambda x: jnp.sum(jnp.outer(x[0], x[1])) + jnp.inner(x[0], x[2]),
    "dot_vector": lambda x: jnp.dot(x @ x[0], x[:, 0]),
    "moveaxis_swap": lambda x: jnp.sum(jnp.moveaxis(x[None], 0, 2) * jnp.swapaxes(x, 0, 1)[None].T),
    "expand_squeeze": lambda x: jnp.sum(jnp.squeeze(jnp.expand_dims(x, 0)) ** 3),
    "hstack_vstack": lambda x: jnp.sum(jnp.hstack([x, x]) * 2.0) + jnp.sum(jnp.vstack([x, x]) ** 2),
    "where_clip": lambda x: jnp.sum(jnp.where(x > 1.0, jnp.clip(x, 0.9, 1.4), x**2)),
    "maximum_minimum": lambda x: jnp.sum(jnp.maximum(x, 1.2) * jnp.minimum(x, 0.8)),
    "divide_power": lambda x: jnp.sum(jnp.power(x, 1.5) / (1.0 + x)),
    "indexing": lambda x: jnp.sum(x[1:, ::2] ** 2) + x[0, -1] * 3.0,
    "broadcast_to": lambda x: jnp.sum(
        jnp.broadcast_to(x[0], (5, 4)) * jnp.arange(20.0).reshape(5, 4)
    ),
    "einsum": lambda x: jnp.sum(jnp.einsum("ij,kj->ik", x, x) ** 2),
    "tensordot_full": lambda x: jnp.tensordot(x, x, axes=2),
}


@pytest.mark.parametrize("name", sorted(NUMPY_FUNCTIONS))
def test_numpy_function_gradients(name, precision):
    check_grad(NUMPY_FUNCTIONS[name], [X], **precision)
    check_jvp(NUMPY_FUNCTIONS[name], [X], **precision)


def test_full_reduction_of_broadcast_product_under_jit():
    # IREE 3.13 cannot lower sum(x * broadcast(v)) to 0-d as one dispatch;
    # mlax-lower-to-linalg reduces in two steps (regression test).
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    v = np.arange(4, dtype=np.float32)
    f = mlax.jit(lambda a, b: jnp.sum(a * b))
    np.testing.assert_allclose(float(f(jnp.asarray(x), jnp.asarray(v))), np.sum(x * v))
    g = mlax.jit(lambda a, b: jnp.max(a * b))
    np.testing.assert_allclose(float(g(jnp.asarray(x), jnp.asarray(v))), np.max(x * v))


def test_jacobians_are_one_batched_request():
    # jacfwd/jacrev vmap one request over the basis instead of one per element
    f = lambda z: jnp.tanh(z @ z.T)
    x = jnp.asarray(np.arange(6, dtype=np.float32).reshape(2, 3) / 6)
    for jac, request in ((mlax.jacfwd, "mlax.jvp"), (mlax.jacrev, "mlax.vjp")):
        text = mlax.jit(jac(f)).lower(x).as_text("mlax")
        assert text.count(f"{request} @") == 1 and text.count("mlax.batch @") == 1
    xv = np.asarray(x, np.float64)
    eps = 1e-6
    numeric = np.zeros((2, 2, 2, 3))
    for i in range(2):
        for j in range(3):
            d = np.zeros((2, 3))
            d[i, j] = eps
            numeric[..., i, j] = (
                np.tanh((xv + d) @ (xv + d).T) - np.tanh((xv - d) @ (xv - d).T)
            ) / (2 * eps)
    for jac in (mlax.jacfwd, mlax.jacrev):
        np.testing.assert_allclose(np.asarray(jac(f)(x)), numeric, rtol=1e-5, atol=1e-6)


def test_custom_rules_closing_over_arrays():
    scale = jnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))  # a concrete array

    @mlax.custom_jvp
    def scaled_sin(x):
        return jnp.sin(x) * scale

    @scaled_sin.defjvp
    def scaled_sin_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return scaled_sin(x), jnp.cos(x) * scale * t * 10.0  # marked: x10

    x = jnp.asarray(np.array([0.1, 0.2, 0.3], np.float32))
    g = mlax.grad(lambda z: jnp.sum(scaled_sin(z)))(x)
    np.testing.assert_allclose(np.asarray(g), np.cos(np.asarray(x)) * [1, 2, 3] * 10, rtol=1e-6)
    _, t = mlax.jvp(scaled_sin, (x,), (jnp.ones(3),))
    np.testing.assert_allclose(np.asarray(t), np.cos(np.asarray(x)) * [1, 2, 3] * 10, rtol=1e-6)

    # closing over a value traced by an enclosing jit (not differentiated)
    @mlax.jit
    def outer(x, s):
        @mlax.custom_vjp
        def f(y):
            return y * s

        f.defvjp(lambda y: (y * s, s), lambda res, g: (g * res * 10.0,))
        return mlax.grad(lambda y: jnp.sum(f(y)))(x)

    np.testing.assert_allclose(np.asarray(outer(x, jnp.asarray([4.0, 5.0, 6.0]))), [40, 50, 60])
    # and under vmap
    per_example = mlax.vmap(mlax.grad(lambda z: jnp.sum(scaled_sin(z))))(jnp.stack([x, 2 * x]))
    np.testing.assert_allclose(
        np.asarray(per_example)[1], np.cos(2 * np.asarray(x)) * [1, 2, 3] * 10, rtol=1e-5
    )


def test_custom_rules_refuse_derivatives_of_closed_over_values():
    x = jnp.asarray(np.array([0.1, 0.2], np.float32))

    def uses_closure(s):
        @mlax.custom_jvp
        def f(y):
            return y * s

        f.defjvp(lambda p, t: (f(p[0]), t[0] * s))
        return jnp.sum(f(x))

    with pytest.raises(Exception, match="closes over is not supported"):
        mlax.grad(uses_closure)(jnp.float32(2.0))
    with pytest.raises(Exception, match="closes over is not supported"):
        mlax.jvp(uses_closure, (jnp.float32(2.0),), (jnp.float32(1.0),))


def test_jacobians_of_pytrees_argnums_and_aux():
    rng = np.random.default_rng(5)
    params = {
        "w": rng.standard_normal((3, 2)).astype(np.float32),
        "b": rng.standard_normal(2).astype(np.float32),
    }
    x = rng.standard_normal(3).astype(np.float32)

    def f(p, x):
        h = jnp.tanh(x @ p["w"] + p["b"])
        return {"h": h, "s": jnp.sum(h * x[:2])}, jnp.max(h)

    def f_np(p, x):
        h = np.tanh(x @ p["w"] + p["b"])
        return {"h": h, "s": np.sum(h * x[:2])}

    # central differences (float64) of every output leaf w.r.t. every input leaf
    eps = 1e-6

    def numeric(arg_index):
        args = [
            {k: v.astype(np.float64) for k, v in params.items()},
            x.astype(np.float64),
        ]
        target = args[arg_index]
        leaves = (
            [(k, target[k]) for k in sorted(target)]
            if isinstance(target, dict)
            else [(None, target)]
        )
        out = {}
        for key, leaf in leaves:
            cols = {"h": [], "s": []}
            for idx in np.ndindex(leaf.shape):
                d = np.zeros_like(leaf)
                d[idx] = eps
                plus, minus = [list(args), list(args)]
                for sign, a in ((1, plus), (-1, minus)):
                    if key is None:
                        a[arg_index] = leaf + sign * d
                    else:
                        a[arg_index] = {**target, key: leaf + sign * d}
                hp, hm = f_np(*plus), f_np(*minus)
                for name in cols:
                    cols[name].append((np.asarray(hp[name]) - np.asarray(hm[name])) / (2 * eps))
            for name in cols:
                j = np.stack(cols[name], axis=-1)
                out.setdefault(name, {})[key] = j.reshape(np.shape(f_np(*args)[name]) + leaf.shape)
        return out

    want_p, want_x = numeric(0), numeric(1)
    for jac in (mlax.jacfwd, mlax.jacrev):
        got, aux = jac(f, has_aux=True)(params, x)
        np.testing.assert_allclose(
            float(aux), np.max(np.tanh(x @ params["w"] + params["b"])), rtol=1e-6
        )
        for name in ("h", "s"):
            for key in ("w", "b"):
                np.testing.assert_allclose(
                    np.asarray(got[name][key]), want_p[name][key], rtol=1e-5, atol=1e-6
                )
        both, _ = jac(f, argnums=(0, 1), has_aux=True)(params, x)
        for name in ("h", "s"):
            assert isinstance(both[name], tuple) and len(both[name]) == 2
            np.testing.assert_allclose(
                np.asarray(both[name][1]), want_x[name][None], rtol=1e-5, atol=1e-6
            )
    with pytest.raises(TypeError, match="argnums=2"):
        mlax.jacrev(lambda a: a, argnums=2)(x)


def test_jacrev_of_a_basis_contraction_is_not_miscompiled():
    # IREE 3.13's data tiling dropped the sin from sin(u) * e summed over the
    # basis (a silent miscompile); mlax compiles without it by default.
    x = np.array([1.0, 2.0, 3.0], np.float32)
    got = mlax.jacrev(lambda u, s: jnp.sin(u) * s, argnums=1)(x, 2.0)
    np.testing.assert_allclose(np.asarray(got), np.sin(x), rtol=1e-6)
    fused = mlax.jit(
        lambda u: (jnp.sin(u)[None, :] * jnp.asarray(np.eye(3, dtype=np.float32))).sum(1)
    )
    np.testing.assert_allclose(np.asarray(fused(x)), np.sin(x), rtol=1e-6)


def test_closures_under_checkpoint_and_zero_derivative_ops():
    # a custom rule closing over a constant inside a checkpointed function
    def f(x, y):
        @mlax.custom_jvp
        def g(x):
            return x * y

        g.defjvp(lambda p, t: (g(p[0]), t[0] * y))
        return mlax.checkpoint(lambda x: g(x))(x)

    assert float(mlax.grad(f)(2.0, 3.0)) == 3.0
    _, t = mlax.jvp(lambda x: f(x, 3.0), (2.0,), (1.0,))
    assert float(t) == 3.0

    # closing over floor(x): floor has a zero derivative, so nothing varies
    def h(x):
        s = jnp.floor(x)

        @mlax.custom_vjp
        def g(z):
            return z * s

        g.defvjp(lambda z: (z * s, s), lambda r, c: (c * r,))
        return g(x)

    assert float(mlax.grad(h)(2.5)) == 2.0


def test_abs_derivative_at_zero_is_jaxs():
    import jax
    import jax.numpy as jjnp

    xs = np.array([0.0, -0.0, -2.0, 3.0], np.float32)
    got = mlax.vmap(mlax.grad(mlax.numpy.abs))(xs)
    want = jax.vmap(jax.grad(jjnp.abs))(jjnp.asarray(xs))
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))  # [1, 1, -1, 1]
    assert float(mlax.grad(abs)(0.0)) == float(jax.grad(abs)(0.0)) == 1.0


def test_has_aux_non_array_leaves_come_back_as_given():
    """JAX returns aux leaves that are not traced values (Python numbers,
    NumPy arrays, strings) as they are, for grad, value_and_grad, jvp and
    vjp; under jit they become arrays."""
    import jax
    import jax.numpy as jjnp

    def make(m):
        return lambda a: (a.sum(), {"n": 3, "np": np.ones(2), "s": "str", "arr": a * 2})

    x = np.arange(3.0, dtype=np.float32)
    for m, xx in ((mlax, jnp.asarray(x)), (jax, jjnp.asarray(x))):
        _, aux = m.grad(make(m), has_aux=True)(xx)
        assert aux["n"] == 3 and type(aux["n"]) is int
        assert type(aux["np"]) is np.ndarray and aux["s"] == "str"
        np.testing.assert_array_equal(np.asarray(aux["arr"]), x * 2)
        (v, aux), _ = m.value_and_grad(make(m), has_aux=True)(xx)
        assert type(aux["n"]) is int and float(v) == 3.0
        *_, aux = m.jvp(make(m), (xx,), (xx,), has_aux=True)
        assert type(aux["np"]) is np.ndarray and list(aux) == ["arr", "n", "np", "s"]
        *_, aux = m.vjp(make(m), xx, has_aux=True)
        assert type(aux["n"]) is int and list(aux) == ["arr", "n", "np", "s"]
    # a second call (cached executable) still gives the Python values
    _, aux = mlax.grad(make(mlax), has_aux=True)(jnp.asarray(x + 1))
    assert aux["s"] == "str"
    _, aux = mlax.jit(mlax.grad(lambda a: (a.sum(), {"n": 3}), has_aux=True))(x)
    assert isinstance(aux["n"], mlax.Array) and int(aux["n"]) == 3


def test_complex_part_rules():
    """complex, real, imag, conj and the modulus: grad and jvp of a real
    loss built from them, against jax.grad and float64 finite differences
    (complex128 arithmetic under x64); JAX's convention for a complex input
    is grad = df/dx - i df/dy."""
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(2, 5))

    def loss(m, a, b):
        z = m.lax.complex(a, b)
        w = m.lax.conj(z) * z * z + 0.5j
        return (m.lax.real(w) * m.lax.imag(z) + abs(w)).sum()

    with float64_enabled():
        got = mlax.grad(lambda a, b: loss(mlax, a, b), argnums=(0, 1))(x, y)
        want = jax.grad(lambda a, b: loss(jax, a, b), argnums=(0, 1))(x, y)
        f = lambda a, b: float(loss(mlax, a, b))
        fd_x = fd_grad(lambda a: f(a, y), x, eps=1e-6)
        fd_y = fd_grad(lambda b: f(x, b), y, eps=1e-6)
        for g, w, fd in zip(got, want, (fd_x, fd_y)):
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-5)  # JAX in float32
            np.testing.assert_allclose(np.asarray(g), fd, rtol=1e-6, atol=1e-8)
        # A complex input: the same loss through one complex argument.
        z = x + 1j * y
        gz = mlax.grad(lambda v: loss(mlax, mlax.lax.real(v), mlax.lax.imag(v)))(z)
        np.testing.assert_allclose(np.asarray(gz), fd_x - 1j * fd_y, rtol=1e-6, atol=1e-8)
        _, tangent = mlax.jvp(lambda a: loss(mlax, a, y), (x,), (np.ones(5),))
        np.testing.assert_allclose(float(tangent), fd_x.sum(), rtol=1e-6)
