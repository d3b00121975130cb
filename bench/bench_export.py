"""Export and the native path: per-call time of mlax-compile's native object
(loaded with ctypes) next to mlax's IREE path, JAX and NumPy, in one run;
and mlax-compile's compile time next to IREE's.

    python bench/bench_export.py [--quick]

Rows: an MLP forward (784-512-512-10, batch 128, weights as arguments) and
the cube of a 4096x4096 array. Ratios > 1 mean the native path is faster.
Nothing here is a test.
"""

import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from common import median, use_fresh_cache

QUICK = "--quick" in sys.argv
use_fresh_cache()

import jax
import jax.numpy as jjnp
import mlax
import mlax.numpy as jnp
from mlax import export
from mlax._src.runtime import compiler
from mlax._src.transforms.native import load_native, mlax_compile_command


def mlp(np_):
    def predict(params, x):
        for w, b in params[:-1]:
            x = np_.maximum(x @ w + b, 0.0)
        w, b = params[-1]
        return x @ w + b

    return predict


def block(x):
    return x.block_until_ready() if hasattr(x, "block_until_ready") else x


def row(name, native, iree, jax_fn, numpy_fn, args, repeat):
    t_native = median(lambda: native(*args), repeat)
    t_iree = median(lambda: block(iree(*args)), repeat)
    jargs = [jax.device_put(a) for a in args]
    t_jax = median(lambda: block(jax_fn(*jargs)), repeat)
    t_np = median(lambda: numpy_fn(*args), repeat)
    want = numpy_fn(*[np.asarray(a, np.float64) for a in args])
    err_native = np.max(np.abs(native(*args)[0] - want))
    err_iree = np.max(np.abs(np.asarray(iree(*args)) - want))
    print(
        f"{name:34s} native {t_native * 1e3:8.3f} ms   IREE {t_iree * 1e3:8.3f} ms   "
        f"JAX {t_jax * 1e3:8.3f} ms   NumPy {t_np * 1e3:8.3f} ms   "
        f"native/IREE speed {t_iree / t_native:5.2f}x\n{'':34s} max error vs f64 NumPy: "
        f"native {err_native:.1e}, IREE {err_iree:.1e}"
    )


def compile_times(exp):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "m.mlir")
        with open(src, "w") as f:
            f.write(exp.mlir_module())
        t = time.perf_counter()
        subprocess.run(
            mlax_compile_command() + [src, "--emit=object", "-o", os.path.join(tmp, "m.o")],
            check=True,
        )
        t_native = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run(
            mlax_compile_command() + [src, "--emit=vmfb", "-o", os.path.join(tmp, "m.vmfb")],
            check=True,
        )
        t_vmfb = time.perf_counter() - t
        linalg = subprocess.run(
            mlax_compile_command() + [src, "--emit=mlir-linalg"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        t = time.perf_counter()
        # A comment changes the cache key, not the program: a real compile.
        compiler.compile_vmfb(linalg + f"\n// {time.time()}\n", compiler.COMPILE_FLAGS)
        t_iree = time.perf_counter() - t
    print(
        f"compile time, MLP forward: mlax-compile --emit=object {t_native:5.2f} s   "
        f"--emit=vmfb {t_vmfb:5.2f} s   IREE compile in process {t_iree:5.2f} s"
    )


def main():
    repeat = 10 if QUICK else 50
    print(f"mlax {mlax.__version__}, JAX {jax.__version__}, {os.cpu_count()} cores\n")
    rng = np.random.default_rng(0)
    sizes = (784, 512, 512, 10)
    params = [
        (rng.standard_normal((m, k)).astype(np.float32) / np.sqrt(m), np.zeros(k, np.float32))
        for m, k in zip(sizes[:-1], sizes[1:])
    ]
    x = rng.standard_normal((128, 784)).astype(np.float32)
    f = mlax.jit(mlp(jnp))
    exp = export.export(f)(params, x)
    native = load_native(exp, "mlp")
    flat = [a for wb in params for a in wb] + [x]
    jf = jax.jit(mlp(jjnp))

    def iree(*leaves):
        return f(
            [(leaves[0], leaves[1]), (leaves[2], leaves[3]), (leaves[4], leaves[5])], leaves[6]
        )

    def jax_call(*leaves):
        return jf(
            [(leaves[0], leaves[1]), (leaves[2], leaves[3]), (leaves[4], leaves[5])], leaves[6]
        )

    def numpy_call(*leaves):
        return mlp(np)(
            [(leaves[0], leaves[1]), (leaves[2], leaves[3]), (leaves[4], leaves[5])], leaves[6]
        )

    row("MLP forward 784-512-512-10, b=128", native, iree, jax_call, numpy_call, flat, repeat)

    n = 2048 if QUICK else 4096
    cube = mlax.jit(lambda a: a * a * a)
    a = rng.standard_normal((n, n)).astype(np.float32)
    native_cube = load_native(export.export(cube)(a), "cube")
    row(
        f"cube {n}x{n}",
        native_cube,
        cube,
        jax.jit(lambda a: a * a * a),
        lambda a: a * a * a,
        [a],
        max(3, repeat // 5),
    )
    compile_times(exp)


if __name__ == "__main__":
    main()
