"""jnp.linalg: norms, products, solvers and decompositions as in JAX
0.10.2 (signatures, dtypes, batching over leading dimensions). The
factorisations are compositions of mlax ops (decompositions.py); eig and
eigvals are LAPACK's geev on the host, as JAX's (lapack_host.py)."""

import builtins
import functools
import itertools
import math
import operator
from typing import Any, NamedTuple

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..transforms.jit import jit
from . import decompositions as dec
from . import lapack_host
from .advanced_indexing import take_along_axis
from .contractions import einsum, matmul
from .creation import eye
from .reductions import amax, amin, any, prod, sum
from .selection import tril
from .shape import expand_dims, flip, moveaxis, reshape, swapaxes
from .sorting import argsort
from .ufuncs import abs, isnan, log, power, sign, sqrt, where
from .util import _promote_inexact, asarray, broadcast_shapes, broadcast_to


class EighResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


class EigResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


def eig(a):
    """Like jnp.linalg.eig: complex eigenvalues and right eigenvectors of
    general square matrices (unit norm, largest entry real, as geev)."""
    (a,) = _inexact("jnp.linalg.eig", a)
    w, v = lapack_host.eig(a, compute_left_eigenvectors=False)
    return EigResult(w, v)


@jit
def eigvals(a):
    """Like jnp.linalg.eigvals: the complex eigenvalues, in geev's order."""
    (a,) = _inexact("jnp.linalg.eigvals", a)
    return lapack_host.eig(a, compute_left_eigenvectors=False, compute_right_eigenvectors=False)[0]


class QRResult(NamedTuple):
    Q: Any
    R: Any


class SlogdetResult(NamedTuple):
    sign: Any
    logabsdet: Any


class SVDResult(NamedTuple):
    U: Any
    S: Any
    Vh: Any


def _compiled(*static_argnames):
    """The function jitted (static_argnames static), so an eager call
    compiles once per shape rather than once per op of the unrolled
    loops; under a trace the nested jit is inlined."""

    def wrap(impl):
        jitted = jit(impl, static_argnames=static_argnames)

        @functools.wraps(impl)
        def public(*args, **kwargs):
            return jitted(*args, **kwargs)

        return public

    return wrap


def _inexact(name, *xs):
    return _promote_inexact(name, *[asarray(x) for x in xs])


def _inexact_real(name, *xs):
    """_inexact for the decompositions built for real matrices only: the
    complex (Hermitian) forms need conjugate transposes mlax's Jacobi,
    Householder and Cholesky loops do not take yet."""
    out = _inexact(name, *xs)
    if builtins.any(dtypes.is_complex(aval_of(x).dtype) for x in out):
        raise user_error(
            NotImplementedError,
            f"{name} of a complex matrix is not built in mlax yet (a later issue); "
            f"solve, inv, det, slogdet, eigh and eigvalsh take complex matrices",
        )
    return out


def _shape(x):
    return aval_of(x).shape


def _square(name, a, exc=ValueError):
    shape = _shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise user_error(exc, f"Argument to {name}() must have shape [..., n, n], got {shape}")


def _canonical_axis(axis, ndim):
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise user_error(ValueError, f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


# --- norms --------------------------------------------------------------


def _sum_of_squares_root(x, axis, keepdims):
    if dtypes.is_complex(aval_of(x).dtype):
        x = lax.real(lax.mul(x, lax.conj(x)))
        return sqrt(sum(x, axis=axis, keepdims=keepdims))
    return sqrt(sum(x * x, axis=axis, keepdims=keepdims))


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """Like jnp.linalg.vector_norm."""
    (x,) = _inexact("jnp.linalg.vector_norm", x)
    if ord is None or (not isinstance(ord, str) and ord == 2):
        return _sum_of_squares_root(x, axis, keepdims)
    if isinstance(ord, str):
        msg = f"Invalid order '{ord}' for vector norm."
        if ord == "inf":
            msg += "Use 'jax.numpy.inf' instead."
        if ord == "-inf":
            msg += "Use '-jax.numpy.inf' instead."
        raise user_error(ValueError, msg)
    if ord == np.inf:
        return amax(abs(x), axis=axis, keepdims=keepdims, initial=0)
    if ord == -np.inf:
        return amin(abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        return sum(x != 0, dtype=dtypes.real_dtype(aval_of(x).dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return sum(abs(x), axis=axis, keepdims=keepdims)
    dt = dtypes.real_dtype(aval_of(x).dtype)
    out = sum(power(abs(x), np.asarray(ord, dt)), axis=axis, keepdims=keepdims)
    return power(out, np.asarray(1.0 / np.asarray(ord, dt), dt))


@_compiled("ord", "axis", "keepdims")
def norm(x, ord=None, axis=None, keepdims=False):
    """Like jnp.linalg.norm: vector norms over one axis, matrix norms over
    two (the 2-, -2- and nuclear norms from the singular values)."""
    (x,) = _inexact("jnp.linalg.norm", x)
    ndim = aval_of(x).ndim
    if axis is None:
        if ord is None:
            return _sum_of_squares_root(x, None, keepdims)
        axis = tuple(range(ndim))
    elif isinstance(axis, tuple):
        axis = tuple(_canonical_axis(a, ndim) for a in axis)
    else:
        axis = (_canonical_axis(axis, ndim),)
    if len(axis) == 1:
        return vector_norm(x, ord=2 if ord is None else ord, axis=axis, keepdims=keepdims)
    if len(axis) != 2:
        raise user_error(
            ValueError,
            f"Improper number of axes for norm: axis={axis}. Pass one axis to compute a "
            "vector-norm, or two axes to compute a matrix-norm.",
        )
    row_axis, col_axis = axis
    if ord is None or ord in ("f", "fro"):
        return _sum_of_squares_root(x, axis, keepdims)
    if isinstance(ord, str) and ord != "nuc":
        raise user_error(ValueError, f"Invalid order '{ord}' for matrix norm.")
    if ord in (1, -1):
        if not keepdims and col_axis > row_axis:
            col_axis -= 1
        sums = sum(abs(x), axis=row_axis, keepdims=keepdims)
        if ord == 1:
            return amax(sums, axis=col_axis, keepdims=keepdims, initial=0)
        return amin(sums, axis=col_axis, keepdims=keepdims)
    if ord in (np.inf, -np.inf):
        if not keepdims and row_axis > col_axis:
            row_axis -= 1
        sums = sum(abs(x), axis=col_axis, keepdims=keepdims)
        if ord == np.inf:
            return amax(sums, axis=row_axis, keepdims=keepdims, initial=0)
        return amin(sums, axis=row_axis, keepdims=keepdims)
    if ord in ("nuc", 2, -2):
        s = svd(moveaxis(x, axis, (-2, -1)), compute_uv=False)
        if ord == 2:
            y = amax(s, axis=-1, initial=0)
        elif ord == -2:
            y = amin(s, axis=-1)
        else:
            y = sum(s, axis=-1)
        return expand_dims(y, axis) if keepdims else y
    raise user_error(ValueError, f"Invalid order '{ord}' for matrix norm.")


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """Like jnp.linalg.matrix_norm: norm over the last two axes."""
    return norm(asarray(x), ord=ord, keepdims=keepdims, axis=(-2, -1))


# --- products -----------------------------------------------------------


@_compiled("n")
def matrix_power(a, n):
    """Like jnp.linalg.matrix_power: repeated squaring; negative n
    inverts first."""
    arr = asarray(a)
    shape = _shape(arr)
    if len(shape) < 2:
        raise user_error(
            TypeError,
            f"{len(shape)}-dimensional array given. Array must be at least two-dimensional",
        )
    if shape[-2] != shape[-1]:
        raise user_error(TypeError, "Last 2 dimensions of the array must be square")
    try:
        n = operator.index(n)
    except TypeError as err:
        raise user_error(TypeError, f"exponent must be an integer, got {n}") from err
    if n == 0:
        return broadcast_to(eye(shape[-2], dtype=aval_of(arr).dtype), shape)
    if n < 0:
        arr, n = inv(arr), -n
    if n == 1:
        return arr
    if n == 2:
        return matmul(arr, arr)
    if n == 3:
        return matmul(matmul(arr, arr), arr)
    z = result = None
    while n > 0:
        z = arr if z is None else matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


def multi_dot(arrays, *, precision=None):
    """Like jnp.linalg.multi_dot: one einsum over the chain."""
    arrs = [asarray(a) for a in arrays]
    if len(arrs) < 2:
        raise user_error(
            ValueError, f"multi_dot requires at least two arrays; got len(arrays)={len(arrs)}"
        )
    shapes = [_shape(a) for a in arrs]
    if not (
        len(shapes[0]) in (1, 2)
        and len(shapes[-1]) in (1, 2)
        and all(len(s) == 2 for s in shapes[1:-1])
    ):
        raise user_error(
            ValueError,
            "multi_dot: input arrays must all be two-dimensional, except for the first and "
            f"last array which may be 1 or 2 dimensional. Got array shapes {shapes}",
        )
    if [s for s, t in itertools.pairwise(shapes) if s[-1] != t[0]]:
        raise user_error(
            ValueError,
            "multi_dot: last dimension of each array must match first dimension of following "
            f"array. Got array shapes {shapes}",
        )
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    subs = [letters[i] + letters[i + 1] for i in range(len(arrs))]
    if len(shapes[0]) == 1:
        subs[0] = subs[0][1:]
    if len(shapes[-1]) == 1:
        subs[-1] = subs[-1][:1]
    out = "".join(sorted(set("".join(subs)) - _paired(subs), key=letters.index))
    return einsum(",".join(subs) + "->" + out, *arrs, precision=precision)


def _paired(subs):
    seen = {}
    for s in subs:
        for c in s:
            seen[c] = seen.get(c, 0) + 1
    return {c for c, k in seen.items() if k > 1}


# --- solvers and determinants ------------------------------------------


@_compiled()
def solve(a, b):
    """Like jnp.linalg.solve: LU with partial pivoting; b a vector when
    b.ndim == 1, else (..., n, k), batch dimensions broadcast."""
    a, b = _inexact("jnp.linalg.solve", a, b)
    sa, sb = _shape(a), _shape(b)
    if len(sa) < 2:
        raise user_error(
            ValueError, f"left hand array must be at least two dimensional; got a.shape={sa}"
        )
    if len(sb) > 1 and len(sa) == len(sb) + 1 and sa[-1] == sb[-1] and sa[-1] != sb[-2]:
        raise user_error(
            ValueError,
            f"Invalid shapes for solve: {sa}, {sb}. Prior to JAX v0.5.0, this would have been "
            "treated as a batched 1-dimensional solve. To recover this behavior, use "
            "solve(a, b[..., None]).squeeze(-1).",
        )
    vector = len(sb) == 1
    if vector:
        b = b[:, None]
    sb = _shape(b)
    if sa[-1] != sa[-2] or sb[-2] != sa[-1]:
        raise user_error(
            ValueError, f"solve: shapes {sa} and {_shape(b)} are not (..., m, m), (..., m, n)"
        )
    batch = broadcast_shapes(sa[:-2], sb[:-2])
    a = broadcast_to(a, batch + sa[-2:])
    b = broadcast_to(b, batch + sb[-2:])
    lu, _, perm = dec.lu_decompose(a)
    x = dec.lu_solve_factored(lu, perm, b)
    return x[..., 0] if vector else x


@_compiled()
def inv(a):
    """Like jnp.linalg.inv: solve(a, I)."""
    (arr,) = _inexact("jnp.linalg.inv", a)
    shape = _shape(arr)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise user_error(ValueError, f"Argument to inv must have shape [..., n, n], got {shape}.")
    return solve(arr, broadcast_to(eye(shape[-1], dtype=aval_of(arr).dtype), shape))


@_compiled()
def det(a):
    """Like jnp.linalg.det: the closed forms for 2x2 and 3x3 (as JAX), the
    LU's diagonal product otherwise."""
    (a,) = _inexact("jnp.linalg.det", a)
    shape = _shape(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise user_error(ValueError, f"Argument to _det() must have shape [..., n, n], got {shape}")
    if shape[-1] == 2:
        return a[..., 0, 0] * a[..., 1, 1] - a[..., 0, 1] * a[..., 1, 0]
    if shape[-1] == 3:
        return (
            a[..., 0, 0] * a[..., 1, 1] * a[..., 2, 2]
            + a[..., 0, 1] * a[..., 1, 2] * a[..., 2, 0]
            + a[..., 0, 2] * a[..., 1, 0] * a[..., 2, 1]
            - a[..., 0, 2] * a[..., 1, 1] * a[..., 2, 0]
            - a[..., 0, 0] * a[..., 1, 2] * a[..., 2, 1]
            - a[..., 0, 1] * a[..., 1, 0] * a[..., 2, 2]
        )
    return dec.det_lu(a)


@_compiled("method")
def slogdet(a, *, method=None):
    """Like jnp.linalg.slogdet: (sign, log|det|) from the LU (method 'lu'
    or None) or the QR ('qr')."""
    (a,) = _inexact("jnp.linalg.slogdet", a)
    _square("slogdet", a)
    if method is None or method == "lu":
        return SlogdetResult(*dec.slogdet_lu(a))
    if method == "qr":
        q, r = dec.qr_decompose(a)
        s_q, _ = dec.slogdet_lu(q)  # det q = +-1
        d = r[..., np.arange(_shape(a)[-1]), np.arange(_shape(a)[-1])]
        s_r = prod(sign(d), axis=-1)
        return SlogdetResult(s_q * s_r, sum(log(abs(d)), axis=-1))
    raise user_error(
        ValueError,
        f"Unknown slogdet method '{method}'. Supported methods are 'lu' (`None`), and 'qr'.",
    )


# --- decompositions -----------------------------------------------------


@_compiled("upper", "symmetrize_input")
def cholesky(a, *, upper=False, symmetrize_input=True):
    """Like jnp.linalg.cholesky: lower L with a = L L^T (upper: L^T);
    NaN where a is not positive definite."""
    (a,) = _inexact_real("jnp.linalg.cholesky", a)
    _square("cholesky", a, TypeError)  # JAX: a TypeError from a + a.T
    if symmetrize_input:
        a = dec.symmetrize(a)
    l_mat = dec.cholesky_lower(a)
    return swapaxes(l_mat, -1, -2) if upper else l_mat


@_compiled("mode")
def qr(a, mode="reduced"):
    """Like jnp.linalg.qr: Householder reflections, LAPACK's signs."""
    (a,) = _inexact_real("jnp.linalg.qr", a)
    if aval_of(a).ndim < 2:
        raise user_error(
            TypeError, f"Input 0 to qr must have rank at least 2, but got shape={_shape(a)}"
        )
    if mode == "raw":
        raise user_error(NotImplementedError, "jnp.linalg.qr(mode='raw') is not built in mlax yet")
    if mode not in ("reduced", "r", "full", "complete"):
        raise user_error(ValueError, f"Unsupported QR decomposition mode '{mode}'")
    q, r = dec.qr_decompose(a, complete=mode == "complete")
    return r if mode == "r" else QRResult(q, r)


def _eigh_input(name, a, UPLO, symmetrize_input):
    (a,) = _inexact(name, a)
    _square(name, a, TypeError)  # JAX: a TypeError from a + a.T
    if UPLO is None or UPLO == "L":
        lower = True
    elif UPLO == "U":
        lower = False
    else:
        raise user_error(ValueError, f"UPLO must be one of None, 'L', or 'U', got {UPLO}")
    if symmetrize_input:
        return dec.symmetrize(a)
    tri = tril(a) if lower else swapaxes(tril(swapaxes(a, -1, -2)), -1, -2)
    diag = tril(swapaxes(tril(a), -1, -2))  # the diagonal alone
    return tri + dec._mH(tri) - diag


@_compiled("UPLO", "symmetrize_input")
def eigh(a, UPLO=None, symmetrize_input=True):
    """Like jnp.linalg.eigh: cyclic Jacobi, eigenvalues ascending."""
    a = _eigh_input("eigh", a, UPLO, symmetrize_input)
    v, w = dec.eigh_symmetric(a)
    return EighResult(w, v)


def eigvalsh(a, UPLO="L", *, symmetrize_input=True):
    """Like jnp.linalg.eigvalsh."""
    return eigh(a, UPLO, symmetrize_input=symmetrize_input).eigenvalues


@_compiled("full_matrices", "compute_uv", "hermitian", "subset_by_index")
def svd(a, full_matrices=True, compute_uv=True, hermitian=False, subset_by_index=None):
    """Like jnp.linalg.svd: one-sided Jacobi; singular values descending."""
    (a,) = _inexact_real("jnp.linalg.svd", a)
    if aval_of(a).ndim < 2:
        raise user_error(
            TypeError, f"Input 0 to svd must have rank at least 2, but got shape={_shape(a)}"
        )
    if subset_by_index is not None:
        raise user_error(
            NotImplementedError, "jnp.linalg.svd(subset_by_index=...) is not built in mlax yet"
        )
    if hermitian:
        # JAX's: |eigenvalues| sorted ascending (stable) then reversed; the
        # eigenvalues' signs go into vh
        w, v = eigh(a)
        s = abs(w)
        order = flip(argsort(s, axis=-1), axis=-1)
        s = take_along_axis(s, order, axis=-1)
        if not compute_uv:
            return s
        u = take_along_axis(v, broadcast_to(order[..., None, :], _shape(v)), axis=-1)
        w = take_along_axis(w, order, axis=-1)
        return SVDResult(u, s, swapaxes(u * sign(w)[..., None, :], -1, -2))
    # The barrier keeps IREE 3.13 from fusing the input's producer into the
    # Jacobi loop's partition: jit(pinv(a * 1.5)) failed with "circular
    # dependency: input operation uses partition output".
    out = dec.svd_decompose(
        lax.optimization_barrier(a), full_matrices=full_matrices, compute_uv=compute_uv
    )
    return SVDResult(*out) if compute_uv else out


def svdvals(x, /):
    """Like jnp.linalg.svdvals."""
    return svd(x, compute_uv=False)


def _default_rtol(a, s):
    m, n = _shape(a)[-2:]
    return max(m, n) * np.finfo(aval_of(s).dtype).eps


@_compiled("hermitian")
def pinv(a, rtol=None, hermitian=False, *, rcond=None):
    """Like jnp.linalg.pinv: V diag(1/s) U^T over the singular values above
    rtol * max(s)."""
    if rcond is not None:
        if rtol is not None:
            raise user_error(ValueError, "pinv: only one of rtol and rcond may be specified.")
        rtol = rcond
    (arr,) = _inexact_real("jnp.linalg.pinv", a)
    m, n = _shape(arr)[-2:]
    if m == 0 or n == 0:
        return broadcast_to(np.zeros((), aval_of(arr).dtype), _shape(arr)[:-2] + (n, m))
    u, s, vh = svd(arr, full_matrices=False, hermitian=hermitian)
    if rtol is None:
        rtol = _default_rtol(arr, s)
    rtol = expand_dims(asarray(rtol, dtype=aval_of(s).dtype), -1)
    cutoff = rtol * amax(s, axis=-1, keepdims=True, initial=-np.inf)
    keep = s > cutoff
    s_inv = where(
        keep, 1 / where(keep, s, np.asarray(1, aval_of(s).dtype)), np.asarray(0, aval_of(s).dtype)
    )
    return matmul(swapaxes(vh, -1, -2) * s_inv[..., None, :], swapaxes(u, -1, -2))


@_compiled("hermitian")
def matrix_rank(M, rtol=None, *, hermitian=False, tol=None):
    """Like jnp.linalg.matrix_rank: singular values above rtol * max(s)."""
    if tol is not None:
        if rtol is not None:
            raise user_error(ValueError, "matrix_rank: only one of tol or rtol may be specified.")
        rtol = tol
    (M,) = _inexact_real("jnp.linalg.matrix_rank", M)
    if aval_of(M).ndim < 2:
        return any(M != 0).astype(np.int32)
    s = svd(M, full_matrices=False, compute_uv=False, hermitian=hermitian)
    if rtol is None:
        rtol = amax(s, axis=-1) * np.asarray(
            max(_shape(M)[-2:]) * np.finfo(aval_of(s).dtype).eps, aval_of(s).dtype
        )
    rtol = expand_dims(asarray(rtol), aval_of(asarray(rtol)).ndim)
    return sum(s > rtol, axis=-1)


@_compiled("p")
def cond(x, p=None):
    """Like jnp.linalg.cond: s_max / s_min for p None or 2, else
    norm(x) * norm(inv(x)); NaN becomes inf where x has no NaN."""
    (arr,) = _inexact_real("cond", x)
    shape = _shape(arr)
    if len(shape) < 2:
        raise user_error(
            ValueError, f"jnp.linalg.cond: input array must be at least 2D; got arr.shape={shape}"
        )
    if shape[-1] == 0 or shape[-2] == 0:
        raise user_error(
            ValueError, f"jnp.linalg.cond: input array must not be empty; got arr.shape={shape}"
        )
    if p is None or p == 2:
        s = svdvals(arr)
        return s[..., 0] / s[..., -1]
    if p == -2:
        s = svdvals(arr)
        r = s[..., -1] / s[..., 0]
    else:
        if shape[-2] != shape[-1]:
            raise user_error(
                ValueError,
                f"jnp.linalg.cond: for p={p}, array must be square; got arr.shape={shape}",
            )
        r = norm(arr, ord=p, axis=(-2, -1)) * norm(inv(arr), ord=p, axis=(-2, -1))
    return where(isnan(r) & ~any(isnan(arr), axis=(-2, -1)), np.inf, r)


def lstsq(a, b, rcond=None, *, numpy_resid=False):
    """Like jnp.linalg.lstsq: (x, resid, rank, s) from the SVD; numpy_resid
    (NumPy's empty resid when rank < n or m <= n) needs concrete values, so
    runs eagerly."""
    if numpy_resid:
        return _lstsq(a, b, rcond, numpy_resid=True)
    return _lstsq_jit(a, b, rcond)


def _lstsq(a, b, rcond=None, *, numpy_resid=False):
    a, b = _inexact_real("jnp.linalg.lstsq", a, b)
    sa, sb = _shape(a), _shape(b)
    if len(sa) != 2:
        raise user_error(
            TypeError, f"{len(sa)}-dimensional array given. Array must be two-dimensional"
        )
    if len(sb) not in (1, 2):
        raise user_error(
            TypeError, f"{len(sb)}-dimensional array given. Array must be one or two-dimensional"
        )
    m, n = sa
    dt = aval_of(a).dtype
    if sb[0] != m:
        raise user_error(
            ValueError,
            f"Leading dimensions of input arrays must match; got a.shape={sa}, b.shape={sb}",
        )
    if rcond is None:
        rcond = np.finfo(dt).eps * max(n, m)
    elif rcond < 0:
        rcond = np.finfo(dt).eps
    vector = len(sb) == 1
    if vector:
        b = b[:, None]
    u, s, vt = svd(a, full_matrices=False)
    mask = s >= np.asarray(rcond, dt) * s[0]
    rank = sum(mask).astype(np.int32)
    safe_s = where(mask, s, np.asarray(1, dt))
    s_inv = where(mask, 1 / safe_s, np.asarray(0, dt))[:, None]
    uTb = matmul(swapaxes(u, -1, -2), b)
    x = matmul(swapaxes(vt, -1, -2), s_inv * uTb)
    if numpy_resid and (rank < n or m <= n):
        resid = asarray(np.zeros((0,), dt))
    else:
        b_est = matmul(a, x)
        resid = norm(b - b_est, axis=0) ** 2
    if vector:
        x = x[:, 0]
    return x, resid, rank, s


_lstsq_jit = jit(_lstsq, static_argnames=("rcond",))


@_compiled("ind")
def tensorinv(a, ind=2):
    """Like jnp.linalg.tensorinv."""
    arr = asarray(a)
    ind = operator.index(ind)
    if ind <= 0:
        raise user_error(ValueError, f"ind must be a positive integer; got ind={ind}")
    shape = _shape(arr)
    contracting, batch = shape[:ind], shape[ind:]
    flat = (math.prod(contracting), math.prod(batch))
    if flat[0] != flat[1]:
        raise user_error(
            ValueError,
            "tensorinv is only possible when the product of the first `ind` dimensions equals "
            f"that of the remaining dimensions. got arr.shape={shape} with ind={ind}.",
        )
    return reshape(inv(reshape(arr, flat)), batch + contracting)


@_compiled("axes")
def tensorsolve(a, b, axes=None):
    """Like jnp.linalg.tensorsolve."""
    a_arr, b_arr = asarray(a), asarray(b)
    if axes is not None:
        a_arr = moveaxis(a_arr, axes, len(axes) * (aval_of(a_arr).ndim - 1,))
    sa, sb = _shape(a_arr), _shape(b_arr)
    out_shape = sa[len(sb) :]
    if sa[: len(sb)] != sb:
        raise user_error(
            ValueError,
            "After moving axes to end, leading shape of a must match shape of b. "
            f"got a.shape={sa}, b.shape={sb}",
        )
    size = math.prod(sb)
    if size != math.prod(out_shape):
        raise user_error(
            ValueError,
            "Input arrays must have prod(a.shape[:b.ndim]) == prod(a.shape[b.ndim:]); "
            f"got a.shape={sa}, b.ndim={len(sb)}.",
        )
    x = solve(reshape(a_arr, (size, math.prod(out_shape))), reshape(b_arr, (size,)))
    return reshape(x, out_shape)
