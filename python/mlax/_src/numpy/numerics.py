"""Numerical helpers as JAX builds them: interp, trapezoid, gradient,
unwrap, cross, kron, vecdot/matvec/vecmat, apply_along_axis/
apply_over_axes, vectorize (on mlax.vmap, with gufunc signatures), i0 and
the window functions, convolve/correlate (1-D, by a gather of sliding
windows and a dot: there is no convolution op yet), histogram2d/
histogramdd, packbits/unpackbits."""

import builtins
import functools
import math
import operator
import re

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, dtypes, user_error
from ..lax.slicing import slice_in_dim
from ..transforms.batching import vmap
from ..transforms.jit import jit
from .advanced_indexing import _canonical_axis, take
from .binning import histogram_bin_edges
from .construction import ix_, ravel_multi_index
from .contractions import matmul, vdot
from .reductions import cumsum, sum
from .selection import bincount, diff, searchsorted
from .shape import concatenate, expand_dims, flip, moveaxis, ravel, reshape, squeeze, swapaxes
from .ufuncs import abs, clip, cos, exp, remainder, sqrt, where
from .util import _promote, _promote_inexact, asarray, broadcast_shapes, stack_arrays


def _shape(a):
    return aval_of(a).shape


def _ndim(a):
    return aval_of(a).ndim


def _const_like(x, v):
    return lax.full_like(x, v)


# ---------------------------------------------------------------------------
# Interpolation, integration, differences
# ---------------------------------------------------------------------------


def _interp_impl(x, xp, fp, left, right, period):
    x, xp, fp = asarray(x), asarray(xp), asarray(fp)
    if _shape(xp) != _shape(fp) or _ndim(xp) != 1:
        raise user_error(ValueError, "xp and fp must be one-dimensional arrays of equal size")
    x, xp = _promote_inexact("interp", x, xp)
    (fp,) = _promote_inexact("interp", fp)
    extrapolate_left = isinstance(left, str)
    extrapolate_right = isinstance(right, str)
    for name, v in (("left", left), ("right", right)):
        if isinstance(v, str) and v != "extrapolate":
            raise user_error(
                ValueError,
                f"the only valid string value of `{name}` is 'extrapolate', but got: {v!r}",
            )
    if period is not None:
        if np.ndim(period) != 0:
            raise user_error(ValueError, f"period must be a scalar; got {period}")
        period = abs(period)
        x = remainder(x, period)
        xp = remainder(xp, period)
        xp, fp = lax.sort_key_val(xp, fp)
        xp = concatenate([xp[-1:] - period, xp, xp[:1] + period])
        fp = concatenate([fp[-1:], fp, fp[:1]])
    n = _shape(xp)[0]
    i = clip(searchsorted(xp, x, side="right"), 1, n - 1)
    df = fp[i] - fp[i - 1]
    dx = xp[i] - xp[i - 1]
    delta = x - xp[i - 1]
    epsilon = np.spacing(np.finfo(aval_of(xp).dtype).eps)
    dx0 = lax.le(lax.abs(dx), _const_like(dx, epsilon))
    f = where(dx0, fp[i - 1], fp[i - 1] + (delta / where(dx0, 1, dx)) * df)
    if not extrapolate_left and period is None:
        f = where(x < xp[0], fp[0] if left is None else left, f)
    if not extrapolate_right and period is None:
        f = where(x > xp[-1], fp[-1] if right is None else right, f)
    return f


def interp(x, xp, fp, left=None, right=None, period=None):
    """Like jnp.interp (left/right values or 'extrapolate', period)."""
    static = [n for n, v in (("left", left), ("right", right)) if isinstance(v, str) or v is None]
    if period is None:
        static.append("period")
    return jit(_interp_impl, static_argnames=tuple(static))(x, xp, fp, left, right, period)


def _trapezoid_impl(y, x, dx, axis):
    if x is None:
        (y,) = _promote_inexact("trapezoid", asarray(y))
        dx = asarray(dx)
        if _ndim(dx) > 0:
            dx = lax.expand_dims(dx, tuple(range(_ndim(y) - _ndim(dx))))
            dx = moveaxis(dx, axis, -1)
    else:
        y, x = _promote_inexact("trapezoid", asarray(y), asarray(x))
        dx = diff(x) if _ndim(x) == 1 else moveaxis(diff(x, axis=axis), axis, -1)
    y = moveaxis(y, axis, -1)
    if _ndim(dx) == 0 or _shape(dx)[-1] == 1:
        dxr = dx if _ndim(dx) == 0 else dx[..., 0]
        return dxr * (sum(y, -1) - 0.5 * (y[..., 0] + y[..., -1]))
    return 0.5 * sum(dx * (y[..., 1:] + y[..., :-1]), -1)


_trapezoid_jit = jit(_trapezoid_impl, static_argnames=("axis",))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Like jnp.trapezoid."""
    return _trapezoid_jit(y, x, dx, axis=axis)


def _gradient_along_axis(a, h, axis):
    n = _shape(a)[axis]

    def sliced(lo, hi):
        return slice_in_dim(a, lo, hi, axis=axis)

    upper = sliced(1, 2) - sliced(0, 1)
    lower = sliced(n - 1, n) - sliced(n - 2, n - 1)
    if _ndim(h) == 0:
        inner = (sliced(2, n) - sliced(0, n - 2)) * 0.5 / h
        lower = lower / h
        upper = upper / h
    elif _ndim(h) == 1:
        if _shape(h)[0] != n:
            raise user_error(
                ValueError,
                "Spacing arrays must have the same length as the dimension along which the "
                "gradient is calculated.",
            )
        hs = [1] * _ndim(a)
        hs[axis] = n
        h = reshape(h, tuple(hs))

        def sx(lo, hi):
            return slice_in_dim(h, lo, hi, axis=axis)

        upper = upper / (sx(1, 2) - sx(0, 1))
        lower = lower / (sx(n - 1, n) - sx(n - 2, n - 1))
        dx1 = sx(1, n - 1) - sx(0, n - 2)
        dx2 = sx(2, n) - sx(1, n - 1)
        ca = -dx2 / (dx1 * (dx1 + dx2))
        cb = (dx2 - dx1) / (dx1 * dx2)
        cc = dx1 / (dx2 * (dx1 + dx2))
        inner = ca * sliced(0, n - 2) + cb * sliced(1, n - 1) + cc * sliced(2, n)
    else:
        raise user_error(ValueError, "Spacing arrays must be 1D arrays or scalars.")
    return concatenate((upper, inner, lower), axis=axis)


def gradient(f, *varargs, axis=None, edge_order=None):
    """Like jnp.gradient (second-order central differences inside, first-order
    at the edges; scalar or coordinate-array spacings)."""
    if edge_order is not None:
        raise user_error(
            NotImplementedError, "The 'edge_order' argument to jnp.gradient is not supported."
        )
    a, *spacing = _promote_inexact("gradient", asarray(f), *[asarray(v) for v in varargs])
    if axis is None:
        axes = tuple(range(_ndim(a)))
    else:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
        axes = tuple(_canonical_axis("gradient", ax, _ndim(a)) for ax in axes)
    if not axes:
        return []
    if builtins.min(_shape(a)[i] for i in axes) < 2:
        raise user_error(
            ValueError,
            "Shape of array too small to calculate a numerical gradient, at least 2 elements "
            "are required.",
        )
    if not spacing:
        dx = [1.0] * len(axes)
    elif len(spacing) == 1:
        dx = spacing * len(axes)
    elif len(spacing) == len(axes):
        dx = spacing
    else:
        raise user_error(
            TypeError, f"Invalid number of spacing arguments {len(spacing)} for axis={axis}"
        )
    out = [
        _gradient_along_axis(a, asarray(h) if not isinstance(h, float) else h, ax)
        for ax, h in zip(axes, dx)
    ]
    return out[0] if len(axes) == 1 else out


def _unwrap_impl(p, discont, axis, period):
    p, period = _promote("unwrap", asarray(p), period)
    if _shape(p)[axis] == 0:
        return p
    if discont is None:
        discont = period / 2
    interval = period // 2 if dtypes.is_int(aval_of(p).dtype) else period / 2
    dd = diff(p, axis=axis)
    ddmod = remainder(dd + interval, period) - interval
    ddmod = where((ddmod == -interval) & (dd > 0), interval, ddmod)
    correct = where(abs(dd) < discont, 0, ddmod - dd)
    n = _shape(p)[axis]
    return concatenate(
        (
            slice_in_dim(p, 0, 1, axis=axis),
            slice_in_dim(p, 1, n, axis=axis) + cumsum(correct, axis=axis),
        ),
        axis=axis,
    )


_unwrap_jit = jit(_unwrap_impl, static_argnames=("axis",))


def unwrap(p, discont=None, axis=-1, period=2 * np.pi):
    """Like jnp.unwrap."""
    p = asarray(p)
    return _unwrap_jit(p, discont, axis=_canonical_axis("unwrap", axis, _ndim(p)), period=period)


# ---------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------


def _cross_impl(a, b, axisa, axisb, axisc):
    a, b = _promote("cross", asarray(a), asarray(b))
    a = moveaxis(a, axisa, -1)
    b = moveaxis(b, axisb, -1)
    if _shape(a)[-1] not in (2, 3) or _shape(b)[-1] not in (2, 3):
        raise user_error(ValueError, "Dimension must be either 2 or 3 for cross product")
    if _shape(a)[-1] == 2 and _shape(b)[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    a0, a1 = a[..., 0], a[..., 1]
    a2 = a[..., 2] if _shape(a)[-1] == 3 else lax.full_like(a0, 0)
    b0, b1 = b[..., 0], b[..., 1]
    b2 = b[..., 2] if _shape(b)[-1] == 3 else lax.full_like(b0, 0)
    parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]
    shape = broadcast_shapes(*[_shape(p) for p in parts])
    from .util import _broadcast_to_shape

    c = stack_arrays([_broadcast_to_shape(p, shape) for p in parts], 0)
    return moveaxis(c, 0, axisc)


_cross_jit = jit(_cross_impl, static_argnames=("axisa", "axisb", "axisc"))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Like jnp.cross (2- and 3-vectors)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    return _cross_jit(a, b, axisa=axisa, axisb=axisb, axisc=axisc)


def _kron_impl(a, b):
    a, b = _promote("kron", asarray(a), asarray(b))
    if _ndim(a) < _ndim(b):
        a = expand_dims(a, tuple(range(_ndim(b) - _ndim(a))))
    elif _ndim(b) < _ndim(a):
        b = expand_dims(b, tuple(range(_ndim(a) - _ndim(b))))
    nd = _ndim(a)
    out_shape = tuple(x * y for x, y in zip(_shape(a), _shape(b)))
    ar = expand_dims(a, tuple(range(1, 2 * nd, 2)))
    br = expand_dims(b, tuple(range(0, 2 * nd, 2)))
    return reshape(ar * br, out_shape)


kron = jit(_kron_impl)
kron.__doc__ = "Like jnp.kron."


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    """Like jnp.vecdot: dot products along `axis`, broadcast over the rest."""
    x1, x2 = asarray(x1), asarray(x2)
    if _shape(x1)[axis] != _shape(x2)[axis]:
        raise user_error(
            ValueError,
            f"axes must match; got shapes {_shape(x1)} and {_shape(x2)} with axis={axis}",
        )
    x1, x2 = moveaxis(x1, axis, -1), moveaxis(x2, axis, -1)
    return vectorize(vdot, signature="(n),(n)->()")(x1, x2)


def matvec(x1, x2, /):
    """Like jnp.matvec: batched matrix-vector products."""
    return vectorize(matmul, signature="(n,m),(m)->(n)")(asarray(x1), asarray(x2))


def vecmat(x1, x2, /):
    """Like jnp.vecmat: batched vector-matrix products."""
    return vectorize(matmul, signature="(n),(n,m)->(m)")(asarray(x1), asarray(x2))


# ---------------------------------------------------------------------------
# Mapping functions over axes
# ---------------------------------------------------------------------------


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """Like jnp.apply_along_axis: func1d vmapped over the other axes."""
    arr = asarray(arr)
    nd = _ndim(arr)
    axis = _canonical_axis("apply_along_axis", axis, nd)

    def func(x):
        return func1d(x, *args, **kwargs)

    for i in range(1, nd - axis):
        func = vmap(func, in_axes=i, out_axes=-1)
    for _ in range(axis):
        func = vmap(func, in_axes=0, out_axes=0)
    return func(arr)


def apply_over_axes(func, a, axes):
    """Like jnp.apply_over_axes."""
    a = asarray(a)
    for axis in axes:
        b = func(a, axis)
        if _ndim(b) == _ndim(a):
            a = b
        elif _ndim(b) == _ndim(a) - 1:
            a = expand_dims(b, axis)
        else:
            raise user_error(ValueError, "function is not returning an array of the correct shape")
    return a


_DIMENSION_NAME = r"\w+"
_CORE_DIMENSION_LIST = f"(?:{_DIMENSION_NAME}(?:,{_DIMENSION_NAME})*)?"
_ARGUMENT = rf"\({_CORE_DIMENSION_LIST}\)"
_ARGUMENT_LIST = f"{_ARGUMENT}(?:,{_ARGUMENT})*"
_SIGNATURE = f"^{_ARGUMENT_LIST}->{_ARGUMENT_LIST}$"


def _parse_gufunc_signature(signature):
    if not re.match(_SIGNATURE, signature):
        raise user_error(ValueError, f"not a valid gufunc signature: {signature}")
    return (
        [tuple(re.findall(_DIMENSION_NAME, arg)) for arg in re.findall(_ARGUMENT, part)]
        for part in signature.split("->")
    )


def _update_dim_sizes(dim_sizes, shape, core_dims, context, *, is_input):
    n = len(core_dims)
    if is_input and len(shape) < n:
        raise user_error(
            ValueError,
            f"input with shape {shape!r} does not have enough dimensions for all core "
            f"dimensions {core_dims!r} {context}",
        )
    if not is_input and len(shape) != n:
        raise user_error(
            ValueError,
            f"output shape {shape!r} does not match core dimensions {core_dims!r} {context}",
        )
    core_shape = shape[-n:] if core_dims else ()
    for dim, size in zip(core_dims, core_shape):
        if dim not in dim_sizes:
            dim_sizes[dim] = size
        elif size != dim_sizes[dim]:
            raise user_error(
                ValueError,
                f"inconsistent size for core dimension {dim!r}: {size!r} vs "
                f"{dim_sizes[dim]!r} {context}",
            )


def _apply_excluded(func, excluded, args, kwargs):
    if not excluded:
        return func, args, kwargs
    dynamic_args = [a for i, a in enumerate(args) if i not in excluded]
    dynamic_kwargs = {k: v for k, v in kwargs.items() if k not in excluded}
    static_args = [
        (i, args[i]) for i in sorted(e for e in excluded if isinstance(e, int)) if i < len(args)
    ]
    static_kwargs = {k: v for k, v in kwargs.items() if k in excluded}

    def new_func(*args, **kwargs):
        args = list(args)
        for i, a in static_args:
            args.insert(i, a)
        return func(*args, **kwargs, **static_kwargs)

    return new_func, dynamic_args, dynamic_kwargs


def vectorize(pyfunc, *, excluded=frozenset(), signature=None):
    """Like jnp.vectorize: pyfunc vmapped over the broadcast (non-core)
    dimensions; `signature` a NumPy gufunc signature, `excluded` positional
    indices or keyword names passed through unbatched."""
    if any(not isinstance(e, (str, int)) for e in excluded):
        raise user_error(
            TypeError,
            "jax.numpy.vectorize can only exclude integer or string arguments, "
            f"but excluded={excluded!r}",
        )
    if any(isinstance(e, int) and e < 0 for e in excluded):
        raise user_error(ValueError, f"excluded={excluded!r} contains negative numbers")

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        context = f"on vectorized function with excluded={excluded!r} and signature={signature!r}"
        func, args, kwargs = _apply_excluded(pyfunc, excluded, args, kwargs)
        if signature is not None:
            in_core, out_core = _parse_gufunc_signature(signature)
        else:
            in_core, out_core = [()] * len(args), None
        none_args = {i for i, a in enumerate(args) if a is None}
        if none_args:
            if any(in_core[i] != () for i in none_args):
                raise user_error(
                    ValueError,
                    f"Cannot pass None at locations {none_args} with signature={signature}",
                )
            func, args, _ = _apply_excluded(func, none_args, args, {})
            in_core = [d for i, d in enumerate(in_core) if i not in none_args]
        args = tuple(asarray(a) for a in args)
        if len(args) != len(in_core):
            raise user_error(
                TypeError,
                f"wrong number of positional arguments: expected {len(in_core)!r}, "
                f"got {len(args)!r} {context}",
            )
        dim_sizes, shapes = {}, []
        for a, core in zip(args, in_core):
            _update_dim_sizes(dim_sizes, _shape(a), core, context, is_input=True)
            shapes.append(_shape(a)[: _ndim(a) - len(core)])
        broadcast_shape = broadcast_shapes(*shapes)
        checked = func
        if out_core is not None:

            def checked(*a, _func=func):
                out = _func(*a)
                outs = out if isinstance(out, tuple) else [out]
                if len(out_core) > 1 and not isinstance(out, tuple):
                    raise user_error(
                        TypeError,
                        f"output must be a tuple when multiple outputs are expected, got: "
                        f"{out!r}\n{context}",
                    )
                if len(outs) != len(out_core):
                    raise user_error(
                        TypeError,
                        f"wrong number of output arguments: expected {len(out_core)!r}, "
                        f"got {len(outs)!r} {context}",
                    )
                sizes = dict(dim_sizes)
                for o, core in zip(outs, out_core):
                    _update_dim_sizes(sizes, tuple(np.shape(o)), core, context, is_input=False)
                return out

        squeezed, rev_filled = [], []
        for a, core in zip(args, in_core):
            noncore = _shape(a)[: _ndim(a) - len(core)]
            filled = (1,) * (len(broadcast_shape) - len(noncore)) + noncore
            rev_filled.append(filled[::-1])
            squeezed.append(squeeze(a, tuple(i for i, s in enumerate(noncore) if s == 1)))
        vectorized = checked
        dims_to_expand = []
        for negdim, sizes in enumerate(zip(*rev_filled)):
            in_axes = tuple(None if s == 1 else 0 for s in sizes)
            if all(ax is None for ax in in_axes):
                dims_to_expand.append(len(broadcast_shape) - 1 - negdim)
            else:
                vectorized = vmap(vectorized, in_axes)
        result = vectorized(*squeezed)
        if not dims_to_expand:
            return result
        if isinstance(result, tuple):
            return tuple(expand_dims(r, tuple(dims_to_expand)) for r in result)
        return expand_dims(result, tuple(dims_to_expand))

    return wrapped


# ---------------------------------------------------------------------------
# Bessel I0 and window functions
# ---------------------------------------------------------------------------

# Cephes' Chebyshev coefficients for exp(-x) I0(x) on [0, 8] and
# exp(-x) sqrt(x) I0(x) on (8, inf) (NumPy's i0 uses the same).
_I0_A = [
    -4.41534164647933937950e-18,
    3.33079451882223809783e-17,
    -2.43127984654795469359e-16,
    1.71539128555513303061e-15,
    -1.16853328779934516808e-14,
    7.67618549860493561688e-14,
    -4.85644678311192946090e-13,
    2.95505266312963983461e-12,
    -1.72682629144155570723e-11,
    9.67580903537323691224e-11,
    -5.18979560163526290666e-10,
    2.65982372468238665035e-9,
    -1.30002500998624804212e-8,
    6.04699502254191894932e-8,
    -2.67079385394061173391e-7,
    1.11738753912010371815e-6,
    -4.41673835845875056359e-6,
    1.64484480707288970893e-5,
    -5.75419501008210370398e-5,
    1.88502885095841655729e-4,
    -5.76375574538582365885e-4,
    1.63947561694133579842e-3,
    -4.32430999505057594430e-3,
    1.05464603945949983183e-2,
    -2.37374148058994688156e-2,
    4.93052842396707084878e-2,
    -9.49010970480476444210e-2,
    1.71620901522208775349e-1,
    -3.04682672343198398683e-1,
    6.76795274409476084995e-1,
]
_I0_B = [
    -7.23318048787475395456e-18,
    -4.83050448594418207126e-18,
    4.46562142029675999901e-17,
    3.46122286769746109310e-17,
    -2.82762398051658348494e-16,
    -3.42548561967721913462e-16,
    1.77256013305652638360e-15,
    3.81168066935262242075e-15,
    -9.55484669882830764870e-15,
    -4.15056934728722208663e-14,
    1.54008621752140982691e-14,
    3.85277838274214270114e-13,
    7.18012445138366623367e-13,
    -1.79417853150680611778e-12,
    -1.32158118404477131188e-11,
    -3.14991652796324136454e-11,
    1.18891471078464383424e-11,
    4.94060238822496958910e-10,
    3.39623202570838634515e-9,
    2.26666899049817806459e-8,
    2.04891858946906374183e-7,
    2.89137052083475648297e-6,
    6.88975834691682398426e-5,
    3.36911647825569408990e-3,
    8.04490411014108831608e-1,
]


def _chbevl(x, coeffs):
    b0 = lax.full_like(x, coeffs[0])
    b1 = lax.full_like(x, 0)
    b2 = b1
    for c in coeffs[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def _i0_impl(x):
    (x,) = _promote_inexact("i0", asarray(x))
    if not dtypes.is_float(aval_of(x).dtype):
        raise user_error(ValueError, f"Unsupported input type to jax.numpy.i0: {aval_of(x).dtype}")
    dtype = aval_of(x).dtype
    low = dtype in (np.dtype(np.float16), np.dtype(dtypes.bfloat16))
    if low:
        x = lax.convert_element_type(x, np.float32, aval_of(x).weak_type)
    ax = abs(x)
    small = ax <= 8.0
    # Each branch sees only arguments in its own range (no inf/NaN in the unused one).
    xs = where(small, ax, 0.0)
    xl = where(small, 9.0, ax)
    i0e = where(small, _chbevl(xs / 2.0 - 2.0, _I0_A), _chbevl(32.0 / xl - 2.0, _I0_B) / sqrt(xl))
    out = exp(ax) * i0e
    return lax.convert_element_type(out, dtype, aval_of(out).weak_type) if low else out


i0 = jit(_i0_impl)
i0.__doc__ = "Like jnp.i0: the modified Bessel function of the first kind, order 0."


def _window_length(name, M):
    if isinstance(M, Tracer):
        raise user_error(TypeError, f"M argument of jnp.{name} must be concrete, got a tracer")
    return operator.index(M)


def _window(name, body):
    def window(M):
        M = _window_length(name, M)
        dtype = dtypes.default_float()
        if M <= 1:
            return lax.full((builtins.max(M, 0),), 1, dtype)
        return _window_jit(M, name)

    window.__name__ = name
    window.__doc__ = f"Like jnp.{name}: the {name.capitalize()} window of M points."
    _WINDOWS[name] = body
    return window


_WINDOWS = {}


def _window_impl(M, name):
    n = lax.iota(dtypes.default_float(), M)
    return _WINDOWS[name](n, M)


_window_jit = jit(_window_impl, static_argnums=(0, 1))

bartlett = _window("bartlett", lambda n, M: 1 - abs(2 * n + 1 - M) / (M - 1))
blackman = _window(
    "blackman",
    lambda n, M: 0.42 - 0.5 * cos(2 * np.pi * n / (M - 1)) + 0.08 * cos(4 * np.pi * n / (M - 1)),
)
hamming = _window("hamming", lambda n, M: 0.54 - 0.46 * cos(2 * np.pi * n / (M - 1)))
hanning = _window("hanning", lambda n, M: 0.5 - 0.5 * cos(2 * np.pi * n / (M - 1)))


def _kaiser_impl(M, beta):
    n = lax.iota(dtypes.default_float(), M)
    alpha = 0.5 * (M - 1)
    return _i0_impl(beta * sqrt(1 - ((n - alpha) / alpha) ** 2)) / _i0_impl(beta)


_kaiser_jit = jit(_kaiser_impl, static_argnums=(0,))


def kaiser(M, beta):
    """Like jnp.kaiser: the Kaiser window of M points."""
    M = _window_length("kaiser", M)
    if M <= 1:
        return lax.full((builtins.max(M, 0),), 1, dtypes.default_float())
    return _kaiser_jit(M, beta)


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------


def _conv_impl(x, y, mode, op, preferred_element_type):
    x, y = asarray(x), asarray(y)
    if _ndim(x) != 1 or _ndim(y) != 1:
        raise user_error(ValueError, f"{op}() only support 1-dimensional inputs.")
    if preferred_element_type is None:
        x, y = _promote_inexact(op, x, y)
    else:
        x, y = _promote(op, x, y)
    if _shape(x)[0] == 0 or _shape(y)[0] == 0:
        raise user_error(
            ValueError, f"{op}: inputs cannot be empty, got shapes {_shape(x)} and {_shape(y)}."
        )
    reverse = False
    if _shape(x)[0] < _shape(y)[0]:
        x, y = y, x
        reverse = op == "correlate"
    ny = _shape(y)[0]
    if mode == "valid":
        lo, hi = 0, 0
    elif mode == "same":
        lo, hi = ny // 2, ny - ny // 2 - 1
    elif mode == "full":
        lo, hi = ny - 1, ny - 1
    else:
        raise user_error(ValueError, "mode must be one of ['full', 'same', 'valid']")
    xp = lax.pad(x, lax.full((), 0, aval_of(x).dtype), [(lo, hi, 0)])
    n_out = _shape(xp)[0] - ny + 1
    # Sliding windows (n_out, ny) gathered by index, then one matrix-vector
    # product. Convolution's flip of v and correlation's reversed output are
    # folded into the window indices (a rev of v here crashed the vmapped
    # module at run time).
    rows = lax.broadcasted_iota(np.int32, (n_out, ny), 0)
    cols = lax.broadcasted_iota(np.int32, (n_out, ny), 1)
    if reverse:
        rows = lax.sub(lax.full_like(rows, n_out - 1), rows)
    if op == "convolve":
        cols = lax.sub(lax.full_like(cols, ny - 1), cols)
    # mode="fill": the clamping gather (what xp[idx] binds) gives wrong values
    # under sharded jit when the window axis is split.
    out = matmul(take(xp, lax.add(rows, cols), mode="fill", fill_value=0), y)
    if preferred_element_type is not None:
        out = lax.convert_element_type(out, np.dtype(preferred_element_type))
    return out


_conv_jit = jit(_conv_impl, static_argnums=(2, 3, 4))


def convolve(a, v, mode="full", *, precision=None, preferred_element_type=None):
    """Like jnp.convolve (1-D; modes full, same, valid)."""
    return _conv_jit(a, v, mode, "convolve", preferred_element_type)


def correlate(a, v, mode="valid", *, precision=None, preferred_element_type=None):
    """Like jnp.correlate (1-D; modes full, same, valid)."""
    return _conv_jit(a, v, mode, "correlate", preferred_element_type)


# ---------------------------------------------------------------------------
# Multi-dimensional histograms, bit packing
# ---------------------------------------------------------------------------


def histogramdd(sample, bins=10, range=None, weights=None, density=None):
    """Like jnp.histogramdd: per-dimension edges (histogram_bin_edges), bin
    indices by searchsorted, counts by bincount."""
    sample = asarray(sample)
    if weights is None:
        (sample,) = _promote_inexact("histogramdd", sample)
    else:
        weights = asarray(weights)
        if _shape(weights) != _shape(sample)[:1]:
            raise user_error(ValueError, "should have one weight for each sample.")
        sample, weights = _promote_inexact("histogramdd", sample, weights)
    N, D = _shape(sample)
    if range is not None and (
        len(range) != D or any(r is not None and np.shape(r)[0] != 2 for r in range)
    ):
        raise user_error(
            ValueError,
            f"For sample.shape={(N, D)}, range must be a sequence of {D} pairs or Nones; "
            f"got range={range}",
        )
    try:
        bins_per_dim = list(bins)
    except TypeError:
        bins_per_dim = D * [bins]
    else:
        if len(bins_per_dim) != D:
            raise user_error(ValueError, "should be a bin for each dimension.")
    idx_by_dim, edges_by_dim = [], []
    for i in builtins.range(D):
        r = None if range is None else range[i]
        col = sample[:, i]
        edges = histogram_bin_edges(col, bins_per_dim[i], r, weights)
        idx = searchsorted(edges, col, side="right")
        idx = where(col == edges[-1], idx - 1, idx)
        idx_by_dim.append(idx)
        edges_by_dim.append(edges)
    nbins = tuple(_shape(e)[0] + 1 for e in edges_by_dim)
    xy = ravel_multi_index(tuple(idx_by_dim), nbins, mode="clip")
    hist = reshape(bincount(xy, weights, length=math.prod(nbins)), nbins)
    hist = hist[D * (slice(1, -1),)]
    if density:
        hist = lax.convert_element_type(hist, aval_of(sample).dtype)
        hist = hist / sum(hist)
        for norm in ix_(*[diff(e) for e in edges_by_dim]):
            hist = hist / norm
    return hist, edges_by_dim


def histogram2d(x, y, bins=10, range=None, weights=None, density=None):
    """Like jnp.histogram2d."""
    x, y = asarray(x), asarray(y)
    try:
        N = len(bins)
    except TypeError:
        N = 1
    if N != 1 and N != 2:
        bins = [asarray(bins), asarray(bins)]
    sample = lax.transpose(stack_arrays(_promote("histogram2d", x, y), 0), (1, 0))
    hist, edges = histogramdd(sample, bins, range, weights, density)
    return hist, edges[0], edges[1]


def _packbits_impl(a, axis, bitorder):
    arr = lax.convert_element_type(lax.ne(a, lax.full_like(a, 0)), np.uint8)
    bits = lax.iota(np.uint8, 8)
    if bitorder == "big":
        bits = flip(bits)
    if axis is None:
        arr, axis = ravel(arr), 0
    arr = swapaxes(arr, axis, -1)
    rem = _shape(arr)[-1] % 8
    if rem:
        arr = lax.pad(arr, np.uint8(0), (_ndim(arr) - 1) * [(0, 0, 0)] + [(0, 8 - rem, 0)])
    arr = reshape(arr, _shape(arr)[:-1] + (_shape(arr)[-1] // 8, 8))
    bits = lax.broadcast_in_dim(bits, _shape(arr), (_ndim(arr) - 1,))
    packed = lax.convert_element_type(
        lax.reduce_sum(lax.shift_left(arr, bits), (_ndim(arr) - 1,)), np.uint8
    )
    return swapaxes(packed, axis, -1)


_packbits_jit = jit(_packbits_impl, static_argnums=(1, 2))


def packbits(a, axis=None, bitorder="big"):
    """Like jnp.packbits."""
    a = asarray(a)
    dt = aval_of(a).dtype
    if not (dtypes.is_int(dt) or dtypes.is_bool(dt)):
        raise user_error(TypeError, "Expected an input array of integer or boolean data type")
    if bitorder not in ("little", "big"):
        raise user_error(ValueError, "'order' must be either 'little' or 'big'")
    return _packbits_jit(a, axis, bitorder)


def _unpackbits_impl(a, axis, count, bitorder):
    bits = lax.shift_left(lax.full((8,), 1, np.uint8), lax.iota(np.uint8, 8))
    if bitorder == "big":
        bits = flip(bits)
    arr = a
    if axis is None:
        arr, axis = ravel(arr), 0
    arr = swapaxes(arr, axis, -1)
    nd = _ndim(arr)
    shape = _shape(arr) + (8,)
    masked = lax.bitwise_and(
        lax.broadcast_in_dim(arr, shape, tuple(range(nd))), lax.broadcast_in_dim(bits, shape, (nd,))
    )
    unpacked = lax.convert_element_type(lax.gt(masked, lax.full_like(masked, 0)), np.uint8)
    unpacked = reshape(unpacked, _shape(unpacked)[:-2] + (-1,))
    if count is not None:
        n = _shape(unpacked)[-1]
        if count > n:
            unpacked = lax.pad(
                unpacked, np.uint8(0), (_ndim(unpacked) - 1) * [(0, 0, 0)] + [(0, count - n, 0)]
            )
        else:
            unpacked = unpacked[..., :count]
    return swapaxes(unpacked, axis, -1)


_unpackbits_jit = jit(_unpackbits_impl, static_argnums=(1, 2, 3))


def unpackbits(a, axis=None, count=None, bitorder="big"):
    """Like jnp.unpackbits."""
    a = asarray(a)
    if aval_of(a).dtype != np.uint8:
        raise user_error(TypeError, "Expected an input array of unsigned byte data type")
    if bitorder not in ("little", "big"):
        raise user_error(ValueError, "'order' must be either 'little' or 'big'")
    return _unpackbits_jit(a, axis, count, bitorder)


__all__ = [
    "apply_along_axis",
    "apply_over_axes",
    "bartlett",
    "blackman",
    "convolve",
    "correlate",
    "cross",
    "gradient",
    "hamming",
    "hanning",
    "histogram2d",
    "histogramdd",
    "i0",
    "interp",
    "kaiser",
    "kron",
    "matvec",
    "packbits",
    "trapezoid",
    "unpackbits",
    "unwrap",
    "vecdot",
    "vecmat",
    "vectorize",
]
