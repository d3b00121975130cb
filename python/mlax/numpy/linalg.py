"""mlax.numpy.linalg: jnp.linalg's norms, products, solvers and
decompositions (compositions of mlax ops; eig/eigvals are LAPACK's geev
on the host, as in JAX)."""

from .._src.numpy.construction import matrix_transpose  # noqa: F401
from .._src.numpy.contractions import matmul, outer, tensordot  # noqa: F401
from .._src.numpy.linalg import (  # noqa: F401
    EigResult,
    EighResult,
    QRResult,
    SlogdetResult,
    SVDResult,
    cholesky,
    cond,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv,
    lstsq,
    matrix_norm,
    matrix_power,
    matrix_rank,
    multi_dot,
    norm,
    pinv,
    qr,
    slogdet,
    solve,
    svd,
    svdvals,
    tensorinv,
    tensorsolve,
    vector_norm,
)
from .._src.numpy.numerics import cross, vecdot  # noqa: F401
from .._src.numpy.selection import diagonal, trace  # noqa: F401
