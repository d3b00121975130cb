"""jax.scipy.linalg's special-matrix constructors and the real-valued
extras (polar, eigh_tridiagonal, expm_frechet, qr_multiply, hessenberg,
solve_sylvester), built as JAX builds them where mlax has the pieces:

- the constructors follow JAX's formulas (pascal and invpascal through
  exp(lgamma), invhilbert through comb), so the values round as JAX's do;
- polar uses the SVD for both methods (JAX's default 'qdwh' iteration
  converges to the same factors);
- eigh_tridiagonal runs eigh on the dense tridiagonal matrix (JAX uses
  bisection and inverse iteration: the same eigenvalues within rounding,
  eigenvectors up to sign);
- expm_frechet is the jvp of expm, as in JAX;
- qr_multiply multiplies by the Q of the Householder QR (pivoting is not
  built);
- hessenberg is LAPACK's gehrd reduction (Householder reflectors with
  LAPACK's sign convention), written with mlax ops;
- solve_sylvester solves the Kronecker-sum system (JAX goes through a
  complex Schur form; the solution is the same within rounding; JAX's
  NaN result for eigenvalue sums under `tol` needs eigenvalues of general
  matrices and is not reproduced).

schur is LAPACK's gees on the host (lapack_host.py, as JAX on CPU);
rsf2csf, sqrtm, funm and dft are JAX's algorithms on top of it.
"""

import math
import operator
from functools import partial

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..lax.extras import dynamic_slice_in_dim, dynamic_update_slice_in_dim
from ..numpy import lapack_host
from ..numpy import ufuncs as uf
from ..numpy.contractions import matmul
from ..numpy.creation import arange, eye, zeros, zeros_like
from ..numpy.linalg import eigh as _eigh
from ..numpy.linalg import eigvals as _eigvals
from ..numpy.linalg import norm as _norm
from ..numpy.linalg import solve as _solve
from ..numpy.linalg import svd as _svd
from ..numpy.numerics import kron, vectorize
from ..numpy.reductions import any as _any
from ..numpy.selection import diag, select, triu
from ..numpy.shape import atleast_1d, concatenate, flip, stack, swapaxes
from ..numpy.util import (
    _check_arraylike,
    _dtype_arg,
    _promote,
    _promote_inexact,
    asarray,
    broadcast_shapes,
    broadcast_to,
)
from ..transforms.autodiff import jvp
from ..transforms.control_flow import cond, fori_loop
from ..transforms.jit import jit
from .linalg import expm, qr, toeplitz
from .special import comb


def _shape(x):
    return tuple(aval_of(x).shape)


def _mT(x):
    return swapaxes(x, -1, -2)


# ---------------------------------------------------------------------------
# Special matrices
# ---------------------------------------------------------------------------


def hankel(c, r=None):
    """Like jax.scipy.linalg.hankel: first column c, last row r (zeros by
    default; r[0] is ignored); batched over leading dimensions."""
    if r is None:
        _check_arraylike("hankel", c)
        c = asarray(c)
        r = zeros_like(c)
    else:
        _check_arraylike("hankel", c, r)
        c, r = asarray(c), asarray(r)
    if aval_of(c).ndim == 0:
        raise user_error(ValueError, "hankel: c must be at least 1-dimensional, got a scalar.")
    if aval_of(r).ndim == 0:
        raise user_error(ValueError, "hankel: r must be at least 1-dimensional, got a scalar.")
    c, r = _promote("hankel", c, r)
    return vectorize(_hankel, signature="(m),(n)->(m,n)")(c, r)


def _hankel(c, r):
    m, n = _shape(c)[0], _shape(r)[0]
    if m == 0 or n == 0:
        return zeros((m, n), aval_of(c).dtype)
    v = concatenate((c, r[1:]))
    # Row i is v[i:i + n] (static slices: no gather, so reverse mode stays simple).
    return stack([v[i : i + n] for i in range(m)])


def circulant(c):
    """Like jax.scipy.linalg.circulant: column i is c rolled down by i."""
    _check_arraylike("circulant", c)
    return vectorize(_circulant, signature="(n)->(n,n)")(atleast_1d(asarray(c)))


def _circulant(c):
    n = _shape(c)[0]
    if n == 0:
        return zeros((0, 0), aval_of(c).dtype)
    # Entry (i, j) is c[(i - j) % n]: row i is cc[i + 1 : i + n + 1] reversed.
    cc = concatenate([c, c])
    return stack([flip(cc[i + 1 : i + n + 1]) for i in range(n)])


def leslie(f, s):
    """Like jax.scipy.linalg.leslie: fecundities f in the first row,
    survival rates s on the subdiagonal."""
    _check_arraylike("leslie", f, s)
    f, s = atleast_1d(asarray(f)), atleast_1d(asarray(s))
    if _shape(f)[-1] < 2:
        raise user_error(
            ValueError,
            f"The length of f along the last axis must be at least 2; got shape {_shape(f)}.",
        )
    if _shape(s)[-1] != _shape(f)[-1] - 1:
        raise user_error(
            ValueError,
            "Incorrect lengths for f and s. The length of s along the last axis must be one "
            f"less than the length of f; got f shape {_shape(f)} and s shape {_shape(s)}.",
        )
    f, s = _promote("leslie", f, s)
    return vectorize(_leslie, signature="(n),(m)->(n,n)")(f, s)


def _leslie(f, s):
    return diag(s, k=-1).at[0].set(f)


def companion(a):
    """Like jax.scipy.linalg.companion: the companion matrix of the
    polynomial with coefficients a (highest degree first)."""
    (a,) = _promote_inexact("companion", asarray(a))
    a = atleast_1d(a)
    if _shape(a)[-1] < 2:
        raise user_error(
            ValueError,
            f"The length of `a` along the last axis must be at least 2; got shape {_shape(a)}.",
        )
    return vectorize(_companion, signature="(n)->(m,m)")(a)


def _companion(a):
    first_row = -a[1:] / a[0]
    m = _shape(a)[0] - 1
    return eye(m, m, k=-1, dtype=aval_of(first_row).dtype).at[0].set(first_row)


def fiedler(a):
    """Like jax.scipy.linalg.fiedler: |a[i] - a[j]|."""
    _check_arraylike("fiedler", a)
    a = atleast_1d(asarray(a))
    return uf.abs(a[..., None] - a[..., None, :])


def fiedler_companion(a):
    """Like jax.scipy.linalg.fiedler_companion: Fiedler's pentadiagonal
    companion matrix of the polynomial a."""
    (a,) = _promote_inexact("fiedler_companion", asarray(a))
    a = atleast_1d(a)
    if _shape(a)[-1] == 0:
        raise user_error(
            ValueError,
            "fiedler_companion requires the last axis of 'a' to have nonzero length, but got "
            f"an array of shape {_shape(a)}.",
        )
    return vectorize(_fiedler_companion, signature="(n)->(m,m)")(a)


def _fiedler_companion(a):
    n = _shape(a)[0] - 1
    dt = aval_of(a).dtype
    if n == 0:
        return zeros((0, 0), dt)
    a = a / a[0]
    if n == 1:
        return -a[1:].reshape(1, 1)
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    super_val = -a[np.minimum(i + 2, n)]
    sub_val = -a[np.minimum(i + 1, n)]
    even, odd = i % 2 == 0, i % 2 == 1
    one = asarray(np.asarray(1, dt))
    zero = asarray(np.asarray(0, dt))
    conditions = [
        (i == 0) & (j == 0),
        (i == 1) & (j == 0),
        (j == i + 1) & even,
        (j == i + 2) & even,
        (j == i - 1) & even & (i >= 2),
        (j == i - 2) & odd & (i >= 3),
    ]
    conditions = [asarray(np.broadcast_to(c, (n, n))) for c in conditions]
    return select(conditions, [-a[1], one, super_val, one, sub_val, one], default=zero)


def convolution_matrix(a, n, mode="full"):
    """Like jax.scipy.linalg.convolution_matrix: the Toeplitz matrix A with
    A @ v == convolve(a, v, mode) for len(v) == n."""
    n = operator.index(n)
    if n <= 0:
        raise user_error(ValueError, f"n must be a positive integer; got {n}.")
    _check_arraylike("convolution_matrix", a)
    a = asarray(a)
    if aval_of(a).ndim == 0:
        raise user_error(
            ValueError, "convolution_matrix: a must be at least 1-dimensional, got a scalar."
        )
    m = _shape(a)[-1]
    if m < 1:
        raise user_error(ValueError, f"len(a) must be at least 1; got shape {_shape(a)}.")
    if mode not in ("full", "valid", "same"):
        raise user_error(ValueError, f"mode must be one of 'full', 'valid', 'same'; got {mode!r}.")
    return _convolution_matrix(a, n, mode)


@partial(jit, static_argnames=("n", "mode"))
def _convolution_matrix(a, n, mode):
    from ..numpy.padding import pad

    m = _shape(a)[-1]
    widths = [(0, 0)] * (aval_of(a).ndim - 1) + [(0, n - 1)]
    az = pad(a, widths)
    raz = pad(flip(a, axis=-1), widths)
    total = m + n - 1
    if mode == "same":
        trim = min(n, m) - 1
        tb = trim // 2
        te = trim - tb
    elif mode == "valid":
        tb = te = min(n, m) - 1
    else:
        tb = te = 0
    col0 = az[..., tb : total - te]
    row0 = raz[..., total - n - tb : total - tb]
    return toeplitz(col0, row0)


def hilbert(n):
    """Like jax.scipy.linalg.hilbert: 1 / (i + j + 1)."""
    return _hilbert(operator.index(n))


@partial(jit, static_argnames=("n",))
def _hilbert(n):
    a = lax.broadcasted_iota(dtypes.default_float(), (n, 1), 0)
    return 1 / (a + a.T + 1)


def invhilbert(n):
    """Like jax.scipy.linalg.invhilbert (through comb, as JAX computes it)."""
    return _invhilbert(operator.index(n))


@partial(jit, static_argnames=("n",))
def _invhilbert(n):
    a = arange(n, dtype=dtypes.default_float())
    i, j = a[:, None], a[None, :]
    s = i + j
    return (
        uf.power(-1.0, s)
        * (s + 1.0)
        * comb(n + i, n - j - 1)
        * comb(n + j, n - i - 1)
        * uf.power(comb(s, i), 2)
    )


def _binom(n, k):
    return lax.exp(lax.lgamma(n + 1.0) - lax.lgamma(n - k + 1.0) - lax.lgamma(k + 1.0))


_KINDS = ["symmetric", "lower", "upper"]


def pascal(n, kind=None):
    """Like jax.scipy.linalg.pascal (float32, through exp(lgamma) as JAX)."""
    kind = "symmetric" if kind is None else kind
    if kind not in _KINDS:
        raise user_error(ValueError, f"Expected kind to be on of: {_KINDS}; got {kind}")
    return _pascal(operator.index(n), kind)


@partial(jit, static_argnames=("n", "kind"))
def _pascal(n, kind):
    a = arange(n, dtype=np.float32)
    lower = _binom(a[:, None], a[None, :])
    if kind == "lower":
        return lower
    if kind == "upper":
        return lower.T
    return matmul(lower, lower.T)


def invpascal(n, kind=None):
    """Like jax.scipy.linalg.invpascal."""
    kind = "symmetric" if kind is None else kind
    if kind not in _KINDS:
        raise user_error(ValueError, f"Expected kind to be one of: {_KINDS}; got {kind}")
    return _invpascal(operator.index(n), kind)


@partial(jit, static_argnames=("n", "kind"))
def _invpascal(n, kind):
    a = arange(n, dtype=dtypes.default_float())
    i, j = a[:, None], a[None, :]
    lower_inv = uf.power(-1.0, i - j) * _binom(i, j)
    if kind == "lower":
        return lower_inv
    if kind == "upper":
        return lower_inv.T
    return matmul(lower_inv.T, lower_inv)


def helmert(n, full=False):
    """Like jax.scipy.linalg.helmert: the (n-1, n) Helmert matrix (n, n
    with full=True)."""
    n = operator.index(n)
    if n < 1:
        raise user_error(ValueError, f"n must be a positive integer; got {n}.")
    return _helmert(n, bool(full))


@partial(jit, static_argnames=("n", "full"))
def _helmert(n, full):
    dt = dtypes.default_float()
    i = np.arange(n - 1)[:, None]
    j = np.arange(n)[None, :]
    k = asarray((i + 1).astype(dt))
    denom = uf.sqrt(k * (k + 1))
    h = uf.where(
        asarray(j <= i), 1.0 / denom, uf.where(asarray(j == i + 1), -k / denom, zeros_like(denom))
    )
    if full:
        first = lax.full((1, n), 1.0, dt) / uf.sqrt(asarray(np.asarray(n, dt)))
        h = concatenate([first, h], axis=0)
    return h


def hadamard(n, dtype=int):
    """Like jax.scipy.linalg.hadamard: Sylvester's construction (n a power
    of 2)."""
    n = operator.index(n)
    if n < 1 or not math.log2(n).is_integer():
        raise user_error(ValueError, f"n must be a positive power of 2; got {n}.")
    h = np.ones((1, 1), dtype=np.int64)
    for _ in range(int(math.log2(n))):
        h = np.block([[h, h], [h, -h]])
    dt = _dtype_arg(dtype, "hadamard")
    return asarray(h.astype(np.dtype(dt)) if dt is not None else h, dtype=dt)


# ---------------------------------------------------------------------------
# Decompositions and matrix functions
# ---------------------------------------------------------------------------


def polar(a, side="right", *, method="qdwh", eps=None, max_iterations=None):
    """Like jax.scipy.linalg.polar: (unitary, posdef) with a = u p
    (side='right') or a = p u (side='left'), from the SVD."""
    a = asarray(a)
    if aval_of(a).ndim < 2:
        raise user_error(ValueError, "The input `a` must be at least a 2-D array.")
    if side not in ["right", "left"]:
        raise user_error(ValueError, "The argument `side` must be either 'right' or 'left'.")
    m, n = _shape(a)[-2:]
    if method == "qdwh":
        if not ((m >= n and side == "right") or (m < n and side == "left")):
            raise user_error(
                NotImplementedError,
                "method='qdwh' only supports mxn matrices where m < n where side='right' and "
                f"m >= n side='left', got {_shape(a)} with side={side!r}",
            )
    elif method != "svd":
        raise user_error(ValueError, f"Unknown polar decomposition method {method}.")
    return _polar(a, side)


@partial(jit, static_argnames=("side",))
def _polar(a, side):
    (a,) = _promote_inexact("jax.scipy.linalg.polar", a)
    u, s, vh = _svd(a, full_matrices=False)
    unitary = matmul(u, vh)
    if side == "right":
        posdef = matmul(_mT(vh) * s[..., None, :], vh)
    else:
        posdef = matmul(u * s[..., None, :], _mT(u))
    return unitary, posdef


def eigh_tridiagonal(d, e, *, eigvals_only=False, select="a", select_range=None, tol=None,
                     key=None):  # fmt: skip
    """Like jax.scipy.linalg.eigh_tridiagonal (select 'a' or 'i'): eigh of
    the dense symmetric tridiagonal matrix."""
    alpha, beta = asarray(d), asarray(e)
    adt, bdt = np.dtype(aval_of(alpha).dtype), np.dtype(aval_of(beta).dtype)
    if adt != bdt:
        raise user_error(
            TypeError,
            f"diagonal and off-diagonal values must have same dtype, got {adt} and {bdt}",
        )
    if adt not in (np.float32, np.float64):
        raise user_error(
            TypeError,
            "Only float32 and float64 inputs are supported as inputs to "
            f"jax.scipy.linalg.eigh_tridiagonal, got {adt} and {bdt}",
        )
    n = _shape(alpha)[0]
    if n <= 1:
        return alpha if eigvals_only else (alpha, eye(n, dtype=adt))
    if select == "a":
        lo, hi = 0, n - 1
    elif select == "i":
        if select_range is None:
            raise user_error(ValueError, "for select='i', select_range must be specified.")
        if select_range[0] > select_range[1]:
            raise user_error(ValueError, "Got empty index range in select_range.")
        lo, hi = int(select_range[0]), int(select_range[1])
    elif select == "v":
        raise user_error(
            NotImplementedError, "eigh_tridiagonal(..., select='v') is not implemented"
        )
    else:
        raise user_error(ValueError, "'select must have a value in {'a', 'i', 'v'}.")
    return _eigh_tridiagonal(alpha, beta, bool(eigvals_only), lo, hi)


@partial(jit, static_argnames=("eigvals_only", "lo", "hi"))
def _eigh_tridiagonal(alpha, beta, eigvals_only, lo, hi):
    t = diag(alpha) + diag(beta, 1) + diag(beta, -1)
    w, v = _eigh(t)
    w, v = w[lo : hi + 1], v[:, lo : hi + 1]
    return w if eigvals_only else (w, v)


def expm_frechet(A, E, *, method=None, compute_expm=True):
    """Like jax.scipy.linalg.expm_frechet: the jvp of expm at A along E."""
    a, e = asarray(A), asarray(E)
    sa, se = _shape(a), _shape(e)
    if len(sa) < 2 or sa[-2] != sa[1]:
        raise user_error(
            ValueError, f"expected A to be a (batched) square matrix, got A.shape={sa}"
        )
    if len(se) < 2 or se[-2] != se[-1]:
        raise user_error(
            ValueError, f"expected E to be a (batched) square matrix, got E.shape={se}"
        )
    if sa != se:
        raise user_error(
            ValueError, f"expected A and E to be the same shape, got A.shape={sa} E.shape={se}"
        )
    return _expm_frechet(a, e, bool(compute_expm))


@partial(jit, static_argnames=("compute_expm",))
def _expm_frechet(a, e, compute_expm):
    expm_a, frechet = jvp(partial(expm, upper_triangular=False, max_squarings=16), (a,), (e,))
    return (expm_a, frechet) if compute_expm else frechet


def qr_multiply(a, c, mode="right", pivoting=False, conjugate=False, overwrite_a=False,
                overwrite_c=False):  # fmt: skip
    """Like jax.scipy.linalg.qr_multiply: (Q @ c, r) for mode='left',
    (c @ Q, r) for 'right' (pivoting=False only; conjugate is a no-op for
    real inputs)."""
    a, c = _promote_inexact("jax.scipy.linalg.qr_multiply", asarray(a), asarray(c))
    if mode not in ("right", "left"):
        raise user_error(ValueError, f"mode must be 'right' or 'left', got {mode!r}")
    if pivoting:
        raise user_error(
            NotImplementedError,
            "jax.scipy.linalg.qr_multiply(pivoting=True) needs a pivoted QR, not built in mlax",
        )
    onedim = aval_of(c).ndim == 1
    if onedim:
        c = c[:, None] if mode == "left" else c[None, :]
    m, n = _shape(a)[-2:]
    k = min(m, n)
    if mode == "left":
        if _shape(c)[-2] != k:
            raise user_error(
                ValueError,
                f"Array shapes are not compatible for Q @ c operation: a has shape {_shape(a)} "
                f"so Q has {k} columns, but c has {_shape(c)[-2]} rows (expected {k}).",
            )
    elif _shape(c)[-1] != m:
        raise user_error(
            ValueError,
            f"Array shapes are not compatible for c @ Q operation: a has shape {_shape(a)} "
            f"so Q has {m} rows, but c has {_shape(c)[-1]} columns (expected {m}).",
        )
    batch = broadcast_shapes(_shape(a)[:-2], _shape(c)[:-2])
    a = broadcast_to(a, batch + _shape(a)[-2:])
    c = broadcast_to(c, batch + _shape(c)[-2:])
    return _qr_multiply(a, c, mode, onedim)


@partial(jit, static_argnames=("mode", "onedim"))
def _qr_multiply(a, c, mode, onedim):
    m, n = _shape(a)[-2:]
    k = min(m, n)
    q, r = qr(a, mode="economic")
    if mode == "left":
        cq = matmul(q, c)
    else:
        cq = matmul(c, q)[..., :k]
    if onedim:
        cq = cq.ravel()
    return cq, triu(r[..., :k, :])


def hessenberg(a, *, calc_q=False, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.hessenberg: h (and q with a = q h q^T) by
    LAPACK's Householder reduction (gehrd)."""
    a = asarray(a)
    n = _shape(a)[-1]
    if n == 0:
        return (zeros_like(a), zeros_like(a)) if calc_q else zeros_like(a)
    return _hessenberg(a, bool(calc_q))


@partial(jit, static_argnames=("calc_q",))
def _hessenberg(a, calc_q):
    (a,) = _promote_inexact("jax.scipy.linalg.hessenberg", a)
    fn = partial(_hessenberg_2d, calc_q=calc_q)
    if aval_of(a).ndim > 2:
        sig = "(n,n)->(n,n),(n,n)" if calc_q else "(n,n)->(n,n)"
        return vectorize(fn, signature=sig)(a)
    return fn(a)


def _householder(x):
    """LAPACK's dlarfg on x: (v with v[0] = 1, tau); H = I - tau v v^T
    maps x to (beta, 0, ..., 0), beta = -sign(x[0]) ||x||."""
    alpha = x[0]
    xnorm = _norm(x[1:])
    nonzero = xnorm != 0
    beta = -uf.where(alpha >= 0, 1.0, -1.0).astype(alpha.dtype) * uf.sqrt(
        alpha * alpha + xnorm * xnorm
    )
    safe_beta = uf.where(nonzero, beta, 1.0).astype(alpha.dtype)
    tau = uf.where(nonzero, (beta - alpha) / safe_beta, 0.0).astype(alpha.dtype)
    denom = uf.where(nonzero, alpha - beta, 1.0).astype(alpha.dtype)
    v = concatenate([lax.full((1,), 1, aval_of(x).dtype), x[1:] / denom])
    return v, tau


def _hessenberg_2d(a, calc_q):
    n = _shape(a)[-1]
    dt = aval_of(a).dtype
    q = eye(n, dtype=dt) if calc_q else None
    for j in range(n - 2):
        v, tau = _householder(a[j + 1 :, j])
        # A <- H A H with H = I - tau v v^T acting on rows/columns j+1:.
        rows = a[j + 1 :, :]
        rows = rows - tau * v[:, None] * matmul(v, rows)[None, :]
        a = a.at[j + 1 :, :].set(rows)
        cols = a[:, j + 1 :]
        cols = cols - tau * matmul(cols, v)[:, None] * v[None, :]
        a = a.at[:, j + 1 :].set(cols)
        if calc_q:
            qc = q[:, j + 1 :]
            q = q.at[:, j + 1 :].set(qc - tau * matmul(qc, v)[:, None] * v[None, :])
    h = triu(a, -1)
    return (h, q) if calc_q else h


def solve_sylvester(A, B, C, *, method="schur", tol=1e-8):
    """Like jax.scipy.linalg.solve_sylvester: X with A X + X B = C, from the
    Kronecker-sum system (kron(A, I) + kron(I, B^T)) vec(X) = vec(C)."""
    a, b, c = _promote_inexact(
        "jax.scipy.linalg.solve_sylvester", asarray(A), asarray(B), asarray(C)
    )
    m, n = _shape(c)[-2:]
    if _shape(a)[-2:] != (m, m) or _shape(b)[-2:] != (n, n):
        raise user_error(
            ValueError,
            f"Incompatible shapes for Sylvester equation:\nA: {_shape(a)}\nB: {_shape(b)}\n"
            f"C: {_shape(c)}",
        )
    if method not in ("schur", "eigen"):
        raise user_error(
            ValueError,
            f'Unrecognized method {method}. The two valid methods are either "schur" or "eigen".',
        )
    return vectorize(_solve_sylvester_2d, signature="(m,m),(n,n),(m,n)->(m,n)")(a, b, c)


@jit
def _solve_sylvester_2d(a, b, c):
    m, n = _shape(c)
    dt = aval_of(c).dtype
    k = kron(a, eye(n, dtype=dt)) + kron(eye(m, dtype=dt), b.T)
    return _solve(k, c.reshape(m * n)).reshape(m, n)


# ---------------------------------------------------------------------------
# Schur forms and matrix functions (gees on the host, as JAX on CPU)
# ---------------------------------------------------------------------------


def schur(a, output="real"):
    """Like jax.scipy.linalg.schur: (T, Z) with A = Z T Z^H, T quasi-upper-
    triangular ('real') or upper-triangular ('complex'); LAPACK's gees on
    the host, as JAX computes it on CPU."""
    if output not in ("real", "complex"):
        raise user_error(
            ValueError,
            f"Expected 'output' to be either 'real' or 'complex', got output={output!r}.",
        )
    return _schur(asarray(a), output)


@partial(jit, static_argnames=("output",))
def _schur(a, output):
    if output == "complex":
        a = a.astype(dtypes.complex_dtype(aval_of(a).dtype))
    return lapack_host.schur(a)


def rsf2csf(T, Z, check_finite=True):
    """Like jax.scipy.linalg.rsf2csf: the complex Schur form from the real
    one (a Givens rotation per 2x2 diagonal block, JAX's loop)."""
    t, z = asarray(T), asarray(Z)
    if t.ndim < 2 or _shape(t)[-1] != _shape(t)[-2]:
        raise user_error(ValueError, "Input 'T' must be square.")
    if z.ndim < 2 or _shape(z)[-1] != _shape(z)[-2]:
        raise user_error(ValueError, "Input 'Z' must be square.")
    if _shape(t)[-1] != _shape(z)[-1]:
        raise user_error(
            ValueError, f"Input array shapes must match: Z: {_shape(z)} vs. T: {_shape(t)}"
        )
    return vectorize(_rsf2csf_2d, signature="(n,n),(n,n)->(n,n),(n,n)")(t, z)


@jit
def _rsf2csf_2d(t, z):
    cdt = dtypes.complex_dtype(_promote_inexact("rsf2csf", t, z)[0].dtype)
    t, z = t.astype(cdt), z.astype(cdt)
    eps = float(dtypes.finfo(cdt).eps)
    n = _shape(t)[0]
    if n == 1:
        return t, z
    cols = arange(n)

    def update(m, t, z):
        mu = _eigvals(lax.dynamic_slice(t, (m - 1, m - 1), (2, 2))) - t[m, m]
        r = _norm(stack([mu[0], t[m, m - 1]])).astype(cdt)
        c = mu[0] / r
        s = t[m, m - 1] / r
        g = stack([stack([c.conj(), s]), stack([-s, c])])
        rows = dynamic_slice_in_dim(t, m - 1, 2, axis=0)
        col_mask = cols >= m - 1
        rows = uf.where(~col_mask, rows, matmul(g, uf.where(col_mask, rows, 0)))
        t = dynamic_update_slice_in_dim(t, rows, m - 1, axis=0)
        tcols = dynamic_slice_in_dim(t, m - 1, 2, axis=1)
        row_mask = cols[:, None] < m + 1
        gh = g.conj().T
        tcols = uf.where(~row_mask, tcols, matmul(uf.where(row_mask, tcols, 0), gh))
        t = dynamic_update_slice_in_dim(t, tcols, m - 1, axis=1)
        zcols = dynamic_slice_in_dim(z, m - 1, 2, axis=1)
        z = dynamic_update_slice_in_dim(z, matmul(zcols, gh), m - 1, axis=1)
        return t, z

    def step(i, tz):
        m = n - i
        t, z = tz
        big = uf.abs(t[m, m - 1]) > eps * (uf.abs(t[m - 1, m - 1]) + uf.abs(t[m, m]))
        t, z = cond(big, update, lambda m, t, z: (t, z), m, t, z)
        return t.at[m, m - 1].set(0.0), z

    return fori_loop(1, n, step, (t, z))


def sqrtm(A, blocksize=1):
    """Like jax.scipy.linalg.sqrtm: the principal square root through the
    complex Schur form (Björck and Hammarling's recurrence); complex."""
    if blocksize > 1:
        raise user_error(NotImplementedError, "Blocked version is not implemented yet.")
    return _sqrtm(asarray(A))


@jit
def _sqrtm(a):
    t, z = _schur(a, "complex")
    root = _sqrtm_triu(t)
    return matmul(matmul(z, root), z.T.conj())


def _sqrtm_triu(t):
    d = uf.sqrt(diag(t))
    n = _shape(d)[0]

    def i_loop(k, data):
        j, u = data
        i = j - 1 - k
        s = fori_loop(i + 1, j, lambda m, acc: acc + u[i, m] * u[m, j], 0.0)
        value = uf.where(t[i, j] == s, 0.0, (t[i, j] - s) / (d[i] + d[j]))
        return j, u.at[i, j].set(value)

    def j_loop(j, u):
        return fori_loop(0, j, i_loop, (j, u))[1]

    return fori_loop(0, n, j_loop, diag(d))


def funm(A, func, disp=True):
    """Like jax.scipy.linalg.funm: func applied to a matrix through its
    complex Schur form (Parlett's recurrence, Golub and Van Loan 11.1.1);
    with disp=False also JAX's error estimate."""
    a = asarray(A)
    if a.ndim != 2 or _shape(a)[0] != _shape(a)[1]:
        raise user_error(ValueError, "expected square array_like input")
    t, z = schur(a)
    t, z = rsf2csf(t, z)
    f = diag(func(diag(t))).astype(aval_of(t).dtype)
    f, minden = _parlett(f, t)
    f = matmul(matmul(z, f), z.conj().T)
    if disp:
        return f
    char = np.dtype(aval_of(f).dtype).char.lower()
    # JAX's chain: float16's tolerance is overwritten by the else branch.
    tol = float(dtypes.finfo(np.float32 if char == "f" else np.float64).eps)
    minden = uf.where(minden == 0.0, tol, minden)
    err = uf.where(
        _any(uf.isinf(f)),
        np.inf,
        uf.minimum(1, uf.maximum(tol, (tol / minden) * _norm(triu(t, 1), 1))),
    )
    return f, err


@jit
def _parlett(f, t):
    n = _shape(t)[0]
    minden = uf.abs(t[0, 0])
    idx = arange(n)

    def inner(i, state):
        p, f, minden = state
        j = i + p
        s = t[i - 1, j - 1] * (f[j - 1, j - 1] - f[i - 1, i - 1])
        ind = (idx >= i) & (idx < j - 1)
        val = matmul(uf.where(ind, t[i - 1], 0), uf.where(ind, f[:, j - 1], 0)) - matmul(
            uf.where(ind, f[i - 1], 0), uf.where(ind, t[:, j - 1], 0)
        )
        s = s + val
        den = t[j - 1, j - 1] - t[i - 1, i - 1]
        s = uf.where(den != 0, s / den, s)
        return p, f.at[i - 1, j - 1].set(s), uf.minimum(minden, uf.abs(den))

    def outer(p, state):
        _, f, minden = fori_loop(1, n - p + 1, inner, (p, *state))
        return f, minden

    return fori_loop(1, n, outer, (f, minden))


def dft(n, scale=None, *, dtype=None):
    """Like jax.scipy.linalg.dft: the n x n discrete Fourier transform
    matrix exp(-2 pi i j k / n), scaled by 1/sqrt(n) or 1/n if asked."""
    if scale is not None and scale not in ("sqrtn", "n"):
        raise user_error(ValueError, f"scale must be None, 'sqrtn', or 'n'; got {scale!r}.")
    if dtype is None:
        dtype = dtypes.default_complex()
    else:
        dtype = _dtype_arg(dtype)
        if not dtypes.is_complex(dtype):
            raise user_error(
                ValueError, f"dtype must be a complex floating-point type; got {np.dtype(dtype)}."
            )
    return _dft(operator.index(n), scale, np.dtype(dtype))


@partial(jit, static_argnums=(0, 1, 2))
def _dft(n, scale, dtype):
    a = arange(n, dtype=dtype)
    omegas = uf.exp(-2j * np.pi * a[:, None] * a[None, :] / n)
    if scale == "sqrtn":
        omegas = omegas / uf.sqrt(n)
    elif scale == "n":
        omegas = omegas / n
    return omegas
