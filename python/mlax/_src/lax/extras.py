"""The rest of jax.lax's namespace, built from the existing primitives (no
op of its own): bit counting, reduce_precision, windowed reductions
(pad + strided slices, one per window offset), the *_in_dim helpers, shape
utilities, approximate top-k (exact top-k is a valid answer under JAX's
recall_target) and the enums JAX's signatures take. FFT and linear algebra
are a later issue: their names raise NotImplementedError. Convolutions are
in transforms/convolution.py.
"""

import builtins
import enum
import itertools
import math
import operator

import numpy as np

from ..core import aval_of, dtypes, user_error
from .common import _as_operand, _canon_axes
from .elementwise import (
    _NARROW_FLOATS,
    _scalar,
    accumulate_wide,
    add,
    bitcast_convert_type,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    convert_element_type,
    div,
    eq,
    full,
    full_like,
    gt,
    le,
    lt,
    max,
    min,
    mul,
    ne,
    select,
    shift_left,
    shift_right_logical,
    sub,
)
from .indexing import scatter_add
from .reductions import (
    dot_general,
    reduce_and,
    reduce_max,
    reduce_min,
    reduce_or,
    reduce_prod,
    reduce_sum,
)
from .shape import broadcast_in_dim, concatenate, expand_dims, pad, reshape, squeeze
from .slicing import dynamic_slice, dynamic_update_slice, slice, slice_in_dim
from .sorting import top_k

_UINT_OF_BITS = {8: np.dtype(np.uint8), 16: np.dtype(np.uint16), 32: np.dtype(np.uint32)}
_UINT_OF_BITS[64] = np.dtype(np.uint64)
_INT_OF_BITS = {8: np.dtype(np.int8), 16: np.dtype(np.int16), 32: np.dtype(np.int32)}
_INT_OF_BITS[64] = np.dtype(np.int64)


# ---------------------------------------------------------------------------
# Enums and aliases that JAX's signatures take (mlax has one algorithm each)
# ---------------------------------------------------------------------------


class Precision(enum.Enum):
    """Accepted and ignored: mlax's dot products run at full float32."""

    DEFAULT = 0
    HIGH = 1
    HIGHEST = 2

    def __str__(self):
        return self.name


class DotAlgorithmPreset(enum.Enum):
    DEFAULT = enum.auto()
    ANY_F8_ANY_F8_F32 = enum.auto()
    ANY_F8_ANY_F8_F32_FAST_ACCUM = enum.auto()
    ANY_F8_ANY_F8_ANY = enum.auto()
    ANY_F8_ANY_F8_ANY_FAST_ACCUM = enum.auto()
    F16_F16_F16 = enum.auto()
    F16_F16_F32 = enum.auto()
    BF16_BF16_BF16 = enum.auto()
    BF16_BF16_F32 = enum.auto()
    BF16_BF16_F32_X3 = enum.auto()
    BF16_BF16_F32_X6 = enum.auto()
    BF16_BF16_F32_X9 = enum.auto()
    TF32_TF32_F32 = enum.auto()
    TF32_TF32_F32_X3 = enum.auto()
    F32_F32_F32 = enum.auto()
    F64_F64_F64 = enum.auto()

    def __str__(self):
        return self.name


class RandomAlgorithm(enum.IntEnum):
    RNG_DEFAULT = 0
    RNG_THREE_FRY = 1
    RNG_PHILOX = 2

    def __str__(self):
        return self.name


DotDimensionNumbers = tuple  # ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))
PrecisionLike = object


def dtype(x):
    """The canonical dtype of x (Python scalars: the default int/float)."""
    if hasattr(x, "dtype") and not isinstance(x, type):
        return dtypes.canonicalize_dtype(x.dtype)
    return dtypes.dtype_and_weak(x)[0] if not isinstance(x, type) else dtypes.canonicalize_dtype(x)


def empty(shape, dtype, *, out_sharding=None):
    """Zeros, as JAX's lax.empty gives (its values are unspecified)."""
    return full(shape, 0, dtype)


def platform_dependent(*args, default=None, **per_platform):
    """The 'cpu' branch (mlax's only platform), else `default`."""
    branch = per_platform.get("cpu", default)
    if branch is None:
        raise user_error(
            NotImplementedError,
            "platform_dependent: no branch for platform 'cpu' and no default",
        )
    return branch(*args)


# ---------------------------------------------------------------------------
# Elementwise
# ---------------------------------------------------------------------------


def _unsigned_bits(name, x):
    x = _as_operand(x)
    d = aval_of(x).dtype
    if not dtypes.is_int(d) or d == dtypes.bool_:
        raise user_error(
            TypeError,
            f"{name} does not accept dtype {d}. Accepted dtypes are subtypes of integer.",
        )
    bits = np.dtype(d).itemsize * 8
    return x, d, bits, bitcast_convert_type(x, _UINT_OF_BITS[bits])


def _u(u, value):
    return full_like(u, value)


def population_count(x):
    """The number of set bits of each element (its two's complement bits for
    signed types), in x's dtype."""
    x, d, bits, u = _unsigned_bits("population_count", x)
    ones = (1 << bits) - 1
    m1, m2, m4 = ones // 3, ones // 5, ones // 17  # 0x55.., 0x33.., 0x0f..
    u = sub(u, bitwise_and(shift_right_logical(u, _u(u, 1)), _u(u, m1)))
    u = add(bitwise_and(u, _u(u, m2)), bitwise_and(shift_right_logical(u, _u(u, 2)), _u(u, m2)))
    u = bitwise_and(add(u, shift_right_logical(u, _u(u, 4))), _u(u, m4))
    if bits > 8:  # sum the bytes into the top one
        u = shift_right_logical(mul(u, _u(u, ones // 255)), _u(u, bits - 8))
    return bitcast_convert_type(u, d) if d.kind == "i" else u


def clz(x):
    """The number of leading zero bits of each element, in x's dtype."""
    x, d, bits, u = _unsigned_bits("clz", x)
    count = _u(u, 0)
    shift = bits // 2
    while shift:  # binary search for the highest set bit
        top_clear = eq(shift_right_logical(u, _u(u, bits - shift)), _u(u, 0))
        count = select(top_clear, add(count, _u(u, shift)), count)
        u = select(top_clear, shift_left(u, _u(u, shift)), u)
        shift //= 2
    count = select(eq(u, _u(u, 0)), _u(u, bits), count)
    return bitcast_convert_type(count, d) if d.kind == "i" else count


def _float_operand(name, x):
    x = _as_operand(x)
    d = aval_of(x).dtype
    if not dtypes.is_float(d):
        raise user_error(
            TypeError,
            f"{name} does not accept dtype {d}. Accepted dtypes are subtypes of floating.",
        )
    return x, d


def nextafter(x1, x2):
    """The next float after x1 in the direction of x2 (same dtypes), as
    jax.lax.nextafter (C's nextafter: subnormals included)."""
    x1, d = _float_operand("nextafter", x1)
    x2 = _as_operand(x2)
    if aval_of(x2).dtype != d or aval_of(x2).shape != aval_of(x1).shape:
        raise user_error(
            TypeError,
            f"nextafter requires arguments to have the same dtypes and shapes, got "
            f"{d}{list(aval_of(x1).shape)} and "
            f"{aval_of(x2).dtype}{list(aval_of(x2).shape)}",
        )
    int_t = _INT_OF_BITS[np.dtype(d).itemsize * 8]
    ix, iy = bitcast_convert_type(x1, int_t), bitcast_convert_type(x2, int_t)
    sign_mask = full_like(ix, np.iinfo(int_t).min)
    zero = full_like(x1, 0)
    from_zero = bitwise_or(bitwise_and(iy, sign_mask), full_like(ix, 1))
    away = eq(lt(x1, x2), gt(x1, zero))  # away from zero in x1's sign
    step = select(away, full_like(ix, 1), full_like(ix, -1))
    moved = bitcast_convert_type(select(eq(x1, zero), from_zero, add(ix, step)), d)
    out = select(eq(x1, x2), x2, moved)
    return select(bitwise_or(ne(x1, x1), ne(x2, x2)), full_like(x1, np.nan), out)


def reciprocal(x):
    """1 / x (integers raise TypeError, as JAX's integer_pow(x, -1))."""
    x = _as_operand(x)
    d = aval_of(x).dtype
    if not dtypes.is_float(d):
        raise user_error(
            TypeError,
            f"Integers cannot be raised to negative powers, got "
            f"integer_pow({d}{list(aval_of(x).shape)}, -1)",
        )
    return div(full_like(x, 1), x)


def square(x):
    x = _as_operand(x)
    return mul(x, x)


def mulhi(x, y, /):
    """The high half of the double-width product of two integers."""
    x, y = _as_operand(x), _as_operand(y)
    d = aval_of(x).dtype
    if not dtypes.is_int(d) or d == dtypes.bool_ or aval_of(y).dtype != d:
        raise user_error(
            TypeError,
            f"mulhi requires two integer operands of one dtype, got {d}, {aval_of(y).dtype}",
        )
    bits = np.dtype(d).itemsize * 8
    if bits < 32 or dtypes.canonicalize_dtype(_INT_OF_BITS[bits * 2]) == _INT_OF_BITS[bits * 2]:
        wide = (_INT_OF_BITS if d.kind == "i" else _UINT_OF_BITS)[bits * 2]
        p = mul(convert_element_type(x, wide), convert_element_type(y, wide))
        return convert_element_type(shift_right_logical(p, full_like(p, bits)), d)
    # 32-bit without 64-bit types: schoolbook multiplication on 16-bit halves.
    u = _UINT_OF_BITS[32]
    a, b = bitcast_convert_type(x, u), bitcast_convert_type(y, u)
    half, mask = full_like(a, 16), full_like(a, 0xFFFF)
    a_lo, a_hi = bitwise_and(a, mask), shift_right_logical(a, half)
    b_lo, b_hi = bitwise_and(b, mask), shift_right_logical(b, half)
    lo_lo, hi_lo = mul(a_lo, b_lo), mul(a_hi, b_lo)
    lo_hi, hi_hi = mul(a_lo, b_hi), mul(a_hi, b_hi)
    mid = add(add(shift_right_logical(lo_lo, half), bitwise_and(hi_lo, mask)), lo_hi)
    hi = add(add(hi_hi, shift_right_logical(hi_lo, half)), shift_right_logical(mid, half))
    if d.kind == "i":  # signed: subtract the other operand where one is negative
        hi = sub(hi, select(lt(x, full_like(x, 0)), b, full_like(b, 0)))
        hi = sub(hi, select(lt(y, full_like(y, 0)), a, full_like(a, 0)))
    return bitcast_convert_type(hi, d)


def reduce_precision(operand, exponent_bits, mantissa_bits):
    """Rounds floats to `exponent_bits`/`mantissa_bits` (round to nearest
    even, overflow to infinity, underflow to signed zero, NaN kept), as XLA's
    ReducePrecision does on the bits."""
    x, d = _float_operand("reduce_precision", operand)
    exponent_bits, mantissa_bits = operator.index(exponent_bits), operator.index(mantissa_bits)
    if exponent_bits < 1 or mantissa_bits < 0:
        raise user_error(
            ValueError,
            f"reduce_precision: exponent_bits must be >= 1 and mantissa_bits >= 0, got "
            f"{exponent_bits}, {mantissa_bits}",
        )
    info = dtypes.finfo(d)
    src_mant, src_exp = int(info.nmant), int(info.nexp)
    bits = np.dtype(d).itemsize * 8
    u = bitcast_convert_type(x, _UINT_OF_BITS[bits])
    c = lambda v: full_like(u, v)
    if mantissa_bits < src_mant:
        drop = src_mant - mantissa_bits
        last_kept = 1 << drop
        last_bit = shift_right_logical(bitwise_and(u, c(last_kept)), c(drop))
        bias = add(last_bit, c((last_kept >> 1) - 1))
        u = bitwise_and(add(u, bias), c(((1 << bits) - 1) ^ (last_kept - 1)))
    if exponent_bits < src_exp:
        exp_mask = ((1 << src_exp) - 1) << src_mant
        src_bias = (1 << (src_exp - 1)) - 1
        reduced_bias = (1 << (exponent_bits - 1)) - 1
        exponent = bitwise_and(u, c(exp_mask))
        overflows = gt(exponent, c((src_bias + reduced_bias) << src_mant))
        underflows = le(exponent, c((src_bias - reduced_bias) << src_mant))
        signed_zero = bitwise_and(u, c(1 << (bits - 1)))
        signed_inf = bitwise_or(signed_zero, c(exp_mask))
        u = select(overflows, signed_inf, select(underflows, signed_zero, u))
    out = bitcast_convert_type(u, d)
    return select(ne(x, x), x, out) if mantissa_bits > 0 else out


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def reduce_xor(operand, axes):
    """The xor of the elements along `axes` (bools: parity of the Trues)."""
    operand = _as_operand(operand)
    d = aval_of(operand).dtype
    axes = _canon_axes("reduce_xor", tuple(axes), aval_of(operand).ndim)
    if not axes:
        return operand
    if d == dtypes.bool_:
        count = reduce_sum(convert_element_type(operand, np.int32), axes)
        return ne(bitwise_and(count, full_like(count, 1)), full_like(count, 0))
    if not dtypes.is_int(d):
        raise user_error(TypeError, f"reduce_xor does not accept dtype {d}")
    # Xor is bitwise addition mod 2: count the set bits per position.
    bits = np.dtype(d).itemsize * 8
    u = bitcast_convert_type(operand, _UINT_OF_BITS[bits])
    out = None
    for b in range(bits):
        bit = bitwise_and(shift_right_logical(u, full_like(u, b)), full_like(u, 1))
        parity = bitwise_and(reduce_sum(bit, axes), _scalar(1, aval_of(u).dtype))
        term = shift_left(parity, full_like(parity, b))
        out = term if out is None else bitwise_or(out, term)
    return bitcast_convert_type(out, d)


# The monoid reductions: (computation, fused reduction, identity of dtype).
def _identity(kind, d):
    if kind in ("add", "or", "xor"):
        return np.zeros((), d)[()]
    if kind in ("mul", "and"):
        return np.ones((), d)[()] if d != dtypes.bool_ else np.True_
    if kind == "max":
        if dtypes.is_float(d):
            return np.array(-np.inf, d)[()]
        return np.array(np.iinfo(d).min if d != dtypes.bool_ else False, d)[()]
    if dtypes.is_float(d):
        return np.array(np.inf, d)[()]
    return np.array(np.iinfo(d).max if d != dtypes.bool_ else True, d)[()]


MONOIDS = {
    add: ("add", reduce_sum),
    mul: ("mul", reduce_prod),
    max: ("max", reduce_max),
    min: ("min", reduce_min),
    bitwise_and: ("and", reduce_and),
    bitwise_or: ("or", reduce_or),
    bitwise_xor: ("xor", reduce_xor),
}


def monoid_of(computation, d):
    """(kind, fused reduction) when `computation` is a known monoid on dtype d."""
    m = MONOIDS.get(computation)
    if m is None:
        m = {operator.add: MONOIDS[add], operator.mul: MONOIDS[mul]}.get(computation)
        if d == dtypes.bool_ or dtypes.is_int(d):
            m = m or {
                operator.and_: MONOIDS[bitwise_and],
                operator.or_: MONOIDS[bitwise_or],
                operator.xor: MONOIDS[bitwise_xor],
            }.get(computation)
    if m and m[0] in ("and", "or") and d != dtypes.bool_:  # fused and/or take bools only
        return None
    return m


# ---------------------------------------------------------------------------
# Windowed reductions
# ---------------------------------------------------------------------------


def padtype_to_pads(in_shape, window_shape, window_strides, padding):
    """Explicit (low, high) pads for 'SAME', 'SAME_LOWER' or 'VALID'."""
    if not isinstance(padding, str):
        padding = getattr(padding, "name", padding)
    kind = str(padding).upper()
    if kind == "VALID":
        return [(0, 0)] * len(in_shape)
    if kind not in ("SAME", "SAME_LOWER"):
        raise user_error(
            RuntimeError, f"Unrecognized padding type: expected 'VALID' or 'SAME', got {padding}."
        )
    pads = []
    for n, w, s in zip(in_shape, window_shape, window_strides):
        out = -(-int(n) // int(s))
        total = builtins.max((out - 1) * int(s) + int(w) - int(n), 0)
        lo = total // 2 if kind == "SAME" else total - total // 2
        pads.append((lo, total - lo))
    return pads


def reduce_window_shape_tuple(
    operand_shape,
    window_dimensions,
    window_strides,
    padding,
    base_dilation=None,
    window_dilation=None,
):
    # Sizes keep their type (np.int64 in, np.int64 out, as JAX's).
    shape, window = list(operand_shape), list(window_dimensions)
    if base_dilation is not None:
        shape = [0 if d == 0 else 1 + b * (d - 1) for d, b in zip(shape, base_dilation)]
    if window_dilation is not None:
        window = [0 if w == 0 else 1 + r * (w - 1) for w, r in zip(window, window_dilation)]
    padded = [d + lo + hi for d, (lo, hi) in zip(shape, padding)]
    # Clamped at 0 as JAX does (stax's batch size -1 gives 0).
    return tuple(
        builtins.max(0, (p - w) // s + 1) for p, w, s in zip(padded, window, window_strides)
    )


def _window_args(shape, window_dimensions, window_strides, padding, base_dilation, window_dilation):
    n = len(shape)
    window = tuple(operator.index(w) for w in window_dimensions)
    strides = (1,) * n if window_strides is None else tuple(map(operator.index, window_strides))
    base = (1,) * n if base_dilation is None else tuple(map(operator.index, base_dilation))
    wdil = (1,) * n if window_dilation is None else tuple(map(operator.index, window_dilation))
    for what, v in (
        ("window_dimensions", window),
        ("window_strides", strides),
        ("base_dilation", base),
        ("window_dilation", wdil),
    ):
        if len(v) != n:
            raise user_error(
                TypeError,
                f"reduce_window: {what} {v} must have one entry per operand dimension "
                f"(operand shape {shape})",
            )
        if any(x < 1 for x in v) and what != "window_dimensions":
            raise user_error(ValueError, f"reduce_window: {what} must be positive, got {v}")
    if isinstance(padding, str):
        # JAX pads for the dilated window (and the undilated operand).
        dilated = tuple((w - 1) * d + 1 if w else 0 for w, d in zip(window, wdil))
        pads = padtype_to_pads(shape, dilated, strides, padding)
    else:
        pads = [tuple(map(operator.index, p)) for p in padding]
        if len(pads) != n:
            raise user_error(
                TypeError,
                f"reduce_window: padding {padding} must have one (low, high) pair per operand "
                f"dimension (operand shape {shape})",
            )
    return window, strides, pads, base, wdil


# Windows up to this many elements are one strided slice per offset; larger
# ones combine by doubling (a 10000-wide window made 10000 slices, and IREE
# took minutes to compile them).
_SLICED_WINDOW_MAX = 16


def _window_combiner(computation, multi):
    """`computation` on lists of operands (one per reduce_window operand)."""

    def combine(a, b):
        return list(computation(tuple(a), tuple(b))) if multi else [computation(a[0], b[0])]

    return combine


def _windows_by_doubling(padded, window, wdil, strides, out_shape, combine):
    """Each window's combination, one dimension at a time: spans of 2^k
    elements from spans of 2^(k-1), then the spans of w's binary digits in
    order (O(log w) slices per dimension; the combination need only be
    associative, as reduce_window requires). Strides apply at the end."""

    def shifted(arrays, d, start, length):
        shape = aval_of(arrays[0]).shape
        starts = [0] * len(shape)
        limits = list(shape)
        starts[d], limits[d] = start, start + length
        return [slice(a, starts, limits) for a in arrays]

    arrays = list(padded)
    for d, (w, dl) in enumerate(zip(window, wdil)):
        if w == 1:
            continue
        n = aval_of(arrays[0]).shape[d]
        full = n - (w - 1) * dl  # window starts at stride 1
        spans = {1: arrays}
        k = 1
        while 2 * k <= w:
            prev, size = spans[k], n - (2 * k - 1) * dl
            spans[2 * k] = combine(shifted(prev, d, 0, size), shifted(prev, d, k * dl, size))
            k *= 2
        result, offset = None, 0
        while k >= 1:
            if w - offset >= k:
                piece = shifted(spans[k], d, offset * dl, full)
                result = piece if result is None else combine(result, piece)
                offset += k
            k //= 2
        arrays = result
    if any(s != 1 for s in strides):
        arrays = [
            slice(
                a,
                [0] * len(out_shape),
                [(o - 1) * s + 1 for o, s in zip(out_shape, strides)],
                strides,
            )
            for a in arrays
        ]
    return arrays


def reduce_window(
    operand,
    init_value,
    computation,
    window_dimensions,
    window_strides=None,
    padding="VALID",
    base_dilation=None,
    window_dilation=None,
):
    """jax.lax.reduce_window for one operand (or a tuple of operands with a
    tuple of init values): the operand is padded with init_value (and dilated
    by base_dilation), each window offset is one strided slice, and the
    slices are combined with `computation`, applied elementwise (sums of
    float16 and bfloat16 in float32)."""
    multi = isinstance(operand, (tuple, list))
    ops = [_as_operand(o) for o in operand] if multi else [_as_operand(operand)]
    inits = [
        i if hasattr(i, "dtype") else _scalar(i, aval_of(o).dtype)
        for i, o in zip(list(init_value) if multi else [init_value], ops)
    ]
    window = (window_dimensions, window_strides, padding, base_dilation, window_dilation)
    combine = _window_combiner(computation, multi)
    if computation is add and any(aval_of(o).dtype in _NARROW_FLOATS for o in ops):
        n = len(ops)
        out = accumulate_wide(
            lambda *flat: _reduce_window(list(flat[:n]), list(flat[n:]), combine, *window),
            *ops,
            *inits,
        )
    else:
        out = _reduce_window(ops, inits, combine, *window)
    return tuple(out) if multi else out[0]


def _reduce_window(
    ops, inits, combine, window_dimensions, window_strides, padding, base_dilation, window_dilation
):
    """The reduced windows of each operand (lists of arrays, inits with dtypes)."""
    shape = aval_of(ops[0]).shape
    window, strides, pads, base, wdil = _window_args(
        shape, window_dimensions, window_strides, padding, base_dilation, window_dilation
    )
    # A window larger than the padded operand gives an empty result, as JAX.
    out_shape = reduce_window_shape_tuple(shape, window, strides, pads, base, wdil)
    padded = []
    for op, init in zip(ops, inits):
        config = [(lo, hi, b - 1) for (lo, hi), b in zip(pads, base)]
        padded.append(pad(op, init, config) if any(c != (0, 0, 0) for c in config) else op)
    acc = [
        broadcast_in_dim(_scalar(i, aval_of(o).dtype), out_shape, ())
        if not hasattr(i, "shape") or aval_of(i).shape == ()
        else i
        for i, o in zip(inits, ops)
    ]
    if 0 in out_shape:
        return acc
    if math.prod(window) > _SLICED_WINDOW_MAX:
        return combine(acc, _windows_by_doubling(padded, window, wdil, strides, out_shape, combine))
    for offset in itertools.product(*(range(w) for w in window)):
        starts = [o * r for o, r in zip(offset, wdil)]
        limits = [st + (n - 1) * s + 1 if n else st for st, n, s in zip(starts, out_shape, strides)]
        acc = combine(acc, [slice(p, starts, limits, strides) for p in padded])
    return acc


# ---------------------------------------------------------------------------
# Shapes and slicing helpers
# ---------------------------------------------------------------------------


def collapse(operand, start_dimension, stop_dimension=None):
    """Merges dimensions [start, stop) into one."""
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    n = len(shape)
    start = start_dimension + n if start_dimension < 0 else start_dimension
    stop = n if stop_dimension is None else stop_dimension
    stop = stop + n if stop < 0 else stop
    if not 0 <= start <= stop <= n:
        raise user_error(
            ValueError,
            f"Invalid dimension range ({start_dimension}, {stop_dimension}) for shape {shape}",
        )
    size = math.prod(shape[start:stop])
    return reshape(operand, shape[:start] + (size,) + shape[stop:])


def _axis(name, axis, ndim):
    return _canon_axes(name, (operator.index(axis),), ndim)[0]


def slice_in_dim_full(operand, start_index, limit_index, stride=1, axis=0):
    """jax.lax.slice_in_dim: None bounds and negative indices as in Python."""
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    axis = _axis("slice_in_dim", axis, len(shape))
    n = shape[axis]
    start = 0 if start_index is None else operator.index(start_index)
    limit = n if limit_index is None else operator.index(limit_index)
    start = start + n if start < 0 else start
    limit = limit + n if limit < 0 else limit
    return slice_in_dim(operand, start, limit, stride, axis)


def index_in_dim(operand, index, axis=0, keepdims=True):
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    axis = _axis("index_in_dim", axis, len(shape))
    index = operator.index(index)
    i = index + shape[axis] if index < 0 else index
    if not 0 <= i < shape[axis]:
        raise user_error(
            IndexError, f"index {index} is out of bounds for axis {axis} with size {shape[axis]}"
        )
    out = slice_in_dim(operand, i, i + 1, 1, axis)
    return out if keepdims else squeeze(out, (axis,))


def _wrap_index(index, size, allow_negative_indices):
    index = _as_operand(index)
    if not allow_negative_indices:
        return index
    return select(lt(index, full_like(index, 0)), add(index, full_like(index, size)), index)


def dynamic_slice_in_dim(operand, start_index, slice_size, axis=0, *, allow_negative_indices=True):
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    axis = _axis("dynamic_slice_in_dim", axis, len(shape))
    starts = [0] * len(shape)
    starts[axis] = _wrap_index(start_index, shape[axis], allow_negative_indices)
    sizes = list(shape)
    sizes[axis] = operator.index(slice_size)
    return dynamic_slice(operand, starts, sizes)


def dynamic_update_slice_in_dim(operand, update, start_index, axis, *, allow_negative_indices=True):
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    axis = _axis("dynamic_update_slice_in_dim", axis, len(shape))
    starts = [0] * len(shape)
    starts[axis] = _wrap_index(start_index, shape[axis], allow_negative_indices)
    return dynamic_update_slice(operand, update, starts)


def dynamic_update_index_in_dim(operand, update, index, axis, *, allow_negative_indices=True):
    operand = _as_operand(operand)
    update = _as_operand(update)
    shape = aval_of(operand).shape
    axis = _axis("dynamic_update_index_in_dim", axis, len(shape))
    if aval_of(update).ndim == len(shape) - 1:
        update = expand_dims(update, (axis,))
    return dynamic_update_slice_in_dim(
        operand, update, index, axis, allow_negative_indices=allow_negative_indices
    )


def broadcast_shapes(*shapes):
    """The NumPy broadcast of `shapes` (a ValueError naming them otherwise)."""
    shapes = [tuple(operator.index(d) for d in s) for s in shapes]
    if not shapes:
        return ()
    ndim = builtins.max(len(s) for s in shapes)
    padded = [(1,) * (ndim - len(s)) + s for s in shapes]
    out = []
    for sizes in zip(*padded):
        big = {d for d in sizes if d != 1}
        if len(big) > 1:
            raise user_error(
                ValueError,
                f"Incompatible shapes for broadcasting: shapes={[list(s) for s in shapes]}",
            )
        out.append(big.pop() if big else 1)
    return tuple(out)


def broadcast_to_rank(x, rank):
    """x with leading size-1 dimensions up to `rank`."""
    x = _as_operand(x)
    ndim = aval_of(x).ndim
    if ndim >= rank:
        return x
    return reshape(x, (1,) * (rank - ndim) + aval_of(x).shape)


def broadcast_like(arr, like_arr):
    """arr broadcast (leading dimensions added) to like_arr's shape."""
    arr = _as_operand(arr)
    target = aval_of(_as_operand(like_arr)).shape
    shape = aval_of(arr).shape
    if shape == target:
        return arr
    dims = tuple(range(len(target) - len(shape), len(target)))
    return broadcast_in_dim(arr, target, dims)


def batch_matmul(lhs, rhs, precision=None):
    """Matrix products over the leading (batch) dimensions."""
    lhs, rhs = _as_operand(lhs), _as_operand(rhs)
    ls, rs = aval_of(lhs).shape, aval_of(rhs).shape
    if len(ls) < 2 or len(ls) != len(rs) or ls[:-2] != rs[:-2] or ls[-1] != rs[-2]:
        raise user_error(
            ValueError,
            f"batch_matmul requires operands of equal rank >= 2 with matching batch and "
            f"contracting dimensions, got shapes {ls} and {rs}",
        )
    batch = tuple(range(len(ls) - 2))
    return dot_general(lhs, rhs, (((len(ls) - 1,), (len(rs) - 2,)), (batch, batch)))


def tile(operand, reps):
    """operand repeated `reps[i]` times along each axis."""
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    reps = tuple(operator.index(r) for r in reps)
    if len(reps) != len(shape):
        raise user_error(
            ValueError,
            f"len(reps) must equal operand.ndim, got reps={reps} for operand shape {shape}",
        )
    # Broadcast to (r0, d0, r1, d1, ...) and merge each pair.
    interleaved = tuple(v for r, d in zip(reps, shape) for v in (r, d))
    dims = tuple(2 * i + 1 for i in range(len(shape)))
    return reshape(
        broadcast_in_dim(operand, interleaved, dims), tuple(r * d for r, d in zip(reps, shape))
    )


def split(operand, sizes, axis=0):
    """Consecutive pieces of `sizes` along `axis` (they must add up)."""
    operand = _as_operand(operand)
    shape = aval_of(operand).shape
    axis = _axis("split", axis, len(shape))
    sizes = [operator.index(s) for s in sizes]
    if sum(sizes) != shape[axis] or any(s < 0 for s in sizes):
        raise user_error(
            ValueError,
            f"Sum of sizes {sum(sizes)} must be equal to dimension {shape[axis]} of the "
            f"operand shape {shape}",
        )
    out, start = [], 0
    for s in sizes:
        out.append(slice_in_dim(operand, start, start + s, 1, axis))
        start += s
    return out


def _lax_stack(operands, axis=0):
    ops = [_as_operand(o) for o in operands]
    if not ops:
        raise user_error(ValueError, "stack requires at least one operand")
    axis = _axis("stack", axis, aval_of(ops[0]).ndim + 1)
    return concatenate([expand_dims(o, (axis,)) for o in ops], axis)


def unstack(x, axis=0):
    x = _as_operand(x)
    shape = aval_of(x).shape
    axis = _axis("unstack", axis, len(shape))
    return tuple(index_in_dim(x, i, axis, keepdims=False) for i in range(shape[axis]))


# ---------------------------------------------------------------------------
# Top-k, scatter_apply
# ---------------------------------------------------------------------------


def _approx_k(name, largest):
    def fn(
        operand,
        k,
        reduction_dimension=-1,
        recall_target=0.95,
        reduction_input_size_override=-1,
        aggregate_to_topk=True,
    ):
        # Exact top-k: a recall of 1 meets any recall_target.
        operand = _as_operand(operand)
        x = operand if largest else _negate_order(operand)
        values, indices = top_k(x, k, axis=reduction_dimension)
        if not largest:
            values = _negate_order(values)
        return [values, indices]  # a list, as JAX's

    fn.__name__ = name
    fn.__doc__ = f"jax.lax.{name}, exactly (top_k)."
    return fn


def _negate_order(x):
    """An order-reversing involution: negation (floats, signed ints) or
    bitwise not (unsigned)."""
    d = aval_of(x).dtype
    if dtypes.is_unsigned(d):
        return bitwise_xor(x, full_like(x, np.iinfo(d).max))
    return sub(full_like(x, 0), x)


approx_max_k = _approx_k("approx_max_k", True)
approx_min_k = _approx_k("approx_min_k", False)


def scatter_apply(
    operand,
    scatter_indices,
    func,
    dimension_numbers,
    *,
    update_shape=(),
    indices_are_sorted=False,
    unique_indices=False,
    mode=None,
):
    """operand with func applied at the scattered positions (once at each
    position, also where indices repeat)."""
    operand = _as_operand(operand)
    hits = scatter_add(
        full_like(operand, 0, np.int32),
        scatter_indices,
        full(tuple(update_shape), 1, np.int32),
        dimension_numbers,
        mode=mode,
    )
    return select(gt(hits, full_like(hits, 0)), func(operand), operand)


# ---------------------------------------------------------------------------
# Later issues
# ---------------------------------------------------------------------------


def _later(name, what):
    def fn(*args, **kwargs):
        raise user_error(NotImplementedError, f"mlax.lax.{name}: {what} are a later issue")

    fn.__name__ = name
    return fn


def rng_bit_generator(
    key, shape, dtype=np.uint32, algorithm=RandomAlgorithm.RNG_DEFAULT, *, out_sharding=None
):
    raise user_error(
        NotImplementedError,
        "mlax.lax.rng_bit_generator: XLA's RngBitGenerator bit streams are not reproduced; "
        "use mlax.random (threefry, JAX's values)",
    )


LINALG_NAMES = [
    "cholesky",
    "cholesky_update",
    "eig",
    "eigh",
    "hessenberg",
    "householder_product",
    "lu",
    "lu_pivots_to_permutation",
    "ormqr",
    "qdwh",
    "qr",
    "schur",
    "svd",
    "symmetric_product",
    "triangular_solve",
    "tridiagonal",
    "tridiagonal_solve",
]
linalg_stubs = {
    name: _later(f"linalg.{name}", "linear algebra decompositions") for name in LINALG_NAMES
}
