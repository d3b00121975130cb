"""NumPy parity of the rest of mlax.numpy's ufuncs (inverse/hyperbolic trig,
log2/log10, float decomposition, gcd/lcm, bit counts), the whole-array
predicates (isclose, allclose, array_equal, isin, ...) and the statistics
(nan* reductions, average, cov, corrcoef, ptp, count_nonzero); machinery in
parity.py. Derivatives are checked against finite differences, the
special-value behaviour against JAX live."""

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from finite_differences import fd_grad
from parity import S23, A, Case, call, check_against_jax, run_case

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Unary functions promoting to inexact: (name, domain, more variants).
_UNARY = [
    ("arcsin", "unit", True),
    ("arccos", "unit", False),
    ("arctan", "any", False),
    ("arcsinh", "any", True),
    ("arccosh", "pos", False),
    ("arctanh", "unit", False),
    ("asin", "unit", False),
    ("acos", "unit", False),
    ("atan", "any", False),
    ("asinh", "any", False),
    ("acosh", "pos", False),
    ("atanh", "unit", False),
    ("sinh", "any", True),
    ("cosh", "any", False),
    ("log2", "pos", True),
    ("log10", "pos", False),
    ("deg2rad", "any", False),
    ("rad2deg", "any", False),
    ("degrees", "any", False),
    ("radians", "any", False),
    ("sinc", "any", False),
    ("fabs", "any", False),
    ("spacing", "any", False),
]
for _name, _dom, _more in _UNARY:
    _f = call(_name)
    add(f"{_name}-f32", _f, A(S23, "f32", _dom))
    if _more:
        add(f"{_name}-i32", _f, A((4,), "i32", "pos"))
        add(f"{_name}-bf16", _f, A((5,), "bf16", _dom))
        add(f"{_name}-pyscalar", _f, 0.5)
add("sinc-zero", call("sinc"), np.array([0.0, -0.0, 1.0, 0.5], np.float32))
add("sinh-big", call("sinh"), A((6,), "f32", "big"), rtol=1e-5)
add("cosh-big", call("cosh"), A((6,), "f32", "big"), rtol=1e-5)
add("arcsinh-big", call("arcsinh"), np.array([1e10, -3e30, 1e-20, 0.0, -0.0], np.float32))
add("log2-special", call("log2"), A((8,), "f32", "special"))
add("spacing-special", call("spacing"), np.array([0.0, -1.0, 1e30, np.inf, np.nan], np.float32))

# Exact rounding and sign functions.
for _name in ("trunc", "rint", "signbit"):
    add(f"{_name}-f32", call(_name), A((10,), "f32", "halves"))
    add(f"{_name}-i32", call(_name), A((4,), "i32"))
    add(f"{_name}-special", call(_name), A((8,), "f32", "special"))
add("signbit-bool", call("signbit"), A((4,), "bool"))
add("signbit-bf16", call("signbit"), A((8,), "bf16", "special"))
add("nan_to_num-f32", call("nan_to_num"), A((8,), "f32", "special"))
add(
    "nan_to_num-args",
    lambda m, x: m.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0),
    A((8,), "f32", "special"),
)
add("nan_to_num-i32", call("nan_to_num"), A((4,), "i32"))
add("frexp-f32", call("frexp"), A((8,), "f32", "special"))
add("frexp-bf16", call("frexp"), A((5,), "bf16"))
# JAX's modf(inf) has a NaN fraction (inf - inf), NumPy's a zero.
add(
    "modf-f32",
    call("modf"),
    A((8,), "f32", "special"),
    ref=lambda x: (x - np.trunc(x), np.trunc(x)),
)
add("modf-i32", call("modf"), A((4,), "i32"))
add(
    "ldexp-f32",
    call("ldexp"),
    A((8,), "f32", "special"),
    np.array([1, -3, 0, 2, 5, -2, 7, 130], np.int32),
)
add("ldexp-pyint", lambda m, x: m.ldexp(x, 3), A(S23, "f32"))

# Binary functions promoting to inexact.
for _name, _ydom in (
    ("hypot", "any"),
    ("copysign", "any"),
    ("heaviside", "halves"),
    ("logaddexp2", "any"),
    ("float_power", "small"),
    ("nextafter", "any"),
):
    _f = call(_name)
    _xdom = "pos" if _name == "float_power" else "any"
    add(f"{_name}-f32", _f, A(S23, "f32", _xdom), A(S23, "f32", _ydom))
    add(f"{_name}-bcast", _f, A((3, 1), "f32", _xdom), A((4,), "f32", _ydom))
    add(f"{_name}-i32", _f, A((4,), "i32", "pos"), A((4,), "i32", "small"))
add("hypot-special", call("hypot"), A((8,), "f32", "special"), A((8,), "f32", "halves"))
add("copysign-special", call("copysign"), A((8,), "f32", "halves"), A((8,), "f32", "special"))
add("heaviside-zero", call("heaviside"), np.float32([0, -0.0, 1, -1, np.nan]), 0.5)
add("nextafter-special", call("nextafter"), A((8,), "f32", "special"), A((8,), "f32", "halves"))
add("fmax-f32", call("fmax"), A((8,), "f32", "special"), A((8,), "f32", "halves"))
add("fmin-f32", call("fmin"), A((8,), "f32", "halves"), A((8,), "f32", "special"))
add("fmax-i32", call("fmax"), A(S23, "i32"), A((3,), "i32"))
add("fmin-i32", call("fmin"), A(S23, "i32"), A((3,), "i32"))
add("divmod-f32", call("divmod"), A(S23, "f32", "any"), A(S23, "f32", "nz"))
add("divmod-i32", call("divmod"), A(S23, "i32", "any"), A(S23, "i32", "nz"))
add("divmod-halves", call("divmod"), A((10,), "f32", "halves"), np.float32(0.5))

# Integer functions.
_INTS = np.array([0, -7, 12, 18, -24, 2**31 - 1, 35, 5], np.int32)
_INTS2 = np.array([0, 21, -8, 12, 36, 3, 0, 10], np.int32)
add("gcd-i32", call("gcd"), _INTS, _INTS2)
add("gcd-bcast", call("gcd"), A((2, 4), "i32"), A((4,), "i32"))
add("lcm-i32", call("lcm"), _INTS[:5], _INTS2[:5])
add("lcm-u8", call("lcm"), A((5,), "u8", "pos"), A((5,), "u8", "pos"))
add("bitwise_count-i32", call("bitwise_count"), A((8,), "i32", "bits"))
add("bitwise_count-u8", call("bitwise_count"), np.arange(256, dtype=np.uint8))
add("bitwise_count-i8", call("bitwise_count"), np.arange(-128, 128, dtype=np.int8))
add("bitwise_count-u32", call("bitwise_count"), A((8,), "u32", "bits"))
add("bitwise_invert-i32", call("bitwise_invert"), A((4,), "i32"), ref=lambda x: np.invert(x))
add(
    "bitwise_left_shift-i32",
    call("bitwise_left_shift"),
    A((4,), "i32"),
    A((4,), "i32", "shift"),
    ref=np.left_shift,
)
add(
    "bitwise_right_shift-i32",
    call("bitwise_right_shift"),
    A((4,), "i32"),
    A((4,), "i32", "shift"),
    ref=np.right_shift,
)
add("pow-f32", call("pow"), A(S23, "f32", "pos"), A(S23, "f32", "small"))
add("atan2-f32", call("atan2"), A(S23, "f32"), A(S23, "f32"))

# Predicates.
_CLOSE_A = np.array([1.0, 1.0, np.inf, np.nan, 0.0, -np.inf, 1e-9, 5.0], np.float32)
_CLOSE_B = np.array([1.0 + 1e-6, 1.1, np.inf, np.nan, 1e-9, np.inf, 0.0, 5.00004], np.float32)
add("isclose-f32", call("isclose"), _CLOSE_A, _CLOSE_B)
add("isclose-equal_nan", lambda m, a, b: m.isclose(a, b, equal_nan=True), _CLOSE_A, _CLOSE_B)
add("isclose-tols", lambda m, a, b: m.isclose(a, b, rtol=0.2, atol=0.0), _CLOSE_A, _CLOSE_B)
add("isclose-i32", call("isclose"), A(S23, "i32", "ties"), A((3,), "i32", "ties"))
add("allclose-f32", call("allclose"), _CLOSE_A[:2], _CLOSE_B[:2])
add("allclose-false", call("allclose"), _CLOSE_A, _CLOSE_B)
add("allclose-equal_nan", lambda m, a, b: m.allclose(a, a, equal_nan=True), _CLOSE_A, _CLOSE_B)
add("array_equal-same", lambda m, a: m.array_equal(a, a + 0), A(S23, "i32"))
add("array_equal-diff", call("array_equal"), A(S23, "i32", "ties"), A(S23, "i32", "ties"))
add("array_equal-shapes", call("array_equal"), A(S23, "f32"), A((3,), "f32"), jax=False)
add("array_equal-nan", lambda m, a: m.array_equal(a, a, equal_nan=True), _CLOSE_A)
add("array_equiv-bcast", lambda m, a: m.array_equiv(a, a[0]), np.ones((2, 3), np.float32))
add("array_equiv-bad", call("array_equiv"), A(S23, "f32"), A((4,), "f32"), jax=False)
add("isin-i32", call("isin"), A((3, 4), "i32"), np.array([1, -2, 3], np.int32))
add(
    "isin-invert",
    lambda m, a, b: m.isin(a, b, invert=True),
    A((6,), "f32", "ties"),
    A((2,), "f32", "ties"),
)
add("isposinf-f32", call("isposinf"), A((8,), "f32", "special"))
add("isneginf-f32", call("isneginf"), A((8,), "f32", "special"))
add("isposinf-i32", call("isposinf"), A((4,), "i32"))
add("isreal-f32", call("isreal"), A(S23, "f32"))

# Statistics: the nan* family on arrays with NaNs (and all-NaN rows).
_NANS = np.array(
    [[1.0, np.nan, 3.0, -2.0], [np.nan, np.nan, np.nan, np.nan], [0.5, 2.0, np.nan, 4.0]],
    np.float32,
)
for _name in ("nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd"):
    _f = call(_name)
    add(f"{_name}-none", _f, _NANS[[0, 2]])
    add(f"{_name}-axis1", lambda m, x, _f=_f: _f(m, x, axis=1), _NANS)
    add(f"{_name}-i32", lambda m, x, _f=_f: _f(m, x, axis=0), A(S23, "i32"))
add("nanvar-ddof", lambda m, x: m.nanvar(x, axis=0, ddof=1, keepdims=True), _NANS)
add("nansum-keepdims", lambda m, x: m.nansum(x, axis=0, keepdims=True), _NANS)
add("nanmean-where", lambda m, x: m.nanmean(x, axis=1, where=x > 0), _NANS)
for _name in ("nanargmax", "nanargmin"):
    add(f"{_name}-axis1", lambda m, x, _n=_name: getattr(m, _n)(x, axis=1), _NANS[[0, 2]])
    add(f"{_name}-none", call(_name), _NANS)
    add(f"{_name}-i32", call(_name), A(S23, "i32"))
add("ptp-none", call("ptp"), A((3, 4), "f32"))
add("ptp-axis", lambda m, x: m.ptp(x, axis=0, keepdims=True), A((3, 4), "i32"))
add("count_nonzero-none", call("count_nonzero"), A((3, 4), "i32", "ties"))
add("count_nonzero-axis", lambda m, x: m.count_nonzero(x, axis=1), A((3, 4), "f32", "ties"))
add("average-none", call("average"), A((3, 4), "f32"))
add("average-i32", lambda m, x: m.average(x, axis=1), A((3, 4), "i32"))
add(
    "average-weights",
    lambda m, x, w: m.average(x, axis=1, weights=w, returned=True),
    A((3, 4), "f32"),
    A((4,), "f32", "pos"),
)
add(
    "average-weights-full",
    lambda m, x, w: m.average(x, weights=w),
    A((3, 4), "f32"),
    A((3, 4), "f32", "pos"),
)
add("cov-rows", call("cov"), A((3, 6), "f32"), rtol=1e-4, atol=1e-5)
add("cov-1d", call("cov"), A((6,), "f32"), rtol=1e-4)
add(
    "cov-cols-y",
    lambda m, x, y: m.cov(x, y, rowvar=False, ddof=0),
    A((6, 2), "f32"),
    A((6, 2), "f32"),
    rtol=1e-4,
    atol=1e-5,
)
add(
    "cov-weights",
    lambda m, x, f, a: m.cov(x, fweights=f, aweights=a),
    A((2, 5), "f32"),
    np.array([1, 2, 1, 3, 1], np.int32),
    A((5,), "f32", "pos"),
    rtol=1e-4,
    atol=1e-5,
)
add("corrcoef-rows", call("corrcoef"), A((3, 6), "f32"), rtol=1e-4, atol=1e-5)
add("corrcoef-xy", call("corrcoef"), A((6,), "f32"), A((6,), "f32"), rtol=1e-4, atol=1e-5)
# mean/var/std with where= and var's correction=.
add("mean-where", lambda m, x: m.mean(x, axis=1, where=x > 0), A((3, 4), "f32"))
add("var-where", lambda m, x: m.var(x, where=x > -1), A((3, 4), "f32"), rtol=1e-5)
add("std-where", lambda m, x: m.std(x, axis=0, where=x < 1, ddof=1), A((3, 4), "f32"))
add(
    "var-correction",
    lambda m, x: m.var(x, axis=1, correction=1),
    A((3, 4), "f32"),
    ref=lambda x: np.var(x, axis=1, ddof=1),
)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


# ---------------------------------------------------------------------------
# Values JAX defines differently from NumPy, compared with JAX live
# ---------------------------------------------------------------------------


def test_special_values_match_jax():
    x = np.array([0.0, -0.0, 1.5, -2.5, np.inf, -np.inf, np.nan, 3e38, -7.25], np.float32)
    y = np.array([1.0, -0.0, 0.0, -2.5, np.inf, 2.0, 3.0, 3e38, 4.0], np.float32)

    def both(f):
        return f(jnp, x, y), f(jax_np, x, y)

    for f in (
        lambda m, a, b: m.divmod(a, b),
        lambda m, a, b: m.floor_divide(a, b),
        lambda m, a, b: m.nextafter(a, b),
        lambda m, a, b: m.heaviside(a, b),
        lambda m, a, b: m.frexp(a),
        lambda m, a, b: m.ldexp(a, 3),
        lambda m, a, b: m.spacing(a),
    ):
        got, want = both(f)
        for g, w in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
            g, w = np.asarray(g), np.asarray(w)
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)


def test_floor_divide_is_exact_like_python():
    a = np.array([1.0, -1.0, 7.5, 0.3], np.float32)
    b = np.array([0.1, 0.1, 0.5, 0.1], np.float32)
    np.testing.assert_array_equal(np.asarray(jnp.floor_divide(a, b)), np.floor_divide(a, b))


def test_object_predicates():
    assert jnp.isscalar(1.5) and jnp.isscalar(np.float32(2)) and jnp.isscalar(jnp.asarray(3))
    assert not jnp.isscalar(jnp.ones(2)) and not jnp.isscalar([1])
    assert not jnp.iscomplexobj(jnp.ones(2)) and jnp.iscomplexobj(1j)
    assert not jnp.iscomplexobj(np.ones(2)) and jnp.iscomplexobj(np.ones(2, np.complex64))
    assert jnp.isrealobj(jnp.ones(2)) and jnp.isrealobj(3)
    for name in ("isscalar", "iscomplexobj", "isrealobj"):
        for v in (1.5, 2, np.ones(()), np.ones(3), [1, 2]):
            mine = getattr(jnp, name)(jnp.asarray(v) if isinstance(v, np.ndarray) else v)
            theirs = getattr(jax_np, name)(jax_np.asarray(v) if isinstance(v, np.ndarray) else v)
            assert mine == theirs, (name, v)


def test_gcd_lcm_reject_floats():
    with pytest.raises(ValueError, match="must be integers"):
        jnp.gcd(np.float32(2.0), np.float32(4.0))
    with pytest.raises(ValueError, match="must be integers"):
        jnp.lcm(2.0, 4)


def test_ldexp_rejects_float_exponent():
    with pytest.raises(ValueError, match="ldexp not supported"):
        jnp.ldexp(np.float32(1.0), np.float32(2.0))


def test_isin_bad_method():
    with pytest.raises(ValueError, match="method='bogus' is not implemented"):
        jnp.isin(np.arange(3), np.arange(2), method="bogus")


def test_average_weight_shape_errors():
    x = np.ones((3, 4), np.float32)
    with pytest.raises(ValueError, match="Axis must be specified"):
        jnp.average(x, weights=np.ones(4, np.float32))
    with pytest.raises(ValueError, match="consistent with shape"):
        jnp.average(x, axis=1, weights=np.ones(3, np.float32))


# ---------------------------------------------------------------------------
# Derivatives: finite differences (float64) and jax.grad at special points
# ---------------------------------------------------------------------------

_DIFFERENTIABLE = {
    "arcsin": 0.3,
    "arccos": -0.4,
    "arctan": 1.7,
    "arcsinh": -2.2,
    "arccosh": 1.9,
    "arctanh": 0.6,
    "sinh": 1.3,
    "cosh": -0.8,
    "log2": 2.5,
    "log10": 0.7,
    "sinc": 0.6,
    "deg2rad": 30.0,
}


def test_unary_derivatives_match_finite_differences():
    with _x64():
        for name, x0 in _DIFFERENTIABLE.items():
            f = getattr(jnp, name)
            g = float(mlax.grad(lambda v, f=f: f(v))(np.float64(x0)))
            want = fd_grad(lambda v, name=name: float(getattr(np, name)(v)), x0, eps=1e-5)
            np.testing.assert_allclose(g, want, rtol=1e-6, err_msg=name)


def test_binary_derivatives_match_finite_differences():
    with _x64():
        x0, y0 = np.float64(1.3), np.float64(-0.7)
        for name in ("hypot", "logaddexp2", "copysign", "float_power", "fmax", "fmin"):
            a = x0 if name != "float_power" else np.float64(1.7)
            gx, gy = mlax.grad(getattr(jnp, name), argnums=(0, 1))(a, y0)
            ref = getattr(np, name)
            np.testing.assert_allclose(
                float(gx),
                fd_grad(lambda v, r=ref: float(r(v, y0)), a, eps=1e-5),
                rtol=1e-6,
                err_msg=name,
            )
            np.testing.assert_allclose(
                float(gy),
                fd_grad(lambda v, r=ref, a=a: float(r(a, v)), y0, eps=1e-5),
                rtol=1e-6,
                atol=1e-9,
                err_msg=name,
            )


def test_kink_derivatives_match_jax():
    """Where the finite difference is undefined, the derivative is JAX's."""
    for f in (
        lambda m, v: m.sinc(v),
        lambda m, v: m.hypot(v, 1.5),
        lambda m, v: m.frexp(v)[0],
        lambda m, v: m.ldexp(v, 3),
        lambda m, v: m.nan_to_num(v),
        lambda m, v: m.nanmean(m.stack([v, m.nan])),
        lambda m, v: m.trunc(v) + m.rint(v),
    ):
        for x0 in (0.0, 3.0):
            got = float(mlax.grad(lambda v, f=f: f(jnp, v))(x0))
            want = float(jax.grad(lambda v, f=f: f(jax_np, v))(x0))
            assert got == pytest.approx(want, rel=1e-6, abs=1e-12)
    got = float(mlax.grad(mlax.grad(jnp.sinc))(0.0))
    assert got == pytest.approx(float(jax.grad(jax.grad(jax_np.sinc))(0.0)), rel=1e-6)


def test_statistics_derivatives_match_finite_differences():
    rng = np.random.default_rng(0)
    x0 = rng.normal(size=(3, 5))
    x0[1, 2] = np.nan
    cases = {
        "nanmean": lambda m, x: m.nanmean(x, axis=1).sum(),
        "nanvar": lambda m, x: (m.nanvar(x, axis=1) * m.arange(3.0)).sum(),
        "nanstd": lambda m, x: m.nanstd(x),
        "cov": lambda m, x: (m.cov(m.nan_to_num(x)) ** 2).sum(),
        "corrcoef": lambda m, x: (m.corrcoef(m.nan_to_num(x))[0, 1:]).sum(),
        "average": lambda m, x: m.average(
            m.nan_to_num(x), axis=0, weights=m.arange(1.0, 4.0)
        ).sum(),
    }
    with _x64():
        for name, f in cases.items():
            g = np.asarray(mlax.grad(lambda v, f=f: f(jnp, v))(x0))
            want = np.asarray(jax.grad(lambda v, f=f: f(jax_np, v))(x0))
            np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-9, err_msg=name)
            mask = ~np.isnan(x0)
            flat = lambda v, f=f: float(f(np, v))
            fd = fd_grad(flat, x0, eps=1e-5)
            np.testing.assert_allclose(g[mask], fd[mask], rtol=1e-5, atol=1e-7, err_msg=name)


class _x64:
    """float64 inside the block (mlax and JAX)."""

    def __enter__(self):
        self._jax = jax.config.jax_enable_x64
        self._mlax = mlax.config.jax_enable_x64
        jax.config.update("jax_enable_x64", True)
        mlax.config.update("jax_enable_x64", True)

    def __exit__(self, *exc):
        jax.config.update("jax_enable_x64", self._jax)
        mlax.config.update("jax_enable_x64", self._mlax)


def test_vmap_matches_loop():
    xs = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32)
    xs[1, 3] = np.nan
    for f in (
        lambda v: jnp.nanmean(v),
        lambda v: jnp.hypot(v, 2.0),
        lambda v: jnp.frexp(v)[1],
        lambda v: jnp.isclose(v, 0.5, atol=0.5),
        lambda v: jnp.gcd(jnp.nan_to_num(v * 10).astype(np.int32), 6),
    ):
        got = np.asarray(mlax.vmap(f)(xs))
        want = np.stack([np.asarray(f(x)) for x in xs])
        np.testing.assert_allclose(got, want, rtol=1e-6)


# ---------------------------------------------------------------------------
# jnp.ufunc objects and the dtype namespace, against JAX live
# ---------------------------------------------------------------------------

_X = np.arange(12.0, dtype=np.float32).reshape(3, 4) - 5
_UFUNC_CALLS = {
    "add.outer": lambda m: m.add.outer(np.arange(3), np.arange(4)),
    "multiply.outer-2d": lambda m: m.multiply.outer(_X[:2], np.float32([1, 2])),
    "add.reduce": lambda m: m.add.reduce(_X, axis=1),
    "maximum.reduce-keepdims": lambda m: m.maximum.reduce(_X, axis=0, keepdims=True),
    "bitwise_or.reduce": lambda m: m.bitwise_or.reduce(np.arange(6).reshape(2, 3), axis=1),
    "logaddexp.reduce-all": lambda m: m.logaddexp.reduce(_X, axis=(0, 1)),
    "logical_xor.reduce": lambda m: m.logical_xor.reduce(_X > 0, axis=0),
    "subtract.reduce-initial": lambda m: m.subtract.reduce(_X, axis=1, initial=1.0),
    "add.reduce-where": lambda m: m.add.reduce(_X, axis=1, where=_X > 0),
    "add.accumulate": lambda m: m.add.accumulate(_X, axis=1),
    "maximum.accumulate": lambda m: m.maximum.accumulate(_X, axis=0),
    "subtract.accumulate": lambda m: m.subtract.accumulate(np.arange(5)),
    "add.at": lambda m: m.add.at(_X, (np.array([0, 0, 2]),), 1.0, inplace=False),
    "minimum.at": lambda m: m.minimum.at(_X, (0, 1), -9.0, inplace=False),
    "subtract.at": lambda m: m.subtract.at(_X, 1, 2.0, inplace=False),
    "add.reduceat": lambda m: m.add.reduceat(np.arange(8), np.array([0, 4, 1, 5])),
    "frompyfunc.reduce": lambda m: m.frompyfunc(lambda a, b: a * b + 1, 2, 1).reduce(
        np.arange(1, 5)
    ),
    "frompyfunc.accumulate": lambda m: m.frompyfunc(m.hypot, 2, 1, identity=0).accumulate(
        _X, axis=1
    ),
}


@pytest.mark.parametrize("name", sorted(_UFUNC_CALLS))
def test_ufunc_methods_match_jax(name):
    got, want = np.asarray(_UFUNC_CALLS[name](jnp)), np.asarray(_UFUNC_CALLS[name](jax_np))
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_ufunc_objects():
    assert repr(jnp.add) == "<jnp.ufunc 'add'>" and isinstance(jnp.add, jnp.ufunc)
    for name in ("add", "multiply", "maximum", "logical_and", "bitwise_xor", "negative"):
        mine, theirs = getattr(jnp, name), getattr(jax_np, name)
        assert (mine.nin, mine.nout, mine.nargs, mine.identity) == (
            theirs.nin,
            theirs.nout,
            theirs.nargs,
            theirs.identity,
        ), name
    assert jnp.add == jnp.add and hash(jnp.add) == hash(jnp.add) and jnp.add != jnp.multiply
    with pytest.raises(ValueError, match="does not have an identity"):
        jnp.maximum.reduce(_X, where=_X > 0)
    with pytest.raises(ValueError, match="only supported for binary"):
        jnp.negative.reduce(_X)
    with pytest.raises(NotImplementedError, match="inplace=False"):
        jnp.add.at(_X, 0, 1.0)
    # ufuncs work as static jit arguments and under vmap
    f = mlax.jit(lambda op, x: op.reduce(x, axis=0), static_argnums=0)
    np.testing.assert_allclose(np.asarray(f(jnp.add, _X)), _X.sum(0))
    np.testing.assert_allclose(
        np.asarray(mlax.vmap(jnp.maximum.accumulate)(_X)), np.maximum.accumulate(_X, axis=1)
    )


def test_dtype_namespace_matches_jax():
    for name in ("bool", "float_", "double", "single", "int_", "uint"):
        assert np.dtype(getattr(jnp, name)(1).dtype) == np.dtype(getattr(jax_np, name)(1).dtype)
    assert jnp.bool is jnp.bool_ and jnp.euler_gamma == jax_np.euler_gamma
    assert jnp.generic is np.generic and jnp.ComplexWarning is jax_np.ComplexWarning
    assert (jnp.float32 == {}) is False and jnp.float32 != "not a dtype"
    for dtype, kind in [
        (jnp.bfloat16, "real floating"),
        (np.int8, ("bool", "integral")),
        (np.uint16, "signed integer"),
        (np.float32, np.float32),
        (np.float16, "numeric"),
        (np.bool_, "numeric"),
    ]:
        assert jnp.isdtype(dtype, kind) == jax_np.isdtype(dtype, kind), (dtype, kind)
    with pytest.raises(ValueError, match="Unrecognized kind"):
        jnp.isdtype(np.float32, "bogus")
    for args in [
        (jnp.ones(2), np.int32),
        (np.int8, "int16"),
        (np.float32, jnp.bfloat16),
        (np.int32, np.float32),
    ]:
        jax_args = (jax_np.ones(2),) + args[1:] if isinstance(args[0], mlax.Array) else args
        assert jnp.can_cast(*args) == jax_np.can_cast(*jax_args), args
    assert jnp.can_cast(np.int8, np.uint8, casting="unsafe")
    with pytest.raises(TypeError):
        jnp.can_cast(1.5, np.int32)
    assert jnp.float8_e4m3fn.dtype == np.dtype(jax_np.float8_e4m3fn)


def test_from_dlpack_and_einsum_path():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = jnp.from_dlpack(x)
    assert isinstance(y, mlax.Array) and y.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(y), x)
    np.testing.assert_array_equal(np.asarray(jnp.from_dlpack(jnp.asarray(x))), x)
    path, text = jnp.einsum_path("ij,jk,kl->il", x, x.T, x)
    assert path[0] == "einsum_path" and "Complete contraction" in text


def test_arctan2_corners_match_jax():
    """IREE's float32 atan2 is NaN at (+-0, +-0) and (+-inf, +-inf)."""
    y = np.float32([0, -0.0, 0, -0.0, np.inf, -np.inf, np.inf, -np.inf, 1, np.nan])
    x = np.float32([0, 0, -0.0, -0.0, np.inf, np.inf, -np.inf, -np.inf, 0, 1])
    for dt in (np.float32, np.float16):
        got = np.asarray(jnp.arctan2(y.astype(dt), x.astype(dt)))
        want = np.asarray(jax_np.arctan2(y.astype(dt), x.astype(dt)))
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
