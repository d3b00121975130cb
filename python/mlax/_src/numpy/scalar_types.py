"""dtypes as JAX exposes them (callable scalar types) and NumPy's dtype
names and constants."""

import numpy as np

from ..core import dtypes
from ..runtime.array import Array
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
ndarray = Array
result_type = dtypes.result_type
promote_types = dtypes.promote_types
finfo = dtypes.finfo
iinfo = dtypes.iinfo
issubdtype = dtypes.issubdtype
