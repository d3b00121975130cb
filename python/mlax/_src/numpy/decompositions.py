"""Matrix factorisations built from existing mlax ops, batched over leading
dimensions: Cholesky, triangular solves, LU with partial pivoting,
Householder QR, Jacobi eigh and one-sided Jacobi SVD.

On the CPU, eigh and svd compute their values on the host's LAPACK
instead (syevd/heevd, gesdd: lapack_host.py), as JAX's CPU kernels do,
so eigenvalues, singular values and the vectors' signs are JAX's bit for
bit, and compiling them no longer grows with n (the Jacobi sweeps are
unrolled over the column pairs: 16x16 eigh took 36 s to compile); their
JVP rules below stay the same. The Jacobi forms remain for other targets.

mlax has no decomposition ops yet, so each is a loop over the columns
(`_loop`: unrolled up to 8, a fori_loop above), or a fori_loop of Jacobi
sweeps, on whole-matrix masks: every step is a few elementwise ops and a matmul, which batches,
jits and differentiates like any other program. cholesky, eigh, svd, qr,
det and slogdet carry JAX's closed-form JVP rules (custom_jvp), so their
derivatives are JAX's and do not run through the iterations. The
functions here take and return arrays of the inexact dtype, shape
(..., m, n); argument checking and dtype promotion sit in the wrappers
(numpy/linalg.py for jnp.linalg's signatures, which other floors such as
random should import; lax_linalg.py; scipy/linalg.py).
"""

import numpy as np

from ..core import aval_of
from ..lax.extras import dynamic_slice_in_dim
from ..transforms.control_flow import fori_loop
from ..transforms.custom_derivatives import custom_jvp
from . import lapack_host
from .advanced_indexing import take_along_axis
from .complex_numbers import _is_complex, conjugate, real
from .contractions import matmul
from .reductions import any, argmax, cumprod, prod, sum
from .selection import diagonal, tril
from .shape import concatenate, swapaxes
from .sorting import argsort
from .ufuncs import abs, isinf, isnan, log, sqrt, where
from .util import asarray, broadcast_to

# --- small helpers ------------------------------------------------------


def _mT(x):
    return swapaxes(x, -1, -2)


def _mH(x):
    """The conjugate transpose (the transpose of a real matrix)."""
    return conjugate(swapaxes(x, -1, -2))


def _shape(x):
    return aval_of(x).shape


def _dtype(x):
    return aval_of(x).dtype


def _const(x, value):
    """A numpy constant in x's dtype (so float32 stays float32)."""
    return np.asarray(value, dtype=_dtype(x))


def _eye_like(x, n=None):
    n = _shape(x)[-1] if n is None else n
    return _const(x, np.eye(n))


def _rows(n, pred):
    """A (n, 1) boolean column mask of the rows i with pred(i)."""
    return np.array([[pred(i)] for i in range(n)])


def _mask(array):
    """A boolean constant built as int8 != 0: mlax's bit-packed i1
    constants do not survive MLIR's hex form (over ~100 elements)."""
    return asarray(np.asarray(array, np.int8)) != 0


def _where(cond, x, y):
    if isinstance(cond, np.ndarray) and cond.size > 1:
        cond = _mask(cond)
    return where(cond, x, y)


def _safe_div(num, den):
    """num / den, and 0 where den == 0 (LAPACK skips a zero pivot); the
    masked branch divides by 1 so its gradient stays finite."""
    zero = den == 0
    return _where(zero, _const(num, 0), num / _where(zero, _const(den, 1), den))


# Matrices up to this size unroll their row/column loops in Python (the
# fastest programs); larger ones run them as a fori_loop with a traced
# index, whose program (and compile time) does not grow with n: a 16x16
# inv took 7 s to compile unrolled.
_UNROLL_MAX = 8


def _iota(n, shape):
    return np.arange(n, dtype=np.int32).reshape(shape)


def _loop(n, body, carry):
    """carry = body(k, carry) for k in range(n): unrolled in Python (a static
    k) up to _UNROLL_MAX, else one fori_loop (a traced k). Each body is
    written for both: dynamic slices and iota masks."""
    if n > _UNROLL_MAX:
        return fori_loop(0, n, body, carry)
    for k in range(n):
        carry = body(k, carry)
    return carry


def _dyn_row(x, i):
    """Row i (traced) of x as (..., 1, n)."""
    return dynamic_slice_in_dim(x, i, 1, axis=x.ndim - 2)


def _dyn_col(x, j):
    """Column j (traced) of x as (..., m, 1)."""
    return dynamic_slice_in_dim(x, j, 1, axis=x.ndim - 1)


# --- triangular solves --------------------------------------------------


def _substitute(t_mat, b, unit_diagonal, lower):
    """X with T X = B, T triangular (..., n, n), B (..., n, k): substitution
    one row at a time (forward when lower, backward otherwise)."""
    n = _shape(t_mat)[-1]
    cols, rows = _iota(n, (1, n)), _iota(n, (n, 1))

    def body(k, x):
        i = k if lower else n - 1 - k
        row = _dyn_row(t_mat, i)  # entries outside `before` multiply zeros
        before = (cols < i) if lower else (cols > i)
        partial = matmul(row * before.astype(_dtype(b)), x)
        value = _dyn_row(b, i) - partial
        if not unit_diagonal:
            value = value / _dyn_col(row, i)
        return _where(rows == i, value, x)

    return _loop(n, body, b * _const(b, 0))


def _solve_lower(l_mat, b, unit_diagonal=False):
    return _substitute(l_mat, b, unit_diagonal, lower=True)


def _solve_upper(u_mat, b, unit_diagonal=False):
    return _substitute(u_mat, b, unit_diagonal, lower=False)


def triangular_solve(
    a, b, *, left_side=False, lower=False, transpose_a=False, conjugate_a=False, unit_diagonal=False
):
    """Like jax.lax.linalg.triangular_solve: op(a) x = b (left_side) or
    x op(a) = b, op = transpose when transpose_a; only a's `lower` (or
    upper) triangle is read."""
    a = tril(a) if lower else _mT(tril(_mT(a)))
    if transpose_a:
        a, lower = _mT(a), not lower
    if not left_side:
        # x a = b  <=>  a^T x^T = b^T
        a, b, lower = _mT(a), _mT(b), not lower
    batch = np.broadcast_shapes(_shape(a)[:-2], _shape(b)[:-2])
    a = broadcast_to(a, batch + _shape(a)[-2:])
    b = broadcast_to(b, batch + _shape(b)[-2:])
    x = (_solve_lower if lower else _solve_upper)(a, b, unit_diagonal)
    return x if left_side else _mT(x)


# --- Cholesky -----------------------------------------------------------


def _cholesky_raw(a):
    """Lower L with L L^T = a, from a's lower triangle; the lower triangle
    all NaN where a is not positive definite (as JAX on CPU)."""
    n = _shape(a)[-1]
    a = tril(a)
    rows, cols = _iota(n, (n, 1)), _iota(n, (1, n))

    def column(j, l_mat):
        # column j of a minus what the earlier columns of L account for
        lj = _mT(_dyn_row(l_mat, j))  # (..., n, 1): L[j, k], zero for k >= j
        v = _dyn_col(a, j) - matmul(l_mat, lj)
        d = sqrt(_dyn_row(v, j))
        col = _where(rows == j, d, v / d)
        col = _where(rows >= j, col, _const(a, 0))
        return _where(cols == j, col, l_mat)

    l_mat = _loop(n, column, a * _const(a, 0))
    bad = isnan(sum(diagonal(l_mat, axis1=-2, axis2=-1), axis=-1))
    return _where(bad[..., None, None] & _mask(np.tri(n)), _const(a, np.nan), l_mat)


@custom_jvp
def cholesky_lower(a):
    return _cholesky_raw(a)


@cholesky_lower.defjvp
def _cholesky_jvp(primals, tangents):
    # JAX's rule: L_dot = L phi(L^-1 A_dot L^-T), phi = lower triangle with
    # the diagonal halved.
    (a,), (a_dot,) = primals, tangents
    l_mat = cholesky_lower(a)
    n = _shape(a)[-1]
    tmp = triangular_solve(l_mat, a_dot, left_side=False, transpose_a=True, lower=True)
    inner = triangular_solve(l_mat, tmp, left_side=True, lower=True)
    phi = tril(inner) / _const(a, 1 + np.eye(n))
    return l_mat, matmul(l_mat, phi)


# --- LU -----------------------------------------------------------------


def lu_decompose(a):
    """(lu, pivots, permutation) like jax.lax.linalg.lu: P a = L U, L unit
    lower (below lu's diagonal), U upper; pivots in LAPACK's ipiv form
    (row k swapped with pivots[k]), permutation the rows' order. Square or
    rectangular (..., m, n)."""
    m, n = _shape(a)[-2:]
    batch = _shape(a)[:-2]
    steps = min(m, n)
    rows, cols, slots = _iota(m, (m, 1)), _iota(n, (1, n)), _iota(steps, (steps,))

    def step(k, carry):
        a, perm, pivots = carry
        candidates = _where(rows >= k, abs(_dyn_col(a, k)), -1)
        p = argmax(candidates[..., 0], axis=-1).astype(np.int32)
        pivots = _where(slots == k, p[..., None], pivots)
        is_k, is_p = rows == k, rows == p[..., None, None]
        row_k = _dyn_row(a, k)
        row_p = sum(_where(is_p, a, _const(a, 0)), axis=-2, keepdims=True)
        a = _where(is_k, row_p, _where(is_p, row_k, a))
        perm_k = dynamic_slice_in_dim(perm, k, 1, axis=perm.ndim - 1)
        perm_p = take_along_axis(perm, p[..., None], axis=-1)
        perm = _where(is_k[:, 0], perm_p, _where(is_p[..., 0], perm_k, perm))
        pivot = _dyn_col(_dyn_row(a, k), k)
        below = rows > k
        l_col = _where(below, _safe_div(_dyn_col(a, k), pivot), _const(a, 0))
        a = a - matmul(l_col, _where(cols > k, _dyn_row(a, k), _const(a, 0)))
        a = _where(below & (cols == k), l_col, a)
        return a, perm, pivots

    perm = broadcast_to(np.arange(m, dtype=np.int32), batch + (m,))
    pivots = broadcast_to(np.zeros((steps,), np.int32), batch + (steps,))
    a, perm, pivots = _loop(steps, step, (a, perm, pivots))
    return a, pivots, perm


def pivots_to_permutation(pivots, m):
    """LAPACK ipiv (row k swapped with pivots[k], in order) as the
    permutation of m rows (jax.lax.linalg.lu_pivots_to_permutation)."""
    perm = broadcast_to(np.arange(m, dtype=np.int32), aval_of(pivots).shape[:-1] + (m,))
    idx = np.arange(m, dtype=np.int32)
    for k in range(aval_of(pivots).shape[-1]):
        p = pivots[..., k : k + 1]
        at_k = perm[..., k : k + 1]
        at_p = take_along_axis(perm, p, axis=-1)
        perm = _where(idx == k, at_p, _where(idx == p, at_k, perm))
    return perm


def lu_solve_factored(lu, perm, b):
    """x with a x = b from lu_decompose's (lu, permutation), b (..., n, k)."""
    pb = take_along_axis(
        b, broadcast_to(perm[..., :, None], _shape(perm) + (_shape(b)[-1],)), axis=-2
    )
    y = _solve_lower(lu, pb, unit_diagonal=True)
    return _solve_upper(lu, y)


def _permutation_parity(pivots):
    n = _shape(pivots)[-1]
    return sum(pivots != np.arange(n, dtype=_dtype(pivots)), axis=-1)


@custom_jvp
def slogdet_lu(a):
    """(sign, log|det|) as JAX's _slogdet_lu: sign 0 and -inf where a
    pivot is exactly 0."""
    lu, pivots, _ = lu_decompose(a)
    diag = diagonal(lu, axis1=-2, axis2=-1)
    is_zero = any(diag == 0, axis=-1)
    parity = (_permutation_parity(pivots) + sum(diag < 0, axis=-1)) % 2
    s = _where(is_zero, _const(a, 0), _where(parity == 1, _const(a, -1), _const(a, 1)))
    logdet = _where(is_zero, _const(a, -np.inf), sum(log(abs(diag)), axis=-1))
    return s, logdet


@slogdet_lu.defjvp
def _slogdet_jvp(primals, tangents):
    # JAX's rule: d log|det a| = trace(a^-1 a_dot); the sign is constant
    (a,), (a_dot,) = primals, tangents
    s, logdet = slogdet_lu(a)
    lu, _, perm = lu_decompose(a)
    x = lu_solve_factored(lu, perm, a_dot)
    return (s, logdet), (s * _const(a, 0), sum(diagonal(x, axis1=-2, axis2=-1), axis=-1))


def _cofactor_solve(a, b):
    """(det a, adj(a) b) as JAX's _cofactor_solve: the LU with its last
    pivot replaced, so the product is finite (and exact in rank n - 1)
    where a is singular; zero where a has lower rank."""
    n = _shape(a)[-1]
    if n == 1:
        return a[..., 0, 0], b
    lu, pivots, perm = lu_decompose(a)
    diag = diagonal(lu, axis1=-2, axis2=-1)
    sgn = _where(_permutation_parity(pivots) % 2 == 1, _const(a, -1), _const(a, 1))
    partial_det = cumprod(diag, axis=-1) * sgn[..., None]
    last = np.zeros((n, n), bool)
    last[-1, -1] = True
    lu = _where(last, (1 / partial_det[..., -2])[..., None, None], lu)
    probe = _solve_upper(lu, broadcast_to(_const(a, np.ones((n, 1))), _shape(lu)[:-1] + (1,)))
    low_rank = any(isnan(probe) | isinf(probe), axis=(-2, -1))[..., None, None]
    x = _where(low_rank, _const(a, 0), b)
    x = take_along_axis(x, broadcast_to(perm[..., :, None], _shape(x)), axis=-2)
    x = _solve_lower(lu, x, unit_diagonal=True)
    x = concatenate([x[..., :-1, :] * partial_det[..., -1, None, None], x[..., -1:, :]], axis=-2)
    x = _solve_upper(lu, x)
    return partial_det[..., -1], _where(low_rank, _const(a, 0), x)


@custom_jvp
def det_lu(a):
    lu, pivots, _ = lu_decompose(a)
    parity = _permutation_parity(pivots)
    d = prod(diagonal(lu, axis1=-2, axis2=-1), axis=-1)
    return _where(parity % 2 == 1, -d, d)


@det_lu.defjvp
def _det_jvp(primals, tangents):
    # JAX's rule: d det = trace(adj(a) a_dot), finite at singular a
    (a,), (a_dot,) = primals, tangents
    _, z = _cofactor_solve(a, a_dot)
    return det_lu(a), sum(diagonal(z, axis1=-2, axis2=-1), axis=-1)


# --- Householder QR ------------------------------------------------------


def _householder_qr(a, complete):
    """(q, r) by Householder reflections with LAPACK's signs (r's diagonal
    -sign(x0)*|x|; no reflection where the column below is already 0)."""
    m, n = _shape(a)[-2:]
    batch = _shape(a)[:-2]
    q = broadcast_to(_eye_like(a, m), batch + (m, m))
    r = a
    steps = min(m - 1, n) if m > 0 else 0
    rows = _iota(m, (m, 1))

    def reflect(k, carry):
        q, r = carry
        below = rows > k
        x = _dyn_col(r, k) * (rows >= k).astype(_dtype(a))
        x0 = _dyn_col(_dyn_row(r, k), k)
        tail2 = sum(_where(below, x * x, _const(a, 0)), axis=-2, keepdims=True)
        norm_x = sqrt(x0 * x0 + tail2)
        alpha = -_where(x0 >= 0, _const(a, 1), _const(a, -1)) * norm_x
        v = x - _where(rows == k, alpha, _const(a, 0))
        vv = sum(v * v, axis=-2, keepdims=True)
        skip = tail2 == 0
        scale = _where(skip, _const(a, 0), _const(a, 2) / _where(skip, _const(a, 1), vv))
        r = r - scale * matmul(v, matmul(_mT(v), r))
        q = q - scale * matmul(matmul(q, v), _mT(v))
        return q, r

    q, r = _loop(steps, reflect, (q, r))
    r = _mT(tril(_mT(r)))  # exact zeros below the diagonal
    if not complete and m > n:
        q, r = q[..., :, :n], r[..., :n, :]
    return q, r


@custom_jvp
def qr_reduced(a):
    return _householder_qr(a, complete=False)


@qr_reduced.defjvp
def _qr_jvp(primals, tangents):
    # JAX's qr_jvp_rule (m >= n; real)
    (a,), (a_dot,) = primals, tangents
    q, r = qr_reduced(a)
    dx_rinv = triangular_solve(r, a_dot)  # a_dot r^-1
    qt_dx_rinv = matmul(_mT(q), dx_rinv)
    lower = tril(qt_dx_rinv, -1)
    do = lower - _mT(lower)
    dq = matmul(q, do - qt_dx_rinv) + dx_rinv
    dr = matmul(qt_dx_rinv - do, r)
    return (q, r), (dq, dr)


def qr_decompose(a, complete=False):
    """(q, r) like jax.lax.linalg.qr(full_matrices=complete); the reduced
    tall or square case carries JAX's derivative rule."""
    m, n = _shape(a)[-2:]
    if not complete and m >= n:
        return qr_reduced(a)
    return _householder_qr(a, complete)


# --- Jacobi rotations (eigh, svd) ----------------------------------------


def _rotation(x, p, q, c, s):
    """The n x n rotation J (identity but J[p,p]=J[q,q]=c, J[p,q]=s,
    J[q,p]=-s), c and s of shape (..., 1, 1)."""
    n = _shape(x)[-1]
    e = np.zeros((4, n, n))
    e[0, p, p] = e[0, q, q] = 1
    e[1, p, q] = 1
    e[2, q, p] = 1
    eye = np.eye(n) - e[0]
    return _const(x, eye) + c * _const(x, e[0]) + s * _const(x, e[1] - e[2])


def _jacobi_angle(app, aqq, apq):
    """(c, s, t = s/c) zeroing apq of the symmetric 2x2 [[app, apq], [apq,
    aqq]] (Golub & Van Loan 8.5.2); c = 1, s = 0 where apq is 0."""
    zero = apq == 0
    theta = (aqq - app) / (2 * _where(zero, _const(apq, 1), apq))
    t = _where(theta >= 0, _const(apq, 1), _const(apq, -1)) / (abs(theta) + sqrt(1 + theta * theta))
    t = _where(zero | isnan(t), _const(apq, 0), t)  # theta^2 overflow: t -> 0
    c = 1 / sqrt(1 + t * t)
    return c, t * c, t


def _pairs(n):
    return [(p, q) for p in range(n - 1) for q in range(p + 1, n)]


def _sweeps(dtype, n):
    """Cyclic Jacobi converges quadratically once the off-diagonal is
    small; the sweeps it needs grow like log n (8 for a 4x4 in float32)."""
    return (10 if np.dtype(dtype).itemsize > 4 else 6) + max(int(np.ceil(np.log2(n))), 2)


def _jacobi_eigh_unsorted(a):
    n = _shape(a)[-1]
    batch = _shape(a)[:-2]
    v0 = broadcast_to(_eye_like(a), batch + (n, n))

    hermitian = _is_complex(a)

    def sweep(_, carry):
        a, v = carry
        for p, q in _pairs(n):
            app, aqq = a[..., p : p + 1, p : p + 1], a[..., q : q + 1, q : q + 1]
            apq = a[..., p : p + 1, q : q + 1]
            if hermitian:
                # Row q's phase first makes the (p, q) block real symmetric:
                # J = diag(.., conj(apq / |apq|) at q, ..) R.
                mag = abs(apq)
                phase = _where(mag == 0, _const(apq, 1), apq / _where(mag == 0, 1, mag))
                c, s, t = _jacobi_angle(real(app), real(aqq), mag)
                rows_q = _const(a, _rows(n, lambda i, q=q: i == q))
                j = _rotation(a, p, q, c, s) * (1 + (conjugate(phase) - 1) * rows_q)
                apq = mag
            else:
                c, s, t = _jacobi_angle(app, aqq, apq)
                j = _rotation(a, p, q, c, s)
            a = matmul(matmul(_mH(j), a), j)
            # the 2x2 block in Rutishauser's form: less rounding on the diagonal
            pp, qq, pq = (np.zeros((n, n), bool) for _ in range(3))
            pp[p, p] = qq[q, q] = pq[p, q] = pq[q, p] = True
            a = _where(pp, app - t * apq, _where(qq, aqq + t * apq, _where(pq, _const(a, 0), a)))
            v = matmul(v, j)
        return a, v

    if n > 1:
        a, v0 = fori_loop(0, _sweeps(_dtype(a), n), sweep, (a, v0))
    return real(diagonal(a, axis1=-2, axis2=-1)), v0


def _eigh_sorted(a):
    if lapack_host.host_lapack_applies(a):
        return lapack_host.eigh(a)  # JAX's syevd/heevd, bit for bit
    w, v = _jacobi_eigh_unsorted(a)
    order = argsort(w, axis=-1)
    w = take_along_axis(w, order, axis=-1)
    v = take_along_axis(v, broadcast_to(order[..., None, :], _shape(v)), axis=-1)
    return v, w


@custom_jvp
def eigh_symmetric(a):
    """(v, w): a = v diag(w) v^H, w ascending (real), for symmetric or
    Hermitian a."""
    return _eigh_sorted(a)


@eigh_symmetric.defjvp
def _eigh_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    v, w = eigh_symmetric(a)
    eye = _eye_like(a)
    f_mat = 1 / (eye + w[..., None, :] - w[..., :, None]) - eye
    vt_adot_v = matmul(matmul(_mH(v), a_dot), v)
    dv = matmul(v, f_mat * vt_adot_v)
    dw = real(diagonal(vt_adot_v, axis1=-2, axis2=-1))
    return (v, w), (dv, dw)


def _one_sided_jacobi(a):
    """(s unsorted, v) for tall or square a (m >= n): rotations of column
    pairs until the columns of a v are orthogonal; s = their norms."""
    n = _shape(a)[-1]
    batch = _shape(a)[:-2]
    v0 = broadcast_to(_eye_like(a), batch + (n, n))

    def sweep(_, carry):
        u, v = carry
        for p, q in _pairs(n):
            up, uq = u[..., :, p : p + 1], u[..., :, q : q + 1]
            alpha = sum(up * up, axis=-2, keepdims=True)
            beta = sum(uq * uq, axis=-2, keepdims=True)
            gamma = sum(up * uq, axis=-2, keepdims=True)
            c, s, _ = _jacobi_angle(alpha, beta, gamma)
            j = _rotation(u, p, q, c, s)
            u, v = matmul(u, j), matmul(v, j)
        return u, v

    u = a
    if n > 1:
        u, v0 = fori_loop(0, _sweeps(_dtype(a), n), sweep, (a, v0))
    return sqrt(sum(u * u, axis=-2)), v0


def _svd_tall(a, full_matrices):
    """(u, s, vt) for m >= n: v and s by one-sided Jacobi, sorted
    descending; u from the QR of a v (orthonormal even where s is 0, and
    completed to m columns when full_matrices), its signs making r's
    diagonal nonnegative."""
    m, n = _shape(a)[-2:]
    s, v = _one_sided_jacobi(a)
    order = argsort(-s, axis=-1)
    s = take_along_axis(s, order, axis=-1)
    v = take_along_axis(v, broadcast_to(order[..., None, :], _shape(v)), axis=-1)
    q, r = _householder_qr(matmul(a, v), complete=full_matrices)
    signs = _where(diagonal(r, axis1=-2, axis2=-1) < 0, _const(a, -1), _const(a, 1))
    if full_matrices and m > n:
        signs = concatenate(
            [signs, broadcast_to(_const(a, np.ones(m - n)), _shape(signs)[:-1] + (m - n,))], -1
        )
    u = q * signs[..., None, :]
    return u, s, _mT(v)


def _svd_any(a, full_matrices):
    if lapack_host.host_lapack_applies(a):
        return tuple(lapack_host.svd(a, full_matrices, True))  # JAX's gesdd
    m, n = _shape(a)[-2:]
    if m >= n:
        return _svd_tall(a, full_matrices)
    u, s, vt = _svd_tall(_mT(a), full_matrices)
    return _mT(vt), s, _mT(u)


@custom_jvp
def svd_reduced(a):
    """(u, s, vt) with full_matrices=False."""
    return _svd_any(a, False)


@svd_reduced.defjvp
def _svd_jvp(primals, tangents):
    # JAX's svd_jvp_rule (real inputs, full_matrices=False)
    (a,), (a_dot,) = primals, tangents
    u, s, vt = svd_reduced(a)
    ut, v = _mT(u), _mT(vt)
    s_dim = s[..., None, :]
    ds_mat = matmul(matmul(ut, a_dot), v)
    ds = diagonal(ds_mat, axis1=-2, axis2=-1)
    k = _shape(s)[-1]
    eye = _eye_like(a, k)
    s_diffs = (s_dim + _mT(s_dim)) * (s_dim - _mT(s_dim))
    f_mat = 1 / (s_diffs + eye) - eye
    dss = s_dim * ds_mat
    sds = _mT(s_dim) * ds_mat
    s_zeros = (s == 0).astype(_dtype(s))
    s_inv = 1 / (s + s_zeros) - s_zeros
    s_inv_mat = s_inv[..., None, :] * eye
    dudv_diag = 0.5 * (ds_mat - _mT(ds_mat)) * s_inv_mat
    du = matmul(u, f_mat * (dss + _mT(dss)) + dudv_diag)
    dv = matmul(v, f_mat * (sds + _mT(sds)))
    m, n = _shape(a)[-2:]
    if m > n:
        dav = matmul(a_dot, v)
        du = du + (dav - matmul(u, matmul(ut, dav))) / s_dim
    if n > m:
        dahu = matmul(_mT(a_dot), u)
        dv = dv + (dahu - matmul(v, matmul(vt, dahu))) / s_dim
    return (u, s, vt), (du, ds, _mT(dv))


@custom_jvp
def svd_values(a):
    """s alone: LAPACK's values without vectors (jobz='N', as JAX's)."""
    if lapack_host.host_lapack_applies(a):
        return lapack_host.svd(a, False, False)[1]
    return svd_reduced(a)[1]


@svd_values.defjvp
def _svd_values_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    u, _, vt = svd_reduced(a)
    ds = diagonal(matmul(matmul(_mT(u), a_dot), _mT(vt)), axis1=-2, axis2=-1)
    return svd_values(a), ds


def svd_decompose(a, full_matrices=True, compute_uv=True):
    """Like jax.lax.linalg.svd on (..., m, n): (u, s, vt) or s."""
    m, n = _shape(a)[-2:]
    if not compute_uv:
        return svd_values(a)
    if not full_matrices or m == n:
        return tuple(svd_reduced(a))
    return _svd_any(a, True)


def symmetrize(a):
    return (a + _mH(a)) / _const(a, 2)
