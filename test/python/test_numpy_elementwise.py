"""NumPy parity of mlax.numpy's elementwise functions (unary, binary,
where, clip) and the mlax.Array operators; machinery in parity.py."""

import functools

import jax
import jax.numpy as jax_np
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import BF16, BOOL, F32, I32, assert_allclose
from mlax import lax
from parity import (
    DT,
    INT_PAIRS,
    S23,
    A,
    Case,
    call,
    check_against_jax,
    run_case,
)

CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


# Elementwise unary functions that promote to inexact. Every function runs on
# float32 (2, 3), int32 (promoted to float32) and bfloat16; a subset also on
# 0-d, float16 and Python scalars.
_UNARY_INEXACT = [
    ("exp", "small", True),
    ("exp2", "small", False),
    ("log", "pos", True),
    ("log1p", "pos", False),
    ("expm1", "small", False),
    ("sqrt", "pos", True),
    ("cbrt", "any", False),
    ("sin", "any", True),
    ("cos", "any", False),
    ("tan", "unit", False),
    ("tanh", "any", True),
    ("isfinite", "special", False),
    ("isnan", "special", True),
    ("isinf", "special", False),
]
for _name, _dom, _more in _UNARY_INEXACT:
    _f = call(_name)
    add(f"{_name}-f32", _f, A(S23, "f32", _dom))
    add(f"{_name}-bf16", _f, A((5,), "bf16", _dom))
    if _more or _name in ("exp2", "expm1", "isinf"):
        add(f"{_name}-i32", _f, A((4,), "i32", "pos" if _dom == "pos" else "small"))
    if _more:
        add(f"{_name}-f32-0d", _f, A((), "f32", _dom))
        add(f"{_name}-f16", _f, A((5,), "f16", _dom))
        add(f"{_name}-pyscalar", _f, 0.5 if _dom != "special" else 2.5)

add("reciprocal-f32", call("reciprocal"), A(S23, "f32", "nz"))
add("reciprocal-bf16", call("reciprocal"), A((5,), "bf16", "nz"))
# NumPy's integer reciprocal truncates; JAX promotes to float.
add("reciprocal-i32", call("reciprocal"), A((4,), "i32", "nz"), ref=lambda x: 1.0 / x)

# floor/ceil: floats stay floats; NumPy 2 and JAX return integer inputs unchanged.
for _name in ("floor", "ceil"):
    _f = call(_name)
    add(f"{_name}-f32", _f, A(S23, "f32", "halves"))
    add(f"{_name}-f32-0d", _f, A((), "f32", "halves"))
    add(f"{_name}-f16", _f, A((5,), "f16", "halves"))
    add(f"{_name}-bf16", _f, A((5,), "bf16", "halves"))
    add(f"{_name}-i32", _f, A((4,), "i32"))
    add(f"{_name}-u8", _f, A((4,), "u8"))

# Unary functions that keep the dtype.
for _name, _dts in [
    ("negative", ("f32", "i32", "i8", "bf16")),
    ("positive", ("f32", "i32", "u8")),
    ("abs", ("f32", "i32", "i8", "u32", "bool", "f16")),
    ("absolute", ("f32",)),
    ("sign", ("f32", "i32", "u32", "bf16")),
    ("square", ("f32", "i32", "bf16")),
    ("invert", ("i32", "u32", "i8", "bool")),
    ("bitwise_not", ("i32",)),
    ("logical_not", ("f32", "i32", "bool")),
]:
    for _dt in _dts:
        add(f"{_name}-{_dt}", call(_name), A((4,) if _dt != "f32" else S23, _dt))
add("negative-0d", call("negative"), A((), "f32"))
# sign(-0.0) is -0.0 in JAX (NumPy says +0.0).
add(
    "sign-special",
    call("sign"),
    A((8,), "f32", "special"),
    ref=lambda x: np.where(x == 0, x, np.sign(x)),
)
add("abs-pyscalar", lambda m: m.abs(-2.5))
add("square-pyint", lambda m: m.square(7))

# round/around: round half to even, with decimals.
add("round-f32", call("round"), A((10,), "f32", "halves"))
add("round-f32-0d", call("round"), A((), "f32", "halves"))
add("round-bf16", call("round"), A((10,), "bf16", "halves"))
add("round-f16", call("round"), A((10,), "f16", "halves"))
add("round-decimals", lambda m, x: m.round(x, 2), A(S23, "f32"), atol=1e-6)
add("round-decimals-neg", lambda m, x: m.round(x * 100, -1), A(S23, "f32"), atol=1e-4)
add("round-i32", call("round"), A((4,), "i32"))
add("around-f32", call("around"), A((10,), "f32", "halves"))

# Elementwise binary functions: (name, float y domain or None for int-only,
# int y domain, extra dtypes, extra variants).
_ARITH = [
    ("add", "any", "any", ("u8", "bool", "f16", "bf16"), "0d left mixed"),
    ("subtract", "any", "any", ("u32", "bf16"), "0d left"),
    ("multiply", "any", "any", ("bool", "f16"), "0d mixed"),
    ("divide", "nz", "nz", ("bf16",), "0d left mixed"),
    ("true_divide", "nz", "nz", (), ""),
    ("floor_divide", "nz", "nz", ("u32", "f16"), "left"),
    ("remainder", "nz", "nz", ("u32", "bf16"), "left"),
    ("mod", "nz", "nz", (), ""),
    ("fmod", "nz", "nz", (), ""),
    ("power", "small", "small", ("f16",), "0d left mixed"),
    ("arctan2", "any", "any", ("bf16",), "left mixed"),
    ("maximum", "any", "any", ("u32", "bool", "bf16"), "mixed"),
    ("minimum", "any", "any", ("u32", "f16"), ""),
    ("logaddexp", "any", "any", ("f16",), "mixed"),
    ("bitwise_and", None, "any", ("u32", "bool", "i8"), ""),
    ("bitwise_or", None, "any", ("u32", "bool"), ""),
    ("bitwise_xor", None, "any", ("u32", "bool"), ""),
    ("left_shift", None, "shift", ("u32", "i8"), ""),
    ("right_shift", None, "shift", ("u32", "i8"), ""),
    ("logical_and", "any", "any", ("bool",), ""),
    ("logical_or", "any", "any", ("bool",), ""),
    ("logical_xor", "any", "any", ("bool",), ""),
    ("equal", "ties", "ties", ("bool", "bf16"), "0d mixed"),
    ("not_equal", "ties", "ties", ("bool",), ""),
    ("less", "ties", "ties", ("u32", "f16"), "left mixed"),
    ("less_equal", "ties", "ties", (), ""),
    ("greater", "ties", "ties", ("bool",), ""),
    ("greater_equal", "ties", "ties", (), ""),
]
_PY_INT = {"shift": 2, "small": 2, "nz": 3, "any": 2, "ties": 1}
for _name, _fdom, _idom, _extra, _variants in _ARITH:
    _f = call(_name)
    _pow = _name == "power"
    _xf = "pos" if _pow else ("ties" if _fdom == "ties" else "any")
    _xi = "pos" if _pow else _idom if _idom == "ties" else "any"
    if _fdom is not None:
        # float32: same shapes, broadcasting (3, 1) x (4,), Python float (weak).
        add(f"{_name}-f32", _f, A(S23, "f32", _xf), A(S23, "f32", _fdom))
        add(f"{_name}-bcast", _f, A((3, 1), "f32", _xf), A((4,), "f32", _fdom))
        add(f"{_name}-pyfloat", _f, A(S23, "f32", _xf), 2.0 if _pow else 2.5)
        if "0d" in _variants:
            add(f"{_name}-0d", _f, A((), "f32", _xf), A((), "f32", _fdom))
        if "left" in _variants:
            add(f"{_name}-pyfloat-left", lambda m, x, _n=_name: getattr(m, _n)(1.5, x), A(S23))
        if "mixed" in _variants:  # JAX's lattice: int32 x float32 -> float32
            add(f"{_name}-i32xf32", _f, A((4,), "i32", _xi), A((4,), "f32", _fdom))
    # int32 with broadcasting (2, 3) x (3,), and a weak Python int.
    add(f"{_name}-i32", _f, A(S23, "i32", _xi), A((3,), "i32", _idom))
    add(f"{_name}-pyint", _f, A((4,), "i32", _xi), _PY_INT[_idom])
    for _dt in _extra:
        _isf = DT[_dt].kind == "f" or DT[_dt] == BF16
        _ydom = (_fdom if _isf else _idom) if DT[_dt] != BOOL else "any"
        _xd = _xf if _isf else _xi
        add(f"{_name}-{_dt}", _f, A(S23, _dt, _xd), A((3,), _dt, _ydom))

add("add-i8xu8", call("add"), A((4,), "i8"), A((4,), "u8"))
add("add-u8xpyint", lambda m, x: m.add(x, 250), A((4,), "u8", "small"))
add("add-f16xbf16", call("add"), A((4,), "f16"), A((4,), "bf16"), dtype="f32")
add("add-bf16xi32", call("add"), A((4,), "bf16"), A((4,), "i32"))
add("add-boolxpyint", lambda m, x: m.add(x, 1), A((4,), "bool"))
add("add-pyfloatxpyint", lambda m: m.add(1.5, 2))
add("add-pyints", lambda m: m.add(3, 4))
add(
    "multiply-numpy-array",
    lambda m, x: m.multiply(x, np.arange(3, dtype=np.float32)),
    A(S23, "f32"),
)
add("power-f32-neg-exp", lambda m, x: m.power(x, -2.0), A(S23, "f32", "pos"))
add("power-int-exps", call("power"), A((6,), "i32", "any"), np.arange(6, dtype=np.int32))
add("power-u32", call("power"), A((4,), "u32", "pos"), A((4,), "u32", "small"))
# A negative float base with an integral exponent is finite (x**2 of -1.5 is
# 2.25), with a fractional exponent NaN.
add("power-negbase-pyint", lambda m, x: m.power(x, 2), A(S23, "f32", "nz"))
add(
    "power-negbase-float",
    call("power"),
    np.array([-1.5, -2.0, -0.5, 2.0], np.float32),
    np.array([2.0, 3.0, -2.0, 0.5], np.float32),
)
add(
    "power-negbase-fractional",
    call("power"),
    np.array([-1.5, -2.0, -0.5, -4.0], np.float32),
    np.array([0.5, -1.5, 2.5, 0.25], np.float32),
)

add("floor_divide-negative", call("floor_divide"), *INT_PAIRS)
add("remainder-negative", call("remainder"), *INT_PAIRS)
add("fmod-negative", call("fmod"), *INT_PAIRS)
add(
    "remainder-f32-neg",
    call("remainder"),
    np.array([-7.5, 7.5, -7.5, 7.5, 0.0, -1.0], np.float32),
    np.array([2.0, -2.0, -2.0, 2.0, 3.0, 5.0], np.float32),
)
add("maximum-nan", call("maximum"), A((8,), "f32", "special"), A((8,), "f32"))
add("minimum-nan", call("minimum"), A((8,), "f32", "special"), A((8,), "f32"))
add(
    "logaddexp-inf",
    call("logaddexp"),
    np.array([-np.inf, np.inf, -np.inf, 0.0, 80.0], np.float32),
    np.array([-np.inf, np.inf, 1.0, -np.inf, 80.0], np.float32),
)
add(
    "right_shift-negative",
    call("right_shift"),
    np.array([-8, -1, -7, 16], np.int32),
    np.array([1, 3, 2, 2], np.int32),
)
add("equal-special", lambda m, x: m.equal(x, x), A((8,), "f32", "special"))

# where and clip
add(
    "where-bcast",
    call("where"),
    A((3, 1), "bool"),
    A((4,), "f32"),
    A((3, 4), "f32"),
)
add("where-scalars", lambda m, c: m.where(c, 1.0, -1.0), A(S23, "bool"))
add("where-intcond", lambda m, c, x: m.where(c, x, 0), A((4,), "i32"), A((4,), "i32"))
add("where-mixed", call("where"), A((4,), "bool"), A((4,), "i32"), A((4,), "f32"))
add(
    "piecewise",
    lambda m, x: m.piecewise(x, [x < 0, x > 0.5], [lambda v: -v, lambda v: v**2, 7.0]),
    A((9,), "f32"),
)
add(
    "piecewise-int",
    lambda m, x: m.piecewise(x, [x < 2], [lambda v: v * 3, lambda v: v]),
    A((5,), "i32"),
)
add("clip-both", lambda m, x: m.clip(x, -1.0, 1.5), A(S23, "f32"))
add("clip-min", lambda m, x: m.clip(x, 0, None), A((4,), "i32"))
add("clip-max", lambda m, x: m.clip(x, None, 2), A((4,), "i32"))
add(
    "clip-arrays",
    lambda m, x, lo, hi: m.clip(x, lo, hi),
    A((3, 4), "f32"),
    A((4,), "f32", "small"),
    np.float32(2.0),
)

# Array operators. Shapes/dtypes match the function cases above, so most
# share their executables.
_BINOPS = {
    "add": lambda x, y: x + y,
    "subtract": lambda x, y: x - y,
    "multiply": lambda x, y: x * y,
    "divide": lambda x, y: x / y,
    "floor_divide": lambda x, y: x // y,
    "remainder": lambda x, y: x % y,
    "power": lambda x, y: x**y,
    "equal": lambda x, y: x == y,
    "not_equal": lambda x, y: x != y,
    "less": lambda x, y: x < y,
    "less_equal": lambda x, y: x <= y,
    "greater": lambda x, y: x > y,
    "greater_equal": lambda x, y: x >= y,
    "bitwise_and": lambda x, y: x & y,
    "bitwise_or": lambda x, y: x | y,
    "bitwise_xor": lambda x, y: x ^ y,
    "left_shift": lambda x, y: x << y,
    "right_shift": lambda x, y: x >> y,
}
_ARITH_BY_NAME = {a[0]: a for a in _ARITH}


def _binop(op):
    return lambda m, x, y: op(x, y)


for _name, _op in _BINOPS.items():
    _, _fdom, _idom, _extra, _ = _ARITH_BY_NAME[_name]
    _f = _binop(_op)
    _pow = _name == "power"
    _xf = "pos" if _pow else ("ties" if _fdom == "ties" else "any")
    _xi = "pos" if _pow else _idom if _idom == "ties" else "any"
    _id = f"op_{_name}"
    if _fdom is not None:
        add(f"{_id}-f32", _f, A(S23, "f32", _xf), A(S23, "f32", _fdom))
        add(f"{_id}-bcast", _f, A((3, 1), "f32", _xf), A((4,), "f32", _fdom))
        add(
            f"{_id}-pyfloat",
            lambda m, x, _op=_op, _p=_pow: _op(x, 2.0 if _p else 2.5),
            A(S23, "f32", _xf),
        )
        add(f"{_id}-pyfloat-left", lambda m, x, _op=_op: _op(1.5, x), A(S23, "f32", _fdom))
        # A NumPy array on the left defers to mlax.Array (like jax.Array).
        add(
            f"{_id}-numpy-left",
            lambda m, x, y, _op=_op: _op(np.asarray(x), y),
            A(S23, "f32", _xf),
            A(S23, "f32", _fdom),
            jax=False,
        )
    add(f"{_id}-i32", _f, A(S23, "i32", _xi), A((3,), "i32", _idom))
    add(f"{_id}-pyint", lambda m, x, _op=_op, _v=_PY_INT[_idom]: _op(x, _v), A((4,), "i32", _xi))
    for _dt in ("u32", "bool"):
        if _dt in _extra:
            add(f"{_id}-{_dt}", _f, A(S23, _dt, _xi), A((3,), _dt, _idom))
add("op_mul-f32-pyint", lambda m, x: x * 2, A(S23), covers=("op_mul",))
add("op_lshift-pyint-left", lambda m, x: 1 << x, A((4,), "i32", "shift"), covers=("op_lshift",))
add("op_matmul-mm", lambda m, a, b: a @ b, A((2, 3)), A((3, 4)))
add("op_matmul-batch", lambda m, a, b: a @ b, A((2, 2, 3)), A((2, 3, 4)))
add("op_matmul-vv", lambda m, a, b: a @ b, A((3,)), A((3,)))
add("op_matmul-numpy-left", lambda m, a, b: np.asarray(a) @ b, A((2, 3)), A((3, 4)), jax=False)
add("op_neg-f32", lambda m, x: -x, A(S23))
add("op_neg-i32", lambda m, x: -x, A((4,), "i32"))
add("op_pos-f32", lambda m, x: +x, A(S23))
add("op_abs-f32", lambda m, x: abs(x), A(S23))
add("op_abs-i32", lambda m, x: abs(x), A((4,), "i32"))
add("op_invert-i32", lambda m, x: ~x, A((4,), "i32"))
add("op_invert-bool", lambda m, x: ~x, A((4,), "bool"))
add("op_invert-u8", lambda m, x: ~x, A((4,), "u8"))
add("op_chain", lambda m, x, y: (x * 2 + y) / 3 - abs(x) ** 0.5, A(S23), A((3,)))
add(
    "op_pow-negbase-pyint",
    lambda m, x: x**2,
    A(S23, "f32", "nz"),
    covers=("op_pow",),
)


def _times_reciprocal(x, v):
    """x / v as XLA computes it for a scalar v, JAX's numbers: x * (1 / v)."""
    x = np.asarray(x, np.float32)
    return x * (np.float32(1) / np.float32(v))


# Division by a Python scalar: JAX's (and mlax's) multiply by the reciprocal.
_OP_DIVISORS = {"op_divide-pyfloat": 2.5, "op_divide-pyint": _PY_INT[_ARITH_BY_NAME["divide"][2]]}
for _case in CASES:
    if _case.id in ("divide-pyfloat", "true_divide-pyint"):
        _case.ref = _times_reciprocal
    elif _case.id in _OP_DIVISORS:
        _case.ref = functools.partial(_times_reciprocal, v=_OP_DIVISORS[_case.id])


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_numpy_parity(case):
    run_case(case)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_numpy_matches_jax(case):
    check_against_jax(case, jnp, jax_np)


def test_round_int_negative_decimals():
    # NumPy rounds ([15, 24] -> [20, 20]); JAX raises NotImplementedError, as mlax does.
    v = np.array([15, 24, -15, 7], np.int32)
    with pytest.raises(NotImplementedError):
        jnp.round(jnp.asarray(v), -1)
    with pytest.raises(NotImplementedError):
        mlax.jit(lambda x: jnp.round(x, -1))(jnp.asarray(v))
    assert_allclose(jnp.round(jnp.asarray(v), 1), v, I32)  # decimals >= 0: unchanged
    with pytest.raises(NotImplementedError):
        jax.numpy.round(v, -1)


def test_sign_bool_raises():
    x = jnp.asarray(np.array([True, False]))
    with pytest.raises(TypeError):
        jnp.sign(x)
    with pytest.raises(TypeError):
        mlax.jit(jnp.sign)(x)
    with pytest.raises(TypeError):
        jax.numpy.sign(np.array([True, False]))


def test_integer_power_negative_exponent_raises():
    x = jnp.asarray(np.array([2, 1, -1], np.int32))
    with pytest.raises((TypeError, ValueError)):
        jnp.power(x, -1)
    msg = "Integers cannot be raised to negative powers"
    with pytest.raises(TypeError, match=msg):
        jnp.power(x, -1)
    with pytest.raises(TypeError, match=msg):
        x**-2
    with pytest.raises(TypeError, match=msg):
        mlax.jit(lambda v: jnp.power(v, -1))(x)
    with pytest.raises(TypeError, match=msg):
        jax.numpy.power(np.array([2, 1, -1], np.int32), -1)


def test_pow_special_values():
    x = np.array([0.0, np.inf, np.nan, 1.0, 1.0, -1.0, -0.0, -0.0, -np.inf], np.float32)
    y = np.array([0.0, 0.0, 0.0, np.inf, np.nan, np.inf, -1.0, -3.0, 0.5], np.float32)
    expected = np.array([1, 1, 1, 1, 1, 1, -np.inf, -np.inf, np.inf], np.float32)
    assert_allclose(lax.pow(jnp.asarray(x), jnp.asarray(y)), expected, F32)
    assert_allclose(jnp.zeros(3) ** 0, np.ones(3, np.float32), F32)


def test_division_by_a_scalar_is_jaxs_to_the_bit():
    # XLA computes a / broadcast(b) as a * broadcast(1 / b): jnp.arange(24.0)
    # / 10 holds 0.90000004 there; mlax divided exactly and printed 0.9.
    x = np.arange(24, dtype=np.float32)

    def run(lib, m):
        a = m.asarray(x)
        return [
            a / 10,
            a / 10 / 0.5,
            m.mean(a.reshape(4, 6), 0),
            a / m.float32(3),
            lib.jit(lambda v, s: v / s)(a, m.float32(7)),
            lib.lax.div(a, 3.0),
            lib.jit(lambda v: v / v.sum())(a),
            m.var(a),
            lib.grad(lambda s: (a / s).sum())(2.0),
        ]

    for got, want in zip(run(mlax, jnp), run(jax, jax_np)):
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
