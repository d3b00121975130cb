"""jax.scipy.optimize: minimize with "BFGS" (and JAX's experimental
L-BFGS), following JAX's algorithms step by step (jax/_src/scipy/optimize/:
BFGS of Nocedal & Wright's Algorithm 6.1 with the strong-Wolfe line search
of Algorithm 3.5 and its zoom, Algorithm 3.6), so the iterates equal JAX's
up to float rounding. JAX nests three while loops (zoom in the line search
in BFGS); here one flat while loop takes one function evaluation per
iteration and visits the same points in the same order (IREE miscompiles
some nested loops). Everything is traced, so minimize works under jit."""

from typing import NamedTuple

import numpy as np

from ..core import aval_of, dtypes, user_error
from ..numpy import complex_numbers as cplx
from ..numpy import linalg as jnp_linalg
from ..numpy import ufuncs as uf
from ..numpy.contractions import dot, einsum
from ..numpy.creation import eye, zeros
from ..numpy.selection import roll
from ..numpy.shape import stack
from ..numpy.ufunc_objects import maximum, minimum
from ..numpy.util import _promote_inexact, asarray
from ..transforms.autodiff import value_and_grad
from ..transforms.control_flow import while_loop


def _dtype(x):
    return aval_of(x).dtype


def _where(c, a, b):
    return uf.where(c, a, b)


# ---------------------------------------------------------------- line search


def _cubicmin(a, fa, fpa, b, fb, c, fc):
    """The minimizer of the cubic through (a, fa), (b, fb), (c, fc) with
    slope fpa at a."""
    dt = dtypes.result_type(a, fa, fpa, b, fb, c, fc)
    C = fpa
    db = b - a
    dc = c - a
    denom = (db * dc) ** 2 * (db - dc)
    d1 = stack(
        [
            stack([asarray(dc**2, dt), asarray(-(db**2), dt)]),
            stack([asarray(-(dc**3), dt), asarray(db**3, dt)]),
        ]
    )
    d2 = stack([asarray(fb - fa - C * db, dt), asarray(fc - fa - C * dc, dt)])
    AB = dot(d1, d2) / denom
    A, B = AB[0], AB[1]
    radical = B * B - 3.0 * A * C
    return a + (-B + uf.sqrt(radical)) / (3.0 * A)


def _quadmin(a, fa, fpa, b, fb):
    """The minimizer of the parabola through (a, fa), (b, fb) with slope
    fpa at a."""
    db = b - a
    B = (fb - fa - fpa * db) / (db**2)
    return a - fpa / (2.0 * B)


def _replace_where(bit, state, new):
    """state with the fields in `new` taken from `new` where `bit`."""
    return state._replace(**{k: _where(bit, v, getattr(state, k)) for k, v in new.items()})


class _LineSearchState(NamedTuple):
    # the problem: phi(t) = f(xk + t pk), phi(0), phi'(0), first trial step
    xk: object
    pk: object
    phi_0: object
    dphi_0: object
    gfk: object
    start_value: object
    # the search for a bracket (Algorithm 3.5)
    done: object
    failed: object
    i: object
    a_i1: object
    phi_i1: object
    dphi_i1: object
    nfev: object
    ngev: object
    a_star: object
    phi_star: object
    dphi_star: object
    g_star: object
    # zooming into the bracket (Algorithm 3.6)
    zooming: object
    j: object
    z_done: object
    z_failed: object
    a_lo: object
    phi_lo: object
    dphi_lo: object
    a_hi: object
    phi_hi: object
    dphi_hi: object
    a_rec: object
    phi_rec: object
    z_a_star: object
    z_phi_star: object
    z_dphi_star: object
    z_g_star: object


class _LineSearchResults(NamedTuple):
    failed: object
    nit: object
    nfev: object
    ngev: object
    k: object
    a_k: object
    f_k: object
    g_k: object
    status: object


def _phi_dphi_g(f, xk, pk, t):
    t = asarray(t).astype(_dtype(pk))
    phi, g = value_and_grad(f)(xk + t * pk)
    return phi, cplx.real(dot(g, pk)), g


def _start_value(phi_0, old_old_fval, dphi_0):
    """The first trial step, from the previous decrease (as SciPy)."""
    candidate = 1.01 * 2 * (phi_0 - old_old_fval) / dphi_0
    return _where(candidate > 1, 1.0, candidate)


def _ls_init(xk, pk, phi_0, dphi_0, gfk, start_value, nfev):
    return _LineSearchState(
        xk=xk,
        pk=pk,
        phi_0=phi_0,
        dphi_0=dphi_0,
        gfk=gfk,
        start_value=start_value,
        done=asarray(False),
        failed=asarray(False),
        # Nocedal & Wright start at 1 (SciPy at 0, scipy/scipy#12157).
        i=1,
        a_i1=0.0,
        phi_i1=phi_0,
        dphi_i1=dphi_0,
        nfev=nfev,
        ngev=nfev,
        a_star=0.0,
        phi_star=phi_0,
        dphi_star=dphi_0,
        g_star=gfk,
        zooming=asarray(False),
        j=0,
        z_done=asarray(False),
        z_failed=asarray(False),
        a_lo=0.0,
        phi_lo=phi_0,
        dphi_lo=dphi_0,
        a_hi=0.0,
        phi_hi=phi_0,
        dphi_hi=dphi_0,
        a_rec=0.0,
        phi_rec=phi_0,
        z_a_star=1.0,
        z_phi_star=phi_0,
        z_dphi_star=dphi_0,
        z_g_star=gfk,
    )


def _wolfe(s, c1, c2):
    def wolfe_one(a_i, phi_i):  # the negation of the sufficient decrease
        return phi_i > s.phi_0 + c1 * a_i * s.dphi_0

    def wolfe_two(dphi_i):  # the curvature condition
        return uf.abs(dphi_i) <= -c2 * s.dphi_0

    return wolfe_one, wolfe_two


def _zoom_trial(s):
    """Zoom's next trial step: cubic, else quadratic, else bisection; and
    whether the bracket has become too small (which fails the search)."""
    dalpha = s.a_hi - s.a_lo
    lo = minimum(s.a_hi, s.a_lo)
    hi = maximum(s.a_hi, s.a_lo)
    cchk = 0.2 * dalpha
    qchk = 0.1 * dalpha
    threshold = 1e-5 if dtypes.finfo(_dtype(dalpha)).bits < 64 else 1e-10
    a_cubic = _cubicmin(s.a_lo, s.phi_lo, s.dphi_lo, s.a_hi, s.phi_hi, s.a_rec, s.phi_rec)
    use_cubic = (s.j > 0) & (a_cubic > lo + cchk) & (a_cubic < hi - cchk)
    a_quad = _quadmin(s.a_lo, s.phi_lo, s.dphi_lo, s.a_hi, s.phi_hi)
    use_quad = (~use_cubic) & (a_quad > lo + qchk) & (a_quad < hi - qchk)
    use_bisect = (~use_cubic) & (~use_quad)
    a_j = _where(use_cubic, a_cubic, s.a_rec)
    a_j = _where(use_quad, a_quad, a_j)
    a_j = _where(use_bisect, (s.a_lo + s.a_hi) / 2.0, a_j)
    return a_j, dalpha <= threshold


def _zoom_step(s, a_j, too_small, phi_j, dphi_j, g_j, wolfe_one, wolfe_two):
    """One step of zoom (Algorithm 3.6) after evaluating the trial step
    a_j: the bracket [a_lo, a_hi] shrinks, or a_j meets the strong Wolfe
    conditions. The line search ends with its zoom, found or failed."""
    s = s._replace(z_failed=s.z_failed | too_small)
    phi_j = phi_j.astype(_dtype(s.phi_lo))
    dphi_j = dphi_j.astype(_dtype(s.dphi_lo))
    g_j = g_j.astype(_dtype(s.z_g_star))
    hi_to_j = wolfe_one(a_j, phi_j) | (phi_j >= s.phi_lo)
    star_to_j = wolfe_two(dphi_j) & (~hi_to_j)
    hi_to_lo = (dphi_j * (s.a_hi - s.a_lo) >= 0.0) & (~hi_to_j) & (~star_to_j)
    lo_to_j = (~hi_to_j) & (~star_to_j)
    s = _replace_where(
        hi_to_j,
        s,
        {"a_hi": a_j, "phi_hi": phi_j, "dphi_hi": dphi_j, "a_rec": s.a_hi, "phi_rec": s.phi_hi},
    )
    s = _replace_where(
        star_to_j,
        s._replace(z_done=star_to_j | s.z_done),
        {"z_a_star": a_j, "z_phi_star": phi_j, "z_dphi_star": dphi_j, "z_g_star": g_j},
    )
    s = _replace_where(
        hi_to_lo,
        s,
        {
            "a_hi": s.a_lo,
            "phi_hi": s.phi_lo,
            "dphi_hi": s.dphi_lo,
            "a_rec": s.a_hi,
            "phi_rec": s.phi_hi,
        },
    )
    s = _replace_where(lo_to_j & ~hi_to_lo, s, {"a_rec": s.a_lo, "phi_rec": s.phi_lo})
    s = _replace_where(lo_to_j, s, {"a_lo": a_j, "phi_lo": phi_j, "dphi_lo": dphi_j})
    s = s._replace(j=s.j + 1)
    # JAX allows more zoom steps than SciPy (30).
    s = s._replace(z_failed=s.z_failed | (s.j >= 30))
    end = s.z_done | s.z_failed
    return _replace_where(
        end,
        s,
        {
            "zooming": False,
            "done": True,
            "failed": s.z_failed | s.failed,
            "a_star": s.z_a_star,
            "phi_star": s.z_phi_star,
            "dphi_star": s.z_dphi_star,
            "g_star": s.z_g_star,
        },
    )


def _bracket_step(s, a_i, phi_i, dphi_i, g_i, wolfe_one, wolfe_two):
    """One step of Algorithm 3.5 after evaluating the trial step a_i: it
    meets the strong Wolfe conditions, or brackets a zoom, or doubles."""
    star_to_zoom1 = wolfe_one(a_i, phi_i) | ((phi_i >= s.phi_i1) & (s.i > 1))
    star_to_i = wolfe_two(dphi_i) & (~star_to_zoom1)
    star_to_zoom2 = (dphi_i >= 0.0) & (~star_to_zoom1) & (~star_to_i)
    s = _replace_where(
        star_to_i,
        s._replace(done=star_to_i | s.done),
        {"a_star": a_i, "phi_star": phi_i, "dphi_star": dphi_i, "g_star": g_i},
    )
    # Zoom into [a_{i-1}, a_i] (case 1) or [a_i, a_{i-1}] (case 2).
    z1 = star_to_zoom1
    zoom = star_to_zoom1 | star_to_zoom2
    a_lo = _where(z1, s.a_i1, a_i)
    phi_lo = _where(z1, s.phi_i1, phi_i)
    dphi_lo = _where(z1, s.dphi_i1, dphi_i)
    a_hi = _where(z1, a_i, s.a_i1)
    phi_hi = _where(z1, phi_i, s.phi_i1)
    dphi_hi = _where(z1, dphi_i, s.dphi_i1)
    s = _replace_where(
        zoom,
        s._replace(zooming=zoom),
        {
            "j": 0,
            "z_done": False,
            "z_failed": False,
            "a_lo": a_lo,
            "phi_lo": phi_lo,
            "dphi_lo": dphi_lo,
            "a_hi": a_hi,
            "phi_hi": phi_hi,
            "dphi_hi": dphi_hi,
            "a_rec": (a_lo + a_hi) / 2.0,
            "phi_rec": (phi_lo + phi_hi) / 2.0,
            "z_a_star": 1.0,
            "z_phi_star": phi_lo,
            "z_dphi_star": dphi_lo,
            "z_g_star": s.gfk,
        },
    )
    return s._replace(i=s.i + 1, a_i1=a_i, phi_i1=phi_i, dphi_i1=dphi_i)


def _ls_body(f, c1, c2, s):
    """One function evaluation of the line search: at the next bracketing
    step (no amax: the step doubles, as in SciPy) or zoom's trial step.
    JAX nests zoom's loop in the bracketing loop; one flat loop visits the
    same steps."""
    wolfe_one, wolfe_two = _wolfe(s, c1, c2)
    a_i = _where(s.i == 1, s.start_value, s.a_i1 * 2.0)
    a_j, too_small = _zoom_trial(s)
    t = _where(s.zooming, a_j, a_i)
    phi, dphi, g = _phi_dphi_g(f, s.xk, s.pk, t)
    s = s._replace(nfev=s.nfev + 1, ngev=s.ngev + 1)
    b = _bracket_step(s, t, phi, dphi, g, wolfe_one, wolfe_two)
    z = _zoom_step(s, t, too_small, phi, dphi, g, wolfe_one, wolfe_two)
    return type(s)(*[_where(s.zooming, zf, bf) for zf, bf in zip(z, b)])


def _ls_cond(maxiter, s):
    return s.zooming | ((~s.done) & (s.i <= maxiter) & (~s.failed))


def _ls_results(maxiter, s):
    status = _where(s.failed, asarray(1), _where(s.i > maxiter, asarray(3), asarray(0)))
    # Below 64 bits a too small step stalls the search direction: floor it.
    alpha_k = asarray(s.a_star)
    if dtypes.finfo(_dtype(alpha_k)).bits != 64:
        alpha_k = _where(uf.abs(alpha_k) < 1e-8, uf.sign(alpha_k) * 1e-8, alpha_k)
    return _LineSearchResults(
        failed=s.failed | (~s.done),
        nit=s.i - 1,
        nfev=s.nfev,
        ngev=s.ngev,
        k=s.i,
        a_k=alpha_k,
        f_k=s.phi_star,
        g_k=s.g_star,
        status=status,
    )


def line_search(f, xk, pk, old_fval=None, old_old_fval=None, gfk=None, c1=1e-4, c2=0.9, maxiter=20):
    """Inexact line search for the strong Wolfe conditions (Nocedal &
    Wright Algorithm 3.5, zoom Algorithm 3.6), as
    jax._src.scipy.optimize.line_search."""
    xk, pk = _promote_inexact("line_search", xk, pk)
    fresh = old_fval is None or gfk is None
    if fresh:
        phi_0, dphi_0, gfk = _phi_dphi_g(f, xk, pk, 0)
    else:
        phi_0 = asarray(old_fval)
        dphi_0 = cplx.real(dot(gfk, pk))
    start_value = 1.0 if old_old_fval is None else _start_value(phi_0, old_old_fval, dphi_0)
    state = _ls_init(xk, pk, phi_0, dphi_0, gfk, start_value, 1 if fresh else 0)
    state = while_loop(lambda s: _ls_cond(maxiter, s), lambda s: _ls_body(f, c1, c2, s), state)
    return _ls_results(maxiter, state)


# ----------------------------------------------------------------------- BFGS


class _BFGSResults(NamedTuple):
    converged: object
    failed: object
    k: object
    nfev: object
    ngev: object
    nhev: object
    x_k: object
    f_k: object
    g_k: object
    H_k: object
    old_old_fval: object
    status: object
    line_search_status: object


def _tree_where(c, a, b):
    return type(a)(*[_where(c, x, y) for x, y in zip(a, b)])


def _iterate_with_line_search(fun, state, direction, update, outer_cond, ls_maxiter):
    """while outer_cond(state): line search along direction(state), then
    state = update(state, results, pk). JAX nests the line search's loop in
    the outer loop; here one loop takes one function evaluation per
    iteration (a line search step, the first of each line search also
    choosing the direction, the last also updating the state), which
    visits the same points."""

    def body(carry):
        s, ls, in_ls = carry
        ls = _tree_where(in_ls, ls, direction(s))
        ls = _ls_body(fun, 1e-4, 0.9, ls)
        finished = ~_ls_cond(ls_maxiter, ls)
        s = _tree_where(finished, update(s, _ls_results(ls_maxiter, ls), ls.pk), s)
        return s, ls, ~finished

    def cond(carry):
        s, _, in_ls = carry
        return in_ls | outer_cond(s)

    if ls_maxiter < 1:
        raise user_error(ValueError, "the line search needs at least one iteration")
    return while_loop(cond, body, (state, direction(state), asarray(False)))[0]


def _minimize_bfgs(fun, x0, maxiter=None, norm=np.inf, gtol=1e-5, line_search_maxiter=10):
    """BFGS (Nocedal & Wright Algorithm 6.1) on a flat x0."""
    x0 = asarray(x0)
    if maxiter is None:
        maxiter = np.size(x0) * 200
    d = aval_of(x0).shape[0]
    f_0, g_0 = value_and_grad(fun)(x0)
    state = _BFGSResults(
        converged=jnp_linalg.norm(g_0, ord=norm) < gtol,
        failed=False,
        k=0,
        nfev=1,
        ngev=1,
        nhev=0,
        x_k=x0,
        f_k=f_0,
        g_k=g_0,
        H_k=eye(d, dtype=_dtype(x0)),
        old_old_fval=f_0 + jnp_linalg.norm(g_0) / 2,
        status=0,
        line_search_status=0,
    )

    def direction(s):
        p_k = -dot(s.H_k, s.g_k)
        xk, pk = _promote_inexact("line_search", s.x_k, p_k)
        dphi_0 = cplx.real(dot(s.g_k, pk))
        start = _start_value(s.f_k, s.old_old_fval, dphi_0)
        return _ls_init(xk, pk, asarray(s.f_k), dphi_0, s.g_k, start, 0)

    def update(s, ls, p_k):
        s = s._replace(
            nfev=s.nfev + ls.nfev,
            ngev=s.ngev + ls.ngev,
            failed=ls.failed,
            line_search_status=ls.status,
        )
        s_k = ls.a_k * p_k
        x_kp1 = s.x_k + s_k
        g_kp1 = ls.g_k
        y_k = g_kp1 - s.g_k
        rho_k = uf.reciprocal(dot(y_k, s_k))
        sy_k = s_k[:, None] * y_k[None, :]
        w = eye(d, dtype=_dtype(rho_k)) - rho_k * sy_k
        H_kp1 = einsum("ij,jk,lk", w, s.H_k, w) + rho_k * s_k[:, None] * s_k[None, :]
        H_kp1 = _where(uf.isfinite(rho_k), H_kp1, s.H_k)
        return s._replace(
            converged=jnp_linalg.norm(g_kp1, ord=norm) < gtol,
            k=s.k + 1,
            x_k=x_kp1,
            f_k=ls.f_k,
            g_k=g_kp1,
            H_k=H_kp1,
            old_old_fval=s.f_k,
        )

    def bfgs_cond(s):
        return uf.logical_not(s.converged) & uf.logical_not(s.failed) & (s.k < maxiter)

    state = _iterate_with_line_search(fun, state, direction, update, bfgs_cond, line_search_maxiter)
    status = _where(
        state.converged,
        0,
        _where(state.k == maxiter, 1, _where(state.failed, 2 + state.line_search_status, -1)),
    )
    return state._replace(status=status)


# --------------------------------------------------------------------- L-BFGS


class _LBFGSResults(NamedTuple):
    converged: object
    failed: object
    k: object
    nfev: object
    ngev: object
    x_k: object
    f_k: object
    g_k: object
    s_history: object
    y_history: object
    rho_history: object
    gamma: object
    status: object
    ls_status: object


def _minimize_lbfgs(
    fun,
    x0,
    maxiter=None,
    norm=np.inf,
    maxcor=10,
    ftol=2.220446049250313e-09,
    gtol=1e-05,
    maxfun=None,
    maxgrad=None,
    maxls=20,
):
    """L-BFGS (Nocedal & Wright Algorithm 7.5, complex variables as Sorber
    et al. 2012), as JAX's experimental version."""
    x0 = asarray(x0)
    d = len(x0)
    dt = _dtype(x0)
    if maxiter is None and maxfun is None and maxgrad is None:
        maxiter = d * 200
    maxiter = np.inf if maxiter is None else maxiter
    maxfun = np.inf if maxfun is None else maxfun
    maxgrad = np.inf if maxgrad is None else maxgrad

    f_0, g_0 = value_and_grad(fun)(x0)
    state = _LBFGSResults(
        converged=asarray(False),
        failed=asarray(False),
        k=0,
        nfev=1,
        ngev=1,
        x_k=x0,
        f_k=f_0,
        g_k=g_0,
        s_history=zeros((maxcor, d), dtype=dt),
        y_history=zeros((maxcor, d), dtype=dt),
        rho_history=zeros((maxcor,), dtype=dt),
        gamma=1.0,
        status=0,
        ls_status=0,
    )

    def direction(s):
        p_k = _two_loop_recursion(s)
        xk, pk = _promote_inexact("line_search", s.x_k, p_k)
        dphi_0 = cplx.real(dot(s.g_k, pk))
        return _ls_init(xk, pk, asarray(s.f_k), dphi_0, s.g_k, 1.0, 0)

    def update(s, ls, p_k):
        s_k = asarray(ls.a_k).astype(_dtype(p_k)) * p_k
        x_kp1 = s.x_k + s_k
        f_kp1 = ls.f_k
        g_kp1 = ls.g_k
        y_k = g_kp1 - s.g_k
        rho_k_inv = cplx.real(dot(y_k, s_k))
        rho_k = uf.reciprocal(rho_k_inv).astype(_dtype(y_k))
        gamma = rho_k_inv / cplx.real(dot(cplx.conj(y_k), y_k))

        status = asarray(0)
        status = _where(s.f_k - f_kp1 < ftol, 4, status)
        status = _where(s.ngev >= maxgrad, 3, status)
        status = _where(s.nfev >= maxfun, 2, status)
        status = _where(s.k >= maxiter, 1, status)
        status = _where(ls.failed, 5, status)
        converged = jnp_linalg.norm(g_kp1, ord=norm) < gtol
        return s._replace(
            converged=converged,
            failed=(status > 0) & (~converged),
            k=s.k + 1,
            nfev=s.nfev + ls.nfev,
            ngev=s.ngev + ls.ngev,
            x_k=x_kp1.astype(_dtype(s.x_k)),
            f_k=f_kp1.astype(_dtype(s.f_k)),
            g_k=g_kp1.astype(_dtype(s.g_k)),
            s_history=_push(s.s_history, s_k),
            y_history=_push(s.y_history, y_k),
            rho_history=_push(s.rho_history, rho_k),
            gamma=gamma.astype(_dtype(s.g_k)),
            status=_where(converged, 0, status),
            ls_status=ls.status,
        )

    return _iterate_with_line_search(
        fun, state, direction, update, lambda s: (~s.converged) & (~s.failed), maxls
    )


def _two_loop_recursion(state):
    """The L-BFGS direction -H_k g_k from the stored history (the newest
    min(k, maxcor) rows; the loops are unrolled over the history, masked
    to the stored rows)."""
    dt = _dtype(state.rho_history)
    his_size = aval_of(state.rho_history).shape[0]
    curr_size = _where(state.k < his_size, state.k, his_size)
    q = -cplx.conj(state.g_k)
    a_his = [None] * his_size
    for j in range(his_size):
        i = his_size - 1 - j
        a_i = state.rho_history[i] * cplx.real(dot(cplx.conj(state.s_history[i]), q)).astype(dt)
        live = j < curr_size
        a_his[i] = a_i
        q = _where(live, q - a_i * cplx.conj(state.y_history[i]), q)
    q = state.gamma * q
    for i in range(his_size):
        # JAX's j-th step reads row his_size - curr_size + j: rows from the
        # oldest stored one up, i.e. the rows i >= his_size - curr_size.
        b_i = state.rho_history[i] * cplx.real(dot(state.y_history[i], q)).astype(dt)
        live = i >= his_size - curr_size
        q = _where(live, q + (a_his[i] - b_i) * state.s_history[i], q)
    return q


def _push(history, new):
    """history rolled up by one, `new` in the last row."""
    return roll(history, -1, axis=0).at[-1].set(new)


# ------------------------------------------------------------------- minimize


class OptimizeResults(NamedTuple):
    """Object holding optimization results.

    x: final solution. success: True if optimization succeeded. status:
    solver specific return code (0 converged, 1 max BFGS iterations, 3 zoom
    failed, 4 saddle point, 5 max line search iterations, -1 undefined).
    fun: final function value. jac: final gradient. hess_inv: final
    inverse Hessian estimate (None for L-BFGS). nfev, njev: function and
    gradient evaluations. nit: iterations."""

    x: object
    success: object
    status: object
    fun: object
    jac: object
    hess_inv: object
    nfev: object
    njev: object
    nit: object


def minimize(fun, x0, args=(), *, method, tol=None, options=None):
    """Minimization of a scalar function of one or more variables
    (jax.scipy.optimize.minimize): method "BFGS" or
    "l-bfgs-experimental-do-not-rely-on-this"; `options` go to the solver
    (maxiter, norm, gtol, line_search_maxiter for BFGS). `tol` is accepted
    and unused, as in JAX."""
    if options is None:
        options = {}
    if not isinstance(args, tuple):
        raise user_error(
            TypeError, f"args argument to jax.scipy.optimize.minimize must be a tuple, got {args}"
        )

    def fun_with_args(x):
        return fun(x, *args)

    solvers = {"bfgs": _minimize_bfgs, "l-bfgs-experimental-do-not-rely-on-this": _minimize_lbfgs}
    solver = solvers.get(method.lower())
    if solver is not None:
        r = solver(fun_with_args, x0, **options)
        return OptimizeResults(
            x=r.x_k,
            success=r.converged & uf.logical_not(r.failed),
            status=r.status,
            fun=r.f_k,
            jac=r.g_k,
            hess_inv=r.H_k if solver is _minimize_bfgs else None,
            nfev=r.nfev,
            njev=r.ngev,
            nit=r.k,
        )
    raise user_error(ValueError, f"Method {method} not recognized")
