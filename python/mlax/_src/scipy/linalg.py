"""jax.scipy.linalg's basics on the decompositions of the numpy floor
(numpy/decompositions.py): cholesky, cho_factor/cho_solve, lu,
lu_factor/lu_solve, solve_triangular, solve, inv, det, qr, eigh, svd.
The overwrite_*/check_finite arguments are accepted and ignored, as in
JAX."""

from functools import partial

import numpy as np

from .. import lax
from ..core import aval_of, dtypes, user_error
from ..numpy import decompositions as dec
from ..numpy import linalg as jnp_linalg
from ..numpy import ufuncs as uf
from ..numpy.advanced_indexing import take_along_axis
from ..numpy.contractions import matmul
from ..numpy.creation import eye, full_like, zeros
from ..numpy.selection import tril, triu
from ..numpy.shape import swapaxes
from ..numpy.sorting import argsort
from ..numpy.util import _promote_inexact, asarray, broadcast_shapes, broadcast_to
from ..transforms.jit import jit


def _inexact(*xs):
    return _promote_inexact("jax.scipy.linalg", *[asarray(x) for x in xs])


def _mT(x):
    return swapaxes(x, -1, -2)


def _as_matrix_rhs(a, b):
    """b as (..., n, k) with a's batch broadcast; whether b was a vector."""
    sa, sb = aval_of(a).shape, aval_of(b).shape
    vector = len(sb) == 1
    if vector:
        b = b[:, None]
        sb = aval_of(b).shape
    if sb[-2] != sa[-1]:
        raise user_error(
            ValueError, f"shapes {sa} and {sb}: b's rows must match a's {sa[-1]} columns"
        )
    batch = broadcast_shapes(sa[:-2], sb[:-2])
    return broadcast_to(a, batch + sa[-2:]), broadcast_to(b, batch + sb[-2:]), vector


def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.cholesky: upper by default; reads only the
    lower (or, for upper, the upper) triangle."""
    return _cholesky(a, lower)


@partial(jit, static_argnames=("lower",))
def _cholesky(a, lower):
    (a,) = _inexact(a)
    l_mat = dec.cholesky_lower(a if lower else _mT(a))
    return l_mat if lower else _mT(l_mat)


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.cho_factor: (c, lower)."""
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """Like jax.scipy.linalg.cho_solve: two triangular solves."""
    c, lower = c_and_lower
    return _cho_solve(c, b, bool(lower))


@partial(jit, static_argnames=("lower",))
def _cho_solve(c, b, lower):
    c, b = _inexact(c, b)
    c, b, vector = _as_matrix_rhs(c, b)
    y = dec.triangular_solve(c, b, left_side=True, lower=lower, transpose_a=not lower)
    x = dec.triangular_solve(c, y, left_side=True, lower=lower, transpose_a=lower)
    return x[..., 0] if vector else x


def solve_triangular(
    a,
    b,
    trans=0,
    lower=False,
    unit_diagonal=False,
    overwrite_b=False,
    debug=None,
    check_finite=True,
):
    """Like jax.scipy.linalg.solve_triangular (trans 0/'N', 1/'T', 2/'C')."""
    if trans in (0, "N"):
        transpose_a = False
    elif trans in (1, "T", 2, "C"):
        transpose_a = True
    else:
        raise user_error(ValueError, f"Invalid 'trans' value {trans}")
    return _solve_triangular(a, b, transpose_a, lower, unit_diagonal)


@partial(jit, static_argnames=("transpose_a", "lower", "unit_diagonal"))
def _solve_triangular(a, b, transpose_a, lower, unit_diagonal):
    a, b = _inexact(a, b)
    a, b, vector = _as_matrix_rhs(a, b)
    x = dec.triangular_solve(
        a, b, left_side=True, lower=lower, transpose_a=transpose_a, unit_diagonal=unit_diagonal
    )
    return x[..., 0] if vector else x


def lu_factor(a, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.lu_factor: (lu, pivots), LAPACK's ipiv."""
    return _lu_factor(a)


@jit
def _lu_factor(a):
    (a,) = _inexact(a)
    lu, pivots, _ = dec.lu_decompose(a)
    return lu, pivots


def lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    """Like jax.scipy.linalg.lu_solve: a x = b (trans 0), a^T x = b (1, 2)."""
    lu, pivots = lu_and_piv
    if trans not in (0, 1, 2):
        raise user_error(ValueError, f"'trans' value must be 0, 1, or 2, got {trans}")
    return _lu_solve(lu, pivots, b, trans)


@partial(jit, static_argnames=("trans",))
def _lu_solve(lu, pivots, b, trans):
    lu, b = _inexact(lu, b)
    m = aval_of(lu).shape[-2]
    perm = dec.pivots_to_permutation(asarray(pivots), m)
    lu, b, vector = _as_matrix_rhs(lu, b)
    perm = broadcast_to(perm, aval_of(lu).shape[:-2] + (m,))
    if trans == 0:
        x = dec.lu_solve_factored(lu, perm, b)
    elif trans in (1, 2):
        # a = P^T L U: a^T x = U^T L^T P x = b
        y = dec.triangular_solve(lu, b, left_side=True, lower=False, transpose_a=True)
        z = dec.triangular_solve(
            lu, y, left_side=True, lower=True, transpose_a=True, unit_diagonal=True
        )
        inverse = argsort(perm, axis=-1)
        k = aval_of(z).shape[-1]
        x = take_along_axis(
            z, broadcast_to(inverse[..., :, None], aval_of(inverse).shape + (k,)), axis=-2
        )
    else:
        raise AssertionError(trans)
    return x[..., 0] if vector else x


def lu(a, permute_l=False, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.lu: (p, l, u) with a = p l u, or (p l, u)."""
    return _lu(a, bool(permute_l))


@partial(jit, static_argnames=("permute_l",))
def _lu(a, permute_l):
    (a,) = _inexact(a)
    dt = aval_of(a).dtype
    m, n = aval_of(a).shape[-2:]
    lu_mat, _, perm = dec.lu_decompose(a)
    p = (perm[..., None, :] == np.arange(m, dtype=np.int32)[:, None]).astype(dt)
    k = min(m, n)
    l_mat = tril(lu_mat, -1)[..., :, :k] + np.eye(m, k, dtype=dt)
    u_mat = triu(lu_mat)[..., :k, :]
    if permute_l:
        return matmul(p, l_mat), u_mat
    return p, l_mat, u_mat


def qr(a, overwrite_a=False, lwork=None, mode="full", pivoting=False, check_finite=True):
    """Like jax.scipy.linalg.qr: modes 'full', 'economic', 'r' (a 1-tuple)."""
    if pivoting:
        raise user_error(
            NotImplementedError, "jax.scipy.linalg.qr(pivoting=True) is not built in mlax yet"
        )
    if mode in ("full", "r"):
        complete = True
    elif mode == "economic":
        complete = False
    else:
        raise user_error(ValueError, f"Unsupported QR decomposition mode '{mode}'")
    return _qr(a, mode, complete)


@partial(jit, static_argnames=("mode", "complete"))
def _qr(a, mode, complete):
    (a,) = _inexact(a)
    q, r = dec.qr_decompose(a, complete=complete)
    return (r,) if mode == "r" else (q, r)


def eigh(
    a,
    b=None,
    lower=True,
    eigvals_only=False,
    overwrite_a=False,
    overwrite_b=False,
    turbo=True,
    eigvals=None,
    type=1,
    check_finite=True,
):
    """Like jax.scipy.linalg.eigh (b=None, type=1, eigvals=None only)."""
    if b is not None:
        raise user_error(NotImplementedError, "Only the b=None case of eigh is implemented")
    if type != 1:
        raise user_error(NotImplementedError, "Only the type=1 case of eigh is implemented.")
    if eigvals is not None:
        raise user_error(NotImplementedError, "Only the eigvals=None case of eigh is implemented.")
    w, v = jnp_linalg.eigh(a, UPLO="L" if lower else "U")
    return w if eigvals_only else (w, v)


def svd(
    a,
    full_matrices=True,
    compute_uv=True,
    overwrite_a=False,
    check_finite=True,
    lapack_driver="gesdd",
):
    """Like jax.scipy.linalg.svd: (u, s, vh) or s."""
    out = jnp_linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(out) if compute_uv else out


def solve(
    a,
    b,
    lower=False,
    overwrite_a=False,
    overwrite_b=False,
    debug=False,
    check_finite=True,
    assume_a="gen",
):
    """Like jax.scipy.linalg.solve: LU ('gen', 'sym', 'her'); Cholesky
    ('pos', reading the `lower` triangle)."""
    valid = ["gen", "sym", "her", "pos"]
    if assume_a not in valid:
        raise user_error(ValueError, f"Expected assume_a to be one of {valid}; got {assume_a!r}")
    if assume_a != "pos":
        return jnp_linalg.solve(a, b)
    return cho_solve(cho_factor(a, lower=lower), b)


def inv(a, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.inv."""
    return jnp_linalg.inv(a)


def det(a, overwrite_a=False, check_finite=True):
    """Like jax.scipy.linalg.det."""
    return jnp_linalg.det(a)


# ---------------------------------------------------------------------------
# expm: JAX's algorithm (Higham 2005): scaling, a Pade approximant chosen by
# the 1-norm, a solve, squaring; the same thresholds, so the same numbers.
# ---------------------------------------------------------------------------

_PADE = {
    3: (120.0, 60.0, 12.0, 1.0),
    5: (30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0),
    7: (17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0),
    9: (
        17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0,
        2162160.0, 110880.0, 3960.0, 90.0, 1.0,
    ),
    13: (
        64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
        1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0,
        33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0,
    ),
}  # fmt: skip


def _pade(order):
    """(U, V) of the order-`order` Pade approximant, as JAX builds them."""
    b = _PADE[order]

    def approximant(a):
        ident = eye(a.shape[0], dtype=a.dtype)
        a2 = matmul(a, a)
        if order == 13:
            a4 = matmul(a2, a2)
            a6 = matmul(a4, a2)
            u = matmul(
                a,
                matmul(a6, b[13] * a6 + b[11] * a4 + b[9] * a2)
                + b[7] * a6
                + b[5] * a4
                + b[3] * a2
                + b[1] * ident,
            )
            v = matmul(a6, b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4
            return u, v + b[2] * a2 + b[0] * ident
        # A^0, A^2, A^4 = A^2 A^2, A^6 = A^4 A^2, ...; the sums highest power first.
        powers = [ident, a2]
        while len(powers) < (order + 1) // 2:
            powers.append(matmul(powers[-1], a2))
        odd = even = None
        for k in reversed(range(len(powers))):
            odd = b[2 * k + 1] * powers[k] if odd is None else odd + b[2 * k + 1] * powers[k]
            even = b[2 * k] * powers[k] if even is None else even + b[2 * k] * powers[k]
        return matmul(a, odd), even

    return approximant


def _expm_2d(a, upper_triangular, max_squarings):
    from ..numpy.linalg import norm
    from ..numpy.math_ufuncs import log2
    from ..numpy.selection import digitize
    from ..transforms.control_flow import cond, scan, switch

    a_l1 = norm(a, 1)
    part = dtypes.real_dtype(a.dtype)  # the norm and thresholds are real
    if part == np.float64:
        maxnorm, conds, orders = 5.371920351148152, [1.495585217958292e-2, 2.539398330063230e-1,
                                                     9.504178996162932e-1, 2.097847961257068], (3, 5, 7, 9, 13)  # fmt: skip
    else:
        maxnorm, conds, orders = (
            3.925724783138660,
            [4.258730016922831e-1, 1.880152677804762],
            (3, 5, 7),
        )
    n_squarings = uf.maximum(0.0, uf.floor(log2(a_l1 / maxnorm)))
    scaled = a / uf.power(2.0, n_squarings.astype(part))
    index = digitize(a_l1, asarray(np.asarray(conds, part)))
    u, v = switch(index, [_pade(m) for m in orders], scaled)
    p, q = u + v, -u + v

    def compute(operands):
        p, q = operands
        r = solve_triangular(q, p) if upper_triangular else jnp_linalg.solve(q, p)

        def step(c, i):
            return cond(i < n_squarings, lambda x: matmul(x, x), lambda x: x, c), None

        r, _ = scan(step, r, asarray(np.arange(max_squarings, dtype=a.dtype)))
        return r

    return cond(
        n_squarings > max_squarings,
        lambda operands: full_like(operands[0], np.nan),
        compute,
        (p, q),
    )


def expm(A, *, upper_triangular=False, max_squarings=16):
    """Like jax.scipy.linalg.expm: the matrix exponential (batched)."""
    (a,) = _inexact(A)
    shape = aval_of(a).shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise user_error(
            ValueError, f"Expected A to be a (batched) square matrix, got A.shape={shape}."
        )
    return _expm_jit(a, upper_triangular, max_squarings)


def _expm_impl(a, upper_triangular, max_squarings):
    from ..numpy.numerics import vectorize

    if a.ndim > 2:
        return vectorize(partial(_expm_2d, upper_triangular=upper_triangular, max_squarings=max_squarings),
                         signature="(n,n)->(n,n)")(a)  # fmt: skip
    return _expm_2d(a, upper_triangular, max_squarings)


_expm_jit = jit(_expm_impl, static_argnums=(1, 2))


def block_diag(*arrs):
    """Like jax.scipy.linalg.block_diag: the arrays (at most 2-d) down the
    diagonal of one matrix, zeros elsewhere."""
    from ..numpy.shape import atleast_2d, concatenate
    from ..numpy.util import _promote

    if len(arrs) == 0:
        arrs = (zeros((1, 0)),)
    arrs = tuple(_promote("block_diag", *arrs))
    for i, a in enumerate(arrs):
        if aval_of(a).ndim > 2:
            raise user_error(
                ValueError,
                f"Arguments to jax.scipy.linalg.block_diag must have at most 2 dimensions, "
                f"got {a} at argument {i}.",
            )
    blocks = [atleast_2d(a) for a in arrs]
    total = sum(aval_of(b).shape[1] for b in blocks)
    rows, col = [], 0
    for b in blocks:
        n = aval_of(b).shape[1]
        rows.append(
            lax.pad(b, lax.full((), 0, aval_of(b).dtype), ((0, 0, 0), (col, total - n - col, 0)))
        )
        col += n
    return concatenate(rows, axis=0)


def toeplitz(c, r=None):
    """Like jax.scipy.linalg.toeplitz: first column c, first row r (c by
    default; r[0] is ignored); batched over leading dimensions."""
    from ..numpy.numerics import vectorize
    from ..numpy.shape import atleast_1d
    from ..numpy.util import _promote

    c = atleast_1d(asarray(c))
    r = c if r is None else atleast_1d(asarray(r))
    c, r = _promote("toeplitz", c, r)
    return vectorize(_toeplitz, signature="(m),(n)->(m,n)")(c, r)


def _toeplitz(c, r):
    from ..numpy.advanced_indexing import take
    from ..numpy.shape import concatenate, flip

    m, n = aval_of(c).shape[0], aval_of(r).shape[0]
    if m == 0 or n == 0:
        return zeros((m, n), aval_of(c).dtype)
    elems = concatenate([flip(c, 0), r[1:]])
    # Row i holds elems[m - 1 - i + j].
    positions = (m - 1) - np.arange(m)[:, None] + np.arange(n)[None, :]
    return take(elems, asarray(positions.astype(np.int32)))
