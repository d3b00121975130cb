"""mlax.scipy.linalg: jax.scipy.linalg's factorisations and solvers that
mlax builds from existing ops (see docs/status.md)."""

from .._src.scipy.linalg import (  # noqa: F401
    block_diag,
    cho_factor,
    cho_solve,
    cholesky,
    det,
    eigh,
    expm,
    inv,
    lu,
    lu_factor,
    lu_solve,
    qr,
    solve,
    solve_triangular,
    svd,
    toeplitz,
)
