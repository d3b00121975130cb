"""The top floor: `mlax.numpy` by family, built on `lax`.

`util` holds what the families share (dtype arguments, promotion,
broadcasting, array/asarray); `scalar_types` the callable dtypes;
`ufuncs` the elementwise functions; `creation`, `reductions`, `shape`,
`contractions` (dot, matmul, einsum) and `indexing` the rest;
`array_methods` installs the operators and methods on mlax.Array and
tracers.

May import: everything below (`transforms`, `lax`, `runtime`, `core`).
"""

from . import array_methods  # noqa: F401  (installs the Array/Tracer methods)
