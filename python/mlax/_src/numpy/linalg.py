"""jnp.linalg stand-ins: the decompositions and solvers raise
NotImplementedError until linear algebra is built (a later issue)."""

from .complex_numbers import not_built

_LINALG = "linear algebra is not built in mlax yet (a later issue)"
cholesky = not_built("linalg", "cholesky", _LINALG)
cond = not_built("linalg", "cond", _LINALG)
det = not_built("linalg", "det", _LINALG)
eig = not_built("linalg", "eig", _LINALG)
eigh = not_built("linalg", "eigh", _LINALG)
eigvals = not_built("linalg", "eigvals", _LINALG)
eigvalsh = not_built("linalg", "eigvalsh", _LINALG)
inv = not_built("linalg", "inv", _LINALG)
lstsq = not_built("linalg", "lstsq", _LINALG)
matrix_norm = not_built("linalg", "matrix_norm", _LINALG)
matrix_power = not_built("linalg", "matrix_power", _LINALG)
matrix_rank = not_built("linalg", "matrix_rank", _LINALG)
multi_dot = not_built("linalg", "multi_dot", _LINALG)
norm = not_built("linalg", "norm", _LINALG)
pinv = not_built("linalg", "pinv", _LINALG)
qr = not_built("linalg", "qr", _LINALG)
slogdet = not_built("linalg", "slogdet", _LINALG)
solve = not_built("linalg", "solve", _LINALG)
svd = not_built("linalg", "svd", _LINALG)
svdvals = not_built("linalg", "svdvals", _LINALG)
tensorinv = not_built("linalg", "tensorinv", _LINALG)
tensorsolve = not_built("linalg", "tensorsolve", _LINALG)
vector_norm = not_built("linalg", "vector_norm", _LINALG)
