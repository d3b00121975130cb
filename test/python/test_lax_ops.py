"""NumPy parity of mlax.lax (every function, against a NumPy reference) and
JAX's result shapes/dtypes; machinery in parity.py."""

import jax
import ml_dtypes
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
import scipy.special as _sp
from conftest import BOOL, assert_allclose
from finite_differences import fd_grad
from mlax import lax
from parity import (
    DT,
    INT_PAIRS,
    R3,
    S23,
    A,
    Case,
    call,
    check_against_jax,
    run_case,
)

# ---------------------------------------------------------------------------
# mlax.lax
# ---------------------------------------------------------------------------

CASES = []


def ladd(id, fn, *args, ref, **kw):
    """fn(lax_module, *args); ref(*np_args) is the NumPy reference."""
    CASES.append(Case(id, fn, *args, ref=ref, lax=True, **kw))


def _erfinv(x):
    return _sp.erfinv(x)


def _erf(x):
    return _sp.erf(x)


def _trunc_div(x, y):
    q = np.abs(x) // np.abs(y)
    return (q * np.sign(x) * np.sign(y)).astype(x.dtype)


def _round_away(x):
    # The sign of x survives a zero result (-0.25 -> -0.0), as in JAX.
    return np.copysign(np.floor(np.abs(x) + 0.5), x).astype(x.dtype)


_LAX_UNARY = [
    ("neg", np.negative, "any"),
    ("abs", np.abs, "any"),
    ("sign", np.sign, "any"),
    ("exp", np.exp, "small"),
    ("exp2", np.exp2, "small"),
    ("log", np.log, "pos"),
    ("log1p", np.log1p, "pos"),
    ("expm1", np.expm1, "small"),
    ("sqrt", np.sqrt, "pos"),
    ("rsqrt", lambda x: 1 / np.sqrt(x), "pos"),
    ("cbrt", np.cbrt, "any"),
    ("sin", np.sin, "any"),
    ("cos", np.cos, "any"),
    ("tan", np.tan, "unit"),
    ("tanh", np.tanh, "any"),
    ("logistic", lambda x: 1 / (1 + np.exp(-x.astype(np.float64))), "big"),
    ("erf", _erf, "any"),
    ("erf_inv", _erfinv, "unit"),
    ("floor", np.floor, "halves"),
    ("ceil", np.ceil, "halves"),
    ("is_finite", np.isfinite, "special"),
]
for _i, (_name, _ref, _dom) in enumerate(_LAX_UNARY):
    _f = call(_name)
    ladd(f"{_name}-f32", _f, A((2, 4), "f32", _dom), ref=_ref)
    if _i % 2 == 0:
        ladd(f"{_name}-bf16", _f, A((5,), "bf16", _dom), ref=_ref)
    if _i % 3 == 0:
        ladd(f"{_name}-f32-0d", _f, A((), "f32", _dom), ref=_ref)
    if _i % 3 == 1:
        ladd(f"{_name}-f16", _f, A((5,), "f16", _dom), ref=_ref)
for _name, _ref in [
    ("neg", np.negative),
    ("abs", np.abs),
    ("sign", np.sign),
    ("bitwise_not", np.invert),
]:
    ladd(f"{_name}-i32", call(_name), A((5,), "i32"), ref=_ref)
ladd("stop_gradient-f32", call("stop_gradient"), A((2, 3)), ref=lambda x: x)
ladd("stop_gradient-i32", call("stop_gradient"), A((4,), "i32"), ref=lambda x: x)
ladd("optimization_barrier-f32", call("optimization_barrier"), A((2, 3)), ref=lambda x: x)
ladd(
    "optimization_barrier-tuple",
    lambda m, x, y: m.optimization_barrier((x, y)),
    A((2, 3)),
    A((4,), "i32"),
    ref=lambda x, y: (x, y),
    covers=("optimization_barrier",),
)
ladd("bitwise_not-bool", call("bitwise_not"), A((4,), "bool"), ref=np.invert)
ladd("bitwise_not-u8", call("bitwise_not"), A((4,), "u8"), ref=np.invert)
ladd(
    "erf_inv-edges",
    call("erf_inv"),
    np.array([-1.0, 1.0, 0.0, -0.999, 0.999, 0.5], np.float32),
    ref=_erfinv,
    rtol=1e-4,
)
ladd("erf-big", call("erf"), np.array([-6.0, -2.5, 2.5, 6.0, 1e-3], np.float32), ref=_erf)
ladd(
    "logistic-extreme",
    call("logistic"),
    np.array([-100.0, -20.0, 20.0, 100.0, 0.0], np.float32),
    ref=lambda x: 1 / (1 + np.exp(-x.astype(np.float64))),
)
ladd(
    "rsqrt-special",
    call("rsqrt"),
    np.array([0.0, np.inf, 4.0], np.float32),
    ref=lambda x: 1 / np.sqrt(x),
)
ladd(
    "cbrt-neg",
    call("cbrt"),
    np.array([-27.0, -8.0, 0.0, 1e-9, 64.0], np.float32),
    ref=np.cbrt,
)
ladd("round-away", call("round"), A((10,), "f32", "halves"), ref=_round_away)
ladd(
    "round-away-explicit",
    lambda l, x: l.round(x, l.RoundingMethod.AWAY_FROM_ZERO),
    A((10,), "f32", "halves"),
    ref=_round_away,
    covers=("round", "RoundingMethod"),
)
ladd(
    "round-even",
    lambda l, x: l.round(x, l.RoundingMethod.TO_NEAREST_EVEN),
    A((10,), "f32", "halves"),
    ref=np.round,
)
ladd(
    "round-even-bf16",
    lambda l, x: l.round(x, l.RoundingMethod.TO_NEAREST_EVEN),
    A((10,), "bf16", "halves"),
    ref=np.round,
)
ladd("integer_pow-3", lambda l, x: l.integer_pow(x, 3), A(S23), ref=lambda x: x**3)
ladd("integer_pow-0", lambda l, x: l.integer_pow(x, 0), A(S23), ref=lambda x: x**0, exact=True)
ladd("integer_pow-1", lambda l, x: l.integer_pow(x, 1), A(S23), ref=lambda x: x, exact=True)
ladd(
    "integer_pow-neg",
    lambda l, x: l.integer_pow(x, -2),
    A(S23, "f32", "nz"),
    ref=lambda x: x**-2.0,
)
ladd("integer_pow-i32", lambda l, x: l.integer_pow(x, 5), A((5,), "i32"), ref=lambda x: x**5)
ladd(
    "integer_pow-big",
    lambda l, x: l.integer_pow(x, 13),
    A((4,), "f32", "unit"),
    ref=lambda x: x**13,
    atol=1e-7,
)

_LAX_BINARY = [
    ("add", np.add, "any"),
    ("sub", np.subtract, "any"),
    ("mul", np.multiply, "any"),
    ("div", np.divide, "nz"),
    ("rem", np.fmod, "nz"),
    ("pow", np.power, "small"),
    ("max", np.maximum, "any"),
    ("min", np.minimum, "any"),
    ("atan2", np.arctan2, "any"),
    ("eq", np.equal, "ties"),
    ("ne", np.not_equal, "ties"),
    ("lt", np.less, "ties"),
    ("le", np.less_equal, "ties"),
    ("gt", np.greater, "ties"),
    ("ge", np.greater_equal, "ties"),
]
for _i, (_name, _ref, _dom) in enumerate(_LAX_BINARY):
    _f = call(_name)
    _xdom = "pos" if _name == "pow" else ("ties" if _dom == "ties" else "any")
    ladd(f"{_name}-f32", _f, A((2, 4), "f32", _xdom), A((2, 4), "f32", _dom), ref=_ref)
    ladd(
        f"{_name}-pyscalar",
        lambda l, x, _n=_name: getattr(l, _n)(x, 2.0),
        A((2, 4), "f32", _xdom),
        ref=lambda x, _r=_ref: _r(x, np.float32(2.0)),
    )
    if _i % 2 == 0:
        ladd(f"{_name}-bf16", _f, A((5,), "bf16", _xdom), A((5,), "bf16", _dom), ref=_ref)
    else:
        ladd(f"{_name}-f32-0d", _f, A((), "f32", _xdom), A((), "f32", _dom), ref=_ref)
for _name, _ref in [
    ("add", np.add),
    ("sub", np.subtract),
    ("mul", np.multiply),
    ("div", _trunc_div),
    ("rem", np.fmod),
    ("max", np.maximum),
    ("min", np.minimum),
    ("eq", np.equal),
    ("lt", np.less),
    ("bitwise_and", np.bitwise_and),
    ("bitwise_or", np.bitwise_or),
    ("bitwise_xor", np.bitwise_xor),
]:
    _ydom = "nz" if _name in ("div", "rem") else "any"
    ladd(f"{_name}-i32", call(_name), A((6,), "i32"), A((6,), "i32", _ydom), ref=_ref)
    if _name in ("div", "rem", "max", "bitwise_and", "lt"):
        ladd(f"{_name}-u32", call(_name), A((6,), "u32"), A((6,), "u32", "pos"), ref=_ref)
ladd("div-int-neg", call("div"), *INT_PAIRS, ref=_trunc_div)
ladd("rem-int-neg", call("rem"), *INT_PAIRS, ref=np.fmod)
ladd(
    "pow-negbase",
    call("pow"),
    np.array([-1.5, -2.0, -0.5, 2.0], np.float32),
    np.array([2.0, 3.0, -2.0, 0.5], np.float32),
    ref=np.power,
)
ladd("max-nan", call("max"), A((8,), "f32", "special"), A((8,), "f32"), ref=np.maximum)
ladd("min-nan", call("min"), A((8,), "f32", "special"), A((8,), "f32"), ref=np.minimum)
ladd(
    "bitwise_or-bool",
    call("bitwise_or"),
    A((4,), "bool"),
    A((4,), "bool"),
    ref=np.logical_or,
)
ladd("bitwise_and-bool", call("bitwise_and"), A((4,), "bool"), A((4,), "bool"), ref=np.logical_and)
ladd("bitwise_xor-bool", call("bitwise_xor"), A((4,), "bool"), A((4,), "bool"), ref=np.logical_xor)
ladd("eq-bool", call("eq"), A((4,), "bool"), A((4,), "bool"), ref=np.equal)


def _shift_refs(bits):
    def shl(x, s):
        out = np.left_shift(x, np.minimum(s, bits - 1).astype(x.dtype))
        return np.where(s.astype(np.int64) >= bits, 0, out).astype(x.dtype)

    def shr_logical(x, s):
        ux = x.view(f"u{x.dtype.itemsize}")
        out = np.right_shift(ux, np.minimum(s, bits - 1).astype(ux.dtype))
        return np.where(s.astype(np.int64) >= bits, 0, out).astype(ux.dtype).view(x.dtype)

    def shr_arith(x, s):
        # Amounts >= the bit width fill with the sign bit, as a shift by width - 1.
        sx = x.view(f"i{x.dtype.itemsize}")
        return np.right_shift(sx, np.minimum(s, bits - 1).astype(sx.dtype)).view(x.dtype)

    return shl, shr_logical, shr_arith


for _dt, _bits in (("i32", 32), ("u32", 32), ("i8", 8)):
    _x = (
        np.array([1, -1, 5, -128, 7, 1, -3]) % (2**_bits)
        if _dt[0] == "u"
        else np.array([1, -1, 5, -128, 7, 1, -3])
    )
    _x = _x.astype(DT[_dt])
    _s = np.array([0, 1, 3, _bits - 1, _bits, _bits + 1, 3 * _bits], dtype=DT[_dt])
    _shl, _shrl, _shra = _shift_refs(_bits)
    ladd(f"shift_left-{_dt}", call("shift_left"), _x, _s, ref=_shl)
    ladd(f"shift_right_logical-{_dt}", call("shift_right_logical"), _x, _s, ref=_shrl)
    ladd(f"shift_right_arithmetic-{_dt}", call("shift_right_arithmetic"), _x, _s, ref=_shra)

# Random operands and amounts (the vmap cases of the shifts).
for _dt, _bits in (("i32", 32), ("u32", 32), ("i8", 8)):
    for _name, _ref in zip(
        ("shift_left", "shift_right_logical", "shift_right_arithmetic"), _shift_refs(_bits)
    ):
        ladd(
            f"{_name}-{_dt}-random",
            call(_name),
            A(S23, _dt, "bits"),
            A(S23, _dt, "overshift"),
            ref=_ref,
        )

ladd("select-f32", call("select"), A(S23, "bool"), A(S23), A(S23), ref=np.where)
ladd("select-scalar-pred", call("select"), np.array(False), A(S23), A(S23), ref=np.where)
ladd("select-i32", call("select"), A((5,), "bool"), A((5,), "i32"), A((5,), "i32"), ref=np.where)
ladd(
    "select_n-bool",
    call("select_n"),
    A((5,), "bool"),
    A((5,)),
    A((5,)),
    ref=lambda p, x, y: np.where(p, y, x),
)
ladd(
    "clamp-scalars",
    lambda l, x: l.clamp(np.float32(-1), x, np.float32(1)),
    A(S23),
    ref=lambda x: np.clip(x, -1, 1),
)
ladd(
    "clamp-pyscalars",
    lambda l, x: l.clamp(-1.0, x, 0.5),
    A(S23),
    ref=lambda x: np.clip(x, -1, 0.5),
)
ladd(
    "clamp-arrays",
    call("clamp"),
    A(S23, "f32", "small"),
    A(S23),
    A(S23, "f32", "pos"),
    ref=lambda lo, x, hi: np.minimum(np.maximum(x, lo), hi),
)
ladd(
    "clamp-i32",
    lambda l, x: l.clamp(np.int32(0), x, np.int32(3)),
    A((6,), "i32"),
    ref=lambda x: np.clip(x, 0, 3),
)


def _convert(to):
    return lambda l, x: l.convert_element_type(x, to)


ladd(
    "convert_element_type-f32-i32",
    _convert(np.int32),
    np.array([1.7, -1.7, 2.5, -2.5, 0.0, 100.9], np.float32),
    ref=lambda x: np.trunc(x).astype(np.int32),
)
ladd(
    "convert_element_type-i32-bool",
    _convert(np.bool_),
    np.array([0, 1, -1, 7], np.int32),
    ref=lambda x: x != 0,
)
ladd(
    "convert_element_type-f32-bool",
    _convert(np.bool_),
    np.array([0.0, -0.0, 0.5, np.nan, -np.inf], np.float32),
    ref=lambda x: x != 0,
)
ladd(
    "convert_element_type-f32-i32-bool",
    lambda l, x: l.convert_element_type(l.convert_element_type(x, np.int32), np.bool_),
    np.array([0.4, -0.7, 1.2, -2.0], np.float32),
    ref=lambda x: np.trunc(x) != 0,
)
ladd(
    "convert_element_type-bool-f32",
    _convert(np.float32),
    A((4,), "bool"),
    ref=lambda x: x.astype(np.float32),
)
ladd(
    "convert_element_type-f32-u8",
    _convert(np.uint8),
    np.array([0.0, 1.9, 200.5, 255.0], np.float32),
    ref=lambda x: x.astype(np.uint8),
)
ladd(
    "convert_element_type-i32-f16",
    _convert(np.float16),
    A((4,), "i32"),
    ref=lambda x: x.astype(np.float16),
)
ladd(
    "convert_element_type-f32-bf16",
    _convert(ml_dtypes.bfloat16),
    np.array([1.0, 1.00390625, 3.14159, -2.5], np.float32),
    ref=lambda x: x.astype(ml_dtypes.bfloat16),
    dtype="bf16",
)
ladd(
    "convert_element_type-f32-i32-out-of-range",
    _convert(np.int32),
    np.array([1e10, -1e10, np.nan, 3e9], np.float32),
    ref=lambda x: np.array([2**31 - 1, -(2**31), 0, 2**31 - 1], np.int32),
)
# Out-of-range float->int conversion saturates and NaN maps to 0 (as JAX/XLA on CPU).
_OUT_OF_RANGE = np.array([1e10, -1e10, np.nan, np.inf, -np.inf, 300.0, -1.0], np.float32)
ladd(
    "convert_element_type-f32-i8-out-of-range",
    _convert(np.int8),
    _OUT_OF_RANGE,
    ref=lambda x: np.array([127, -128, 0, 127, -128, 127, -1], np.int8),
)
ladd(
    "convert_element_type-f32-u32-out-of-range",
    _convert(np.uint32),
    _OUT_OF_RANGE,
    ref=lambda x: np.array([2**32 - 1, 0, 0, 2**32 - 1, 0, 300, 0], np.uint32),
)
ladd(
    "convert_element_type-i32-i8",
    _convert(np.int8),
    np.array([1, 127, 128, -129, 300], np.int32),
    ref=lambda x: x.astype(np.int8),
)
ladd(
    "bitcast_convert_type-f32-i32",
    lambda l, x: l.bitcast_convert_type(x, np.int32),
    np.array([1.0, -2.0, 0.0, np.inf, 1e-40], np.float32),
    ref=lambda x: x.view(np.int32),
)
ladd(
    "bitcast_convert_type-f32-u32",
    lambda l, x: l.bitcast_convert_type(x, np.uint32),
    np.array([1.0, -2.0, -0.0, np.nan], np.float32),
    ref=lambda x: x.view(np.uint32),
)
ladd(
    "bitcast_convert_type-i32-f32",
    lambda l, x: l.bitcast_convert_type(x, np.float32),
    np.array([1065353216, -1073741824, 0, 2139095040], np.int32),
    ref=lambda x: x.view(np.float32),
)
ladd(
    "bitcast_convert_type-u32-f32",
    lambda l, x: l.bitcast_convert_type(x, np.float32),
    np.array([1065353216, 3221225472, 2139095040], np.uint32),
    ref=lambda x: x.view(np.float32),
)
# Random operands (the vmap cases of bitcast_convert_type).
for _src, _dom, _dst in (
    ("f32", "any", "int32"),
    ("i32", "bits", "float32"),
    ("u32", "bits", "int32"),
):
    ladd(
        f"bitcast_convert_type-{_src}-{_dst}-random",
        lambda l, x, _d=_dst: l.bitcast_convert_type(x, np.dtype(_d)),
        A(S23, _src, _dom),
        ref=lambda x, _d=_dst: x.view(_d),
    )
ladd(
    "bitcast_convert_type-u32-i32",
    lambda l, x: l.bitcast_convert_type(x, np.int32),
    np.array([0, 1, 2**31, 2**32 - 1], np.uint32),
    ref=lambda x: x.view(np.int32),
)

ladd("iota-i32", lambda l: l.iota(np.int32, 5), ref=lambda: np.arange(5, dtype=np.int32))
ladd("iota-f32", lambda l: l.iota(np.float32, 4), ref=lambda: np.arange(4, dtype=np.float32))
ladd(
    "broadcasted_iota-0",
    lambda l: l.broadcasted_iota(np.int32, (2, 3), 0),
    ref=lambda: np.broadcast_to(np.arange(2, dtype=np.int32)[:, None], (2, 3)),
)
ladd(
    "broadcasted_iota-1",
    lambda l: l.broadcasted_iota(np.float32, (2, 3, 2), 1),
    ref=lambda: np.broadcast_to(np.arange(3, dtype=np.float32)[None, :, None], (2, 3, 2)),
)
ladd("full-lax", lambda l: l.full((2, 3), 1.5), ref=lambda: np.full((2, 3), 1.5, np.float32))
# lax's binary ops broadcast a 0-d operand, and size-1 dimensions of an
# operand of the same rank, as JAX's do.
ladd(
    "add-0d-operand", lambda l, x: l.add(x, np.float32(2)), A(S23), ref=lambda x: x + np.float32(2)
)
ladd("mul-size1-dims", lambda l, x, y: l.mul(x, y), A((2, 3)), A((1, 3)), ref=np.multiply)
ladd("lt-0d-operand", lambda l, x: l.lt(x, np.float32(0)), A(S23), ref=lambda x: x < 0)


def test_lax_binary_broadcasting_errors():
    for f in (
        lambda l, m: l.add(m.ones((2, 3)), m.ones((3,))),
        lambda l, m: l.add(m.ones((2, 3)), m.ones((2, 4))),
    ):
        with pytest.raises(TypeError) as mlax_error:
            f(lax, jnp)
        with pytest.raises(TypeError) as jax_error:
            f(jax.lax, jax.numpy)
        assert str(jax_error.value).split("\n")[0] in str(mlax_error.value)


ladd("full_like-f32", lambda l, x: l.full_like(x, 2.5), A(S23), ref=lambda x: np.full_like(x, 2.5))
ladd(
    "full_like-i32-dtype",
    lambda l, x: l.full_like(x, 3, np.int8),
    A(S23, "i32"),
    ref=lambda x: np.full(x.shape, 3, np.int8),
)


def _threefry_reference(k0, k1, hi, lo):
    """Threefry-2x32 with 20 rounds in NumPy uint32 arithmetic (Salmon et
    al. 2011, JAX's rotations and key schedule)."""
    with np.errstate(over="ignore"):
        u = np.uint32
        ks = [k0, k1, k0 ^ k1 ^ u(0x1BD11BDA)]
        x0, x1 = hi + ks[0], lo + ks[1]
        rotations = [(13, 15, 26, 6), (17, 29, 16, 24)]
        for i in range(5):
            for r in rotations[i % 2]:
                x0 = x0 + x1
                x1 = ((x1 << u(r)) | (x1 >> u(32 - r))) ^ x0
            x0 = x0 + ks[(i + 1) % 3]
            x1 = x1 + ks[(i + 2) % 3] + u(i + 1)
        return x0, x1


def _threefry(l, *args):
    from mlax._src.lax import threefry2x32

    return threefry2x32(*args)


# threefry2x32 is mlax-internal (jax.random's generator), so no JAX check.
ladd(
    "threefry2x32-u32",
    _threefry,
    *[A(S23, "u32", "bits") for _ in range(4)],
    ref=_threefry_reference,
    jax=False,
)
ladd(
    "threefry2x32-scalar-key",
    _threefry,
    np.uint32(0x12345678),
    np.uint32(42),
    A((7,), "u32", "bits"),
    A((7,), "u32", "bits"),
    ref=_threefry_reference,
    jax=False,
)
ladd(
    "full-lax-dtype",
    lambda l: l.full((3,), 2, np.int8),
    ref=lambda: np.full((3,), 2, np.int8),
)


def _pad_ref(x, v, config):
    """NumPy lax.pad: interior padding, then (possibly negative) edges."""
    out = x
    for axis, (lo, hi, interior) in enumerate(config):
        n = out.shape[axis]
        size = n + max(n - 1, 0) * interior
        shape = list(out.shape)
        shape[axis] = size
        buf = np.full(shape, v, dtype=x.dtype)
        idx = [slice(None)] * out.ndim
        idx[axis] = slice(0, size, interior + 1)
        buf[tuple(idx)] = out
        pads = [(0, 0)] * out.ndim
        pads[axis] = (max(lo, 0), max(hi, 0))
        buf = np.pad(buf, pads, constant_values=v)
        idx = [slice(None)] * out.ndim
        idx[axis] = slice(max(-lo, 0), buf.shape[axis] - max(-hi, 0))
        out = buf[tuple(idx)]
    return out


_PADS = {
    "edges": ((1, 2, 0), (0, 1, 0)),
    "interior": ((0, 0, 1), (1, 0, 2)),
    "negative": ((-1, 1, 0), (0, -2, 0)),
    "neg-interior": ((-2, -1, 2), (1, -1, 1)),
}
for _cfg_id, _cfg in _PADS.items():
    ladd(
        f"pad-{_cfg_id}",
        lambda l, x, _c=_cfg: l.pad(x, np.float32(-9), _c),
        A((3, 4)),
        ref=lambda x, _c=_cfg: _pad_ref(x, np.float32(-9), _c),
    )
ladd(
    "pad-i32-pyscalar",
    lambda l, x: l.pad(x, 0, ((2, -1, 1),)),
    A((4,), "i32"),
    ref=lambda x: _pad_ref(x, np.int32(0), ((2, -1, 1),)),
)
ladd("slice-basic", lambda l, x: l.slice(x, (1, 0), (3, 4)), A((3, 5)), ref=lambda x: x[1:3, 0:4])
ladd(
    "slice-strides",
    lambda l, x: l.slice(x, (0, 1), (3, 5), (2, 3)),
    A((3, 5)),
    ref=lambda x: x[0:3:2, 1:5:3],
)
ladd("slice-empty", lambda l, x: l.slice(x, (2,), (2,)), A((4,)), ref=lambda x: x[2:2])


def _dyn_starts(starts, shape, sizes):
    """JAX: negative starts count from the end, then clamp into range."""
    out = []
    for s, d, n in zip(starts, shape, sizes):
        s = s + d if s < 0 else s
        out.append(min(max(s, 0), d - n))
    return out


def _dslice_ref(x, starts, sizes):
    st = _dyn_starts(starts, x.shape, sizes)
    return x[tuple(slice(s, s + n) for s, n in zip(st, sizes))]


def _dus_ref(x, u, starts):
    st = _dyn_starts(starts, x.shape, u.shape)
    out = x.copy()
    out[tuple(slice(s, s + n) for s, n in zip(st, u.shape))] = u
    return out


for _sid, _st in [("inrange", (1, 2)), ("clamp-high", (5, 9)), ("clamp-both", (2, 100))]:
    ladd(
        f"dynamic_slice-{_sid}",
        lambda l, x, _s=_st: l.dynamic_slice(x, [np.int32(v) for v in _s], (2, 3)),
        A((4, 6)),
        ref=lambda x, _s=_st: _dslice_ref(x, _s, (2, 3)),
    )
    ladd(
        f"dynamic_update_slice-{_sid}",
        lambda l, x, u, _s=_st: l.dynamic_update_slice(x, u, [np.int32(v) for v in _s]),
        A((4, 6)),
        A((2, 3)),
        ref=lambda x, u, _s=_st: _dus_ref(x, u, _s),
    )
ladd(
    "dynamic_slice-negative",
    lambda l, x: l.dynamic_slice(x, [np.int32(-3)], (4,)),
    np.arange(8, dtype=np.float32),
    ref=lambda x: _dslice_ref(x, (-3,), (4,)),
)
ladd(
    "dynamic_update_slice-negative",
    lambda l, x, u: l.dynamic_update_slice(x, u, [np.int32(-2)]),
    np.arange(8, dtype=np.float32),
    np.ones(3, np.float32),
    ref=lambda x, u: _dus_ref(x, u, (-2,)),
)
ladd(
    "dynamic_slice-u32-start",
    lambda l, x: l.dynamic_slice(x, [np.uint32(2**32 - 1)], (4,)),
    np.arange(8, dtype=np.float32),
    ref=lambda x: x[4:],
)
ladd(
    "dynamic_slice-u32-start-2**31",
    lambda l, x: l.dynamic_slice(x, [np.uint32(2**31)], (4,)),
    np.arange(8, dtype=np.float32),
    ref=lambda x: x[4:],
)
ladd(
    "dynamic_update_slice-u32-start",
    lambda l, x, u: l.dynamic_update_slice(x, u, [np.uint32(2**32 - 1)]),
    np.arange(8, dtype=np.float32),
    np.ones(3, np.float32),
    ref=lambda x, u: _dus_ref(x, u, (5,)),
)
ladd(
    "dynamic_slice-neg-clamped",
    lambda l, x: l.dynamic_slice(x, [np.int32(-20)], (4,)),
    np.arange(8, dtype=np.float32),
    ref=lambda x: x[:4],
)
ladd(
    "dynamic_slice-array-index",
    lambda l, x, i: l.dynamic_slice(x, [i, 1], (1, 2)),
    A((3, 4)),
    np.array(2, np.int32),
    ref=lambda x, i: x[2:3, 1:3],
)
ladd(
    "dynamic_index_in_dim",
    lambda l, x: l.dynamic_index_in_dim(x, np.int32(1), axis=1),
    A((3, 4)),
    ref=lambda x: x[:, 1:2],
)
ladd(
    "dynamic_index_in_dim-nokeep",
    lambda l, x: l.dynamic_index_in_dim(x, np.int32(2), 0, keepdims=False),
    A((3, 4)),
    ref=lambda x: x[2],
)
ladd("rev-0", lambda l, x: l.rev(x, (0,)), A((3, 4)), ref=lambda x: x[::-1])
ladd("rev-both", lambda l, x: l.rev(x, (0, 1)), A((3, 4), "i32"), ref=lambda x: x[::-1, ::-1])
ladd("rev-empty", lambda l, x: l.rev(x, ()), A((3,)), ref=lambda x: x)
ladd(
    "concatenate-0",
    lambda l, x, y: l.concatenate([x, y], 0),
    A((2, 3)),
    A((1, 3)),
    ref=lambda x, y: np.concatenate([x, y], 0),
)
ladd(
    "concatenate-1",
    lambda l, x, y, z: l.concatenate([x, y, z], 1),
    A((2, 1), "i32"),
    A((2, 3), "i32"),
    A((2, 2), "i32"),
    ref=lambda x, y, z: np.concatenate([x, y, z], 1),
)
ladd("reshape-lax", lambda l, x: l.reshape(x, (3, 2)), A(S23), ref=lambda x: x.reshape(3, 2))
ladd(
    "reshape-dimensions",
    lambda l, x: l.reshape(x, (6,), dimensions=(1, 0)),
    A(S23),
    ref=lambda x: x.T.reshape(6),
)
ladd(
    "transpose-lax",
    lambda l, x: l.transpose(x, (2, 0, 1)),
    A(R3),
    ref=lambda x: x.transpose(2, 0, 1),
)
ladd("squeeze-lax", lambda l, x: l.squeeze(x, (0, 2)), A((1, 3, 1)), ref=lambda x: x[0, :, 0])
ladd(
    "expand_dims-lax",
    lambda l, x: l.expand_dims(x, (0, 2)),
    A((3,)),
    ref=lambda x: x[None, :, None],
)
ladd(
    "broadcast-lax",
    lambda l, x: l.broadcast(x, (2,)),
    A((3,)),
    ref=lambda x: np.broadcast_to(x, (2, 3)),
)
ladd(
    "broadcast_in_dim-lax",
    lambda l, x: l.broadcast_in_dim(x, (2, 3, 4), (1,)),
    A((3,)),
    ref=lambda x: np.broadcast_to(x[None, :, None], (2, 3, 4)),
)
ladd(
    "broadcast_in_dim-size1",
    lambda l, x: l.broadcast_in_dim(x, (2, 3), (0, 1)),
    A((1, 3)),
    ref=lambda x: np.broadcast_to(x, (2, 3)),
)

for _name, _ref in [
    ("reduce_sum", np.sum),
    ("reduce_prod", np.prod),
    ("reduce_max", np.max),
    ("reduce_min", np.min),
]:
    _f = call(_name)
    ladd(
        f"{_name}-all",
        lambda l, x, _f=_f: _f(l, x, (0, 1, 2)),
        A(R3, "f32", "small"),
        ref=lambda x, _r=_ref: _r(x),
        rtol=1e-4 if _name == "reduce_prod" else None,
    )
    ladd(
        f"{_name}-axes",
        lambda l, x, _f=_f: _f(l, x, (0, 2)),
        A(R3, "f32", "small"),
        ref=lambda x, _r=_ref: _r(x, axis=(0, 2)),
    )
    ladd(
        f"{_name}-i32",
        lambda l, x, _f=_f: _f(l, x, (1,)),
        A(S23, "i32"),
        ref=lambda x, _r=_ref: _r(x, axis=1).astype(np.int32),
    )
    ladd(
        f"{_name}-bf16",
        lambda l, x, _f=_f: _f(l, x, (0,)),
        A((4, 3), "bf16", "small"),
        ref=lambda x, _r=_ref: _r(x, axis=0),
    )
ladd(
    "reduce_max-nan",
    lambda l, x: l.reduce_max(x, (0,)),
    A((8,), "f32", "special"),
    ref=np.max,
)
ladd("reduce_min-u32", lambda l, x: l.reduce_min(x, (0,)), A((5,), "u32"), ref=np.min)
ladd(
    "reduce_max-bool",
    lambda l, x: l.reduce_max(x, (1,)),
    A(S23, "bool"),
    ref=lambda x: x.max(axis=1),
)
for _name, _ref_b, _ref_i in [
    ("reduce_and", np.all, np.bitwise_and.reduce),
    ("reduce_or", np.any, np.bitwise_or.reduce),
]:
    _f = call(_name)
    ladd(
        f"{_name}-bool",
        lambda l, x, _f=_f: _f(l, x, (1,)),
        np.array([[True, True, True], [True, False, True], [False, False, False]]),
        ref=lambda x, _r=_ref_b: _r(x, axis=1),
    )
    ladd(
        f"{_name}-i32",
        lambda l, x, _f=_f: _f(l, x, (0,)),
        np.array([[7, 12, -1], [5, 10, 3]], np.int32),
        ref=lambda x, _r=_ref_i: _r(x, axis=0),
    )


def _lax_arg(name):
    return lambda l, x, axis: getattr(l, name)(x, axis, np.int32)


for _name, _npf in [("argmax", np.argmax), ("argmin", np.argmin)]:
    _f = _lax_arg(_name)
    ladd(
        f"{_name}-ties",
        lambda l, x, _f=_f: _f(l, x, 1),
        A((3, 6), "f32", "ties"),
        ref=lambda x, _r=_npf: _r(x, axis=1).astype(np.int32),
    )
    for _vid, _vals in [
        ("nan", [1.0, np.nan, 5.0, np.nan, -1.0]),
        ("nan-first", [np.nan, 2.0, np.nan, -np.inf, np.inf]),
        ("inf", [-np.inf, -np.inf, 3.0, np.inf, np.inf]),
    ]:
        ladd(
            f"{_name}-{_vid}",
            lambda l, x, _f=_f: _f(l, x, 0),
            np.array(_vals, np.float32),
            ref=lambda x, _r=_npf: np.int32(_r(x)),
        )
    ladd(
        f"{_name}-axis0",
        lambda l, x, _f=_f: _f(l, x, 0),
        A((4, 3), "i32", "ties"),
        ref=lambda x, _r=_npf: _r(x, axis=0).astype(np.int32),
    )


def _dot_general(dn, **kw):
    return lambda l, a, b: l.dot_general(a, b, dn, **kw)


ladd(
    "dot_general-matmul",
    _dot_general((((1,), (0,)), ((), ()))),
    A((2, 3)),
    A((3, 4)),
    ref=lambda a, b: a @ b,
)
ladd(
    "dot_general-batch",
    _dot_general((((2,), (1,)), ((0,), (0,)))),
    A((2, 2, 3)),
    A((2, 3, 4)),
    ref=lambda a, b: np.einsum("bij,bjk->bik", a, b),
)
ladd(
    "dot_general-batch-mid",
    _dot_general((((0,), (2,)), ((1,), (0,)))),
    A((3, 2, 4)),
    A((2, 5, 3)),
    ref=lambda a, b: np.einsum("kbi,bjk->bij", a, b),
)
ladd("dot_general-outer", _dot_general((((), ()), ((), ()))), A((2,)), A((3,)), ref=np.outer)
ladd(
    "dot_general-multi-contract",
    _dot_general((((0, 2), (1, 0)), ((), ()))),
    A((2, 3, 4)),
    A((4, 2, 5)),
    ref=lambda a, b: np.tensordot(a, b, ([0, 2], [1, 0])),
)
ladd(
    "dot_general-i32",
    _dot_general((((1,), (0,)), ((), ()))),
    A((2, 3), "i32"),
    A((3, 2), "i32"),
    ref=lambda a, b: a @ b,
)
# bfloat16/float16 inputs with a float32 result: products of the inputs are
# exact in float32, so the result must be float32-accurate. The reference
# accumulates in float64; 64-term rows make a bfloat16 (or float16)
# accumulation miss by ~1e-3 relative, far outside the float32 tolerance.
for _dt in ("bf16", "f16"):
    ladd(
        f"dot_general-preferred-{_dt}",
        _dot_general((((1,), (0,)), ((), ())), preferred_element_type=np.float32),
        A((3, 64), _dt),
        A((64, 2), _dt),
        ref=lambda a, b: a.astype(np.float64) @ b.astype(np.float64),
        dtype="f32",
        rtol=1e-5,
        atol=1e-5,
    )
ladd("dot-mm", call("dot"), A((2, 3)), A((3, 4)), ref=np.dot)
ladd("dot-vv", call("dot"), A((3,)), A((3,)), ref=np.dot)
ladd("dot-mv", call("dot"), A((2, 3)), A((3,)), ref=np.dot)


# Collectives, as JAX runs them without devices: under vmap with an
# axis_name, where the examples are the "devices" (mlax-batch rewrites them
# into reductions and reshuffles of the batch dimension). test_spmd.py runs
# them across real devices.
def _named_vmap(l, f, x):
    if l.__name__.startswith("jax"):
        import jax as _jax

        return _jax.vmap(f, axis_name="i")(x)
    return mlax.vmap(f, axis_name="i")(x)


def _collective(fn):
    return lambda l, x: _named_vmap(l, lambda v: fn(l, v), x)


_N = 4
for _id, _fn, _shape, _ref in [
    ("psum", lambda l, v: l.psum(v, "i"), (_N, 3), lambda x: np.broadcast_to(x.sum(0), x.shape)),
    ("pmean", lambda l, v: l.pmean(v, "i"), (_N, 3), lambda x: np.broadcast_to(x.mean(0), x.shape)),
    ("pmax", lambda l, v: l.pmax(v, "i"), (_N, 3), lambda x: np.broadcast_to(x.max(0), x.shape)),
    ("pmin", lambda l, v: l.pmin(v, "i"), (_N, 3), lambda x: np.broadcast_to(x.min(0), x.shape)),
    (
        "all_gather",
        lambda l, v: l.all_gather(v, "i"),
        (_N, 3),
        lambda x: np.broadcast_to(x, (_N,) + x.shape),
    ),
    (
        "all_gather-tiled-axis1",
        lambda l, v: l.all_gather(v, "i", axis=1, tiled=True),
        (_N, 2, 3),
        lambda x: np.broadcast_to(np.concatenate(list(x), axis=1), (_N, 2, 3 * _N)),
    ),
    ("psum_scatter", lambda l, v: l.psum_scatter(v, "i"), (_N, _N, 3), lambda x: x.sum(0)),
    (
        "psum_scatter-tiled",
        lambda l, v: l.psum_scatter(v, "i", tiled=True),
        (_N, 2 * _N, 3),
        lambda x: x.sum(0).reshape(_N, 2, 3),
    ),
    (
        "all_to_all",
        lambda l, v: l.all_to_all(v, "i", 0, 0),
        (_N, _N, 3),
        lambda x: x.transpose(1, 0, 2),
    ),
    (
        "all_to_all-tiled-0-1",
        lambda l, v: l.all_to_all(v, "i", 0, 1, tiled=True),
        (_N, 2 * _N, 3),
        lambda x: np.stack(
            [
                np.concatenate([x[j, 2 * i : 2 * i + 2] for j in range(_N)], axis=1)
                for i in range(_N)
            ]
        ),
    ),
    (
        "ppermute",
        lambda l, v: l.ppermute(v, "i", [(j, (j + 1) % _N) for j in range(_N)]),
        (_N, 3),
        lambda x: np.roll(x, 1, axis=0),
    ),
    (
        "ppermute-partial",
        lambda l, v: l.ppermute(v, "i", [(0, 2), (1, 0)]),
        (_N, 3),
        lambda x: np.stack([x[1], np.zeros(3, x.dtype), x[0], np.zeros(3, x.dtype)]),
    ),
    ("pshuffle", lambda l, v: l.pshuffle(v, "i", [3, 2, 1, 0]), (_N, 3), lambda x: x[::-1]),
    (
        "pbroadcast",
        lambda l, v: l.pbroadcast(v, "i", 2),
        (_N, 3),
        lambda x: np.broadcast_to(x[2], x.shape),
    ),
    (
        "axis_index",
        lambda l, v: v * 0 + l.axis_index("i"),
        (_N, 3),
        lambda x: np.broadcast_to(np.arange(_N, dtype=np.float32)[:, None], x.shape),
    ),
    ("axis_size", lambda l, v: v * l.axis_size("i"), (_N, 3), lambda x: x * _N),
]:
    # JAX's own vmap rules reject a partial permutation and fail on
    # pbroadcast (an internal TypeError), so those two are checked against
    # NumPy only.
    _jax_ok = _id not in ("ppermute-partial", "pbroadcast")
    ladd(f"{_id}-vmap", _collective(_fn), A(_shape, "f32"), ref=_ref, jax=_jax_ok)


def _sharding_constraint(l, x):
    if l.__name__.startswith("jax"):
        import jax as _jax

        mesh = _jax.sharding.Mesh(np.array(_jax.devices()[:1]), ("x",))
        s = _jax.sharding.NamedSharding(mesh, _jax.sharding.PartitionSpec("x"))
    else:
        mesh = mlax.sharding.Mesh(np.array(mlax.devices()[:1]), ("x",))
        s = mlax.sharding.NamedSharding(mesh, mlax.sharding.PartitionSpec("x"))
    return l.with_sharding_constraint(x * 2, s)


ladd("with_sharding_constraint", _sharding_constraint, A((4, 3), "f32"), ref=lambda x: x * 2)


# Control flow (test_control_flow.py has the derivatives, vmap and errors).
ladd(
    "cond",
    lambda l, p, x: l.cond(p, lambda v: v * 2, lambda v: v - 1, x),
    np.array(True),
    A((3,)),
    ref=lambda p, x: np.where(p, x * 2, x - 1).astype(x.dtype),
)
ladd(
    "switch",
    lambda l, i, x: l.switch(i, [lambda v: v + 1, lambda v: v * 3], x),
    np.int32(4),
    A((3,)),
    ref=lambda i, x: (x * 3).astype(x.dtype),
)
ladd(
    "while_loop",
    lambda l, x: l.while_loop(lambda c: c[0] < 4, lambda c: (c[0] + 1, c[1] * 2), (0, x))[1],
    A((3,)),
    ref=lambda x: (x * 16).astype(x.dtype),
)
ladd(
    "fori_loop",
    lambda l, x: l.fori_loop(0, 3, lambda i, v: v * 2 + 1, x),
    A((3,)),
    ref=lambda x: (x * 8 + 7).astype(x.dtype),
)
ladd(
    "scan",
    lambda l, xs: l.scan(lambda c, v: (c + v, c * v), np.zeros(3, np.float32), xs)[1],
    A((4, 3)),
    ref=lambda xs: (np.concatenate([np.zeros((1, 3)), np.cumsum(xs, 0)[:-1]]) * xs).astype(
        xs.dtype
    ),
    rtol=1e-5,
)
ladd("map", lambda l, xs: l.map(lambda v: v.sum(), xs), A((4, 3)), ref=lambda xs: xs.sum(1))
ladd(
    "associative_scan",
    lambda l, xs: l.associative_scan(lambda a, b: a + b, xs, axis=1),
    A((3, 7)),
    ref=lambda xs: np.cumsum(xs, 1).astype(xs.dtype),
    rtol=1e-5,
)
for _name in ("cumsum", "cumprod", "cummax", "cummin", "cumlogsumexp"):
    ladd(
        _name,
        lambda l, x, n=_name: getattr(l, n)(x, axis=1),
        A((3, 5)),
        ref={
            "cumsum": lambda x: np.cumsum(x, 1),
            "cumprod": lambda x: np.cumprod(x, 1),
            "cummax": lambda x: np.maximum.accumulate(x, 1),
            "cummin": lambda x: np.minimum.accumulate(x, 1),
            "cumlogsumexp": lambda x: np.logaddexp.accumulate(x, 1),
        }[_name],
        rtol=1e-5,
    )
    ladd(
        f"{_name}-reverse",
        lambda l, x, n=_name: getattr(l, n)(x, axis=0, reverse=True),
        A((4, 2)),
        ref=lambda x, n=_name: {
            "cumsum": np.cumsum,
            "cumprod": np.cumprod,
            "cummax": np.maximum.accumulate,
            "cummin": np.minimum.accumulate,
            "cumlogsumexp": np.logaddexp.accumulate,
        }[n](x[::-1], 0)[::-1],
        rtol=1e-5,
    )
ladd(
    "select_n-int",
    lambda l, w, x, y, z: l.select_n(w, x, y, z),
    np.array([0, 1, 2, 1, 0], np.int32),
    A((5,)),
    A((5,)),
    A((5,)),
    ref=lambda w, x, y, z: np.choose(w, [x, y, z]),
)


# Sorting (MlaxSortOps.td; more in test_sorting.py)
ladd("sort", lambda l, x: l.sort(x, dimension=0), A((5, 3)), ref=lambda x: np.sort(x, 0))
ladd(
    "sort-keys",
    lambda l, a, b: l.sort((a, b), num_keys=1)[1],
    np.array([3, 1, 3, 0, 1], np.int32),
    A((5,)),
    ref=lambda a, b: b[np.argsort(a, kind="stable")],
    covers=("sort",),
)
ladd(
    "sort_key_val",
    lambda l, k, v: l.sort_key_val(k, v)[1],
    A((6,)),
    A((6,), "i32"),
    ref=lambda k, v: v[np.argsort(k, kind="stable")],
)
ladd(
    "top_k",
    lambda l, x: l.top_k(x, 3),
    A((4, 7)),
    ref=lambda x: (
        -np.sort(-x, 1)[:, :3],
        np.argsort(-x, 1, kind="stable")[:, :3].astype(np.int32),
    ),
)

# XLA-style gather/scatter (more in test_lax_gather_scatter.py)
_GI = np.array([[0], [3], [1]], np.int32)
ladd(
    "gather",
    lambda l, x: l.gather(x, _GI, l.GatherDimensionNumbers((1,), (0,), (0,)), (1, 3), mode="clip"),
    A((4, 3)),
    ref=lambda x: x[_GI[:, 0]],
)
ladd(
    "index_take",
    lambda l, x: l.index_take(x, (_GI[:, 0], np.array([2, 0, 1])), (0, 1)),
    A((4, 3)),
    ref=lambda x: x[_GI[:, 0], np.array([2, 0, 1])],
)


def _np_scatter(kind):
    def ref(x, u):
        out = x.copy()
        {
            "scatter": lambda: out.__setitem__(_GI[:, 0], u),
            "scatter_add": lambda: np.add.at(out, _GI[:, 0], u),
            "scatter_sub": lambda: np.subtract.at(out, _GI[:, 0], u),
            "scatter_mul": lambda: np.multiply.at(out, _GI[:, 0], u),
            "scatter_min": lambda: np.minimum.at(out, _GI[:, 0], u),
            "scatter_max": lambda: np.maximum.at(out, _GI[:, 0], u),
        }[kind]()
        return out

    return ref


for _kind in ("scatter", "scatter_add", "scatter_sub", "scatter_mul", "scatter_min", "scatter_max"):
    ladd(
        _kind,
        lambda l, x, u, k=_kind: getattr(l, k)(
            x, _GI, u, l.ScatterDimensionNumbers((1,), (0,), (0,))
        ),
        A((4, 3)),
        A((3, 3)),
        ref=_np_scatter(_kind),
        rtol=1e-6,
    )


# ---------------------------------------------------------------------------
# Special functions (compositions of mlax ops, mlax/_src/lax/special.py): run
# under jit, one executable per case rather than one per op.
# ---------------------------------------------------------------------------


def jit_call(name, **kw):
    """fn(m, *args) calling m.<name>(*args) under m's jit."""

    def fn(m, *args):
        jit = mlax.jit if m is lax else jax.jit
        return jit(lambda *a: getattr(m, name)(*a, **kw))(*args)

    return fn


for _i, (_name, _ref, _dom) in enumerate(
    [
        ("sinh", np.sinh, "any"),
        ("cosh", np.cosh, "any"),
        ("asin", np.arcsin, "unit"),
        ("acos", np.arccos, "unit"),
        ("atan", np.arctan, "big"),
        ("asinh", np.arcsinh, "big"),
        ("acosh", np.arccosh, "pos"),
        ("atanh", np.arctanh, "unit"),
    ]
):
    ladd(f"{_name}-f32", jit_call(_name), A((2, 4), "f32", _dom), ref=_ref)
    ladd(
        f"{_name}-{'bf16' if _i % 2 else 'f16'}",
        jit_call(_name),
        A((5,), "bf16" if _i % 2 else "f16", _dom),
        ref=_ref,
    )
ladd(
    "asinh-extremes",
    jit_call("asinh"),
    np.array([-3e38, -1e5, -1e-30, -0.0, 0.0, 1e-6, 3000.0, 2e19, np.inf, np.nan], np.float32),
    ref=np.arcsinh,
)
ladd(
    "acosh-extremes",
    jit_call("acosh"),
    np.array([1.0, 1.0000001, 1.001, 3000.0, 2e19, 3e38, np.inf, 0.5], np.float32),
    ref=np.arccosh,
)
ladd(
    "asin-edges",
    jit_call("asin"),
    np.array([-1.0, -0.9999, -1e-30, -0.0, 1e-6, 0.99999, 1.0, 1.5], np.float32),
    ref=np.arcsin,
)
ladd(
    "acos-edges",
    jit_call("acos"),
    np.array([-1.0, -0.9999, -1e-30, 0.0, 1e-6, 0.99999, 1.0, 1.5], np.float32),
    ref=np.arccos,
)
ladd(
    "atanh-edges",
    jit_call("atanh"),
    np.array([-1.0, -0.99999, -1e-30, -0.0, 1e-6, 0.5, 1.0, 1.5], np.float32),
    ref=np.arctanh,
)
for _name, _ref, _dom in [
    ("lgamma", _sp.gammaln, "big"),
    ("digamma", _sp.psi, "any"),
    ("erfc", _sp.erfc, "any"),
    ("bessel_i0e", _sp.i0e, "big"),
    ("bessel_i1e", _sp.i1e, "big"),
]:
    ladd(f"{_name}-f32", jit_call(_name), A((2, 4), "f32", _dom), ref=_ref, rtol=2e-6)
    ladd(f"{_name}-bf16", jit_call(_name), A((5,), "bf16", _dom), ref=_ref)
_GAMMA_EDGES = np.array(
    [-2.5, -2.0, -1e-8, 0.0, 1e-30, 0.5, 1.0, 2.0, 1e4, 1e30, np.inf, np.nan], np.float32
)
ladd("lgamma-edges", jit_call("lgamma"), _GAMMA_EDGES, ref=_sp.gammaln, rtol=2e-6)
ladd(
    "digamma-edges",
    jit_call("digamma"),
    _GAMMA_EDGES,
    ref=lambda x: np.where(x == 0, np.nan, _sp.psi(x)),  # NaN at the pole 0, as in JAX
    rtol=2e-6,
    atol=1e-6,
)
ladd(
    "erfc-tails",
    jit_call("erfc"),
    np.array([-30.0, -3.0, -1.0, 0.0, 0.5, 1.0, 1.5, 3.0, 9.0, 10.0, 12.0, np.inf], np.float32),
    ref=_sp.erfc,
    rtol=2e-5,  # float32 exp(-x²) with x² rounded, as in XLA
)
ladd(
    "zeta-f32",
    jit_call("zeta"),
    np.array([1.0, 1.5, 2.0, 3.0, 4.5, 10.0, 2.0, 0.5, 2.0, 3.0, 2.0], np.float32),
    np.array([1.0, 1.0, 0.5, 2.0, 1e-3, 3.0, 100.0, 1.0, -1.0, -2.5, 0.0], np.float32),
    ref=_sp.zeta,
    rtol=2e-6,
)
ladd(
    "polygamma-f32",
    jit_call("polygamma"),
    np.array([0.0, 1.0, 1.0, 2.0, 3.0, 1.5, -1.0, 4.0], np.float32),
    np.array([0.5, 0.1, -2.5, 1.0, 10.0, 1.0, 1.0, 2.7], np.float32),
    ref=_sp.polygamma,
    rtol=1e-5,
)
_IGAMMA_A = np.array([0.5, 1.0, 2.0, 3.0, 10.0, 100.0, 1e-3, 20.0, 0.0, -1.0, 2.0], np.float32)
_IGAMMA_X = np.array([0.5, 3.0, 2.0, 10.0, 9.5, 90.0, 1e-3, 40.0, 1.0, 1.0, np.inf], np.float32)


def _d_gammainc_da(a, x):
    a, x = a.astype(np.float64), x.astype(np.float64)
    h = 1e-6 * np.maximum(a, 1.0)
    return (_sp.gammainc(a + h, x) - _sp.gammainc(a - h, x)) / (2 * h)


def _random_gamma_grad_ref(a, x):
    # dx/da along P(a, x) = u fixed: -(dP/da) / (dP/dx)
    a64, x64 = a.astype(np.float64), x.astype(np.float64)
    dp_dx = np.exp(-x64 + (a64 - 1) * np.log(x64) - _sp.gammaln(a64))
    return -_d_gammainc_da(a, x) / dp_dx


ladd("igamma-f32", jit_call("igamma"), _IGAMMA_A, _IGAMMA_X, ref=_sp.gammainc, rtol=1e-5)
ladd("igammac-f32", jit_call("igammac"), _IGAMMA_A, _IGAMMA_X, ref=_sp.gammaincc, rtol=1e-5)
ladd(
    "igamma_grad_a-f32",
    jit_call("igamma_grad_a"),
    _IGAMMA_A[:8],
    _IGAMMA_X[:8],
    ref=_d_gammainc_da,
    rtol=1e-4,
    atol=1e-6,
)
ladd(
    "random_gamma_grad-f32",
    jit_call("random_gamma_grad"),
    _IGAMMA_A[:8],
    _IGAMMA_X[:8],
    ref=_random_gamma_grad_ref,
    rtol=1e-4,
)
ladd(
    "betainc-f32",
    jit_call("betainc"),
    np.array([0.5, 1.0, 2.0, 5.0, 0.1, 10.0, 100.0, 1e-3, 2.0, 3.0, 0.0, 2.0], np.float32),
    np.array([0.5, 1.0, 3.0, 2.0, 0.2, 10.0, 50.0, 2.0, 1e-3, 3.0, 1.0, 2.0], np.float32),
    np.array([0.3, 0.5, 0.9, 0.1, 0.99, 0.5, 0.7, 0.5, 0.5, 0.0, 0.5, 1.2], np.float32),
    ref=_sp.betainc,
    rtol=5e-5,  # a = 100, b = 50: float32 lgamma differences, as in JAX
)
ladd(
    "sinh-edges",
    jit_call("sinh"),
    np.array([-88.0, -1.0, -1e-30, -0.0, 1e-6, 0.9, 1.0, 88.0, np.inf], np.float32),
    ref=np.sinh,
)


# ---------------------------------------------------------------------------
# The rest of jax.lax's namespace (mlax/_src/lax/extras.py, transforms/lax_extras.py)
# ---------------------------------------------------------------------------


def jit_fn(f):
    """fn(m, *args) running f(m, *args) under m's jit (one compile per case)."""

    def fn(m, *args):
        jit = mlax.jit if m is lax else jax.jit
        return jit(lambda *a: f(m, *a))(*args)

    return fn


def _raises(name, exc, *call_args, **call_kw):
    """A case fn checking that m.<name>(x, ...) raises exc; returns x (the
    ref is the identity). For names whose JAX version computes (jax=False)."""

    def fn(m, x):
        with pytest.raises(exc):
            getattr(m, name)(x, *call_args, **call_kw)
        return x

    return fn


def _bits_ref(per_value):
    def ref(x):
        width = x.dtype.itemsize * 8
        u = x.view(np.dtype(f"uint{width}"))
        out = np.array([per_value(int(v), width) for v in u.ravel()], np.uint64)
        return out.astype(u.dtype).view(x.dtype).reshape(x.shape)

    return ref


_popcount_ref = _bits_ref(lambda v, w: v.bit_count())
_clz_ref = _bits_ref(lambda v, w: w - v.bit_length())


def _mulhi_ref(x, y):
    width = x.dtype.itemsize * 8
    p = x.astype(object) * y.astype(object)
    return np.array([(int(v) >> width) for v in p.ravel()], np.int64).astype(x.dtype)


def _reduce_window_ref(x, init, op, window, strides, pads, base=None, wdil=None):
    """NumPy reduce_window: dilate, pad with init, fold op over each window."""
    n = x.ndim
    base = base or (1,) * n
    wdil = wdil or (1,) * n
    dil_shape = [(d - 1) * b + 1 for d, b in zip(x.shape, base)]
    dilated = np.full(dil_shape, init, x.dtype)
    dilated[tuple(np.s_[::b] for b in base)] = x
    padded = np.pad(dilated, [(max(lo, 0), max(hi, 0)) for lo, hi in pads], constant_values=init)
    padded = padded[
        tuple(np.s_[-min(lo, 0) : padded.shape[i] + min(hi, 0)] for i, (lo, hi) in enumerate(pads))
    ]
    eff = [(w - 1) * r + 1 for w, r in zip(window, wdil)]
    out_shape = [(p - e) // s + 1 for p, e, s in zip(padded.shape, eff, strides)]
    out = np.full(out_shape, init, x.dtype)
    for idx in np.ndindex(*out_shape):
        acc = np.asarray(init, x.dtype)
        for off in np.ndindex(*window):
            pos = tuple(i * s + o * r for i, s, o, r in zip(idx, strides, off, wdil))
            acc = op(acc, padded[pos])
        out[idx] = acc
    return out


_RW = A((4, 6))
ladd(
    "reduce_window-max-valid",
    jit_fn(lambda l, x: l.reduce_window(x, -np.inf, l.max, (2, 3), (1, 2), "VALID")),
    _RW,
    ref=lambda x: _reduce_window_ref(x, -np.inf, np.maximum, (2, 3), (1, 2), [(0, 0)] * 2),
)
ladd(
    "reduce_window-add-same",
    jit_fn(lambda l, x: l.reduce_window(x, 0.0, l.add, (3, 2), (2, 1), "SAME")),
    _RW,
    ref=lambda x: _reduce_window_ref(x, 0.0, np.add, (3, 2), (2, 1), [(0, 1), (0, 1)]),
)
ladd(
    "reduce_window-min-dilated",
    jit_fn(
        lambda l, x: l.reduce_window(
            x,
            np.inf,
            l.min,
            (2, 2),
            (1, 2),
            [(1, 0), (-1, 2)],
            base_dilation=(2, 1),
            window_dilation=(1, 2),
        )
    ),
    _RW,
    ref=lambda x: _reduce_window_ref(
        x, np.inf, np.minimum, (2, 2), (1, 2), [(1, 0), (-1, 2)], (2, 1), (1, 2)
    ),
)
ladd(
    "reduce_window-generic-mul",
    jit_fn(lambda l, x: l.reduce_window(x, 1.0, lambda a, b: a * b, (2, 2), (2, 2), "VALID")),
    _RW,
    ref=lambda x: _reduce_window_ref(x, 1.0, np.multiply, (2, 2), (2, 2), [(0, 0)] * 2),
)
ladd(
    "reduce_window-i32-add",
    jit_fn(lambda l, x: l.reduce_window(x, 0, l.add, (3,), (1,), "SAME")),
    A((7,), "i32"),
    ref=lambda x: _reduce_window_ref(x, 0, np.add, (3,), (1,), [(1, 1)]),
)
ladd(
    "reduce_window_shape_tuple",
    lambda l, x: l.full(
        l.reduce_window_shape_tuple(x.shape, (2, 3), (1, 2), [(1, 0), (0, 2)], (1, 2), (2, 1)), 0.0
    ),
    A((4, 6)),
    ref=lambda x: np.zeros((3, 6), np.float32),
)
ladd(
    "padtype_to_pads-same",
    lambda l, x: l.pad(
        x, 0.0, [(lo, hi, 0) for lo, hi in l.padtype_to_pads(x.shape, (2, 3), (2, 1), "SAME")]
    ),
    A((5, 6)),
    ref=lambda x: np.pad(x, [(0, 1), (1, 1)]),
)
ladd(
    "reduce-add", jit_fn(lambda l, x: l.reduce(x, 0.0, l.add, (1,))), A(R3), ref=lambda x: x.sum(1)
)
ladd(
    "reduce-max-init",
    jit_fn(lambda l, x: l.reduce(x, 0.5, l.max, (0, 2))),
    A(R3),
    ref=lambda x: np.maximum(x.max((0, 2)), 0.5),
)
ladd(
    "reduce-scan-lambda",
    jit_fn(lambda l, x: l.reduce(x, 1.0, lambda a, b: a + b, (0,))),
    A(R3),
    ref=lambda x: x.sum(0) + 1,
)
ladd(
    "reduce-tuple",
    jit_fn(
        lambda l, x, y: l.reduce(
            (x, y), (0.0, 0), lambda a, b: (l.add(a[0], b[0]), l.max(a[1], b[1])), (1,)
        )
    ),
    A(S23),
    A(S23, "i32"),
    ref=lambda x, y: (x.sum(1), np.maximum(y.max(1), 0)),
)
ladd(
    "reduce_xor-i32",
    jit_fn(lambda l, x: l.reduce_xor(x, (1,))),
    A((3, 5), "i32", "bits"),
    ref=lambda x: np.bitwise_xor.reduce(x, axis=1),
)
ladd(
    "reduce_xor-bool",
    jit_fn(lambda l, x: l.reduce_xor(x, (0,))),
    A((5, 2), "bool"),
    ref=lambda x: np.logical_xor.reduce(x, axis=0),
)
ladd(
    "reduce_precision-f16",
    jit_fn(lambda l, x: l.reduce_precision(x, 5, 10)),
    A((12,), "f32", "big"),
    ref=lambda x: x.astype(np.float16).astype(np.float32),
    exact=True,
)
ladd(
    "reduce_precision-bf16",
    jit_fn(lambda l, x: l.reduce_precision(x, 8, 7)),
    A((8,), "f32", "special"),
    ref=lambda x: x.astype(ml_dtypes.bfloat16).astype(np.float32),
    exact=True,
)
ladd(
    "population_count-i32",
    jit_call("population_count"),
    A((4, 3), "i32", "bits"),
    ref=_popcount_ref,
)
ladd("population_count-u8", jit_call("population_count"), A((6,), "u8", "bits"), ref=_popcount_ref)
ladd("clz-i32", jit_call("clz"), A((4, 3), "i32", "bits"), ref=_clz_ref)
ladd("clz-u8", jit_call("clz"), np.array([0, 1, 2, 127, 128, 255], np.uint8), ref=_clz_ref)
ladd("mulhi-i32", jit_call("mulhi"), A((8,), "i32", "bits"), A((8,), "i32", "bits"), ref=_mulhi_ref)
ladd("mulhi-u32", jit_call("mulhi"), A((8,), "u32", "bits"), A((8,), "u32", "bits"), ref=_mulhi_ref)
ladd("mulhi-i8", jit_call("mulhi"), A((8,), "i8", "bits"), A((8,), "i8", "bits"), ref=_mulhi_ref)
ladd(
    "nextafter-f32",
    jit_call("nextafter"),
    A((8,), "f32", "special"),
    A((8,), "f32"),
    ref=np.nextafter,
    exact=True,
)
ladd("reciprocal-f32", jit_call("reciprocal"), A(S23, "f32", "nz"), ref=np.reciprocal)
ladd("square-f32", jit_call("square"), A(S23), ref=np.square)
ladd("square-i32", jit_call("square"), A((5,), "i32"), ref=np.square)
ladd("real-raises", _raises("real", TypeError), A((3,)), ref=lambda x: x, jax=False)
ladd("imag-raises", _raises("imag", TypeError), A((3,)), ref=lambda x: x, jax=False)
# JAX's conj of a real array is complex64.
ladd("conj-real", call("conj"), A((3,)), ref=lambda x: x.astype(np.complex64))
ladd("conj-c64", call("conj"), A(S23, "c64"), ref=np.conj)
ladd("real-c64", call("real"), A(S23, "c64"), ref=np.real)
ladd("imag-c64", call("imag"), A(S23, "c64"), ref=np.imag)
ladd("complex-f32", call("complex"), A(S23), A(S23), ref=lambda x, y: x + 1j * y)
ladd("fft-c64", lambda m, x: m.fft(x, "FFT", (3,)), A(S23, "c64"), ref=np.fft.fft)
ladd("fft-rfft2", lambda m, x: m.fft(x, "RFFT", (2, 3)), A(S23), ref=np.fft.rfft2)


def _np_conv_valid(x, w, stride):
    """NCHW x OIHW, VALID padding: the sum over windows, by NumPy."""
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    win = win[:, :, ::stride, ::stride]
    return np.einsum("nchwij,ocij->nohw", win, w).astype(x.dtype)


ladd(
    "conv-f32",
    lambda m, x, w: m.conv(x, w, (2, 2), "VALID"),
    A((2, 3, 7, 6)),
    A((4, 3, 3, 2)),
    ref=lambda x, w: _np_conv_valid(x, w, 2),
    rtol=1e-5,
)
ladd(
    "conv_general_dilated-f32",
    jit_call("conv_general_dilated", window_strides=(1, 1), padding="VALID"),
    A((1, 2, 5, 5)),
    A((3, 2, 3, 3)),
    ref=lambda x, w: _np_conv_valid(x, w, 1),
    rtol=1e-5,
)
ladd(
    "conv_with_general_padding-f32",
    lambda m, x, w: m.conv_with_general_padding(x, w, (1, 1), ((0, 0), (0, 0)), None, None),
    A((1, 2, 5, 4)),
    A((2, 2, 2, 2)),
    ref=lambda x, w: _np_conv_valid(x, w, 1),
    rtol=1e-5,
)
ladd(
    "conv_transpose-f32",
    lambda m, x, w: m.conv_transpose(
        x, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW")
    ),
    A((1, 2, 4, 4)),
    A((3, 2, 2, 2)),
    # stride 1, VALID, transpose_kernel=False: the full correlation (padding k - 1).
    ref=lambda x, w: _np_conv_valid(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))), w, 1),
    rtol=1e-5,
)
ladd(
    "rng_bit_generator-later",
    _raises("rng_bit_generator", NotImplementedError, (3,)),
    np.array([1, 2, 3, 4], np.uint32),
    ref=lambda x: x,
    jax=False,
)
ladd(
    "rng_uniform-f32",
    lambda l, x: l.rng_uniform(np.float32(-1), np.float32(2), (4, 5)),
    A((1,)),
    ref=lambda x: np.zeros((4, 5), np.float32),
    values=False,
)
ladd(
    "empty-f32",
    lambda l, x: l.empty((2, 3), np.float32),
    A((1,)),
    ref=lambda x: np.zeros(S23, np.float32),
    values=False,
)
ladd(
    "dtype",
    lambda l, x: l.convert_element_type(x, l.dtype(np.int8(1))),
    A((4,)),
    ref=lambda x: x.astype(np.int8),
)
ladd(
    "platform_dependent",
    lambda l, x: l.platform_dependent(x, cpu=lambda v: v * 2, default=lambda v: v),
    A(S23),
    ref=lambda x: x * 2,
)
ladd("collapse", lambda l, x: l.collapse(x, 1), A(R3), ref=lambda x: x.reshape(2, 12))
ladd("collapse-range", lambda l, x: l.collapse(x, 0, 2), A(R3), ref=lambda x: x.reshape(6, 4))
ladd("index_in_dim", lambda l, x: l.index_in_dim(x, -1, 1, False), A(R3), ref=lambda x: x[:, -1])
ladd(
    "slice_in_dim",
    lambda l, x: l.slice_in_dim(x, None, -1, 2, 2),
    A(R3),
    ref=lambda x: x[:, :, :-1:2],
)
ladd(
    "dynamic_slice_in_dim",
    jit_fn(lambda l, x, i: l.dynamic_slice_in_dim(x, i, 2, 2)),
    A(R3),
    np.int32(-3),
    ref=lambda x, i: x[:, :, 1:3],
)
ladd(
    "dynamic_update_slice_in_dim",
    jit_fn(lambda l, x, u, i: l.dynamic_update_slice_in_dim(x, u, i, 1)),
    A(R3),
    A((2, 2, 4)),
    np.int32(1),
    ref=lambda x, u, i: np.concatenate([x[:, :1], u], 1),
)
ladd(
    "dynamic_update_index_in_dim",
    jit_fn(lambda l, x, u, i: l.dynamic_update_index_in_dim(x, u, i, 0)),
    A(R3),
    A((3, 4)),
    np.int32(-1),
    ref=lambda x, u, i: np.concatenate([x[:1], u[None]], 0),
)
ladd(
    "broadcast_to_rank",
    lambda l, x: l.broadcast_to_rank(x, 3),
    A((4,)),
    ref=lambda x: x[None, None],
)
ladd(
    "broadcast_shapes",
    lambda l, x: l.broadcast_in_dim(x, l.broadcast_shapes((1, 3), (2, 1)), (0, 1)),
    A((1, 3)),
    ref=lambda x: np.broadcast_to(x, (2, 3)),
)
ladd(
    "broadcast_like",
    call("broadcast_like"),
    A((4,)),
    A(R3),
    ref=lambda x, y: np.broadcast_to(x, R3),
)
ladd(
    "batch_matmul",
    jit_call("batch_matmul"),
    A((2, 3, 4)),
    A((2, 4, 5)),
    ref=lambda x, y: x @ y,
)
ladd("tile", lambda l, x: l.tile(x, (2, 1, 3)), A(R3), ref=lambda x: np.tile(x, (2, 1, 3)))
ladd("split", lambda l, x: l.split(x, (1, 3, 0), 2), A(R3), ref=lambda x: np.split(x, [1, 4], 2))
ladd(
    "stack",
    lambda l, x, y: l.stack([x, y], 1),
    A(S23),
    A(S23),
    ref=lambda x, y: np.stack([x, y], 1),
)
ladd("unstack", lambda l, x: l.unstack(x, 1), A(R3), ref=lambda x: [x[:, i] for i in range(3)])
ladd(
    "approx_max_k",
    jit_fn(lambda l, x: l.approx_max_k(x, 2)),
    A((3, 6)),
    ref=lambda x: (
        -np.sort(-x, 1)[:, :2],
        np.argsort(-x, 1, kind="stable")[:, :2].astype(np.int32),
    ),
)
ladd(
    "approx_min_k",
    jit_fn(lambda l, x: l.approx_min_k(x, 3, reduction_dimension=0)),
    A((5, 2)),
    ref=lambda x: (np.sort(x, 0)[:3], np.argsort(x, 0, kind="stable")[:3].astype(np.int32)),
)
_SCATTER_DN = lax.ScatterDimensionNumbers(
    update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)
)
_JAX_SCATTER_DN = jax.lax.ScatterDimensionNumbers(
    update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)
)


def _scatter_apply_ref(x, idx):
    out = x.copy()
    out[np.unique(idx)] = np.exp(x[np.unique(idx)])
    return out


ladd(
    "scatter_apply",
    jit_fn(
        lambda l, x, i: l.scatter_apply(
            x,
            i,
            l.exp,
            _SCATTER_DN if l is lax else _JAX_SCATTER_DN,
            update_shape=(2,),
        )
    ),
    A((5,)),
    np.array([[3], [1]], np.int32),
    ref=lambda x, i: _scatter_apply_ref(x, i[:, 0]),
    rtol=1e-6,
)


def _newton_sqrt(l, a):
    def solve(f, x0):
        return l.fori_loop(0, 25, lambda i, x: x - f(x) / (2 * x), x0)

    return l.custom_root(
        lambda x: x * x - a, l.full_like(a, 1.0), solve, lambda g, y: y / g(l.full_like(y, 1.0))
    )


ladd("custom_root", jit_fn(_newton_sqrt), A((5,), "f32", "pos"), ref=np.sqrt)
ladd(
    "custom_linear_solve",
    jit_fn(lambda l, a, b: l.custom_linear_solve(lambda x: a * x, b, lambda mv, v: v / a)),
    A((4,), "f32", "pos"),
    A((4,)),
    ref=lambda a, b: b / a,
)


def _conv_helpers(m, x):
    spec = ("NCHW", "OIHW", "NHWC")
    dn = m.conv_dimension_numbers((1, 2, 5, 5), (3, 2, 3, 3), spec)
    vals = [d for perm in dn for d in perm]
    vals += list(m.conv_general_shape_tuple((1, 2, 5, 5), (3, 2, 3, 3), (1, 1), "SAME", spec))
    vals += list(m.conv_shape_tuple((1, 2, 5, 5), (3, 2, 3, 3), (2, 2), ((1, 1), (0, 0))))
    vals += list(m.conv_transpose_shape_tuple((1, 2, 5, 5), (3, 2, 3, 3), (2, 2), "SAME", spec))
    vals += [d for spec in m.conv_general_permutations(("NCHW", "OIHW", "NCHW")) for d in spec]
    return np.asarray(vals, np.int32) + x.astype(np.int32) * 0


ladd(
    "conv_shape_helpers",
    _conv_helpers,
    np.zeros((), np.float32),
    ref=lambda x: _conv_helpers(jax.lax, x),
    covers=(
        "conv_dimension_numbers",
        "conv_general_shape_tuple",
        "conv_shape_tuple",
        "conv_transpose_shape_tuple",
        "conv_general_permutations",
    ),
    jax=False,
)
ladd(
    "conv_general_dilated_patches-f32",
    jit_call(
        "conv_general_dilated_patches", filter_shape=(2, 2), window_strides=(1, 1), padding="VALID"
    ),
    A((1, 2, 4, 4)),
    ref=lambda x: np.asarray(jax.lax.conv_general_dilated_patches(x, (2, 2), (1, 1), "VALID")),
    rtol=1e-6,
)
ladd(
    "conv_general_dilated_local-f32",
    jit_call(
        "conv_general_dilated_local", window_strides=(1, 1), padding="VALID", filter_shape=(2, 2)
    ),
    A((1, 2, 3, 3)),
    A((3, 8, 2, 2)),
    ref=lambda x, w: np.asarray(jax.lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (2, 2))),
    rtol=1e-5,
)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_lax_parity(case):
    run_case(case, module=lax, ref_module=None)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in CASES if c.jax])
def test_lax_matches_jax(case):
    check_against_jax(case, lax, jax.lax)


def test_lax_add_bool_rejected():
    t = jnp.asarray(np.array([True, False]))
    with pytest.raises(TypeError):
        lax.add(t, t)
    with pytest.raises(TypeError):
        lax.mul(t, t)
    with pytest.raises(TypeError):
        jax.lax.add(np.array([True, False]), np.array([True, False]))
    with pytest.raises(TypeError):
        jax.lax.mul(np.array([True, False]), np.array([True, False]))


def test_lax_add_bool_constants_consistent():
    # Inside jit both operands are constants (a candidate for constant folding):
    # lax.add on bool is rejected there too, as eagerly. jnp.add on bool stays a
    # logical or, as in NumPy and JAX (True + True is True), folded or not.
    a, b = np.array([True, False]), np.array([True, True])
    with pytest.raises(TypeError):
        lax.add(jnp.asarray(a), jnp.asarray(b))
    with pytest.raises(TypeError):
        mlax.jit(lambda: lax.add(jnp.array(a), jnp.array(b)))()
    eager = jnp.add(jnp.asarray(a), jnp.asarray(b))
    assert_allclose(eager, np.array([True, True]), BOOL)
    folded = mlax.jit(lambda: jnp.add(jnp.array(a), jnp.array(b)))()
    assert_allclose(folded, np.array([True, True]), BOOL)


def test_lax_full_weak_type():
    assert lax.full((2,), 1.5).weak_type
    assert not lax.full((2,), 1.5, np.float32).weak_type


# ---------------------------------------------------------------------------
# Derivatives of reduce_window, reduce (scan path), custom_root and
# custom_linear_solve: against jax.grad (float32) and float64 finite differences
# ---------------------------------------------------------------------------

# Distinct values (no ties inside a window: max's derivative at ties differs
# between an elementwise max chain and XLA's select_and_scatter).
_WINDOW_X = np.array(
    [[1.0, 5.0, 2.0, -3.0, 4.0], [0.5, 2.5, -1.0, 7.0, 3.0], [4.25, 4.5, 1.5, 0.25, -2.0]],
    np.float32,
)


def _window_losses(l):
    return {
        "max-same": lambda x: (
            l.reduce_window(x, -np.inf, l.max, (2, 2), (1, 2), "SAME") ** 2
        ).sum(),
        "add-dilated": lambda x: (
            l.reduce_window(x, 0.0, l.add, (2, 3), (1, 1), [(1, 0), (0, 1)], window_dilation=(1, 2))
            ** 2
        ).sum(),
        "min-base-dilated": lambda x: (
            l.reduce_window(x, np.inf, l.min, (2, 2), (2, 1), "VALID", base_dilation=(2, 1)) ** 3
        ).sum(),
        "reduce-scan": lambda x: (l.reduce(x, 0.0, lambda a, b: a + b, (1,)) ** 2).sum(),
        "reduce-max": lambda x: (l.reduce(x, -np.inf, l.max, (0,)) ** 2).sum(),
    }


@pytest.mark.parametrize("name", sorted(_window_losses(lax)))
def test_window_and_reduce_grads_match_jax(name, x64):
    got = mlax.jit(mlax.grad(_window_losses(lax)[name]))(_WINDOW_X)
    want = jax.grad(_window_losses(jax.lax)[name])(_WINDOW_X)
    assert_allclose(got, np.asarray(want), np.float32, rtol=1e-6)
    # float64: mlax's derivative against finite differences of mlax's value
    loss = mlax.jit(_window_losses(lax)[name])
    x64_input = _WINDOW_X.astype(np.float64)
    g64 = mlax.jit(mlax.grad(_window_losses(lax)[name]))(x64_input)
    fd = fd_grad(lambda v: float(loss(v)), x64_input, eps=1e-6)
    np.testing.assert_allclose(np.asarray(g64), fd, rtol=1e-6, atol=1e-6)


def _sqrt_via_root(l):
    def fn(a):
        def solve(f, x0):
            return l.fori_loop(0, 40, lambda i, x: x - f(x) / (2 * x), x0)

        root = l.custom_root(
            lambda x: x * x - a, l.full_like(a, 1.0), solve, lambda g, y: y / g(l.full_like(y, 1.0))
        )
        return (root * a).sum()

    return fn


def _diag_solve(l):
    def fn(a, b):
        solve = lambda mv, v: v / a
        return (l.custom_linear_solve(lambda x: a * x, b, solve, solve) ** 2).sum()

    return fn


def test_custom_root_grad_matches_jax_and_implicit_derivative(x64):
    a = np.array([0.5, 2.0, 9.0], np.float32)
    got = mlax.jit(mlax.grad(_sqrt_via_root(lax)))(a)
    want = jax.grad(_sqrt_via_root(jax.lax))(a)
    assert_allclose(got, np.asarray(want), np.float32, rtol=1e-6)
    a64 = a.astype(np.float64)
    # d/da (sqrt(a) a) = 1.5 sqrt(a)
    g64 = mlax.grad(_sqrt_via_root(lax))(a64)
    np.testing.assert_allclose(np.asarray(g64), 1.5 * np.sqrt(a64), rtol=1e-12)
    tangent = mlax.jvp(_sqrt_via_root(lax), (a64,), (np.ones(3),))[1]
    np.testing.assert_allclose(float(tangent), (1.5 * np.sqrt(a64)).sum(), rtol=1e-12)


def test_custom_linear_solve_grad_matches_jax(x64):
    a = np.array([0.5, 2.0, 3.0], np.float32)
    b = np.array([1.0, -2.0, 0.25], np.float32)
    got = mlax.grad(_diag_solve(lax), argnums=(0, 1))(a, b)
    want = jax.grad(_diag_solve(jax.lax), argnums=(0, 1))(a, b)
    for g, w in zip(got, want):
        assert_allclose(g, np.asarray(w), np.float32, rtol=1e-6)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    g64 = mlax.grad(_diag_solve(lax))(a64, b64)
    np.testing.assert_allclose(np.asarray(g64), -2 * b64**2 / a64**3, rtol=1e-12)


def test_extras_bad_input():
    x = jnp.asarray(np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match="one entry per operand"):
        lax.reduce_window(x, 0.0, lax.add, (2,), (1, 1))
    with pytest.raises(ValueError, match="Sum of sizes"):
        lax.split(x, (1, 1), 1)
    with pytest.raises(ValueError, match="Incompatible shapes"):
        lax.broadcast_shapes((2, 3), (4,))
    with pytest.raises(ValueError):
        jax.lax.broadcast_shapes((2, 3), (4,))
    with pytest.raises(TypeError, match="integer"):
        lax.population_count(x)
    with pytest.raises(ValueError, match=r"must be a square matrix. Got shape \(2, 3\)"):
        lax.linalg.schur(x)
