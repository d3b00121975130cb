"""mlax.lax.linalg: linear algebra decompositions are a later issue; each of
jax.lax.linalg's functions raises NotImplementedError saying so."""

from .._src.lax.extras import linalg_stubs as _stubs

cholesky = _stubs["cholesky"]
cholesky_update = _stubs["cholesky_update"]
eig = _stubs["eig"]
eigh = _stubs["eigh"]
hessenberg = _stubs["hessenberg"]
householder_product = _stubs["householder_product"]
lu = _stubs["lu"]
lu_pivots_to_permutation = _stubs["lu_pivots_to_permutation"]
ormqr = _stubs["ormqr"]
qdwh = _stubs["qdwh"]
qr = _stubs["qr"]
schur = _stubs["schur"]
svd = _stubs["svd"]
symmetric_product = _stubs["symmetric_product"]
triangular_solve = _stubs["triangular_solve"]
tridiagonal = _stubs["tridiagonal"]
tridiagonal_solve = _stubs["tridiagonal_solve"]
