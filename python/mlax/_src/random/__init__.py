"""mlax.random's implementation, a floor beside `numpy` (it may use
`numpy`, `transforms`, `lax`, `runtime` and `core`; `numpy` does not use
it). `keys` holds keys, split, fold_in and raw bits; `samplers` the
distributions. The generator itself is the threefry2x32 op
(`lax.random`), see docs/random.md.
"""
