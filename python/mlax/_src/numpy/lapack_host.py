"""Nonsymmetric eigenproblems on the host's LAPACK: lax.linalg.eig (geev)
and lax.linalg.schur (gees), through pure_callback.

JAX computes both only on the CPU, in kernels that call the LAPACK scipy
ships (scipy.linalg.cython_lapack). This module calls the same routines
of the same library (scipy.linalg.lapack) with the same arguments and
workspace sizes, so eigenvalues come in JAX's order and eigenvectors with
JAX's phases, bit for bit. A host call is also what JAX does for eig on a
GPU without MAGMA. Under jit the call is a host-served import of the
compiled module; under vmap the host function loops over the batch.

eig's derivative is JAX's: the eigenvalues' (diag(V^-1 dA V)) and the
eigenvectors' under geev's normalisation. JAX gives the latter only with
enable_eigvec_derivs=True and raises NotImplementedError otherwise; mlax
always gives it (its custom_jvp traces the rule with the function, so a
rule cannot raise only when differentiated). schur has none, as in JAX.
"""

from functools import partial

import numpy as np

from ..core import ShapeDtypeStruct, aval_of, dtypes, user_error
from ..lax import elementwise as lax_elementwise
from ..transforms.callbacks import pure_callback
from ..transforms.custom_derivatives import custom_jvp
from ..transforms.jit import jit
from .complex_numbers import conjugate, real
from .contractions import matmul
from .reductions import argmax, sum
from .selection import diagonal
from .shape import expand_dims, swapaxes
from .ufuncs import abs
from .util import asarray

_PREFIX = {"float32": "s", "float64": "d", "complex64": "c", "complex128": "z"}


def _lapack(dtype, name):
    from scipy.linalg import lapack

    prefix = _PREFIX[np.dtype(dtype).name]
    return getattr(lapack, prefix + name), getattr(lapack, prefix + name + "_lwork", None)


def _complex_of(dtype):
    return dtypes.complex_dtype(dtypes.real_dtype(dtype))


def _pairs_to_complex(wi, v, cdt):
    """geev's real eigenvectors: a conjugate pair j, j+1 (wi[j] != 0) is
    stored as the real and imaginary parts in columns j and j+1."""
    out = v.astype(cdt)
    j, n = 0, len(wi)
    while j < n:
        if wi[j] != 0 and j + 1 < n:
            re, im = v[:, j].copy(), v[:, j + 1].copy()
            out[:, j].real, out[:, j].imag = re, im
            out[:, j + 1].real, out[:, j + 1].imag = re, -im
            j += 2
        else:
            j += 1
    return out


def _geev_host(a, compute_left, compute_right):
    a = np.asarray(a)
    n = a.shape[-1]
    cdt = _complex_of(a.dtype)
    batch = a.shape[:-2]
    w = np.full(batch + (n,), np.nan, cdt)
    vl = np.full(batch + (n, n), np.nan, cdt)
    vr = np.full(batch + (n, n), np.nan, cdt)
    if n == 0:
        return w, vl, vr
    geev, query = _lapack(a.dtype, "geev")
    flags = {"compute_vl": int(compute_left), "compute_vr": int(compute_right)}
    lwork = int(np.real(query(n, **flags)[0]))
    is_real = not np.iscomplexobj(a)
    for idx in np.ndindex(*batch):
        m = np.array(a[idx], order="F")
        if is_real:
            wr, wi, left, right, info = geev(m, lwork=lwork, **flags)
        else:
            ww, left, right, info = geev(m, lwork=lwork, **flags)
        if info != 0:  # JAX's kernel: NaN where LAPACK failed
            continue
        if is_real:
            w[idx] = wr + 1j * wi
            if compute_left:
                vl[idx] = _pairs_to_complex(wi, left, cdt)
            if compute_right:
                vr[idx] = _pairs_to_complex(wi, right, cdt)
        else:
            w[idx] = ww
            if compute_left:
                vl[idx] = left
            if compute_right:
                vr[idx] = right
    return w, vl, vr


def _gees_host(a, compute_vectors):
    a = np.asarray(a)
    n = a.shape[-1]
    t = np.full(a.shape, np.nan, a.dtype)
    vs = np.full(a.shape, np.nan, a.dtype)
    if n == 0:
        return t, vs
    gees, _ = _lapack(a.dtype, "gees")
    work = gees(lambda *_: None, np.array(a[(0,) * (a.ndim - 2)], order="F"), lwork=-1)[-2]
    lwork = int(np.real(work[0]))
    for idx in np.ndindex(*a.shape[:-2]):
        out = gees(
            lambda *_: None, np.array(a[idx], order="F"), compute_v=int(compute_vectors),
            sort_t=0, lwork=lwork,
        )  # fmt: skip
        if out[-1] != 0:
            continue
        t[idx] = out[0]
        if compute_vectors:
            vs[idx] = out[-3]
    return t, vs


def _syevd_host(a):
    """JAX's eigh kernel: syevd/heevd with the lower triangle, ascending
    eigenvalues; NaN where LAPACK fails."""
    a = np.asarray(a)
    n = a.shape[-1]
    v = np.full(a.shape, np.nan, a.dtype)
    w = np.full(a.shape[:-1], np.nan, dtypes.real_dtype(a.dtype))
    if n == 0:
        return v, w
    evd, _ = _lapack(a.dtype, "heevd" if np.iscomplexobj(a) else "syevd")
    for idx in np.ndindex(*a.shape[:-2]):
        ww, vv, info = evd(np.array(a[idx], order="F"), compute_v=1, lower=1)
        if info == 0:
            w[idx], v[idx] = ww, vv
    return v, w


def _gesdd_host(a, full_matrices, compute_uv):
    """JAX's svd kernel: gesdd with the queried workspace (the default one
    takes another path for some sizes); NaN where LAPACK fails."""
    a = np.asarray(a)
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    rows, cols = (m, n) if full_matrices else (k, k)
    u = np.full(batch + (m, rows), np.nan, a.dtype)
    s = np.full(batch + (k,), np.nan, dtypes.real_dtype(a.dtype))
    vt = np.full(batch + (cols, n), np.nan, a.dtype)
    if k == 0:
        return u * 0, s, vt * 0
    gesdd, query = _lapack(a.dtype, "gesdd")
    flags = {"compute_uv": int(compute_uv), "full_matrices": int(full_matrices)}
    lwork = int(np.real(query(m, n, **flags)[0]))
    for idx in np.ndindex(*batch):
        uu, ss, vv, info = gesdd(np.array(a[idx], order="F"), lwork=lwork, **flags)
        if info != 0:
            continue
        s[idx] = ss
        if compute_uv:
            u[idx], vt[idx] = uu, vv
    return u, s, vt


def host_lapack_applies(x):
    """Whether a decomposition of x runs on the host's LAPACK, as JAX's does
    on CPU (bit for bit): a LAPACK dtype, programs on the CPU, scipy there."""
    from ..runtime.backends import default_backend

    if np.dtype(aval_of(x).dtype).name not in _PREFIX or default_backend() != "cpu":
        return False
    try:
        import scipy.linalg.lapack  # noqa: F401
    except ImportError:  # pragma: no cover - scipy is a dependency
        return False
    return True


def eigh(a):
    """(v, w) of symmetric/Hermitian matrices (lower triangle read), w
    ascending; no derivative (decompositions.eigh_symmetric adds JAX's)."""
    aval = aval_of(a)
    shapes = (
        ShapeDtypeStruct(aval.shape, aval.dtype),
        ShapeDtypeStruct(aval.shape[:-1], dtypes.real_dtype(aval.dtype)),
    )
    return pure_callback(_syevd_host, shapes, a, vmap_method="broadcast_all")


def svd(a, full_matrices, compute_uv):
    """(u, s, vt) of (..., m, n) matrices (u, vt NaN-free only when
    compute_uv); no derivative (decompositions adds JAX's)."""
    aval = aval_of(a)
    m, n = aval.shape[-2:]
    k = min(m, n)
    batch = aval.shape[:-2]
    rows, cols = (m, n) if full_matrices else (k, k)
    shapes = (
        ShapeDtypeStruct(batch + (m, rows), aval.dtype),
        ShapeDtypeStruct(batch + (k,), dtypes.real_dtype(aval.dtype)),
        ShapeDtypeStruct(batch + (cols, n), aval.dtype),
    )
    return pure_callback(
        lambda x: _gesdd_host(x, full_matrices, compute_uv), shapes, a, vmap_method="broadcast_all"
    )


def _square_inexact(name, x):
    """JAX's checks for lax.linalg's eig and schur, in JAX's order."""
    x = asarray(x)
    aval = aval_of(x)
    if aval.ndim < 2:
        raise user_error(
            TypeError, f"Input 0 to {name} must have rank at least 2, but got shape={aval.shape}"
        )
    if aval.shape[-1] != aval.shape[-2]:
        raise user_error(
            ValueError, f"The input to {name} must be a square matrix. Got shape {aval.shape}."
        )
    if not (dtypes.is_float(aval.dtype) or dtypes.is_complex(aval.dtype)):
        raise user_error(
            TypeError,
            f"{name} does not accept dtype {np.dtype(aval.dtype).name} at position 0. Accepted "
            f"dtypes at position 0 are subtypes of floating, complexfloating.",
        )
    if np.dtype(aval.dtype).name not in _PREFIX:
        raise user_error(
            NotImplementedError,
            f"{name}: unsupported dtype {np.dtype(aval.dtype).name} (LAPACK takes float32, "
            f"float64, complex64 and complex128)",
        )
    return x


def _geev(x, compute_left, compute_right):
    aval = aval_of(x)
    cdt = _complex_of(aval.dtype)
    n = aval.shape[-1]
    batch = aval.shape[:-2]
    shapes = (
        ShapeDtypeStruct(batch + (n,), cdt),
        ShapeDtypeStruct(batch + (n, n), cdt),
        ShapeDtypeStruct(batch + (n, n), cdt),
    )
    return pure_callback(
        lambda a: _geev_host(a, compute_left, compute_right),
        shapes,
        x,
        vmap_method="broadcast_all",
    )


def _eig_vec_jvp(w, v, da):
    """JAX's rule (nondegenerate perturbation theory): dv_j = u_j + c_j v_j,
    c_j fixed by geev's normalisation (unit norm, largest entry real)."""
    from .linalg import solve  # linalg's eig is built on this module

    n = w.shape[-1]
    eye = np.eye(n, dtype=aval_of(w).dtype)
    f_mat = 1 / (eye + w[..., None, :] - w[..., :, None]) - eye
    p = matmul(solve(v, da), v)
    dw = diagonal(p, axis1=-2, axis2=-1)
    u = matmul(v, f_mat * p)
    k = argmax(abs(v), axis=-2)
    rows = lax_elementwise.broadcasted_iota(np.int32, v.shape, v.ndim - 2)
    mask = (rows == expand_dims(k, -2)).astype(aval_of(v).dtype)
    c = lax_elementwise.complex(
        -real(sum(conjugate(v) * u, axis=-2)),
        -sum(mask * u, axis=-2).imag / real(sum(mask * v, axis=-2)),
    )
    return dw, u + v * expand_dims(c, -2)


_EIG_FUNCTIONS = {}


def _eig_function(compute_left, compute_right):
    key = (compute_left, compute_right)
    if key in _EIG_FUNCTIONS:
        return _EIG_FUNCTIONS[key]

    def pick(w, vl, vr):
        out = [w]
        if compute_left:
            out.append(vl)
        if compute_right:
            out.append(vr)
        return out

    @custom_jvp
    def eig_fn(x):
        return pick(*_geev(x, compute_left, compute_right))

    @eig_fn.defjvp
    def _eig_jvp(primals, tangents):
        from .linalg import solve  # linalg's eig is built on this module

        (a,), (da,) = primals, tangents
        w, vl, vr = _geev(a, compute_left, True)
        da = da.astype(aval_of(vr).dtype)
        if not (compute_left or compute_right):
            return [w], [sum(solve(vr, da) * swapaxes(vr, -1, -2), axis=-1)]
        dw, dvr = _eig_vec_jvp(w, vr, da)
        dvl = None
        if compute_left:
            _, dvl = _eig_vec_jvp(conjugate(w), vl, conjugate(swapaxes(da, -1, -2)))
        return pick(w, vl, vr), pick(dw, dvl, dvr)

    _EIG_FUNCTIONS[key] = eig_fn
    return eig_fn


def eig(
    x,
    *,
    compute_left_eigenvectors=True,
    compute_right_eigenvectors=True,
    enable_eigvec_derivs=False,
    implementation=None,
    use_magma=None,
):
    """Like jax.lax.linalg.eig: [w, vl?, vr?] of general square matrices
    (LAPACK geev on the host, as JAX on CPU); complex results."""
    x = _square_inexact("eig", x)
    # enable_eigvec_derivs: mlax's custom_jvp traces its rule with the
    # function, so the rule cannot raise JAX's NotImplementedError only when
    # differentiated; eigenvectors always get JAX's (opt-in) derivative.
    fn = _eig_function(bool(compute_left_eigenvectors), bool(compute_right_eigenvectors))
    return fn(x)


def _schur_fn(x, compute_vectors):
    aval = aval_of(x)
    shapes = (ShapeDtypeStruct(aval.shape, aval.dtype), ShapeDtypeStruct(aval.shape, aval.dtype))
    return pure_callback(
        lambda a: _gees_host(a, compute_vectors), shapes, x, vmap_method="broadcast_all"
    )


def schur(x, *, compute_schur_vectors=True, sort_eig_vals=False, select_callable=None):
    """Like jax.lax.linalg.schur: (T, vs), the real or complex Schur form
    (LAPACK gees on the host, as JAX on CPU); no derivative, as in JAX."""
    x = _square_inexact("schur", x)
    if sort_eig_vals:
        raise user_error(
            NotImplementedError, "The sort feature of LAPACK's gees routine is not implemented."
        )
    t, vs = _schur_jit(x, bool(compute_schur_vectors))
    return [t, vs] if compute_schur_vectors else [t]


@partial(jit, static_argnums=(1,))
def _schur_jit(x, compute_vectors):
    return _schur_fn(x, compute_vectors)
