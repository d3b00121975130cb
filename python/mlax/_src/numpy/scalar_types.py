"""dtypes as JAX exposes them (callable scalar types) and NumPy's dtype
names and constants."""

import ml_dtypes
import numpy as np

from ..core import dtypes
from ..runtime.array import Array, PublicArray
from .util import asarray

# ---------------------------------------------------------------------------
# dtypes as JAX exposes them: callable scalar types
# ---------------------------------------------------------------------------


class _ScalarType:
    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        self.__name__ = self.dtype.name

    def __call__(self, x):
        return asarray(x, dtype=self.dtype)

    def __repr__(self):
        return f"<class 'mlax.numpy.{self.dtype.name}'>"

    def __eq__(self, other):
        try:
            return np.dtype(other) == self.dtype
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.dtype)


bool_ = _ScalarType(dtypes.bool_)
int8, int16, int32, int64 = (
    _ScalarType(t) for t in (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
)
uint8, uint16, uint32, uint64 = (
    _ScalarType(t) for t in (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)
)
float16, bfloat16, float32, float64 = (
    _ScalarType(t) for t in (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
)
dtype = np.dtype
floating, integer, number, inexact = np.floating, np.integer, np.number, np.inexact
signedinteger, unsignedinteger = np.signedinteger, np.unsignedinteger
pi, e, inf, nan = np.pi, np.e, np.inf, np.nan
newaxis = None
ndarray = PublicArray  # jnp.ndarray is jax.Array
result_type = dtypes.result_type
promote_types = dtypes.promote_types
finfo = dtypes.finfo
iinfo = dtypes.iinfo
issubdtype = dtypes.issubdtype

# ---------------------------------------------------------------------------
# The remaining names of jax.numpy's dtype namespace
# ---------------------------------------------------------------------------

bool = bool_
# Without x64 the 64-bit types convert to their 32-bit forms, as in JAX.
float_, double, int_, uint = float64, float64, int64, uint64
single = float32
generic, character, flexible, object_ = np.generic, np.character, np.flexible, np.object_
euler_gamma = np.euler_gamma
ComplexWarning = np.exceptions.ComplexWarning

# ml_dtypes' narrow formats: the names exist (dtype arguments, comparisons);
# arithmetic on them is not supported yet.
for _name in [
    "float4_e2m1fn",
    "float6_e2m3fn",
    "float6_e3m2fn",
    "float8_e3m4",
    "float8_e4m3",
    "float8_e4m3b11fnuz",
    "float8_e4m3fn",
    "float8_e4m3fnuz",
    "float8_e5m2",
    "float8_e5m2fnuz",
    "float8_e8m0fnu",
    "int1",
    "int2",
    "int4",
    "uint1",
    "uint2",
    "uint4",
]:
    if hasattr(ml_dtypes, _name):
        globals()[_name] = _ScalarType(getattr(ml_dtypes, _name))
del _name

_KINDS = {
    "bool": lambda d: d == np.dtype(np.bool_),
    "signed integer": lambda d: d.kind == "i",
    "unsigned integer": lambda d: d.kind == "u",
    "integral": lambda d: d.kind in "iu",
    "real floating": lambda d: dtypes.is_float(d),
    "complex floating": lambda d: d.kind == "c",
    "numeric": lambda d: d.kind in "iuc" or dtypes.is_float(d),
}


def _as_dtype(x):
    if isinstance(x, _ScalarType):
        return x.dtype
    return np.dtype(x)


def isdtype(dtype, kind):
    """Array-API dtype kinds ('bool', 'signed integer', 'unsigned integer',
    'integral', 'real floating' (bfloat16 included), 'complex floating',
    'numeric'), a dtype, or a tuple of them."""
    d = _as_dtype(dtype)
    for k in kind if isinstance(kind, tuple) else (kind,):
        if isinstance(k, str):
            if k not in _KINDS:
                raise ValueError(
                    f"Unrecognized kind={k!r} expected one of {list(_KINDS)}, or a compatible "
                    "input for jnp.dtype()"
                )
            if _KINDS[k](d):
                return True
        elif d == _as_dtype(k):
            return True
    return False


def can_cast(from_, to, casting="safe"):
    """NumPy's can_cast on dtypes (arrays give their dtype; Python scalars
    raise TypeError, as NumPy 2 and JAX)."""
    if isinstance(from_, Array) or hasattr(from_, "aval") or isinstance(from_, _ScalarType):
        from_ = from_.dtype
    to = _as_dtype(to)
    return np.can_cast(from_, to, casting=casting)


def from_dlpack(x, /, *, device=None, copy=None):
    """An mlax array from any object with __dlpack__ (a copy: mlax arrays
    live in IREE's buffers)."""
    del device, copy
    return asarray(np.from_dlpack(x))
