"""The transformations floor: jit, grad/jvp/vjp and the custom rules,
the jacobians, vmap. Thin layers: each traces the user's function and
emits a request op (mlax.vjp, mlax.jvp, mlax.batch, marked calls) that the
C++ passes expand; none of them differentiates or batches in Python.

`callee` traces a function into a private callee (shared by all),
`jit` compiles and dispatches (and runs primitives eagerly),
`autodiff` grad/jvp/vjp/checkpoint, `custom_derivatives` custom_jvp and
custom_vjp, `jacobians` jacfwd/jacrev/hessian, `batching` vmap.

May import: `core`, `lax` and `runtime` (never `numpy`). `jit` registers
core's `hooks.apply_primitive`.
"""
