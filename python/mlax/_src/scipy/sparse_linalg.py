"""jax.scipy.sparse.linalg: the Krylov solvers cg, gmres ('batched' and
'incremental') and bicgstab, as JAX writes them
(jax/_src/scipy/sparse/linalg.py): A and M as matrices, matmul-able
objects or functions, vectors as pytrees, returning (x, info).

Derivatives are implicit, as JAX's custom_linear_solve: the cotangent of
b is the transposed solve of the cotangent, and the operator's parameters
get -ct_b x^T through its VJP. The solvers loop with while_loop, which
reverse mode cannot differentiate, so the rule is a custom_vjp on the
solve (reverse mode; forward mode is not supported)."""

import functools
import operator

import numpy as np

from .. import lax
from ..core import Tracer, aval_of, current_trace, dtypes, tree_util, user_error
from ..numpy import complex_numbers as cplx
from ..numpy import ufuncs as uf
from ..numpy.contractions import dot, einsum, vdot
from ..numpy.creation import eye, zeros, zeros_like
from ..numpy.padding import pad
from ..numpy.predicates import iscomplexobj
from ..numpy.ufunc_objects import logical_and, maximum, minimum
from ..numpy.util import asarray
from ..runtime.array import Array
from ..transforms.autodiff import vjp
from ..transforms.callee import _Bound, _call_marked, _trace_callee
from ..transforms.control_flow import while_loop
from ..transforms.custom_derivatives import custom_vjp
from . import linalg as sp_linalg

tree_leaves = tree_util.tree_leaves
tree_map = tree_util.tree_map
tree_structure = tree_util.tree_structure


def _dtype(x):
    return aval_of(x).dtype


# ------------------------------------------------------------- pytree vectors


def _vdot_real_part(x, y):
    """The real part of vdot(x, y), dropping the real-imaginary cross
    terms (all uses are z^H M z with M Hermitian positive definite)."""
    result = vdot(cplx.real(x), cplx.real(y))
    if iscomplexobj(x) or iscomplexobj(y):
        result = result + vdot(cplx.imag(x), cplx.imag(y))
    return result


def _vdot_real_tree(x, y):
    return sum(tree_leaves(tree_map(_vdot_real_part, x, y)))


def _vdot_tree(x, y):
    return sum(tree_leaves(tree_map(vdot, x, y)))


def _norm(x):
    xs = tree_leaves(x)
    return uf.sqrt(sum(map(_vdot_real_part, xs, xs)))


def _mul(scalar, tree):
    return tree_map(lambda v: scalar * v, tree)


def _add(a, b):
    return tree_map(operator.add, a, b)


def _sub(a, b):
    return tree_map(operator.sub, a, b)


def _identity(x):
    return x


def _shapes(pytree):
    return [np.shape(x) for x in tree_leaves(pytree)]


def _lattice_dtype(tree):
    """(dtype, weak) that JAX's lattice_result_type gives the leaves."""
    return dtypes.result_type(*tree_leaves(tree), return_weak_type_flag=True)


def _normalize_matvec(f):
    """A matrix-vector product from a function, an array or a matmul-able
    object."""
    if callable(f):
        return f
    if isinstance(f, (np.ndarray, Array, Tracer)):
        shape = np.shape(f)
        if len(shape) != 2 or shape[0] != shape[1]:
            raise user_error(
                ValueError, f"linear operator must be a square matrix, but has shape: {shape}"
            )
        return functools.partial(dot, asarray(f))
    if hasattr(f, "__matmul__"):
        if hasattr(f, "shape") and len(f.shape) != 2 or f.shape[0] != f.shape[1]:
            raise user_error(
                ValueError, f"linear operator must be a square matrix, but has shape: {f.shape}"
            )
        return functools.partial(operator.matmul, f)
    raise user_error(TypeError, f"linear operator must be either a function or ndarray: {f}")


# --------------------------------------------------- the implicit derivative


def _hoist(fun, *example_args):
    """(converted, consts) as closure_convert, hoisting every array `fun`
    closes over (concrete ones too: a custom_vjp rule may close over
    none)."""
    leaves, in_tree = tree_util.tree_flatten((example_args, {}))
    _, probe, _, _ = _trace_callee(fun, leaves, in_tree, "closure_convert")
    closed = list(probe.captured)
    if not closed:
        return fun, []
    n = len(closed)

    def converted(*args):
        args, consts = args[:-n], args[-n:]
        arg_leaves, arg_tree = tree_util.tree_flatten((tuple(args), {}))
        parent, child, out_avals, out_tree = _trace_callee(
            fun, arg_leaves + [_Bound(c) for c in closed], arg_tree, "closure_converted"
        )
        return _call_marked(parent, child, arg_leaves + list(consts), out_avals, out_tree)

    return converted, closed


def _linear_solve(matvec, b, solve, transpose_solve, symmetric):
    """solve(matvec, b), differentiable as jax.lax.custom_linear_solve in
    reverse mode: with x = A^-1 b, ct_b = A^-T ct (transpose_solve on the
    transposed operator, or solve when symmetric) and the operator's
    parameters p get -(d(A x)/dp)^T ct_b."""
    if current_trace() is None:
        return solve(matvec, b)
    mv, a_consts = _hoist(matvec, b)
    n_a = len(a_consts)

    def op(consts):
        return lambda v: mv(v, *consts) if n_a else mv(v)

    def transposed(consts, example):
        if symmetric:
            return op(consts)

        def vecmat(v):
            return vjp(op(consts), example)[1](v)[0]

        return vecmat

    def primal(rhs, *consts):
        return solve(op(consts[:n_a]), rhs)

    def tprimal(ct, x, *consts):
        return (solve if symmetric else transpose_solve)(transposed(consts[:n_a], x), ct)

    p_fun, p_consts = _hoist(primal, b, *a_consts)
    t_fun, t_consts = _hoist(tprimal, b, b, *a_consts)

    @custom_vjp
    def f(rhs, a_cs, p_cs, t_cs):
        return p_fun(rhs, *a_cs, *p_cs) if p_cs else p_fun(rhs, *a_cs)

    def f_fwd(rhs, a_cs, p_cs, t_cs):
        x = f(rhs, a_cs, p_cs, t_cs)
        return x, (x, a_cs, p_cs, t_cs)

    def f_bwd(res, ct):
        x, a_cs, p_cs, t_cs = res
        ct_b = t_fun(ct, x, *a_cs, *t_cs) if t_cs else t_fun(ct, x, *a_cs)
        if n_a:
            _, pull = vjp(lambda *cs: mv(x, *cs), *a_cs)
            ct_a = tuple(pull(tree_map(operator.neg, ct_b)))
        else:
            ct_a = ()
        return (
            ct_b,
            ct_a,
            tuple(zeros_like(c) for c in p_cs),
            tuple(zeros_like(c) for c in t_cs),
        )

    f.defvjp(f_fwd, f_bwd)
    return f(b, tuple(a_consts), tuple(p_consts), tuple(t_consts))


# ------------------------------------------------------------------ CG and BiCGSTAB


def _cg_solve(A, b, x0=None, *, maxiter, tol=1e-5, atol=0.0, M=_identity):
    # tolerance as scipy.sparse.linalg.cg's "non-legacy" behaviour
    bs = _vdot_real_tree(b, b)
    atol2 = maximum(uf.square(tol) * bs, uf.square(atol))

    # https://en.wikipedia.org/wiki/Conjugate_gradient_method#The_preconditioned_conjugate_gradient_method
    def cond_fun(value):
        _, r, gamma, _, k = value
        rs = cplx.real(gamma) if M is _identity else _vdot_real_tree(r, r)
        return (rs > atol2) & (k < maxiter)

    def body_fun(value):
        x, r, gamma, p, k = value
        Ap = A(p)
        alpha = gamma / _vdot_real_tree(p, Ap).astype(dtype)
        x_ = _add(x, _mul(alpha, p))
        r_ = _sub(r, _mul(alpha, Ap))
        z_ = M(r_)
        gamma_ = _vdot_real_tree(r_, z_).astype(dtype)
        beta_ = gamma_ / gamma
        p_ = _add(z_, _mul(beta_, p))
        return x_, r_, gamma_, p_, k + 1

    r0 = _sub(b, A(x0))
    p0 = z0 = M(r0)
    dtype = dtypes.result_type(*tree_leaves(p0))
    gamma0 = _vdot_real_tree(r0, z0).astype(dtype)
    x_final, *_ = while_loop(cond_fun, body_fun, (x0, r0, gamma0, p0, 0))
    return x_final


def _bicgstab_solve(A, b, x0=None, *, maxiter, tol=1e-5, atol=0.0, M=_identity):
    bs = _vdot_real_tree(b, b)
    atol2 = maximum(uf.square(tol) * bs, uf.square(atol))

    # https://en.wikipedia.org/wiki/Biconjugate_gradient_stabilized_method#Preconditioned_BiCGSTAB
    def cond_fun(value):
        _, r, *_, k = value
        rs = _vdot_real_tree(r, r)
        # k < 0 flags a breakdown
        return (rs > atol2) & (k < maxiter) & (k >= 0)

    def body_fun(value):
        x, r, rhat, alpha, omega, rho, p, q, k = value
        rho_ = _vdot_tree(rhat, r)
        beta = rho_ / rho * alpha / omega
        p_ = _add(r, _mul(beta, _sub(p, _mul(omega, q))))
        phat = M(p_)
        q_ = A(phat)
        alpha_ = rho_ / _vdot_tree(rhat, q_)
        s = _sub(r, _mul(alpha_, q_))
        exit_early = _vdot_real_tree(s, s) < atol2
        shat = M(s)
        t = A(shat)
        omega_ = _vdot_tree(t, s) / _vdot_tree(t, t)
        x_ = tree_map(
            lambda a, b: uf.where(exit_early, a, b),
            _add(x, _mul(alpha_, phat)),
            _add(x, _add(_mul(alpha_, phat), _mul(omega_, shat))),
        )
        r_ = tree_map(lambda a, b: uf.where(exit_early, a, b), s, _sub(s, _mul(omega_, t)))
        k_ = uf.where((omega_ == 0) | (alpha_ == 0), -11, k + 1)
        k_ = uf.where(rho_ == 0, -10, k_)
        return x_, r_, rhat, alpha_, omega_, rho_, p_, q_, k_

    r0 = _sub(b, A(x0))
    dt, weak = _lattice_dtype(b)
    one = lax.convert_element_type(asarray(1), dt, weak)
    x_final, *_ = while_loop(cond_fun, body_fun, (x0, r0, r0, one, one, one, r0, r0, 0))
    return x_final


def _as_arrays(tree):
    return tree_map(asarray, tree)


def _isolve(solve_fn, A, b, x0=None, *, tol=1e-5, atol=0.0, maxiter=None, M=None, symmetric_ok):
    if x0 is None:
        x0 = tree_map(zeros_like, b)
    b, x0 = _as_arrays(b), _as_arrays(x0)
    if maxiter is None:
        maxiter = 10 * sum(int(np.size(bi)) for bi in tree_leaves(b))  # as SciPy
    M = _identity if M is None else _normalize_matvec(M)
    A = _normalize_matvec(A)
    if tree_structure(x0) != tree_structure(b):
        raise user_error(
            ValueError,
            "x0 and b must have matching tree structure: "
            f"{tree_structure(x0)} vs {tree_structure(b)}",
        )
    if _shapes(x0) != _shapes(b):
        raise user_error(
            ValueError,
            f"arrays in x0 and b must have matching shapes: {_shapes(x0)} vs {_shapes(b)}",
        )
    solve = functools.partial(solve_fn, x0=x0, tol=tol, atol=atol, maxiter=maxiter, M=M)
    # real-valued positive-definite operators are symmetric
    symmetric = symmetric_ok and not any(
        np.issubdtype(_dtype(x), np.complexfloating) for x in tree_leaves(b)
    )
    return _linear_solve(A, b, solve, solve, symmetric), None


def cg(A, b, x0=None, *, tol=1e-5, atol=0.0, maxiter=None, M=None):
    """Conjugate Gradient iteration for A x = b, A Hermitian positive
    definite (jax.scipy.sparse.linalg.cg): (x, None), x shaped as b.
    Stops when norm(residual) <= max(tol * norm(b), atol) or after maxiter
    steps (default 10 * size); M: a preconditioner approximating A^-1."""
    return _isolve(_cg_solve, A, b, x0, tol=tol, atol=atol, maxiter=maxiter, M=M, symmetric_ok=True)


def bicgstab(A, b, x0=None, *, tol=1e-5, atol=0.0, maxiter=None, M=None):
    """Bi-Conjugate Gradient Stable iteration for A x = b, A any square
    operator (jax.scipy.sparse.linalg.bicgstab): (x, None)."""
    return _isolve(
        _bicgstab_solve, A, b, x0, tol=tol, atol=atol, maxiter=maxiter, M=M, symmetric_ok=False
    )


# ----------------------------------------------------------------------- GMRES


def _safe_normalize(x, thresh=None):
    """(x / norm(x), norm(x)), both zero where the norm is at most thresh
    (default: the dtype's eps)."""
    norm = _norm(x)
    dt, weak = _lattice_dtype(x)
    if thresh is None:
        thresh = asarray(dtypes.finfo(_dtype(norm)).eps, _dtype(norm))
    thresh = cplx.real(asarray(thresh).astype(dt))
    use_norm = norm > thresh
    norm_cast = lax.convert_element_type(norm, dt, weak)
    normalized = tree_map(lambda y: uf.where(use_norm, y / norm_cast, 0.0), x)
    return normalized, uf.where(use_norm, norm, 0.0)


def _project_on_columns(A, v):
    """A^H v, A's leaves with the Krylov vectors in their last axis."""
    v_proj = tree_map(lambda X, y: einsum("...n,...->n", cplx.conj(X), y), A, v)
    return tree_util.tree_reduce(operator.add, v_proj)


def _iterative_classical_gram_schmidt(Q, x, xnorm, max_iterations=2):
    """x orthogonalized against Q's columns, the projection repeated while
    ||r|| < ||x|| / sqrt(2), at most max_iterations times; (q, overlaps r).

    JAX's loops, unrolled: the k-th pass (k >= 1) runs when k <
    max_iterations - 1 and the test holds, so with JAX's
    max_iterations=2 exactly one pass runs."""
    Q0 = tree_leaves(Q)[0]
    r = zeros(aval_of(Q0).shape[-1], dtype=_dtype(Q0))
    q = x
    qnorm_scaled = xnorm / uf.sqrt(2.0)

    def one_pass(k, q, r, qnorm_scaled):
        h = _project_on_columns(Q, q)
        q = _sub(q, tree_map(lambda X: dot(X, h), Q))
        r = _add(r, h)
        if k < max_iterations - 1:
            _, qnorm = _safe_normalize(q)
            qnorm_scaled = qnorm / uf.sqrt(2.0)
        return q, r, qnorm_scaled

    q, r, qnorm_scaled = one_pass(0, q, r, qnorm_scaled)
    running = asarray(True)
    for k in range(1, max_iterations - 1):
        _, rnorm = _safe_normalize(r)
        running = running & (rnorm < qnorm_scaled)
        q2, r2, s2 = one_pass(k, q, r, qnorm_scaled)
        q = tree_map(functools.partial(uf.where, running), q2, q)
        r = uf.where(running, r2, r)
        qnorm_scaled = uf.where(running, s2, qnorm_scaled)
    return q, r


def _kth_arnoldi_iteration(k, A, M, V, H):
    """The k-th Arnoldi step: V[:, k+1] the orthonormalized A(M(V[:, k])),
    its overlaps in H[k, :]; breakdown when the new vector vanishes."""
    dt, _ = _lattice_dtype(V)
    eps = dtypes.finfo(dt).eps
    v = tree_map(lambda x: x[..., k], V)
    v = M(A(v))
    _, v_norm_0 = _safe_normalize(v)
    v, h = _iterative_classical_gram_schmidt(V, v, v_norm_0, max_iterations=2)
    tol = eps * v_norm_0
    unit_v, v_norm_1 = _safe_normalize(v, thresh=tol)
    V = tree_map(lambda X, y: X.at[..., k + 1].set(y), V, unit_v)
    h = h.at[k + 1].set(v_norm_1.astype(dt))
    H = H.at[k, :].set(h)
    return V, H, v_norm_1 == 0.0


def _rotate_vectors(H, i, cs, sn):
    x1 = H[i]
    y1 = H[i + 1]
    x2 = cplx.conj(cs) * x1 - cplx.conj(sn) * y1
    y2 = sn * x1 + cs * y1
    return H.at[i].set(x2).at[i + 1].set(y2)


def _givens_rotation(a, b):
    b_zero = uf.abs(b) == 0
    a_lt_b = uf.abs(a) < uf.abs(b)
    t = -uf.where(a_lt_b, a, b) / uf.where(a_lt_b, b, a)
    r = lax.rsqrt(1 + uf.abs(t) ** 2).astype(_dtype(t))
    cs = uf.where(b_zero, 1, uf.where(a_lt_b, r * t, r))
    sn = uf.where(b_zero, 0, uf.where(a_lt_b, r, r * t))
    return cs, sn


def _apply_givens_rotations(H_row, givens, k):
    """H_row rotated by the stored rotations givens[:k], then by a new one
    that zeroes its (k+1)-th element (JAX's fori_loop to k, unrolled over
    all rows and masked)."""
    R_row = H_row
    for i in range(aval_of(givens).shape[0]):
        rotated = _rotate_vectors(R_row, i, givens[i, 0], givens[i, 1])
        R_row = uf.where(i < k, rotated, R_row)
    cs, sn = _givens_rotation(R_row[k], R_row[k + 1])
    givens = givens.at[k, 0].set(cs).at[k, 1].set(sn)
    return _rotate_vectors(R_row, k, cs, sn), givens


def _krylov_basis(unit_residual, restart):
    return tree_map(
        lambda x: pad(x[..., None], ((0, 0),) * x.ndim + ((0, restart),)), unit_residual
    )


def _gmres_incremental(A, b, x0, unit_residual, residual_norm, ptol, restart, M):
    """One restart of GMRES, the Krylov basis' QR built by Givens rotations
    during the Arnoldi process (which allows stopping early)."""
    V = _krylov_basis(unit_residual, restart)
    dt = dtypes.result_type(*tree_leaves(b))
    # eye, not zeros: no singular matrix on early termination
    R = eye(restart, restart + 1, dtype=dt)
    givens = zeros((restart, 2), dtype=dt)
    beta_vec = zeros((restart + 1,), dtype=dt).at[0].set(residual_norm.astype(dt))

    def loop_cond(carry):
        k, err, _, _, _, _ = carry
        return logical_and(k < restart, err > ptol)

    def arnoldi_qr_step(carry):
        k, _, V, R, beta_vec, givens = carry
        V, H, _ = _kth_arnoldi_iteration(k, A, M, V, R)
        R_row, givens = _apply_givens_rotations(H[k, :], givens, k)
        R = R.at[k, :].set(R_row)
        beta_vec = _rotate_vectors(beta_vec, k, givens[k, 0], givens[k, 1])
        err = uf.abs(beta_vec[k + 1])
        return k + 1, err, V, R, beta_vec, givens

    carry = (0, residual_norm, V, R, beta_vec, givens)
    _, residual_norm, V, R, beta_vec, _ = while_loop(loop_cond, arnoldi_qr_step, carry)
    y = sp_linalg.solve_triangular(R[:, :-1].T, beta_vec[:-1])
    dx = tree_map(lambda X: dot(X[..., :-1], y), V)
    x = _add(x0, dx)
    residual = M(_sub(b, A(x)))
    unit_residual, residual_norm = _safe_normalize(residual)
    return x, unit_residual, residual_norm


def _lstsq(a, b):
    a2 = dot(cplx.conj(a.T), a)
    b2 = dot(cplx.conj(a.T), b)
    return sp_linalg.solve(a2, b2, assume_a="pos")


def _gmres_batched(A, b, x0, unit_residual, residual_norm, ptol, restart, M):
    """One restart of GMRES, the small least-squares problem solved at the
    end (no early stop within a restart)."""
    del ptol
    V = _krylov_basis(unit_residual, restart)
    dt, weak = _lattice_dtype(b)
    H = lax.convert_element_type(eye(restart, restart + 1, dtype=dt), dt, weak)

    def loop_cond(carry):
        _, _, breakdown, k = carry
        return logical_and(k < restart, uf.logical_not(breakdown))

    def arnoldi_process(carry):
        V, H, _, k = carry
        V, H, breakdown = _kth_arnoldi_iteration(k, A, M, V, H)
        return V, H, breakdown, k + 1

    V, H, _, _ = while_loop(loop_cond, arnoldi_process, (V, H, asarray(False), 0))
    beta_vec = zeros((restart + 1,), dtype=_dtype(H)).at[0].set(residual_norm.astype(dt))
    y = _lstsq(H.T, beta_vec)
    dx = tree_map(lambda X: dot(X[..., :-1], y), V)
    x = _add(x0, dx)
    residual = M(_sub(b, A(x)))
    unit_residual, residual_norm = _safe_normalize(residual)
    return x, unit_residual, residual_norm


def _gmres_solve(A, b, x0, atol, ptol, restart, maxiter, M, gmres_func):
    """Restarted GMRES: each restart projects onto the restart-dimensional
    Krylov space around the previous solution."""
    residual = M(_sub(b, A(x0)))
    unit_residual, residual_norm = _safe_normalize(residual)

    def cond_fun(value):
        _, k, _, residual_norm = value
        return logical_and(k < maxiter, residual_norm > atol)

    def body_fun(value):
        x, k, unit_residual, residual_norm = value
        x, unit_residual, residual_norm = gmres_func(
            A, b, x, unit_residual, residual_norm, ptol, restart, M
        )
        return x, k + 1, unit_residual, residual_norm

    x_final, *_ = while_loop(cond_fun, body_fun, (x0, 0, unit_residual, residual_norm))
    return x_final


def gmres(
    A, b, x0=None, *, tol=1e-5, atol=0.0, restart=20, maxiter=None, M=None, solve_method="batched"
):
    """GMRES for A x = b, A any square operator
    (jax.scipy.sparse.linalg.gmres): (x, info), info -1 where x has NaNs,
    else 0. restart: the Krylov space's dimension between restarts;
    maxiter: the number of restarts (default 10 * size); solve_method
    'batched' (least squares at the end of each restart) or 'incremental'
    (Givens rotations, stopping early within a restart)."""
    if x0 is None:
        x0 = tree_map(zeros_like, b)
    M = _identity if M is None else _normalize_matvec(M)
    A = _normalize_matvec(A)
    b, x0 = _as_arrays(b), _as_arrays(x0)
    size = sum(int(np.size(bi)) for bi in tree_leaves(b))
    if maxiter is None:
        maxiter = 10 * size  # as SciPy
    restart = min(restart, size)
    if tree_structure(x0) != tree_structure(b):
        raise user_error(
            ValueError,
            "x0 and b must have matching tree structure: "
            f"{tree_structure(x0)} vs {tree_structure(b)}",
        )
    b_norm = _norm(b)
    atol = maximum(tol * b_norm, atol)
    Mb_norm = _norm(M(b))
    ptol = Mb_norm * minimum(1.0, atol / b_norm)
    if solve_method == "incremental":
        gmres_func = _gmres_incremental
    elif solve_method == "batched":
        gmres_func = _gmres_batched
    else:
        raise user_error(
            ValueError,
            f"invalid solve_method {solve_method}, must be either 'incremental' or 'batched'",
        )

    def _solve(A, b):
        return _gmres_solve(A, b, x0, atol, ptol, restart, maxiter, M, gmres_func)

    x = _linear_solve(A, b, _solve, _solve, False)
    info = uf.where(uf.isnan(_norm(x)), -1, 0)
    return x, info
