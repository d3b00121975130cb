"""The seed example: cube a 10000x10000 array eagerly and under jit."""

import time

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import jit


def cube(x):
    return x * x * x


x = jnp.ones((10000, 10000))
jit_cube = jit(cube)

start = time.perf_counter()
eager = cube(x)
eager_s = time.perf_counter() - start

start = time.perf_counter()
jitted = jit_cube(x)
jit_s = time.perf_counter() - start

assert np.all(np.asarray(eager) == 1.0) and np.all(np.asarray(jitted) == 1.0)
print("cube(x) == jit_cube(x) == ones:", True)
print(f"eager call: {eager_s:.3f} s, first jit call (trace + compile + run): {jit_s:.3f} s")
print("\nmlax IR (mlax.make_mlir(cube)(x)):")
print(mlax.make_mlir(cube)(x))
print("lowered IR (jit_cube.lower(x).as_text('linalg')):")
print(jit_cube.lower(x).as_text("linalg"))
