"""mlax.example_libraries: as jax.example_libraries (optimizers, stax)."""
