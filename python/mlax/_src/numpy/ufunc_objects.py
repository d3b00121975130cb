"""jnp.ufunc: NumPy's ufunc object (call, reduce, accumulate, at, reduceat,
outer) over an mlax function, and the jax.numpy functions that are ufunc
instances (jnp.add.outer, jnp.maximum.reduce, jnp.add.at, ...).

Known reductions map to the fused reductions (add.reduce is sum,
maximum.accumulate is cummax, add.at is .at[].add); any other binary ufunc
reduces and accumulates with lax.scan along the axis, as JAX does."""

import operator

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, user_error
from ..transforms.control_flow import scan
from . import math_ufuncs as _math
from . import reductions as _red
from . import ufuncs as _uf
from .shape import moveaxis
from .util import _check_arraylike, asarray


class ufunc:
    """Like jnp.ufunc: wraps `func` (nin inputs, nout outputs) with NumPy's
    ufunc methods; `reduce=`/`accumulate=`/`at=` give faster special cases."""

    def __init__(
        self,
        func,
        /,
        nin,
        nout,
        *,
        name=None,
        nargs=None,
        identity=None,
        call=None,
        reduce=None,
        accumulate=None,
        at=None,
        reduceat=None,
    ):
        self.__doc__ = func.__doc__
        self.__name__ = name or func.__name__
        self._props = (func, operator.index(nin), operator.index(nout), nargs, identity)
        self._call, self._reduce, self._accumulate, self._at = call, reduce, accumulate, at
        self._reduceat = reduceat

    _func = property(lambda self: self._props[0])
    nin = property(lambda self: self._props[1])
    nout = property(lambda self: self._props[2])
    nargs = property(lambda self: operator.index(self._props[3] or self._props[1]))
    identity = property(lambda self: self._props[4])

    def __hash__(self):
        return hash((self._func, self.__name__, self.identity, self.nin, self.nout, self.nargs))

    def __eq__(self, other):
        return isinstance(other, ufunc) and (
            (self._func, self.__name__, self.identity, self.nin, self.nout, self.nargs)
            == (other._func, other.__name__, other.identity, other.nin, other.nout, other.nargs)
        )

    def __repr__(self):
        return f"<jnp.ufunc '{self.__name__}'>"

    def __call__(self, *args, out=None, where=None):
        if out is not None:
            raise user_error(NotImplementedError, f"out argument of {self}")
        if where is not None:
            raise user_error(NotImplementedError, f"where argument of {self}")
        return (self._call or self._func)(*args)

    # -- reduce --------------------------------------------------------------

    def _check_binary(self, method):
        if self.nin != 2:
            raise user_error(ValueError, f"{method} only supported for binary ufuncs")
        if self.nout != 1:
            raise user_error(
                ValueError, f"{method} only supported for functions returning a single value"
            )

    def reduce(self, a, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=None):
        _check_arraylike(f"{self.__name__}.reduce", a)
        self._check_binary("reduce")
        if out is not None:
            raise user_error(NotImplementedError, f"out argument of {self.__name__}.reduce()")
        if where is not None:
            if self.identity is None and initial is None:
                raise user_error(
                    ValueError,
                    f"reduction operation {self.__name__!r} does not have an identity, so to "
                    "use a where mask one has to specify 'initial'.",
                )
            if np.dtype(aval_of(asarray(where)).dtype) != np.bool_:
                raise user_error(
                    ValueError,
                    f"where argument must have dtype=bool; got dtype={aval_of(asarray(where)).dtype}",
                )
        if isinstance(axis, list):
            axis = tuple(axis)
        if self._reduce is not None:
            kw = {"axis": axis, "dtype": dtype, "keepdims": keepdims}
            if initial is not None:
                kw["initial"] = initial
            if where is not None:
                kw["where"] = where
            return self._reduce(a, **kw)
        return self._reduce_via_scan(a, axis, dtype, keepdims, initial, where)

    def _reduce_via_scan(self, a, axis, dtype, keepdims, initial, where):
        a = asarray(a)
        if dtype is not None:
            a = a.astype(dtype)
        ndim = a.ndim
        axes = (
            tuple(range(ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
        )
        axes = tuple(sorted({operator.index(ax) % max(ndim, 1) for ax in axes})) if ndim else ()
        if where is not None:
            fill = self.identity if initial is None else initial
            a = _uf.where(where, a, asarray(fill).astype(a.dtype))
        keep = tuple(d for d in range(ndim) if d not in axes)
        kept_shape = tuple(a.shape[d] for d in keep)
        # The reduced axes flattened into one leading axis, scanned in order
        # from `initial` (or the first element).
        n = int(np.prod([a.shape[d] for d in axes], dtype=np.int64))
        flat = lax.reshape(lax.transpose(a, axes + keep), (n,) + kept_shape)
        if initial is not None:
            carry = lax.full(kept_shape, 0, a.dtype) + asarray(initial).astype(a.dtype)
            rest = flat
        elif flat.shape[0] == 0:
            if self.identity is None:
                raise user_error(
                    ValueError,
                    f"zero-size array to reduction operation {self.__name__} which has no identity",
                )
            carry, rest = lax.full(kept_shape, self.identity, a.dtype), flat
        else:
            carry, rest = flat[0], flat[1:]

        def body(c, x):
            return asarray(self._func(c, x)).astype(a.dtype), None

        result, _ = scan(body, carry, rest) if rest.shape[0] else (carry, None)
        if keepdims:
            result = lax.reshape(
                result, tuple(1 if i in axes else d for i, d in enumerate(a.shape))
            )
        return result

    # -- accumulate ----------------------------------------------------------

    def accumulate(self, a, axis=0, dtype=None, out=None):
        _check_arraylike(f"{self.__name__}.accumulate", a)
        self._check_binary("accumulate")
        if out is not None:
            raise user_error(NotImplementedError, f"out argument of {self.__name__}.accumulate()")
        if self._accumulate is not None:
            return self._accumulate(a, axis=axis, dtype=dtype)
        a = asarray(a)
        if dtype is not None:
            a = a.astype(dtype)
        moved = moveaxis(a, axis, 0)
        if moved.shape[0] == 0:
            return a

        def body(c, x):
            c = asarray(self._func(c, x)).astype(moved.dtype)
            return c, c

        _, rest = scan(body, moved[0], moved[1:])
        stacked = lax.concatenate([lax.expand_dims(moved[0], (0,)), rest], 0)
        return moveaxis(stacked, 0, axis)

    # -- at ------------------------------------------------------------------

    def at(self, a, indices, b=None, /, *, inplace=True):
        if inplace:
            raise user_error(
                NotImplementedError,
                "mlax arrays are immutable: pass inplace=False to use ufunc.at and get the result",
            )
        a = asarray(a)
        if self.nin == 2 and b is None:
            raise user_error(TypeError, f"{self.__name__}.at() requires a value for b")
        if self._at is not None:
            return self._at(a, indices, b)
        # Elementwise at the (unique) indices: repeated indices apply once,
        # not cumulatively as NumPy's unbuffered at.
        current = a[indices]
        new = self._func(current) if self.nin == 1 else self._func(current, b)
        return a.at[indices].set(asarray(new).astype(a.dtype))

    # -- reduceat ------------------------------------------------------------

    def reduceat(self, a, indices, axis=0, dtype=None, out=None):
        self._check_binary("reduceat")
        if out is not None:
            raise user_error(NotImplementedError, f"out argument of {self.__name__}.reduceat()")
        if isinstance(indices, Tracer):
            raise user_error(
                NotImplementedError, f"{self.__name__}.reduceat needs concrete indices"
            )
        a = asarray(a)
        idx = np.asarray(indices).reshape(-1).astype(np.int64)
        n = a.shape[axis]
        moved = moveaxis(a, axis, 0)
        pieces = []
        for k, start in enumerate(idx):
            stop = idx[k + 1] if k + 1 < len(idx) else n
            if start < stop:
                piece = self.reduce(moved[int(start) : int(stop)], axis=0, dtype=dtype)
            else:
                piece = moved[int(start)] if dtype is None else moved[int(start)].astype(dtype)
            pieces.append(lax.expand_dims(asarray(piece), (0,)))
        return moveaxis(lax.concatenate(pieces, 0), 0, axis)

    # -- outer ---------------------------------------------------------------

    def outer(self, A, B, /):
        if self.nin != 2:
            raise user_error(ValueError, "outer only supported for binary ufuncs")
        A, B = asarray(A), asarray(B)
        a = lax.reshape(A, A.shape + (1,) * B.ndim)
        return self._func(a, B)


def frompyfunc(func, /, nin, nout, *, identity=None):
    """A jnp.ufunc from a function of mlax arrays (NumPy's frompyfunc)."""
    return ufunc(func, nin, nout, identity=identity)


def _at_method(name):
    def at(a, indices, b):
        return getattr(a.at[indices], name)(b)

    return at


def _subtract_at(a, indices, b):
    return a.at[indices].add(_uf.negative(asarray(b)))


def _reduction(fn):
    def reduce(a, axis=0, **kw):
        return fn(a, axis=axis, **kw)

    return reduce


def _cumulative(fn):
    def accumulate(a, axis=0, dtype=None):
        return fn(a, axis=axis, dtype=dtype)

    return accumulate


def _lax_cumulative(fn):
    """accumulate through a lax cumulative op (no jnp spelling)."""

    def accumulate(a, axis=0, dtype=None):
        a = asarray(a) if dtype is None else asarray(a).astype(dtype)
        return fn(a, axis=operator.index(axis) % max(a.ndim, 1))

    return accumulate


add = ufunc(
    _uf.add,
    2,
    1,
    name="add",
    identity=0,
    reduce=_reduction(_red.sum),
    accumulate=_cumulative(_red.cumsum),
    at=_at_method("add"),
)
multiply = ufunc(
    _uf.multiply,
    2,
    1,
    name="multiply",
    identity=1,
    reduce=_reduction(_red.prod),
    accumulate=_cumulative(_red.cumprod),
    at=_at_method("multiply"),
)
subtract = ufunc(_uf.subtract, 2, 1, name="subtract", at=_subtract_at)
maximum = ufunc(
    _uf.maximum,
    2,
    1,
    name="maximum",
    reduce=_reduction(_red.max),
    accumulate=_lax_cumulative(lax.cummax),
    at=_at_method("max"),
)
minimum = ufunc(
    _uf.minimum,
    2,
    1,
    name="minimum",
    reduce=_reduction(_red.min),
    accumulate=_lax_cumulative(lax.cummin),
    at=_at_method("min"),
)
logical_and = ufunc(
    _uf.logical_and, 2, 1, name="logical_and", identity=True, reduce=_reduction(_red.all)
)
logical_or = ufunc(
    _uf.logical_or, 2, 1, name="logical_or", identity=False, reduce=_reduction(_red.any)
)
logical_xor = ufunc(_uf.logical_xor, 2, 1, name="logical_xor", identity=False)
bitwise_and = ufunc(_uf.bitwise_and, 2, 1, name="bitwise_and", identity=-1)
bitwise_or = ufunc(_uf.bitwise_or, 2, 1, name="bitwise_or", identity=0)
bitwise_xor = ufunc(_uf.bitwise_xor, 2, 1, name="bitwise_xor", identity=0)
logaddexp = ufunc(_uf.logaddexp, 2, 1, name="logaddexp", identity=-np.inf)
logaddexp2 = ufunc(_math.logaddexp2, 2, 1, name="logaddexp2", identity=-np.inf)
negative = ufunc(_uf.negative, 1, 1, name="negative")
