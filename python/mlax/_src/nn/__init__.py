"""The nn floor: neural-network helpers (jax.nn) built on mlax.numpy.

May import: everything below `numpy`, and `numpy`.
"""
