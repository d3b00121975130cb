"""NumPy parity for mlax.numpy, the mlax.Array operators/methods and mlax.lax.

Every case is a function `fn(m, *args)` written against a NumPy-like module
`m`, so one definition runs on NumPy (the reference), on mlax.numpy (the
code under test) and, where JAX is installed, on jax.numpy through
jax.eval_shape to check that mlax gives JAX's result shape, dtype and weak
type (test_*_matches_jax: tracing only, nothing is compiled).

Shapes and dtypes are few and shared between cases on purpose: every new
(function, shapes, dtypes) signature costs one IREE compile, and cases that
share a signature (e.g. `x + y` and `jnp.add(x, y)`) share the executable.
"""

import warnings
import zlib

import jax
import jax.numpy as jax_np
import ml_dtypes
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
import scipy.special as _sp
from conftest import BF16, BOOL, F16, F32, I32, U32, assert_allclose, canonical_dtype
from mlax import lax

DT = {
    "f32": F32,
    "f16": F16,
    "bf16": BF16,
    "i32": I32,
    "u32": U32,
    "bool": BOOL,
    "i8": np.dtype(np.int8),
    "u8": np.dtype(np.uint8),
}

_INT_RANGES = {
    "any": (-5, 6),
    "pos": (1, 6),
    "small": (0, 4),
    "nz": (1, 6),
    "shift": (0, 8),
    "ties": (-2, 3),
    "overshift": (0, 40),  # shift amounts, some at or past the bit width
}
_FLOAT_RANGES = {
    "any": (-3, 3),
    "pos": (0.5, 3),
    "unit": (-0.9, 0.9),
    "small": (-1.5, 1.5),
    "nz": (0.5, 3),
    "big": (-60, 60),
}
_POOLS = {
    "special": [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -2.5, 3e4],
    "halves": [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.25, -3.75, 4.0, -0.0],
}


def _bf16(m):
    """The bfloat16 type of module m (NumPy has none: use ml_dtypes')."""
    return getattr(m, "bfloat16", ml_dtypes.bfloat16)


# ---------------------------------------------------------------------------
# Inputs and the case runner
# ---------------------------------------------------------------------------


class A:
    """An input array spec: shape, dtype name, value domain."""

    def __init__(self, shape, dtype="f32", dom="any"):
        self.shape = tuple(shape)
        self.dtype = DT[dtype]
        self.dom = dom

    def make(self, rng, offset=0):
        """A random array of the spec; pool domains (fixed value lists) take
        the pool's values in order, starting `offset` values in (vmap's
        examples use different offsets, so they differ from each other)."""
        shape, dt, dom = self.shape, self.dtype, self.dom
        n = int(np.prod(shape, dtype=np.int64))
        if dt == BOOL:
            return rng.random(shape) < 0.5
        if dt.kind in "iu" and dom == "bits":  # every value of the type
            info = np.iinfo(dt)
            return rng.integers(info.min, int(info.max) + 1, size=shape, dtype=np.int64).astype(dt)
        if dt.kind in "iu":
            lo, hi = _INT_RANGES[dom if dom in _INT_RANGES else "any"]
            if dt.kind == "u":
                lo = max(lo, 0)
            v = rng.integers(lo, hi, size=shape)
            if dom == "nz" and dt.kind == "i":
                v = v * rng.choice([-1, 1], size=shape)
            return v.astype(dt)
        if dom in _POOLS:
            pool = _POOLS[dom]
            v = np.array([pool[(i + offset) % len(pool)] for i in range(n)]).reshape(shape)
        elif dom == "ties":  # repeated values: ties for arg reductions/comparisons
            v = rng.integers(-2, 3, size=shape).astype(np.float64)
        else:
            lo, hi = _FLOAT_RANGES[dom]
            v = rng.uniform(lo, hi, size=shape)
            if dom == "nz":
                v = v * rng.choice([-1.0, 1.0], size=shape)
        return np.asarray(v, dtype=np.float32).astype(dt)


# Functions whose results are exact, compared bit for bit (conftest's
# assert_allclose(exact=True)) rather than within a tolerance: shape and
# indexing ops, creation, conversions, selections, comparisons, the
# integer-valued floor/ceil/round/sign, abs/neg, max/min, and the correctly
# rounded add/sub/mul/div/sqrt/remainder (float16/bfloat16 inputs too: their
# float32 reference rounds to the correctly rounded result, as float32 has
# more than twice their precision). A case of these
# functions with an explicit rtol/atol (round with decimals) is not exact.
EXACT_FUNCTIONS = frozenset(
    name
    for group in (
        # mlax.numpy: elementwise
        "floor ceil round around negative positive abs absolute sign square reciprocal sqrt",
        "isfinite isnan isinf invert bitwise_not logical_not",
        "add subtract multiply divide true_divide remainder mod fmod maximum minimum",
        "bitwise_and bitwise_or bitwise_xor left_shift right_shift",
        "logical_and logical_or logical_xor",
        "equal not_equal less less_equal greater greater_equal where clip",
        # mlax.numpy: reductions that select an element
        "max min amax amin argmax argmin all any",
        # mlax.numpy: creation and conversion
        "zeros ones full empty empty_like zeros_like ones_like full_like arange eye identity",
        "array asarray float32 int32 bool_ uint8 bfloat16",
        # mlax.numpy: shape and indexing
        "reshape ravel transpose swapaxes moveaxis expand_dims squeeze broadcast_to",
        "broadcast_arrays concatenate stack vstack hstack split tile repeat flip fliplr flipud",
        "atleast_1d atleast_2d getitem",
        # Array operators and methods
        "op_add op_subtract op_multiply op_mul op_divide op_remainder op_equal op_not_equal",
        "op_less op_less_equal op_greater op_greater_equal op_bitwise_and op_bitwise_or",
        "op_bitwise_xor op_left_shift op_lshift op_right_shift op_neg op_pos op_abs op_invert",
        "meth_T meth_mT meth_reshape meth_transpose meth_astype meth_ravel meth_flatten",
        "meth_squeeze meth_swapaxes meth_max meth_min meth_argmax meth_argmin meth_all meth_any",
        "meth_clip meth_round meth_conj meth_real",
        # mlax.lax (names shared with mlax.numpy are listed above)
        "sub mul div rem eq ne lt le gt ge is_finite select select_n clamp stop_gradient",
        "optimization_barrier convert_element_type bitcast_convert_type iota broadcasted_iota",
        "pad slice dynamic_slice dynamic_update_slice dynamic_index_in_dim rev broadcast",
        "broadcast_in_dim reduce_max reduce_min reduce_and reduce_or shift_left",
        "shift_right_logical shift_right_arithmetic",
    )
    for name in group.split()
)


class Case:
    """fn(m, *args) with m = numpy / mlax.numpy / jax.numpy (or the lax modules).

    ref: NumPy reference fn(*np_args) when the NumPy spelling differs.
    dtype: the expected result dtype when NumPy's (canonicalized) differs from
    JAX's. values=False checks shape/dtype only (jnp.empty). xfail marks the
    value test, jax_xfail the JAX shape/dtype/weak-type check. exact: compare
    bit for bit (default: the case's function is in EXACT_FUNCTIONS and the
    case sets no tolerance).
    """

    def __init__(
        self,
        id,
        fn,
        *args,
        ref=None,
        dtype=None,
        rtol=None,
        atol=None,
        values=True,
        jax=True,
        covers=(),
        exact=None,
        xfail=None,
        jax_xfail=None,
    ):
        self.id = id
        self.fn = fn
        self.args = args
        self.ref = ref
        self.dtype = dtype
        self.rtol, self.atol = rtol, atol
        self.values = values
        self.jax = jax
        self.covers = tuple(covers) or (id.split("-")[0],)
        if exact is None:
            exact = self.covers[0] in EXACT_FUNCTIONS and rtol is None and atol is None
        self.exact = exact
        self.xfail = xfail
        self.jax_xfail = jax_xfail

    def np_args(self):
        rng = np.random.default_rng(zlib.crc32(self.id.encode()))
        return [a.make(rng) if isinstance(a, A) else a for a in self.args]

    def param(self, jax=False):
        reason = self.jax_xfail if jax else self.xfail
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        return pytest.param(self, id=self.id, marks=marks)


def _to_mlax(a):
    return jnp.asarray(a) if isinstance(a, np.ndarray) else a


def _low_precision_result(np_args):
    """The float dtype JAX computes in when the inputs' floats are all
    float16/bfloat16 (None when there is a float32 input or no float input)."""
    floats = {
        a.dtype
        for a in np_args
        if isinstance(a, np.ndarray) and (a.dtype.kind == "f" or a.dtype == BF16)
    }
    if not floats or not floats <= {F16, BF16}:
        return None
    return floats.pop() if len(floats) == 1 else F32


def _upcast(a):
    if isinstance(a, np.ndarray) and a.dtype in (F16, BF16):
        return a.astype(np.float32)
    return a


def _flat(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def run_case(case, module=jnp, ref_module=np):
    """Runs case.fn eagerly on mlax and compares with NumPy (float16/bfloat16
    inputs: NumPy computes in float32 on the same values)."""
    np_args = case.np_args()
    low = _low_precision_result(np_args)
    ref_args = [_upcast(a) for a in np_args] if low is not None else np_args
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = case.ref(*ref_args) if case.ref else case.fn(ref_module, *ref_args)
    out = case.fn(module, *[_to_mlax(a) for a in np_args])
    compare_outputs(case, out, expected, low)


def compare_outputs(case, out, expected, low):
    """mlax results `out` against NumPy's `expected` (values and dtype);
    `low`: the float16/bfloat16 dtype the inputs were in, if any."""
    outs, exps = _flat(out), _flat(expected)
    assert len(outs) == len(exps)
    for o, e in zip(outs, exps):
        e = np.asarray(e)
        dtype = case.dtype
        if dtype is None:
            dtype = canonical_dtype(e.dtype)
            if low is not None and e.dtype.kind == "f":
                dtype = low
        dtype = DT[dtype] if isinstance(dtype, str) else np.dtype(dtype)
        if not case.values:
            assert isinstance(o, mlax.Array)
            assert (o.shape, o.dtype) == (e.shape, dtype)
            continue
        assert_allclose(
            o, e, dtype, rtol=case.rtol, atol=case.atol, exact=case.exact, err_msg=case.id
        )


def check_against_jax(case, mlax_ns, jax_ns):
    """mlax's traced result avals == jax.eval_shape's (shape, dtype, weak).

    The weak-type flag is compared for numeric results only: JAX sometimes
    marks bool results weak (jnp.isnan(2.5)), which has no effect on promotion.
    """
    np_args = case.np_args()
    lowered = mlax.jit(lambda *a: case.fn(mlax_ns, *a)).lower(*[_to_mlax(a) for a in np_args])
    got = [
        (tuple(a.shape), np.dtype(a.dtype), a.weak_type and a.dtype != BOOL)
        for a in lowered.out_avals
    ]
    want_tree = jax.eval_shape(lambda *a: case.fn(jax_ns, *a), *np_args)
    want = [
        (tuple(s.shape), np.dtype(s.dtype), bool(s.weak_type) and np.dtype(s.dtype) != BOOL)
        for s in jax.tree_util.tree_leaves(want_tree)
    ]
    assert got == want, f"{case.id}: mlax {got} != jax {want}"


# ---------------------------------------------------------------------------
# mlax.numpy cases
# ---------------------------------------------------------------------------

S23 = (2, 3)
R3 = (2, 3, 4)
CASES = []


def add(*args, **kw):
    CASES.append(Case(*args, **kw))


def _call(name):
    return lambda m, *a, **kw: getattr(m, name)(*a, **kw)


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
    _f = _call(_name)
    add(f"{_name}-f32", _f, A(S23, "f32", _dom))
    add(f"{_name}-bf16", _f, A((5,), "bf16", _dom))
    if _more or _name in ("exp2", "expm1", "isinf"):
        add(f"{_name}-i32", _f, A((4,), "i32", "pos" if _dom == "pos" else "small"))
    if _more:
        add(f"{_name}-f32-0d", _f, A((), "f32", _dom))
        add(f"{_name}-f16", _f, A((5,), "f16", _dom))
        add(f"{_name}-pyscalar", _f, 0.5 if _dom != "special" else 2.5)

add("reciprocal-f32", _call("reciprocal"), A(S23, "f32", "nz"))
add("reciprocal-bf16", _call("reciprocal"), A((5,), "bf16", "nz"))
# NumPy's integer reciprocal truncates; JAX promotes to float.
add("reciprocal-i32", _call("reciprocal"), A((4,), "i32", "nz"), ref=lambda x: 1.0 / x)

# floor/ceil: floats stay floats; NumPy 2 and JAX return integer inputs unchanged.
for _name in ("floor", "ceil"):
    _f = _call(_name)
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
        add(f"{_name}-{_dt}", _call(_name), A((4,) if _dt != "f32" else S23, _dt))
add("negative-0d", _call("negative"), A((), "f32"))
# sign(-0.0) is -0.0 in JAX (NumPy says +0.0).
add(
    "sign-special",
    _call("sign"),
    A((8,), "f32", "special"),
    ref=lambda x: np.where(x == 0, x, np.sign(x)),
)
add("abs-pyscalar", lambda m: m.abs(-2.5))
add("square-pyint", lambda m: m.square(7))

# round/around: round half to even, with decimals.
add("round-f32", _call("round"), A((10,), "f32", "halves"))
add("round-f32-0d", _call("round"), A((), "f32", "halves"))
add("round-bf16", _call("round"), A((10,), "bf16", "halves"))
add("round-f16", _call("round"), A((10,), "f16", "halves"))
add("round-decimals", lambda m, x: m.round(x, 2), A(S23, "f32"), atol=1e-6)
add("round-decimals-neg", lambda m, x: m.round(x * 100, -1), A(S23, "f32"), atol=1e-4)
add("round-i32", _call("round"), A((4,), "i32"))
add("around-f32", _call("around"), A((10,), "f32", "halves"))

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
    _f = _call(_name)
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

add("add-i8xu8", _call("add"), A((4,), "i8"), A((4,), "u8"))
add("add-u8xpyint", lambda m, x: m.add(x, 250), A((4,), "u8", "small"))
add("add-f16xbf16", _call("add"), A((4,), "f16"), A((4,), "bf16"), dtype="f32")
add("add-bf16xi32", _call("add"), A((4,), "bf16"), A((4,), "i32"))
add("add-boolxpyint", lambda m, x: m.add(x, 1), A((4,), "bool"))
add("add-pyfloatxpyint", lambda m: m.add(1.5, 2))
add("add-pyints", lambda m: m.add(3, 4))
add(
    "multiply-numpy-array",
    lambda m, x: m.multiply(x, np.arange(3, dtype=np.float32)),
    A(S23, "f32"),
)
add("power-f32-neg-exp", lambda m, x: m.power(x, -2.0), A(S23, "f32", "pos"))
add("power-int-exps", _call("power"), A((6,), "i32", "any"), np.arange(6, dtype=np.int32))
add("power-u32", _call("power"), A((4,), "u32", "pos"), A((4,), "u32", "small"))
# A negative float base with an integral exponent is finite (x**2 of -1.5 is
# 2.25), with a fractional exponent NaN.
add("power-negbase-pyint", lambda m, x: m.power(x, 2), A(S23, "f32", "nz"))
add(
    "power-negbase-float",
    _call("power"),
    np.array([-1.5, -2.0, -0.5, 2.0], np.float32),
    np.array([2.0, 3.0, -2.0, 0.5], np.float32),
)
add(
    "power-negbase-fractional",
    _call("power"),
    np.array([-1.5, -2.0, -0.5, -4.0], np.float32),
    np.array([0.5, -1.5, 2.5, 0.25], np.float32),
)
_INT_PAIRS = (
    np.array([-7, 7, -7, 7, 0, -1], np.int32),
    np.array([2, -2, -2, 2, 3, 5], np.int32),
)
add("floor_divide-negative", _call("floor_divide"), *_INT_PAIRS)
add("remainder-negative", _call("remainder"), *_INT_PAIRS)
add("fmod-negative", _call("fmod"), *_INT_PAIRS)
add(
    "remainder-f32-neg",
    _call("remainder"),
    np.array([-7.5, 7.5, -7.5, 7.5, 0.0, -1.0], np.float32),
    np.array([2.0, -2.0, -2.0, 2.0, 3.0, 5.0], np.float32),
)
add("maximum-nan", _call("maximum"), A((8,), "f32", "special"), A((8,), "f32"))
add("minimum-nan", _call("minimum"), A((8,), "f32", "special"), A((8,), "f32"))
add(
    "logaddexp-inf",
    _call("logaddexp"),
    np.array([-np.inf, np.inf, -np.inf, 0.0, 80.0], np.float32),
    np.array([-np.inf, np.inf, 1.0, -np.inf, 80.0], np.float32),
)
add(
    "right_shift-negative",
    _call("right_shift"),
    np.array([-8, -1, -7, 16], np.int32),
    np.array([1, 3, 2, 2], np.int32),
)
add("equal-special", lambda m, x: m.equal(x, x), A((8,), "f32", "special"))

# where and clip
add(
    "where-bcast",
    _call("where"),
    A((3, 1), "bool"),
    A((4,), "f32"),
    A((3, 4), "f32"),
)
add("where-scalars", lambda m, c: m.where(c, 1.0, -1.0), A(S23, "bool"))
add("where-intcond", lambda m, c, x: m.where(c, x, 0), A((4,), "i32"), A((4,), "i32"))
add("where-mixed", _call("where"), A((4,), "bool"), A((4,), "i32"), A((4,), "f32"))
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

# Reductions: axis None / int / negative int / tuple, keepdims, 0-d, dtypes.
for _name in ("sum", "mean", "max", "min", "prod", "var", "std", "all", "any"):
    _f = _call(_name)
    _dom = "small" if _name == "prod" else "any"
    _core = _name in ("sum", "mean", "max", "min")
    add(f"{_name}-none", _f, A(R3, "f32", _dom))
    add(f"{_name}-axis0", lambda m, x, _f=_f: _f(m, x, axis=0), A(R3, "f32", _dom))
    add(
        f"{_name}-tuple-keepdims",
        lambda m, x, _f=_f: _f(m, x, axis=(0, 2), keepdims=True),
        A(R3, "f32", _dom),
    )
    if _core:
        add(f"{_name}-axis-1", lambda m, x, _f=_f: _f(m, x, axis=-1), A(R3, "f32", _dom))
        add(
            f"{_name}-none-keepdims",
            lambda m, x, _f=_f: _f(m, x, keepdims=True),
            A(S23, "f32", _dom),
        )
        add(f"{_name}-0d", _f, A((), "f32", _dom))
    if _name != "std":
        add(f"{_name}-i32", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "i32", _dom))
    add(f"{_name}-bool", lambda m, x, _f=_f: _f(m, x, axis=0), A(S23, "bool"))
    if _name in ("sum", "mean", "max", "var"):
        add(f"{_name}-bf16", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "bf16", _dom))
# amax/amin are max/min: same executables.
add("amax-axis0", lambda m, x: m.amax(x, axis=0), A(R3, "f32"))
add("amin-tuple-keepdims", lambda m, x: m.amin(x, axis=(0, 2), keepdims=True), A(R3, "f32"))
add("sum-i8", _call("sum"), A((5,), "i8"))
add("sum-u8", _call("sum"), A((5,), "u8"))
add("sum-dtype", lambda m, x: m.sum(x, dtype=m.float32), A((5,), "i32"))
add("sum-f16", lambda m, x: m.sum(x, axis=0), A((4, 3), "f16"))
add("prod-i32-none", _call("prod"), A((5,), "i32", "pos"))
add("mean-f16", _call("mean"), A((4, 3), "f16"))
add("argmax-none-keepdims", lambda m, x: m.argmax(x, keepdims=True), A(S23, "f32"))
add("argmin-u32", _call("argmin"), A((6,), "u32"))
add("argmax-bool-none", _call("argmax"), A(S23, "bool"))
add("argmin-bool-none", _call("argmin"), A(S23, "bool"))
add("var-ddof1", lambda m, x: m.var(x, axis=1, ddof=1), A(S23, "f32"))
add("std-ddof1", lambda m, x: m.std(x, ddof=1), A(R3, "f32"))
add("max-nan", _call("max"), A((8,), "f32", "special"))
add("min-nan-axis", lambda m, x: m.min(x, axis=0), A((2, 4), "f32", "special"))
add("max-u32", lambda m, x: m.max(x, axis=1), A(S23, "u32"))
add("min-i8", _call("min"), A((5,), "i8"))
add("all-f32-special", _call("all"), A((8,), "f32", "special"))
add("sum-empty", lambda m: m.sum(m.zeros((0, 3)), axis=0))
add("mean-empty", lambda m: m.mean(m.zeros((0,))))
add("max-initial", lambda m, x: m.max(x, initial=10.0), A((4,)))
add("sum-initial", lambda m, x: m.sum(x, initial=10.0), A((4,)))
add("min-initial", lambda m, x: m.min(x, initial=-10.0), A((4,)))
add("prod-initial", lambda m, x: m.prod(x, axis=1, initial=2.0), A(S23))
add("max-initial-empty", lambda m: m.max(m.zeros((0,)), initial=-1.0))
_MASK4 = np.array([True, False, True, True])
_MASK23 = np.array([[True, False, True], [False, False, True]])
add("sum-where", lambda m, x, w: m.sum(x, where=w), A((4,)), _MASK4)
add("sum-where-axis", lambda m, x, w: m.sum(x, axis=1, where=w), A(S23), _MASK23)
add("sum-where-bcast", lambda m, x, w: m.sum(x, axis=0, where=w), A(S23), _MASK23[0])
add("prod-where", lambda m, x, w: m.prod(x, where=w), A((4,)), _MASK4)
add("max-where", lambda m, x, w: m.max(x, where=w, initial=-5.0), A((4,)), _MASK4)
add("min-where", lambda m, x, w: m.min(x, axis=1, where=w, initial=5.0), A(S23), _MASK23)
add("all-where", lambda m, x, w: m.all(x, where=w), A((4,), "bool"), _MASK4)
add("any-where", lambda m, x, w: m.any(x, axis=0, where=w), A(S23, "bool"), _MASK23)
for _name in ("argmax", "argmin"):
    _f = _call(_name)
    add(f"{_name}-none", _f, A(R3, "f32"))
    add(f"{_name}-axis0", lambda m, x, _f=_f: _f(m, x, axis=0), A(R3, "f32", "ties"))
    add(
        f"{_name}-keepdims",
        lambda m, x, _f=_f: _f(m, x, axis=1, keepdims=True),
        A(R3, "f32", "ties"),
    )
    add(f"{_name}-i32", lambda m, x, _f=_f: _f(m, x, axis=-1), A(S23, "i32", "ties"))
    add(f"{_name}-bool", lambda m, x, _f=_f: _f(m, x, axis=1), A(S23, "bool"))
    add(f"{_name}-nan", _f, np.array([1.0, np.nan, 5.0, np.nan, -1.0], np.float32))
    add(f"{_name}-0d", _f, A((), "f32"))

# Creation
add("zeros-tuple", lambda m: m.zeros((2, 3)))
add("zeros-int", lambda m: m.zeros(4, dtype=m.int32))
add("zeros-0d", lambda m: m.zeros(()))
add("zeros-bool", lambda m: m.zeros((2,), dtype=bool))
add("ones-tuple", lambda m: m.ones((3, 2)))
add("ones-bf16", lambda m: m.ones((3,), dtype=_bf16(m)), dtype="bf16")
add("ones-dtype-str", lambda m: m.ones((2,), "int8"))
add("full-float", lambda m: m.full((2, 3), 1.5))
add("full-int", lambda m: m.full((4,), 7))
add("full-bool", lambda m: m.full((2,), True))
add("full-dtype", lambda m: m.full((2, 2), 3, dtype=m.float16))
add("full-array-fill", lambda m, v: m.full((2, 3), v), A((3,), "f32"))
add("empty-shape", lambda m: m.empty((2, 3)), values=False)
add("empty-dtype", lambda m: m.empty(4, dtype=m.int32), values=False)
add("empty_like", lambda m, x: m.empty_like(x), A(S23, "i32"), values=False)
add("zeros_like-f32", lambda m, x: m.zeros_like(x), A(S23, "f32"))
add("zeros_like-dtype", lambda m, x: m.zeros_like(x, dtype=m.int32), A(S23, "f32"))
add("ones_like-i32", lambda m, x: m.ones_like(x), A((4,), "i32"))
add("ones_like-bool", lambda m, x: m.ones_like(x), A((4,), "bool"))
add("full_like-f32", lambda m, x: m.full_like(x, 2.5), A(S23, "f32"))
add("full_like-int-from-float", lambda m, x: m.full_like(x, 2.7), A((4,), "i32"))
add("full_like-shape", lambda m, x: m.full_like(x, 3, shape=(2, 2)), A((4,), "f32"))
add("arange-stop", lambda m: m.arange(5))
add("arange-start-stop", lambda m: m.arange(2, 7))
add("arange-step", lambda m: m.arange(1, 10, 3))
add("arange-neg-step", lambda m: m.arange(5, -3, -2))
add("arange-float", lambda m: m.arange(0.0, 1.0, 0.25))
add("arange-float-stop", lambda m: m.arange(4.0))
add("arange-dtype", lambda m: m.arange(4, dtype=m.float32))
add("arange-empty", lambda m: m.arange(3, 3))
add("zeros-empty", lambda m: m.zeros((0, 3)) + 1.0)
add("array-empty-list", lambda m: m.array([]))
add("tile-zero", lambda m, x: m.tile(x, 0), A((3,)))
add("concatenate-empty-part", lambda m, x: m.concatenate([m.zeros((0,)), x]), A((3,)))
add("linspace-default", lambda m: m.linspace(0.0, 1.0))
add("linspace-5", lambda m: m.linspace(-1, 2, 5))
add("linspace-no-endpoint", lambda m: m.linspace(0.0, 1.0, 4, endpoint=False))
add("linspace-1", lambda m: m.linspace(2.0, 3.0, 1))
add("linspace-int", lambda m: m.linspace(0, 10, 4, dtype=m.int32))
add("linspace-retstep", lambda m: m.linspace(0.0, 1.0, 5, retstep=True)[0])
add("eye-3", lambda m: m.eye(3))
add("eye-rect-k", lambda m: m.eye(3, 4, k=1))
add("eye-k-neg", lambda m: m.eye(4, 3, k=-2, dtype=m.int32))
add("identity-2", lambda m: m.identity(2))
add("identity-bool", lambda m: m.identity(3, dtype=bool))
add("array-list-int", lambda m: m.array([1, 2, 3]))
add("array-list-float", lambda m: m.array([[1.0, 2.0], [3.0, 4.5]]))
add("array-list-mixed", lambda m: m.array([1, 2.5, True]))
add("array-list-bool", lambda m: m.array([True, False]))
add("array-pyfloat", lambda m: m.array(3.5))
add("array-pyint", lambda m: m.array(3))
add("array-dtype", lambda m: m.array([1, 2, 3], dtype=m.float16))
add("array-numpy-f64", lambda m: m.array(np.arange(3.0)))
add("array-numpy-i64", lambda m: m.array(np.arange(3)))
add("array-numpy-u8", lambda m: m.array(np.arange(3, dtype=np.uint8)))
add("array-of-array", lambda m, x: m.array(x), A(S23, "bf16"))
add("array-of-arrays", lambda m, x, y: m.array([x, y]), A((3,), "f32"), A((3,), "f32"))
add("array-ndmin", lambda m: m.array([1.0, 2.0], ndmin=3))
add("asarray-list", lambda m: m.asarray([[1, 2], [3, 4]]))
add("asarray-dtype", lambda m, x: m.asarray(x, dtype=m.int32), A(S23, "f32"))
add("asarray-array", lambda m, x: m.asarray(x), A((4,), "u32"))
add("float32-scalar-type", lambda m: m.float32(2.5), covers=("float32",))
add("int32-scalar-type", lambda m, x: m.int32(x), A((4,), "f32"), covers=("int32",))
add("bool-scalar-type", lambda m, x: m.bool_(x), A((4,), "i32"), covers=("bool_",))
add("uint8-scalar-type", lambda m: m.uint8(7), covers=("uint8",))
add(
    "bfloat16-scalar-type",
    lambda m, x: _bf16(m)(x),
    A((4,), "f32"),
    dtype="bf16",
    jax=False,
    covers=("bfloat16",),
)

# Linear algebra
add("dot-vv", _call("dot"), A((3,)), A((3,)))
add("dot-mm", _call("dot"), A((2, 3)), A((3, 4)))
add("dot-mv", _call("dot"), A((2, 3)), A((3,)))
add("dot-vm", _call("dot"), A((3,)), A((3, 4)))
add("dot-scalar", _call("dot"), A(()), A((2, 3)))
add("dot-3d2d", _call("dot"), A((2, 2, 3)), A((3, 4)))
add("dot-i32", _call("dot"), A((2, 3), "i32"), A((3, 4), "i32"))
add("dot-mixed", _call("dot"), A((2, 3), "i32"), A((3,), "f32"))
add("matmul-mm", _call("matmul"), A((2, 3)), A((3, 4)))
add("matmul-batch", _call("matmul"), A((2, 2, 3)), A((2, 3, 4)))
add("matmul-bcast-batch", _call("matmul"), A((2, 1, 2, 3)), A((3, 3, 4)))
add("matmul-3d2d", _call("matmul"), A((2, 2, 3)), A((3, 4)))
add("matmul-vm", _call("matmul"), A((3,)), A((3, 4)))
add("matmul-mv", _call("matmul"), A((2, 3)), A((3,)))
add("matmul-vv", _call("matmul"), A((3,)), A((3,)))
add("matmul-bf16", _call("matmul"), A((2, 3), "bf16"), A((3, 4), "bf16"))
add("matmul-i32", _call("matmul"), A((2, 3), "i32"), A((3, 4), "i32"))
add("matmul-bool", _call("matmul"), A(S23, "bool"), A((3, 2), "bool"))
add("dot-bool", _call("dot"), A((3,), "bool"), A((3,), "bool"))
add("inner-bool", _call("inner"), A(S23, "bool"), A((4, 3), "bool"))
add("tensordot-bool", lambda m, x, y: m.tensordot(x, y, 1), A(S23, "bool"), A((3, 2), "bool"))
add("vdot", _call("vdot"), A((2, 3)), A((2, 3)))
add("inner-vv", _call("inner"), A((3,)), A((3,)))
add("inner-mm", _call("inner"), A((2, 3)), A((4, 3)))
add("inner-scalar", _call("inner"), A(()), A((3,)))
add("outer", _call("outer"), A((3,)), A((4,)))
add("outer-2d", _call("outer"), A((2, 2), "i32"), A((3,), "i32"))
add("tensordot-2", _call("tensordot"), A((2, 3, 4)), A((3, 4, 2)))
add("tensordot-1", lambda m, a, b: m.tensordot(a, b, axes=1), A((2, 3)), A((3, 4)))
add("tensordot-0", lambda m, a, b: m.tensordot(a, b, axes=0), A((2,)), A((3,)))
add(
    "tensordot-pairs",
    lambda m, a, b: m.tensordot(a, b, axes=([0, 2], [1, 0])),
    A((2, 3, 4)),
    A((4, 2, 5)),
)
add("tensordot-int-pair", lambda m, a, b: m.tensordot(a, b, axes=(1, 0)), A((2, 3)), A((3, 4)))
_ES = {
    "matmul": ("ij,jk->ik", A((2, 3)), A((3, 4))),
    "batch": ("bij,bjk->bik", A((2, 2, 3)), A((2, 3, 4))),
    "transpose": ("ij->ji", A((2, 3))),
    "sum-all": ("ij->", A((2, 3))),
    "sum-axis": ("ij->j", A((2, 3))),
    "outer": ("i,j->ij", A((3,)), A((4,))),
    "implicit": ("ij,jk", A((2, 3)), A((3, 4))),
    "dot": ("i,i->", A((3,)), A((3,))),
    "3op": ("ij,jk,kl->il", A((2, 3)), A((3, 4)), A((4, 2))),
    "permuted-out": ("bij,bjk->kbi", A((2, 2, 3)), A((2, 3, 4))),
    "i32": ("ij,jk->ik", A((2, 3), "i32"), A((3, 4), "i32")),
}
for _eid, (_spec, *_ops) in _ES.items():
    add(f"einsum-{_eid}", lambda m, *a, _s=_spec: m.einsum(_s, *a), *_ops)

# Shape manipulation
add("reshape-tuple", lambda m, x: m.reshape(x, (3, 2)), A(S23))
add("reshape-minus1", lambda m, x: m.reshape(x, (-1, 2)), A(R3))
add("reshape-int", lambda m, x: m.reshape(x, 6), A(S23, "i32"))
add("reshape-0d", lambda m, x: m.reshape(x, (1, 1)), A(()))
add("reshape-to-0d", lambda m, x: m.reshape(x, ()), A((1,)))
add("ravel", _call("ravel"), A(R3))
add("transpose-default", _call("transpose"), A(R3))
add("transpose-axes", lambda m, x: m.transpose(x, (1, 0, 2)), A(R3))
add("transpose-neg-axes", lambda m, x: m.transpose(x, (-1, 0, 1)), A(R3, "i32"))
add("swapaxes", lambda m, x: m.swapaxes(x, 0, 2), A(R3))
add("swapaxes-neg", lambda m, x: m.swapaxes(x, -1, 1), A(R3))
add("swapaxes-same", lambda m, x: m.swapaxes(x, 1, 1), A(R3))
add("moveaxis-int", lambda m, x: m.moveaxis(x, 0, -1), A(R3))
add("moveaxis-tuple", lambda m, x: m.moveaxis(x, (0, 1), (2, 0)), A(R3))
add("expand_dims-0", lambda m, x: m.expand_dims(x, 0), A(S23))
add("expand_dims-neg", lambda m, x: m.expand_dims(x, -1), A(S23))
add("expand_dims-tuple", lambda m, x: m.expand_dims(x, (0, 3)), A(S23))
add("expand_dims-0d", lambda m, x: m.expand_dims(x, 0), A(()))
add("squeeze-all", _call("squeeze"), A((1, 3, 1)))
add("squeeze-axis", lambda m, x: m.squeeze(x, 2), A((1, 3, 1)))
add("squeeze-tuple", lambda m, x: m.squeeze(x, (0, -1)), A((1, 3, 1)))
add("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 3, 4)), A((3, 1)))
add("broadcast_to-int", lambda m, x: m.broadcast_to(x, 4), A(()))
add("broadcast_to-scalar", lambda m: m.broadcast_to(2.0, (2,)))
add("broadcast_arrays", _call("broadcast_arrays"), A((3, 1)), A((4,), "i32"))
add("concatenate-0", lambda m, x, y: m.concatenate([x, y]), A((2, 3)), A((1, 3)))
add("concatenate-1", lambda m, x, y: m.concatenate([x, y], axis=1), A((2, 3)), A((2, 2)))
add(
    "concatenate-neg",
    lambda m, x, y, z: m.concatenate((x, y, z), axis=-1),
    A((2, 1)),
    A((2, 2)),
    A((2, 3)),
)
add("concatenate-none", lambda m, x, y: m.concatenate([x, y], axis=None), A((2, 2)), A((3,)))
add("concatenate-mixed", lambda m, x, y: m.concatenate([x, y]), A((2,), "i32"), A((3,), "f32"))
add("concatenate-one", lambda m, x: m.concatenate([x]), A((2, 3)))
add("stack-0", lambda m, x, y: m.stack([x, y]), A(S23), A(S23))
add("stack-1", lambda m, x, y: m.stack([x, y], axis=1), A(S23), A(S23))
add("stack-neg", lambda m, x, y, z: m.stack([x, y, z], axis=-1), A((3,)), A((3,)), A((3,)))
add("stack-0d", lambda m, x, y: m.stack([x, y]), A(()), A(()))
add("vstack-1d", lambda m, x, y: m.vstack([x, y]), A((3,)), A((3,)))
add("vstack-2d", lambda m, x, y: m.vstack([x, y]), A((2, 3)), A((1, 3)))
add("hstack-1d", lambda m, x, y: m.hstack([x, y]), A((3,)), A((2,)))
add("hstack-2d", lambda m, x, y: m.hstack([x, y]), A((2, 3)), A((2, 1)))
add("hstack-0d", lambda m, x, y: m.hstack([x, y]), A(()), A(()))
add("split-sections", lambda m, x: m.split(x, 3), A((6, 2)))
add("split-indices", lambda m, x: m.split(x, [1, 3], axis=1), A((2, 5)))
# Empty slices starting at the end of an axis (start == size).
add("split-empty-tail", lambda m, x: m.split(x, [2, 4]), A((4,)))
add("split-empty-tail-axis1", lambda m, x: m.split(x, [3], axis=1), A(S23))
add("tile-int", lambda m, x: m.tile(x, 3), A((2,)))
add("tile-tuple", lambda m, x: m.tile(x, (2, 1)), A(S23))
add("tile-more-reps", lambda m, x: m.tile(x, (2, 1, 2)), A((3,)))
add("tile-0d", lambda m, x: m.tile(x, 2), A(()))
add("repeat-none", lambda m, x: m.repeat(x, 2), A(S23))
add("repeat-axis", lambda m, x: m.repeat(x, 3, axis=1), A(S23))
add("repeat-axis-neg", lambda m, x: m.repeat(x, 2, axis=-2), A(S23, "i32"))
add("flip-none", _call("flip"), A(S23))
add("flip-0", lambda m, x: m.flip(x, 0), A(R3))
add("flip-tuple", lambda m, x: m.flip(x, (0, -1)), A(R3))
add("fliplr", _call("fliplr"), A(S23))
add("flipud", _call("flipud"), A(S23))
add("atleast_1d-0d", _call("atleast_1d"), A(()))
add("atleast_1d-1d", _call("atleast_1d"), A((3,)))
add("atleast_1d-many", _call("atleast_1d"), A(()), A(S23))
add("atleast_2d-0d", _call("atleast_2d"), A(()))
add("atleast_2d-1d", _call("atleast_2d"), A((3,)))
add("atleast_2d-2d", _call("atleast_2d"), A(S23))

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

# Array methods and properties
add("meth_T", lambda m, x: x.T, A(R3))
add("meth_T-1d", lambda m, x: x.T, A((3,)))
add("meth_mT", lambda m, x: x.mT, A(R3))
add("meth_reshape-tuple", lambda m, x: x.reshape((4, 6)), A(R3))
add("meth_reshape-varargs", lambda m, x: x.reshape(6, -1), A(R3))
add("meth_transpose-varargs", lambda m, x: x.transpose(2, 0, 1), A(R3))
add("meth_transpose-tuple", lambda m, x: x.transpose((1, 0, 2)), A(R3))
add("meth_transpose-none", lambda m, x: x.transpose(), A(R3))
add("meth_astype-f32-i32", lambda m, x: x.astype(m.int32), A((10,), "f32", "halves"))
add("meth_astype-i32-bool", lambda m, x: x.astype(bool), A((5,), "i32"))
add(
    "meth_astype-f32-bf16",
    lambda m, x: x.astype(_bf16(m)),
    A((5,), "f32"),
    dtype="bf16",
)
add("meth_astype-bool-f32", lambda m, x: x.astype(m.float32), A((5,), "bool"))
add("meth_astype-f32-u8", lambda m, x: x.astype(m.uint8), A((5,), "f32", "pos"))
add("meth_astype-str", lambda m, x: x.astype("float16"), A((5,), "i32"))
add("meth_ravel", lambda m, x: x.ravel(), A(R3))
add("meth_flatten", lambda m, x: x.flatten(), A(S23))
add("meth_squeeze", lambda m, x: x.squeeze(), A((1, 3, 1)))
add("meth_squeeze-axis", lambda m, x: x.squeeze(0), A((1, 3, 1)))
add("meth_swapaxes", lambda m, x: x.swapaxes(0, 1), A(S23))
add("meth_sum", lambda m, x: x.sum(), A(R3))
add("meth_sum-axis", lambda m, x: x.sum(axis=1, keepdims=True), A(R3))
add("meth_prod", lambda m, x: x.prod(axis=0), A(R3, "f32", "small"))
add("meth_mean", lambda m, x: x.mean(axis=(0, 1)), A(R3))
add("meth_max", lambda m, x: x.max(axis=-1), A(R3))
add("meth_min", lambda m, x: x.min(axis=1), A(S23, "i32"))
add("meth_var", lambda m, x: x.var(axis=1, ddof=1), A(S23))
add("meth_std", lambda m, x: x.std(), A(R3))
add("meth_argmax", lambda m, x: x.argmax(axis=1), A(S23, "i32", "ties"))
add("meth_argmin", lambda m, x: x.argmin(), A(R3))
add("meth_all", lambda m, x: x.all(axis=0), A(S23, "bool"))
add("meth_any", lambda m, x: x.any(), A(R3))
add("meth_dot", lambda m, x, y: x.dot(y), A(S23), A((3,)))
add("meth_clip", lambda m, x: x.clip(-1.0, 1.5), A(S23))
add("meth_round", lambda m, x: x.round(), A((10,), "f32", "halves"))
add("meth_round-decimals", lambda m, x: x.round(2), A(S23), atol=1e-6)
add("meth_conj", lambda m, x: x.conj(), A(S23))
add("meth_real", lambda m, x: x.real, A(S23))

# Basic indexing: ints, negative ints, slices with steps, None, Ellipsis.
_INDEXES = [
    ("int", lambda x: x[1]),
    ("negint", lambda x: x[-1]),
    ("int2", lambda x: x[1, 2]),
    ("negint2", lambda x: x[-2, -1]),
    ("slice", lambda x: x[1:]),
    ("slice-stop", lambda x: x[:1]),
    ("step", lambda x: x[:, ::2]),
    ("negstep", lambda x: x[::-1]),
    ("negstep2", lambda x: x[:, ::-2]),
    ("negstep-bounds", lambda x: x[:, 3:0:-2]),
    ("negstep-start", lambda x: x[:, -2::-1]),
    ("negstep-last", lambda x: x[..., ::-3]),
    ("mixed", lambda x: x[1:, ::-1, 2]),
    ("none", lambda x: x[None]),
    ("none-mid", lambda x: x[:, None, 1]),
    ("ellipsis", lambda x: x[..., 0]),
    ("ellipsis-none", lambda x: x[0, ..., None]),
    ("ellipsis-only", lambda x: x[...]),
    ("empty-slice", lambda x: x[:, 2:1]),
    ("neg-slice", lambda x: x[:, -3:-1]),
    ("numpy-int", lambda x: x[np.int64(1), np.int32(-1)]),
    ("tuple-slices", lambda x: x[0:2:1, 1::2, ::3]),
]
for _name, _ix in _INDEXES:
    add(f"getitem-{_name}", lambda m, x, _ix=_ix: _ix(x), A(R3), covers=("getitem",))
add("getitem-1d-int", lambda m, x: x[2], A((5,), "i32"), covers=("getitem",))
add("getitem-0d-empty-tuple", lambda m, x: x[()], A(()), covers=("getitem",))
add("getitem-0d-none", lambda m, x: x[None], A(()), covers=("getitem",))
add("getitem-bool-array", lambda m, x: x[::-1], A((5,), "bool"), covers=("getitem",))
for _sid, _sl in [
    ("negstep-past-start", slice(-1, -10, -1)),
    ("negstep-start-beyond", slice(10, 0, -1)),
    ("negstep-big", slice(None, None, -7)),
    ("wide-bounds", slice(-100, 100, 3)),
    ("reversed-empty", slice(3, 1)),
    ("end", slice(5, None)),
    ("end-empty", slice(5, 5)),
]:
    add(f"getitem-1d-{_sid}", lambda m, x, _s=_sl: x[_s], A((5,), "i32"), covers=("getitem",))
add("getitem-oob-slice", lambda m, x: x[5:], A(R3), covers=("getitem",))
add("getitem-end-slice", lambda m, x: x[:, :, 4:], A(R3), covers=("getitem",))
add("getitem-end-slice-1d", lambda m, x: x[4:], A((4,)), covers=("getitem",))


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


# ---------------------------------------------------------------------------
# Scalar-valued helpers, dtype utilities and the Array protocol
# ---------------------------------------------------------------------------


def test_shape_ndim_size():
    x = jnp.zeros((2, 3, 4))
    assert jnp.shape(x) == (2, 3, 4) == np.shape(np.zeros((2, 3, 4)))
    assert jnp.ndim(x) == 3 and jnp.size(x) == 24
    assert jnp.shape(3.0) == () and jnp.ndim(3.0) == 0 and jnp.size(3.0) == 1
    assert jnp.shape([[1, 2, 3]]) == (1, 3)
    assert (x.shape, x.ndim, x.size, x.dtype, x.nbytes) == ((2, 3, 4), 3, 24, F32, 96)


def test_broadcast_shapes():
    assert jnp.broadcast_shapes((3, 1), (4,)) == np.broadcast_shapes((3, 1), (4,)) == (3, 4)
    assert jnp.broadcast_shapes((2, 1, 3), (5, 1), ()) == (2, 5, 3)
    assert jnp.broadcast_shapes() == ()
    with pytest.raises(ValueError):
        jnp.broadcast_shapes((3,), (4,))


_RESULT_TYPES = [
    (("int32", "float32"), F32),
    (("int8", "uint8"), np.dtype(np.int16)),
    (("float16", "bfloat16"), F32),
    (("bool_", "int8"), np.dtype(np.int8)),
    (("uint32", "int32"), I32),
    (("bfloat16", "int32"), BF16),
    (("float16", 1.0), F16),
    (("int8", 1), np.dtype(np.int8)),
    (("bool_", 1.0), F32),
    ((1, 1.0), F32),
    ((True, 1), I32),
]


@pytest.mark.parametrize("args,expected", _RESULT_TYPES)
def test_result_type(args, expected):
    def resolve(m):
        return [getattr(m, a) if isinstance(a, str) else a for a in args]

    assert jnp.result_type(*resolve(jnp)) == expected
    assert np.dtype(jax.numpy.result_type(*resolve(jax.numpy))) == expected


def test_result_type_arrays_and_weak():
    x = jnp.zeros(2, dtype=jnp.int8)
    assert jnp.result_type(x, 1) == np.int8
    assert jnp.result_type(x, 1.0) == F32
    assert jnp.result_type(x, np.float16(1)) == F16
    assert jnp.result_type(3) == I32 and jnp.result_type(3.0) == F32


def test_promote_types():
    assert jnp.promote_types(jnp.int32, jnp.float32) == F32
    assert jnp.promote_types(np.uint8, np.int8) == np.int16
    assert jnp.promote_types(np.float16, jnp.bfloat16) == F32
    assert jnp.promote_types(np.int64, np.float64) == F32  # x64 disabled
    assert jnp.promote_types(np.bool_, np.bool_) == BOOL


def test_finfo_iinfo_issubdtype_dtype():
    assert jnp.finfo(jnp.float32).eps == np.finfo(np.float32).eps
    assert float(jnp.finfo(jnp.bfloat16).eps) == 2.0**-7
    assert jnp.finfo(jnp.float16).max == np.finfo(np.float16).max
    assert jnp.iinfo(jnp.int8).min == -128 and jnp.iinfo(jnp.uint32).max == 2**32 - 1
    assert jnp.issubdtype(jnp.bfloat16, jnp.floating)
    assert jnp.issubdtype(jnp.float32, jnp.inexact)
    assert jnp.issubdtype(np.int8, jnp.integer) and jnp.issubdtype(np.uint8, jnp.unsignedinteger)
    assert jnp.issubdtype(np.int8, jnp.signedinteger)
    assert not jnp.issubdtype(np.uint8, jnp.signedinteger)
    assert not jnp.issubdtype(jnp.int32, jnp.floating)
    assert jnp.issubdtype(jnp.float16, jnp.number) and not jnp.issubdtype(np.bool_, jnp.number)
    assert jnp.dtype("float32") == F32


def test_constants():
    assert jnp.pi == np.pi and jnp.e == np.e and jnp.inf == np.inf and np.isnan(jnp.nan)
    assert jnp.newaxis is None
    assert isinstance(jnp.zeros(2), jnp.ndarray)


def test_len_iter_item_tolist():
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = jnp.asarray(v)
    assert len(x) == 2
    rows = list(x)
    assert len(rows) == 2
    for r, expected in zip(rows, v):
        assert_allclose(r, expected, F32)
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert isinstance(x.tolist()[0][0], float)
    assert x.item(4) == 4.0
    s = jnp.asarray(np.int32(7))
    assert s.item() == 7 and isinstance(s.item(), int)
    assert s.tolist() == 7
    assert int(s) == 7 and float(s) == 7.0 and bool(s) is True
    assert [1, 2, 3, 4, 5, 6, 7, 8][s] == 8  # __index__
    with pytest.raises(TypeError):
        len(s)
    with pytest.raises(TypeError):
        next(iter(s))
    with pytest.raises(ValueError):
        bool(x)
    with pytest.raises(TypeError):
        hash(x)
    assert jnp.asarray(np.array([True, False])).tolist() == [True, False]
    assert f"{jnp.asarray(np.float32(1.25)):.1f}" == "1.2"


def test_np_asarray_and_array_protocol():
    v = np.arange(6, dtype=np.int32).reshape(2, 3)
    x = jnp.asarray(v)
    out = np.asarray(x)
    np.testing.assert_array_equal(out, v)
    assert out.dtype == np.int32
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    assert np.asarray(jnp.asarray(np.array([1, 2], ml_dtypes.bfloat16))).dtype == BF16
    # NumPy arrays on the left defer to mlax (like jax.Array).
    y = np.ones(3, np.float32) + jnp.asarray(np.arange(3, dtype=np.float32))
    assert isinstance(y, mlax.Array)
    assert_allclose(y, np.arange(1, 4, dtype=np.float32), F32)


_REPRS = [
    (np.array([1.0, 2.0], np.float32), "Array([1., 2.], dtype=float32)"),
    (np.array([1, 2], np.int32), "Array([1, 2], dtype=int32)"),
    (np.array([True, False]), "Array([ True, False], dtype=bool)"),
    (np.float32(1.5), "Array(1.5, dtype=float32)"),
    (1.0, "Array(1., dtype=float32, weak_type=True)"),
    (2, "Array(2, dtype=int32, weak_type=True)"),
    (
        np.arange(4.0, dtype=np.float32).reshape(2, 2),
        "Array([[0., 1.],\n       [2., 3.]], dtype=float32)",
    ),
    (np.array([1.5, 2], np.float16), "Array([1.5, 2. ], dtype=float16)"),
    (np.array([3], np.uint8), "Array([3], dtype=uint8)"),
    (np.array([1, 2], ml_dtypes.bfloat16), "Array([1, 2], dtype=bfloat16)"),
    (np.array([1.5, -2.25, 3], ml_dtypes.bfloat16), "Array([1.5, -2.25, 3], dtype=bfloat16)"),
    (np.zeros((0,), np.float32), "Array([], shape=(0,), dtype=float32)"),
    (np.zeros((0, 3), np.int32), "Array([], shape=(0, 3), dtype=int32)"),
]


@pytest.mark.parametrize("value,expected", _REPRS)
def test_repr(value, expected):
    assert repr(jnp.asarray(value)) == expected
    assert repr(jax.numpy.asarray(value)) == expected  # the reference really is JAX's


def test_repr_2d_int_and_str():
    x = jnp.asarray(np.array([[1, 20], [300, 4]], np.int32))
    assert repr(x) == "Array([[  1,  20],\n       [300,   4]], dtype=int32)"
    assert str(jnp.asarray(np.array([1.0, 2.0], np.float32))) == "[1. 2.]"


# ---------------------------------------------------------------------------
# mlax.lax
# ---------------------------------------------------------------------------

LAX_CASES = []


def ladd(id, fn, *args, ref, **kw):
    """fn(lax_module, *args); ref(*np_args) is the NumPy reference."""
    LAX_CASES.append(Case(id, fn, *args, ref=ref, **kw))


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
    _f = _call(_name)
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
    ladd(f"{_name}-i32", _call(_name), A((5,), "i32"), ref=_ref)
ladd("stop_gradient-f32", _call("stop_gradient"), A((2, 3)), ref=lambda x: x)
ladd("stop_gradient-i32", _call("stop_gradient"), A((4,), "i32"), ref=lambda x: x)
ladd("optimization_barrier-f32", _call("optimization_barrier"), A((2, 3)), ref=lambda x: x)
ladd(
    "optimization_barrier-tuple",
    lambda m, x, y: m.optimization_barrier((x, y)),
    A((2, 3)),
    A((4,), "i32"),
    ref=lambda x, y: (x, y),
    covers=("optimization_barrier",),
)
ladd("bitwise_not-bool", _call("bitwise_not"), A((4,), "bool"), ref=np.invert)
ladd("bitwise_not-u8", _call("bitwise_not"), A((4,), "u8"), ref=np.invert)
ladd(
    "erf_inv-edges",
    _call("erf_inv"),
    np.array([-1.0, 1.0, 0.0, -0.999, 0.999, 0.5], np.float32),
    ref=_erfinv,
    rtol=1e-4,
)
ladd("erf-big", _call("erf"), np.array([-6.0, -2.5, 2.5, 6.0, 1e-3], np.float32), ref=_erf)
ladd(
    "logistic-extreme",
    _call("logistic"),
    np.array([-100.0, -20.0, 20.0, 100.0, 0.0], np.float32),
    ref=lambda x: 1 / (1 + np.exp(-x.astype(np.float64))),
)
ladd(
    "rsqrt-special",
    _call("rsqrt"),
    np.array([0.0, np.inf, 4.0], np.float32),
    ref=lambda x: 1 / np.sqrt(x),
)
ladd(
    "cbrt-neg",
    _call("cbrt"),
    np.array([-27.0, -8.0, 0.0, 1e-9, 64.0], np.float32),
    ref=np.cbrt,
)
ladd("round-away", _call("round"), A((10,), "f32", "halves"), ref=_round_away)
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
    _f = _call(_name)
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
    ladd(f"{_name}-i32", _call(_name), A((6,), "i32"), A((6,), "i32", _ydom), ref=_ref)
    if _name in ("div", "rem", "max", "bitwise_and", "lt"):
        ladd(f"{_name}-u32", _call(_name), A((6,), "u32"), A((6,), "u32", "pos"), ref=_ref)
ladd("div-int-neg", _call("div"), *_INT_PAIRS, ref=_trunc_div)
ladd("rem-int-neg", _call("rem"), *_INT_PAIRS, ref=np.fmod)
ladd(
    "pow-negbase",
    _call("pow"),
    np.array([-1.5, -2.0, -0.5, 2.0], np.float32),
    np.array([2.0, 3.0, -2.0, 0.5], np.float32),
    ref=np.power,
)
ladd("max-nan", _call("max"), A((8,), "f32", "special"), A((8,), "f32"), ref=np.maximum)
ladd("min-nan", _call("min"), A((8,), "f32", "special"), A((8,), "f32"), ref=np.minimum)
ladd(
    "bitwise_or-bool",
    _call("bitwise_or"),
    A((4,), "bool"),
    A((4,), "bool"),
    ref=np.logical_or,
)
ladd("bitwise_and-bool", _call("bitwise_and"), A((4,), "bool"), A((4,), "bool"), ref=np.logical_and)
ladd("bitwise_xor-bool", _call("bitwise_xor"), A((4,), "bool"), A((4,), "bool"), ref=np.logical_xor)
ladd("eq-bool", _call("eq"), A((4,), "bool"), A((4,), "bool"), ref=np.equal)


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
    ladd(f"shift_left-{_dt}", _call("shift_left"), _x, _s, ref=_shl)
    ladd(f"shift_right_logical-{_dt}", _call("shift_right_logical"), _x, _s, ref=_shrl)
    ladd(f"shift_right_arithmetic-{_dt}", _call("shift_right_arithmetic"), _x, _s, ref=_shra)

# Random operands and amounts (the vmap cases of the shifts).
for _dt, _bits in (("i32", 32), ("u32", 32), ("i8", 8)):
    for _name, _ref in zip(
        ("shift_left", "shift_right_logical", "shift_right_arithmetic"), _shift_refs(_bits)
    ):
        ladd(
            f"{_name}-{_dt}-random",
            _call(_name),
            A(S23, _dt, "bits"),
            A(S23, _dt, "overshift"),
            ref=_ref,
        )

ladd("select-f32", _call("select"), A(S23, "bool"), A(S23), A(S23), ref=np.where)
ladd("select-scalar-pred", _call("select"), np.array(False), A(S23), A(S23), ref=np.where)
ladd("select-i32", _call("select"), A((5,), "bool"), A((5,), "i32"), A((5,), "i32"), ref=np.where)
ladd(
    "select_n-bool",
    _call("select_n"),
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
    _call("clamp"),
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
    _f = _call(_name)
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
    _f = _call(_name)
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
ladd("dot-mm", _call("dot"), A((2, 3)), A((3, 4)), ref=np.dot)
ladd("dot-vv", _call("dot"), A((3,)), A((3,)), ref=np.dot)
ladd("dot-mv", _call("dot"), A((2, 3)), A((3,)), ref=np.dot)


@pytest.mark.parametrize("case", [c.param() for c in LAX_CASES])
def test_lax_parity(case):
    run_case(case, module=lax, ref_module=None)


@pytest.mark.parametrize("case", [c.param(jax=True) for c in LAX_CASES if c.jax])
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
    # logical or (test/KNOWN_BUGS.txt #6: true + true is true).
    a, b = np.array([True, False]), np.array([True, True])
    with pytest.raises(TypeError):
        lax.add(jnp.asarray(a), jnp.asarray(b))
    with pytest.raises(TypeError):
        mlax.jit(lambda: lax.add(jnp.array(a), jnp.array(b)))()
    eager = jnp.add(jnp.asarray(a), jnp.asarray(b))
    assert_allclose(eager, np.array([True, True]), BOOL)
    folded = mlax.jit(lambda: jnp.add(jnp.array(a), jnp.array(b)))()
    assert_allclose(folded, np.array([True, True]), BOOL)


def test_reduction_of_empty_bool_does_not_crash(fresh_cache_env):
    # Run in a subprocess: this used to kill the process with SIGFPE inside the
    # IREE compiler (a fresh cache makes sure it is really compiled).
    import subprocess
    import sys

    code = (
        "import numpy as np, mlax.numpy as jnp\n"
        "from mlax import lax\n"
        "print(bool(jnp.all(jnp.zeros((0,)))), jnp.any(jnp.zeros((0, 3)), axis=0).tolist())\n"
        "e = jnp.zeros((0, 2), dtype=bool)\n"
        "print(lax.reduce_and(e, (0,)).tolist(), lax.reduce_or(e, (0,)).tolist(),"
        " lax.reduce_max(e, (0,)).tolist())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        env=fresh_cache_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"rc={proc.returncode} {proc.stderr[-500:]}"
    assert proc.stdout.split("\n")[0] == "True [False, False, False]"
    assert proc.stdout.split("\n")[1] == "[True, True] [False, False] [False, False]"


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


def test_mean_var_std_where_not_implemented():
    # where= masks work for sum/prod/max/min/all/any (parity cases above); mean,
    # var and std raise NotImplementedError rather than ignore the mask.
    x = jnp.asarray(np.array([1.0, -2.0, 3.0, 4.0], np.float32))
    w = jnp.asarray(np.array([True, False, True, True]))
    for fn in (jnp.mean, jnp.var):
        with pytest.raises(NotImplementedError, match="where"):
            fn(x, where=w)
        with pytest.raises(NotImplementedError, match="where"):
            mlax.jit(lambda a, m, fn=fn: fn(a, where=m))(x, w)


def test_std_where_not_silently_ignored():
    # JAX honours the mask; mlax does not support it yet and says so, eagerly
    # and under jit, rather than return the unmasked std.
    v, mask = np.array([1.0, -2.0, 3.0, 4.0], np.float32), np.array([True, False, True, True])
    np.testing.assert_allclose(jax_np.std(v, where=mask), np.std(v, where=mask), rtol=1e-6)
    x, w = jnp.asarray(v), jnp.asarray(mask)
    with pytest.raises(NotImplementedError, match=r"std\(where=\.\.\.\) is not supported"):
        jnp.std(x, where=w)
    with pytest.raises(NotImplementedError, match=r"std\(where=\.\.\.\) is not supported"):
        mlax.jit(lambda a, m: jnp.std(a, where=m))(x, w)


def test_pow_special_values():
    x = np.array([0.0, np.inf, np.nan, 1.0, 1.0, -1.0, -0.0, -0.0, -np.inf], np.float32)
    y = np.array([0.0, 0.0, 0.0, np.inf, np.nan, np.inf, -1.0, -3.0, 0.5], np.float32)
    expected = np.array([1, 1, 1, 1, 1, 1, -np.inf, -np.inf, np.inf], np.float32)
    assert_allclose(lax.pow(jnp.asarray(x), jnp.asarray(y)), expected, F32)
    assert_allclose(jnp.zeros(3) ** 0, np.ones(3, np.float32), F32)


def test_lax_full_weak_type():
    assert lax.full((2,), 1.5).weak_type
    assert not lax.full((2,), 1.5, np.float32).weak_type


# ---------------------------------------------------------------------------
# Coverage: every public function is exercised by some case above.
# ---------------------------------------------------------------------------

_NUMPY_NON_CASE = {  # tested by the explicit tests above
    "shape",
    "ndim",
    "size",
    "broadcast_shapes",
    "result_type",
    "promote_types",
    "finfo",
    "iinfo",
    "issubdtype",
}


def _public_callables(module):
    return {
        n
        for n in dir(module)
        if not n.startswith("_")
        and callable(getattr(module, n))
        and not isinstance(getattr(module, n), type)
    }


def test_every_numpy_function_is_covered():
    covered = {c for case in CASES for c in case.covers} | _NUMPY_NON_CASE
    # The callable scalar types (jnp.int16, ...) are all the same converter.
    scalar_types = {
        n for n in _public_callables(jnp) if type(getattr(jnp, n)).__name__ == "_ScalarType"
    }
    missing = _public_callables(jnp) - covered - scalar_types
    assert not missing, f"mlax.numpy functions without a parity case: {sorted(missing)}"


def test_every_lax_function_is_covered():
    covered = {c for case in LAX_CASES for c in case.covers}
    missing = _public_callables(lax) - covered
    assert not missing, f"mlax.lax functions without a parity case: {sorted(missing)}"


# ---------------------------------------------------------------------------
# float64 transcendental functions (expanded by mlax: IREE's CPU backend has
# no f64 libm, and its own f64 expm1/log1p are inaccurate near 0)
# ---------------------------------------------------------------------------

_F64_RNG = np.random.default_rng(7)
_F64_ARGS = np.concatenate(
    [
        _F64_RNG.uniform(-10, 10, 500),
        _F64_RNG.uniform(-1e5, 1e5, 200),
        np.exp(_F64_RNG.uniform(np.log(1e-12), 0, 300)) * _F64_RNG.choice([-1, 1], 300),
        [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 700.0, -700.0, 20.0, 1.0, 6.0, 30.0],
    ]
)

# name: (mlax function, NumPy reference, domain filter, max ulp)
F64_MATH = {
    "sin": (lax.sin, np.sin, None, 2),
    "cos": (lax.cos, np.cos, None, 2),
    "tan": (lax.tan, np.tan, None, 4),
    "tanh": (lax.tanh, np.tanh, None, 6),
    "cbrt": (lax.cbrt, np.cbrt, None, 2),
    "expm1": (lax.expm1, np.expm1, lambda x: x < 700, 4),
    "log1p": (lax.log1p, np.log1p, lambda x: x > -1, 4),
    "erf": (lax.erf, lambda x: _sp.erf(x), None, 4),
    "erf_inv": (lax.erf_inv, lambda x: _sp.erfinv(x), lambda x: np.abs(x) < 1 - 1e-12, 8),
}


def _ulp_error(got, want):
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    with np.errstate(invalid="ignore"):
        err = np.abs(got - want) / np.spacing(np.abs(want))
    return np.where(same, 0.0, err)


@pytest.mark.parametrize("name", sorted(F64_MATH))
def test_float64_math_matches_numpy(name, x64):
    fn, ref, domain, max_ulp = F64_MATH[name]
    x = _F64_ARGS
    if name == "erf_inv":
        x = np.concatenate([np.tanh(_F64_ARGS[np.isfinite(_F64_ARGS)] / 4), [1.0, -1.0, 0.0]])
    if domain is not None:
        x = x[domain(x) | ~np.isfinite(x)]
    got = np.asarray(fn(x))
    assert got.dtype == np.float64
    with np.errstate(invalid="ignore", over="ignore"):
        want = ref(x)
    err = _ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= max_ulp, f"{name}({x[worst]!r}) = {got[worst]!r}, NumPy {want[worst]!r}"


def test_float64_atan2_matches_numpy(x64):
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-300])
    y = np.concatenate([_F64_ARGS, np.repeat(specials, len(specials))])
    x = np.concatenate([_F64_RNG.permutation(_F64_ARGS), np.tile(specials, len(specials))])
    got = np.asarray(lax.atan2(y, x))
    want = np.arctan2(y, x)
    err = _ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= 2, (
        f"atan2({y[worst]!r}, {x[worst]!r}) = {got[worst]!r}, NumPy {want[worst]!r}"
    )
    signed = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[signed]), np.signbit(want[signed]))


def test_float64_rem_is_exact(x64):
    rng = np.random.default_rng(1)
    x = np.concatenate(
        [rng.uniform(-1e6, 1e6, 1000), [0.0, -0.0, np.inf, -np.inf, np.nan, 5.0, -5.0]]
    )
    y = np.concatenate([rng.uniform(-10, 10, 1000), [1.0, 2.0, 1.0, 3.0, 2.0, np.inf, np.inf]])
    got = np.asarray(lax.rem(x, y))
    with np.errstate(invalid="ignore"):
        want = np.fmod(x, y)
    assert np.array_equal(got, want, equal_nan=True)
    signed = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[signed]), np.signbit(want[signed]))
