"""Complex arithmetic and FFTs: mlax against JAX and NumPy, in one process.

    python bench/bench_fft.py [--quick]

Rows (complex64 / float32, jitted):
- fft of 64 x 4096;
- rfft2 of a 512 x 512 image;
- fft of a length-1,000,003 prime signal (Bluestein);
- exp(i x) * z over 4M elements;
- a complex 512 x 512 matmul.

Prints medians and the ratios JAX/mlax and NumPy/mlax (>= 1 means mlax is
at least as fast), and the first-call times. Nothing here is a test.
"""

import sys

import numpy as np
from common import block, median, once, use_fresh_cache

use_fresh_cache()

import jax  # noqa: E402
import jax.numpy as jjnp  # noqa: E402
import mlax  # noqa: E402
import mlax.numpy as jnp  # noqa: E402

QUICK = "--quick" in sys.argv
REPEAT = 3 if QUICK else 7
RNG = np.random.default_rng(0)


def c64(*shape):
    return (RNG.normal(size=shape) + 1j * RNG.normal(size=shape)).astype(np.complex64)


def row(name, m, j, n):
    print(
        f"{name:30s} mlax {m * 1e3:9.2f} ms  JAX {j * 1e3:9.2f} ms  NumPy {n * 1e3:9.2f} ms  "
        f"JAX/mlax {j / m:6.2f}  NumPy/mlax {n / m:6.2f}"
    )


def case(name, fm, fj, fn, *args):
    fm, fj = mlax.jit(fm), jax.jit(fj)
    _, first_m = once(lambda: block(fm(*args)))
    _, first_j = once(lambda: block(fj(*args)))
    t_m = median(lambda: block(fm(*args)), REPEAT)
    t_j = median(lambda: block(fj(*args)), REPEAT)
    t_n = median(lambda: fn(*args), REPEAT)
    row(name, t_m, t_j, t_n)
    print(f"{'':30s} first call: mlax {first_m:.2f} s, JAX {first_j:.2f} s")


def main():
    print(f"mlax {mlax.__version__}, JAX {jax.__version__}\n")
    rows = 16 if QUICK else 64
    x = c64(rows, 4096)
    case(f"fft {rows}x4096", jnp.fft.fft, jjnp.fft.fft, np.fft.fft, x)
    img = RNG.normal(size=(512, 512)).astype(np.float32)
    case("rfft2 512x512", jnp.fft.rfft2, jjnp.fft.rfft2, np.fft.rfft2, img)
    prime = 10007 if QUICK else 1_000_003
    p = c64(prime)
    case(f"fft of prime length {prime}", jnp.fft.fft, jjnp.fft.fft, np.fft.fft, p)
    n = 1 << (20 if QUICK else 22)
    r = RNG.normal(size=n).astype(np.float32)
    z = c64(n)
    case(
        f"exp(i x) * z, {n}",
        lambda a, b: jnp.exp(1j * a) * b,
        lambda a, b: jjnp.exp(1j * a) * b,
        lambda a, b: np.exp(1j * a) * b,
        r,
        z,
    )
    m = c64(512, 512)
    case("complex matmul 512", lambda a: a @ a, lambda a: a @ a, lambda a: a @ a, m)


if __name__ == "__main__":
    main()
