"""The example libraries (jax.example_libraries): `optimizers` and `stax`,
small pure-function optimizer and layer libraries built on the public API.

May import: everything below (`nn`, `random`, `numpy`, `transforms`, `lax`,
`runtime`, `core`).
"""
