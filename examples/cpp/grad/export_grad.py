"""Exports jit(grad(loss)) of a small least-squares model for the C++
program beside this file: derivatives in C++ with no Python.

    python examples/cpp/grad/export_grad.py [OUTDIR]   (default: model/ here)

Writes to OUTDIR: loss_grad.mlir (inputs w f32[8,4], b f32[4], x f32[32,8],
y f32[32,4]; outputs dw, db), inputs.bin (w, b, x, y in that order) and
expected.txt (Python's dw then db, one value per line).
"""

import os
import sys

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import export


def loss(params, x, y):
    w, b = params
    return jnp.mean((jnp.tanh(x @ w + b) - y) ** 2)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(0)
    w = rng.standard_normal((8, 4)).astype(np.float32) * 0.5
    b = rng.standard_normal(4).astype(np.float32) * 0.1
    x = rng.standard_normal((32, 8)).astype(np.float32)
    y = rng.standard_normal((32, 4)).astype(np.float32)
    f = mlax.jit(mlax.grad(loss))
    exp = export.export(f)((w, b), x, y)
    with open(os.path.join(outdir, "loss_grad.mlir"), "w") as fh:
        fh.write(exp.mlir_module())
    np.concatenate([w.ravel(), b, x.ravel(), y.ravel()]).tofile(os.path.join(outdir, "inputs.bin"))
    dw, db = f((w, b), x, y)
    with open(os.path.join(outdir, "expected.txt"), "w") as fh:
        fh.writelines(f"{v:.6e}\n" for v in np.concatenate([np.ravel(dw), np.ravel(db)]))
    print(f"exported jit(grad(loss)) to {outdir}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "model"))
