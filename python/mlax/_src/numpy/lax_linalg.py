"""jax.lax.linalg's signatures on the decompositions built from mlax ops
(decompositions.py): cholesky, eigh, lu, lu_pivots_to_permutation, qr,
svd, triangular_solve. They live on the numpy floor because the
decompositions need control flow and custom derivatives (the lax floor
may import only core); mlax.lax.linalg re-exports them. As in JAX, the
inputs must already be floating point."""

from functools import partial

from ..core import aval_of, dtypes, user_error
from ..transforms.jit import jit
from . import decompositions as dec
from .selection import tril
from .shape import swapaxes
from .util import asarray


def _float_matrix(name, x, square=True):
    x = asarray(x)
    aval = aval_of(x)
    if not dtypes.is_float(aval.dtype):
        raise user_error(
            TypeError, f"lax.linalg.{name} requires a floating-point input, got {aval.str_short()}"
        )
    if aval.ndim < 2 or (square and aval.shape[-1] != aval.shape[-2]):
        what = "square matrices" if square else "matrices"
        raise user_error(
            ValueError, f"lax.linalg.{name} requires {what} (..., n, n), got shape {aval.shape}"
        )
    return x


@partial(jit, static_argnames=("symmetrize_input",))
def cholesky(x, *, symmetrize_input=True):
    """Like jax.lax.linalg.cholesky: lower L; the lower triangle NaN where x
    is not positive definite."""
    x = _float_matrix("cholesky", x)
    return dec.cholesky_lower(dec.symmetrize(x) if symmetrize_input else x)


@partial(
    jit,
    static_argnames=(
        "lower",
        "symmetrize_input",
        "sort_eigenvalues",
        "subset_by_index",
        "implementation",
    ),
)
def eigh(
    x,
    *,
    lower=True,
    symmetrize_input=True,
    sort_eigenvalues=True,
    subset_by_index=None,
    implementation=None,
):
    """Like jax.lax.linalg.eigh: (v, w), w ascending (always sorted)."""
    x = _float_matrix("eigh", x)
    if subset_by_index is not None:
        raise user_error(
            NotImplementedError, "lax.linalg.eigh(subset_by_index=...) is not built in mlax yet"
        )
    if symmetrize_input:
        x = dec.symmetrize(x)
    else:
        tri = tril(x) if lower else swapaxes(tril(swapaxes(x, -1, -2)), -1, -2)
        x = tri + swapaxes(tri, -1, -2) - tril(swapaxes(tril(x), -1, -2))
    return dec.eigh_symmetric(x)


@jit
def lu(x):
    """Like jax.lax.linalg.lu: (lu, pivots, permutation)."""
    return dec.lu_decompose(_float_matrix("lu", x, square=False))


@partial(jit, static_argnames=("permutation_size",))
def lu_pivots_to_permutation(pivots, permutation_size):
    """Like jax.lax.linalg.lu_pivots_to_permutation."""
    return dec.pivots_to_permutation(asarray(pivots), permutation_size)


@partial(jit, static_argnames=("pivoting", "full_matrices", "use_magma"))
def qr(x, *, pivoting=False, full_matrices=True, use_magma=None):
    """Like jax.lax.linalg.qr: (q, r), complete by default."""
    if pivoting:
        raise user_error(
            NotImplementedError, "lax.linalg.qr(pivoting=True) is not built in mlax yet"
        )
    return dec.qr_decompose(_float_matrix("qr", x, square=False), complete=full_matrices)


@partial(jit, static_argnames=("full_matrices", "compute_uv", "subset_by_index", "algorithm"))
def svd(x, *, full_matrices=True, compute_uv=True, subset_by_index=None, algorithm=None):
    """Like jax.lax.linalg.svd: [u, s, vh] or s."""
    if subset_by_index is not None:
        raise user_error(
            NotImplementedError, "lax.linalg.svd(subset_by_index=...) is not built in mlax yet"
        )
    out = dec.svd_decompose(_float_matrix("svd", x, square=False), full_matrices, compute_uv)
    return list(out) if compute_uv else out


@partial(jit, static_argnames=("left_side", "lower", "transpose_a", "conjugate_a", "unit_diagonal"))
def triangular_solve(
    a, b, *, left_side=False, lower=False, transpose_a=False, conjugate_a=False, unit_diagonal=False
):
    """Like jax.lax.linalg.triangular_solve; a `b` of one dimension less
    than `a` is a vector (a column for left_side, else a row), as in JAX."""
    a = _float_matrix("triangular_solve", a)
    b = asarray(b)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b[..., :, None] if left_side else b[..., None, :]
    x = dec.triangular_solve(
        a,
        b,
        left_side=left_side,
        lower=lower,
        transpose_a=transpose_a,
        conjugate_a=conjugate_a,
        unit_diagonal=unit_diagonal,
    )
    if vector:
        x = x[..., 0] if left_side else x[..., 0, :]
    return x
