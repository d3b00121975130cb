"""dtypes: canonicalization (x64 switch), weak types and JAX's promotion lattice."""

import builtins

import ml_dtypes
import numpy as np

from .config import config

bool_ = np.dtype(np.bool_)
int8, int16, int32, int64 = (np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
bfloat16 = np.dtype(ml_dtypes.bfloat16)
complex64, complex128 = np.dtype(np.complex64), np.dtype(np.complex128)

SUPPORTED = [
    bool_,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    bfloat16,
    float16,
    float32,
    float64,
    complex64,
    complex128,
]
_SUPPORTED_SET = set(SUPPORTED)

_X32 = {int64: int32, uint64: uint32, float64: float32, complex128: complex64}


def canonicalize_dtype(dtype):
    """The dtype mlax stores for `dtype` (64-bit types narrow without x64)."""
    dt = np.dtype(dtype)
    if dt not in _SUPPORTED_SET:
        raise TypeError(
            f"dtype {dt} is not a valid mlax array type. Only arrays of numeric types are "
            "supported by mlax."
        )
    if not config.x64:
        return _X32.get(dt, dt)
    return dt


def default_int():
    return int64 if config.x64 else int32


def default_float():
    return float64 if config.x64 else float32


def default_complex():
    return complex128 if config.x64 else complex64


def is_supported(dt):
    """Whether mlax arrays can have dtype `dt` (before x64 narrowing)."""
    return np.dtype(dt) in _SUPPORTED_SET


def is_float(dt):
    return np.dtype(dt).kind == "f" or np.dtype(dt) == bfloat16


def is_complex(dt):
    return np.dtype(dt).kind == "c"


def is_inexact(dt):
    """Float or complex: the dtypes that carry derivatives."""
    return is_float(dt) or is_complex(dt)


def real_dtype(dt):
    """The dtype of the real and imaginary parts of `dt` (`dt` if real)."""
    dt = np.dtype(dt)
    return {complex64: float32, complex128: float64}.get(dt, dt)


def complex_dtype(dt):
    """The complex dtype with parts of float dtype `dt` (f16/bf16 widen)."""
    return complex128 if np.dtype(dt) == float64 else complex64


def is_int(dt):
    return np.dtype(dt).kind in "iu"


def is_unsigned(dt):
    return np.dtype(dt).kind == "u"


def is_bool(dt):
    return np.dtype(dt) == bool_


def issubdtype(a, b):
    if b is floating or b is np.floating:
        return is_float(a)
    if b is np.inexact:
        return is_inexact(a)
    if b is np.complexfloating:
        return is_complex(a)
    if b is np.integer or b is integer:
        return is_int(a)
    if b is np.signedinteger:
        return np.dtype(a).kind == "i"
    if b is np.unsignedinteger:
        return np.dtype(a).kind == "u"
    if b is np.number:
        return is_inexact(a) or is_int(a)
    if b is np.bool_ or b is builtins.bool:
        return is_bool(a)
    return np.issubdtype(np.dtype(a), b)


floating = np.floating
integer = np.integer

# ---------------------------------------------------------------------------
# Type promotion: JAX's lattice (jax/_src/dtypes.py). 'i*' and 'f*' stand for
# weakly typed Python ints and floats.
# ---------------------------------------------------------------------------

_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX = "i*", "f*", "c*"
_LATTICE = {
    bool_: [_WEAK_INT],
    _WEAK_INT: [uint8, int8],
    uint8: [int16, uint16],
    uint16: [int32, uint32],
    uint32: [int64, uint64],
    uint64: [_WEAK_FLOAT],
    int8: [int16],
    int16: [int32],
    int32: [int64],
    int64: [_WEAK_FLOAT],
    _WEAK_FLOAT: [bfloat16, float16, _WEAK_COMPLEX],
    bfloat16: [float32],
    float16: [float32],
    float32: [float64, complex64],
    float64: [complex128],
    _WEAK_COMPLEX: [complex64],
    complex64: [complex128],
    complex128: [],
}


def _upper_sets():
    ups = {}

    def up(node):
        if node in ups:
            return ups[node]
        result = {node}
        for child in _LATTICE[node]:
            result |= up(child)
        ups[node] = result
        return result

    for node in _LATTICE:
        up(node)
    return ups


_UPPER = _upper_sets()
_JOIN_CACHE = {}


def _node(dtype, weak):
    if weak:
        if is_int(dtype):
            return _WEAK_INT
        if is_float(dtype):
            return _WEAK_FLOAT
        if is_complex(dtype):
            return _WEAK_COMPLEX
    return np.dtype(dtype)


def _join(a, b):
    key = (a, b)
    hit = _JOIN_CACHE.get(key)
    if hit is not None:
        return hit
    common = _UPPER[a] & _UPPER[b]
    # The least upper bound is the common node every other common node is above.
    for node in common:
        if common <= _UPPER[node]:
            _JOIN_CACHE[key] = node
            return node
    raise TypeError(f"no common type for {a} and {b}")


class TypePromotionError(ValueError):
    pass


def _strict_check(pairs):
    """jax_numpy_dtype_promotion='strict': one dtype, and Python scalars
    only where they convert without a change of kind (int into int or float,
    float into float), as JAX's strict lattice allows."""
    nodes = [_node(np.dtype(d), w) for d, w in pairs]
    concrete = {n for n in nodes if n not in (_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX)}
    ok = len(concrete) <= 1
    if ok and concrete:
        (c,) = concrete
        if _WEAK_FLOAT in nodes and not is_inexact(c):
            ok = False
        if _WEAK_COMPLEX in nodes and not is_complex(c):
            ok = False
        if _WEAK_INT in nodes and c == bool_:
            ok = False
    if not ok:
        names = []
        for d, w in pairs:
            if w:
                kind = (
                    builtins.int
                    if is_int(d)
                    else builtins.complex
                    if is_complex(d)
                    else builtins.float
                )
                names.append(str(kind))
            else:
                names.append(np.dtype(d).name)
        raise TypePromotionError(
            f"Input dtypes {tuple(names)} have no available implicit dtype promotion path "
            "when jax_numpy_dtype_promotion=strict. Try explicitly casting inputs to the "
            "desired output type, or set jax_numpy_dtype_promotion=standard."
        )


def result_type_with_weak(*pairs):
    """(dtype, weak) pairs -> (promoted canonical dtype, weak)."""
    if config.trace_context[2] == "strict" and len(pairs) > 1:
        _strict_check(pairs)
    node = None
    for dtype, weak in pairs:
        n = _node(np.dtype(dtype), weak)
        node = n if node is None else _join(node, n)
    if node == _WEAK_INT:
        return default_int(), True
    if node == _WEAK_FLOAT:
        return default_float(), True
    if node == _WEAK_COMPLEX:
        return default_complex(), True
    return canonicalize_dtype(node), False


def dtype_and_weak(x):
    """The (dtype, weak) of an array, tracer, Python scalar or NumPy value."""
    aval = getattr(x, "aval", None)
    if aval is not None:
        return aval.dtype, aval.weak_type
    if isinstance(x, builtins.bool):
        return bool_, False
    if isinstance(x, builtins.int):
        return default_int(), True
    if isinstance(x, builtins.float):
        return default_float(), True
    if isinstance(x, builtins.complex):
        return default_complex(), True
    if hasattr(x, "dtype"):
        return canonicalize_dtype(x.dtype), False
    if isinstance(x, (list, tuple)):
        arr = np.asarray(x)
        if arr.dtype == np.float64:
            return default_float(), False
        if arr.dtype == np.int64:
            return default_int(), False
        if arr.dtype == np.complex128:
            return default_complex(), False
        return canonicalize_dtype(arr.dtype), False
    raise TypeError(f"{type(x).__name__} ({x!r}) is not a valid mlax type")


def result_type(*args, return_weak_type_flag=False):
    """jnp.result_type: promotes arrays, scalars and dtypes."""
    pairs = []
    for a in args:
        if isinstance(a, (np.dtype, type, str)):
            if any(a is t for t in (builtins.int, builtins.float, builtins.bool, builtins.complex)):
                pairs.append(dtype_and_weak(a(0)))
            else:
                pairs.append((canonicalize_dtype(a), False))
        else:
            pairs.append(dtype_and_weak(a))
    dtype, weak = result_type_with_weak(*pairs)
    return (dtype, weak) if return_weak_type_flag else dtype


def promote_types(a, b):
    return result_type_with_weak((np.dtype(a), False), (np.dtype(b), False))[0]


def finfo(dtype):
    return ml_dtypes.finfo(np.dtype(dtype))


def iinfo(dtype):
    return ml_dtypes.iinfo(np.dtype(dtype))  # prints as JAX's: iinfo(min=..., max=..., dtype=...)
