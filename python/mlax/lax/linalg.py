"""mlax.lax.linalg: cholesky, eigh, lu, lu_pivots_to_permutation, qr, svd
and triangular_solve are built from mlax ops (on the numpy floor, see
_src/numpy/lax_linalg.py); eig and schur call LAPACK on the host, as JAX
does on CPU (_src/numpy/lapack_host.py); the rest of jax.lax.linalg's
functions raise NotImplementedError (a later issue)."""

from .._src.lax.extras import linalg_stubs as _stubs
from .._src.numpy.lapack_host import eig, schur  # noqa: F401
from .._src.numpy.lax_linalg import (  # noqa: F401
    cholesky,
    eigh,
    lu,
    lu_pivots_to_permutation,
    qr,
    svd,
    triangular_solve,
)

cholesky_update = _stubs["cholesky_update"]
hessenberg = _stubs["hessenberg"]
householder_product = _stubs["householder_product"]
ormqr = _stubs["ormqr"]
qdwh = _stubs["qdwh"]
symmetric_product = _stubs["symmetric_product"]
tridiagonal = _stubs["tridiagonal"]
tridiagonal_solve = _stubs["tridiagonal_solve"]
