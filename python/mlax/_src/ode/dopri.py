"""jax.experimental.ode.odeint, computed as JAX 0.10 computes it
(jax/experimental/ode.py).

The state is raveled into one vector (flatten_util.ravel_pytree) and
integrated with the Dormand-Prince 5(4) pair: Hairer-Norsett-Wanner's
initial step size, an RMS error ratio against atol + rtol * max(|y0|, |y1|),
the step grown or shrunk by 0.9 * ratio**(-1/5) (within [0.2, 10], clipped
to [0, hmax]) and rejected steps repeated. One lax.while_loop per requested
time (a lax.scan over ts[1:]) steps past it, at most mxstep times, and the
value there is the 4th-order interpolating polynomial of the last step.

Reverse mode is a custom_vjp: the adjoint system (y, y_bar, t_bar,
args_bar) is integrated backwards between consecutive times by odeint
itself, with the same tolerances (Chen et al. 2018, appendix C). Values
the function closes over are hoisted into arguments first
(closure_convert), so they are differentiated too.
"""

import functools
import operator

import numpy as np

from ..core import Tracer, aval_of, dtypes, tree_util
from ..numpy import creation, reductions
from ..numpy import linalg as jnp_linalg
from ..numpy import ufuncs as uf
from ..numpy.complex_numbers import imag, real
from ..numpy.contractions import dot
from ..numpy.flatten_util import ravel_pytree
from ..numpy.polynomials import polyval
from ..numpy.predicates import iscomplexobj
from ..numpy.shape import concatenate, stack
from ..numpy.util import _promote_inexact, asarray
from ..transforms.api_extras import closure_convert, default_matmul_precision
from ..transforms.autodiff import vjp
from ..transforms.batching import vmap
from ..transforms.control_flow import fori_loop, scan, while_loop
from ..transforms.custom_derivatives import custom_vjp
from ..transforms.jit import jit

# Dormand-Prince 5(4): nodes, stage weights, 5th-order solution weights and
# the (5th - 4th order) error weights.
_ALPHA = [1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0, 0]
_BETA = [
    [1 / 5, 0, 0, 0, 0, 0, 0],
    [3 / 40, 9 / 40, 0, 0, 0, 0, 0],
    [44 / 45, -56 / 15, 32 / 9, 0, 0, 0, 0],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0, 0, 0],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0, 0],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
]
_C_SOL = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]
_C_ERROR = [
    35 / 384 - 1951 / 21600,
    0,
    500 / 1113 - 22642 / 50085,
    125 / 192 - 451 / 720,
    -2187 / 6784 - -12231 / 42400,
    11 / 84 - 649 / 6300,
    -1.0 / 60.0,
]
# Weights of the midpoint value used by the interpolating polynomial.
_C_MID = [
    6025192743 / 30085553152 / 2,
    0,
    51252292925 / 65400821598 / 2,
    -2691868925 / 45128329728 / 2,
    187940372067 / 1594534317056 / 2,
    -1776094331 / 19743644256 / 2,
    11237099 / 235043384 / 2,
]


def _dtype(x):
    return aval_of(x).dtype


def _const(values, dtype):
    return asarray(np.array(values), dtype=dtype)


def _interp_fit_dopri(y0, y1, k, dt):
    """Coefficients (highest power first) of the quartic through the step:
    y0, y1, the midpoint value, and the slopes k[0], k[-1] at the ends."""
    dtype = _dtype(y0)
    dt = dt.astype(dtype)
    y_mid = y0 + dt * dot(_const(_C_MID, dtype), k)
    dy0, dy1 = k[0], k[-1]
    a = -2.0 * dt * dy0 + 2.0 * dt * dy1 - 8.0 * y0 - 8.0 * y1 + 16.0 * y_mid
    b = 5.0 * dt * dy0 - 3.0 * dt * dy1 + 18.0 * y0 + 14.0 * y1 - 32.0 * y_mid
    c = -4.0 * dt * dy0 + dt * dy1 - 11.0 * y0 - 5.0 * y1 + 16.0 * y_mid
    d = dt * dy0
    return stack([a, b, c, d, y0])


def _initial_step_size(fun, t0, y0, order, rtol, atol, f0):
    """Hairer, Norsett & Wanner, Solving ODEs I, sec. II.4."""
    y0, f0 = _promote_inexact("odeint", y0, f0)
    dtype = _dtype(y0)
    scale = (atol + uf.abs(y0) * rtol).astype(dtype)
    d0 = jnp_linalg.norm(y0 / scale)
    d1 = jnp_linalg.norm(f0 / scale)
    h0 = uf.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
    y1 = y0 + h0.astype(dtype) * f0
    f1 = fun(y1, t0 + h0)
    d2 = jnp_linalg.norm((f1 - f0) / scale) / h0
    h1 = uf.where(
        (d1 <= 1e-15) & (d2 <= 1e-15),
        uf.maximum(1e-6, h0 * 1e-3),
        (0.01 / uf.maximum(d1, d2)) ** (1.0 / (order + 1.0)),
    )
    return uf.minimum(100.0 * h0, h1)


def _runge_kutta_step(func, y0, f0, t0, dt):
    """One Dormand-Prince step: (y1, f(y1), error estimate, the 7 stages)."""
    dtype = _dtype(f0)
    alpha = _const(_ALPHA, _dtype(dt))
    beta = _const(_BETA, dtype)
    dt_y = dt.astype(dtype)

    def stage(i, k):
        ti = t0 + dt * alpha[i - 1]
        yi = y0 + dt_y * dot(beta[i - 1, :], k)
        return k.at[i, :].set(func(yi, ti))

    k = creation.zeros((7, aval_of(f0).shape[0]), dtype).at[0, :].set(f0)
    k = fori_loop(1, 7, stage, k)
    y1 = dt_y * dot(_const(_C_SOL, dtype), k) + y0
    y1_error = dt_y * dot(_const(_C_ERROR, dtype), k)
    return y1, k[-1], y1_error, k


def _abs2(x):
    if iscomplexobj(x):
        return real(x) ** 2 + imag(x) ** 2
    return x**2


def _mean_error_ratio(error_estimate, rtol, atol, y0, y1):
    err_tol = atol + rtol * uf.maximum(uf.abs(y0), uf.abs(y1))
    err_ratio = error_estimate / err_tol.astype(_dtype(error_estimate))
    return uf.sqrt(reductions.mean(_abs2(err_ratio)))


def _optimal_step_size(last_step, ratio, safety=0.9, ifactor=10.0, dfactor=0.2, order=5.0):
    dfactor = uf.where(ratio < 1, 1.0, dfactor)
    factor = uf.minimum(ifactor, uf.maximum(ratio ** (-1.0 / order) * safety, dfactor))
    return uf.where(ratio == 0, last_step * ifactor, last_step * factor)


def _valid_jaxtype(x):
    if isinstance(x, Tracer) or type(x) is complex:
        return True
    if isinstance(x, (np.ndarray, np.generic)) and np.dtype(x.dtype).kind in "OSUVMm":
        return False
    try:
        aval_of(x)
    except TypeError:
        return False
    return True


def odeint(func, y0, t, *args, rtol=1.4e-8, atol=1.4e-8, mxstep=np.inf, hmax=np.inf):
    """Like jax.experimental.ode.odeint: integrates dy/dt = func(y, t, *args)
    from y(t[0]) = y0 with adaptive Dormand-Prince steps and returns y at
    every time in `t` (strictly increasing floats), each leaf of y0's pytree
    with a new leading axis of length len(t).

    rtol, atol: the local error tolerances; mxstep: the most steps taken
    per output time; hmax: the largest step. *args (arrays, scalars or
    pytrees of them) are passed to func and differentiated, as are y0, t
    and the arrays func closes over; reverse mode integrates the adjoint
    system backwards in time.
    """
    for arg in tree_util.tree_leaves(args):
        if not _valid_jaxtype(arg):
            raise TypeError(
                f"The contents of odeint *args must be arrays or scalars, but got {arg}."
            )
    if not dtypes.issubdtype(t.dtype, np.floating):
        raise TypeError(f"t must be an array of floats, but got {t}.")
    t0 = t[0]
    if not callable(func):
        raise TypeError("the first argument must be callable")
    converted, consts = closure_convert(func, y0, t0, *args)
    return _odeint_wrapper(converted, rtol, atol, mxstep, hmax, y0, t, *args, *consts)


def _ravel_first_arg(func, unravel):
    """func on the flat state: y_flat -> raveled func(unravel(y_flat), ...)."""

    def flat_func(y_flat, *args):
        return ravel_pytree(func(unravel(y_flat), *args))[0]

    return flat_func


@functools.partial(jit, static_argnums=(0, 1, 2, 3, 4))
def _odeint_wrapper(func, rtol, atol, mxstep, hmax, y0, ts, *args):
    with default_matmul_precision("highest"):
        y0, unravel = ravel_pytree(y0)
        out = _odeint(_ravel_first_arg(func, unravel), rtol, atol, mxstep, hmax, y0, ts, *args)
        return vmap(unravel)(out)


def _odeint_impl(func, rtol, atol, mxstep, hmax, y0, ts, *args):
    with default_matmul_precision("highest"):
        return _integrate(func, rtol, atol, mxstep, hmax, y0, ts, *args)


_odeint = custom_vjp(_odeint_impl, nondiff_argnums=(0, 1, 2, 3, 4))


def _integrate(func, rtol, atol, mxstep, hmax, y0, ts, *args):
    def func_(y, t):
        return func(y, t, *args)

    def scan_fun(carry, target_t):
        def cond_fun(state):
            i, _, _, t, dt, _, _ = state
            return (t < target_t) & (i < mxstep) & (dt > 0)

        def body_fun(state):
            i, y, f, t, dt, last_t, interp_coeff = state
            next_y, next_f, next_y_error, k = _runge_kutta_step(func_, y, f, t, dt)
            next_t = t + dt
            ratio = _mean_error_ratio(next_y_error, rtol, atol, y, next_y)
            new_interp_coeff = _interp_fit_dopri(y, next_y, k, dt)
            dt = uf.clip(_optimal_step_size(dt, ratio), min=0.0, max=hmax)
            accept = ratio <= 1.0
            new = [i + 1, next_y, next_f, next_t, dt, t, new_interp_coeff]
            old = [i + 1, y, f, t, dt, last_t, interp_coeff]
            return [uf.where(accept, a, b) for a, b in zip(new, old)]

        _, *carry = while_loop(cond_fun, body_fun, [0] + carry)
        _, _, t, _, last_t, interp_coeff = carry
        relative_output_time = (target_t - last_t) / (t - last_t)
        y_target = polyval(interp_coeff, relative_output_time.astype(_dtype(interp_coeff)))
        return carry, y_target

    f0 = func_(y0, ts[0])
    dt = _initial_step_size(func_, ts[0], y0, 4, rtol, atol, f0)
    dt = uf.clip(dt, min=0.0, max=hmax)
    interp_coeff = stack([y0] * 5)
    init_carry = [y0, f0, ts[0], dt, ts[0], interp_coeff]
    _, ys = scan(scan_fun, init_carry, ts[1:])
    return concatenate((y0[None], ys))


def _odeint_fwd(func, rtol, atol, mxstep, hmax, y0, ts, *args):
    ys = _odeint(func, rtol, atol, mxstep, hmax, y0, ts, *args)
    return ys, (ys, ts, args)


def _odeint_rev(func, rtol, atol, mxstep, hmax, res, g):
    with default_matmul_precision("highest"):
        return _adjoint(func, rtol, atol, mxstep, hmax, res, g)


def _adjoint(func, rtol, atol, mxstep, hmax, res, g):
    ys, ts, args = res

    def aug_dynamics(augmented_state, t, *args):
        """The system and its adjoint, in negated time: (y, y_bar, t_bar,
        args_bar) each with its time derivative."""
        y, y_bar, *_ = augmented_state
        y_dot, pullback = vjp(func, y, -t, *args)
        return (-y_dot, *pullback(y_bar))

    def scan_fun(carry, i):
        y_bar, t0_bar, args_bar = carry
        # The output time's own effect (real: time is real).
        t_bar = real(dot(func(ys[i], ts[i], *args), g[i]))
        t0_bar = t0_bar - t_bar
        # Back to the previous output time, in negated time.
        _, y_bar, t0_bar, args_bar = odeint(
            aug_dynamics,
            (ys[i], y_bar, t0_bar, args_bar),
            stack([-ts[i], -ts[i - 1]]),
            *args,
            rtol=rtol,
            atol=atol,
            mxstep=mxstep,
            hmax=hmax,
        )
        y_bar, t0_bar, args_bar = tree_util.tree_map(
            operator.itemgetter(1), (y_bar, t0_bar, args_bar)
        )
        y_bar = y_bar + g[i - 1]
        return (y_bar, t0_bar, args_bar), t_bar

    init_carry = (g[-1], 0.0, tree_util.tree_map(creation.zeros_like, args))
    (y_bar, t0_bar, args_bar), rev_ts_bar = scan(
        scan_fun, init_carry, creation.arange(aval_of(ts).shape[0] - 1, 0, -1)
    )
    ts_bar = concatenate([asarray(t0_bar)[None], rev_ts_bar[::-1]])
    return (y_bar, ts_bar, *args_bar)


_odeint.defvjp(_odeint_fwd, _odeint_rev)
