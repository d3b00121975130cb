"""Shared machinery of the NumPy/JAX parity tests (test_numpy_*.py,
test_array_api.py, test_lax_ops.py; test_vmap.py and test_parity_coverage.py
consume their cases).

Every case is a function `fn(m, *args)` written against a NumPy-like module
`m`, so one definition runs on NumPy (the reference), on mlax.numpy or
mlax.lax (the code under test) and on jax.numpy / jax.lax through
jax.eval_shape to check that mlax gives JAX's result shape, dtype and weak
type (test_*_matches_jax: tracing only, nothing is compiled).

Shapes and dtypes are few and shared between cases on purpose: every new
(function, shapes, dtypes) signature costs one IREE compile, and cases that
share a signature (e.g. `x + y` and `jnp.add(x, y)`) share the executable.
Each test module keeps its cases in a module-level CASES list.
"""

import importlib
import warnings
import zlib

import jax
import ml_dtypes
import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from conftest import BF16, BOOL, F16, F32, I32, U32, assert_allclose, canonical_dtype

DT = {
    "f32": F32,
    "f16": F16,
    "bf16": BF16,
    "i32": I32,
    "u32": U32,
    "bool": BOOL,
    "i8": np.dtype(np.int8),
    "u8": np.dtype(np.uint8),
    "c64": np.dtype(np.complex64),
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


def bf16_of(m):
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
        if dt.kind == "c":
            lo, hi = _FLOAT_RANGES[dom if dom in _FLOAT_RANGES else "any"]
            parts = rng.uniform(lo, hi, size=(2, *shape))
            return (parts[0] + 1j * parts[1]).astype(dt)
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
    value test, jax_xfail the JAX shape/dtype/weak-type check. lax: fn takes
    the lax modules (mlax.lax, jax.lax) rather than the NumPy ones. exact: compare
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
        lax=False,
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
        self.lax = lax
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


def low_precision_result(np_args):
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


def upcast(a):
    if isinstance(a, np.ndarray) and a.dtype in (F16, BF16):
        return a.astype(np.float32)
    return a


def _flat(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def run_case(case, module=jnp, ref_module=np):
    """Runs case.fn eagerly on mlax and compares with NumPy (float16/bfloat16
    inputs: NumPy computes in float32 on the same values)."""
    np_args = case.np_args()
    low = low_precision_result(np_args)
    ref_args = [upcast(a) for a in np_args] if low is not None else np_args
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


S23 = (2, 3)
R3 = (2, 3, 4)

# Integer operands of both signs, for floor/trunc division and remainders.
INT_PAIRS = (
    np.array([-7, 7, -7, 7, 0, -1], np.int32),
    np.array([2, -2, -2, 2, 3, 5], np.int32),
)


def call(name):
    """fn(m, *args) calling m.<name>(*args)."""
    return lambda m, *a, **kw: getattr(m, name)(*a, **kw)


# Functions whose result size depends on the values (without size=/length=):
# neither jit nor vmap can take them, as in JAX, so the vmap and sharding
# suites skip their cases.
VALUE_DEPENDENT_SIZES = frozenset(
    {
        "nonzero",
        "flatnonzero",
        "argwhere",
        "compress",
        "extract",
        "bincount",
        "unique",
        "unique_values",
        "unique_counts",
        "unique_inverse",
        "unique_all",
        "repeat",
        "histogram",
        "histogram_bin_edges",
        "choose",
        "trim_zeros",
        "intersect1d",
        "union1d",
        "setdiff1d",
        "setxor1d",
        "roots",  # strip_zeros (the default) strips leading zeros by value
    }
)

# The test modules holding the parity cases (each a CASES list).
NUMPY_CASE_MODULES = (
    "test_numpy_elementwise",
    "test_numpy_reductions",
    "test_numpy_creation",
    "test_numpy_linalg",
    "test_numpy_shape",
    "test_numpy_construction",
    "test_array_api",
    "test_numpy_math",
)
LAX_CASE_MODULES = ("test_lax_ops",)


def all_cases(modules):
    """The CASES of the given test modules, in order."""
    return [case for name in modules for case in importlib.import_module(name).CASES]
