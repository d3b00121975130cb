"""Trains the small MLP of examples/mlp_sgd.py and exports its predict
function for the C++ program beside this file.

    python examples/cpp/mlp/export_model.py [OUTDIR]    (default: model/ here)

Writes to OUTDIR:
  predict.mlir          jit(predict) with the trained weights baked in
  predict.mlaxexp       the same Exported, serialized (mlax-compile reads it)
  predict_params.mlir   jit(predict) taking the weights as arguments
  params.bin            the weights (w1, b1, w2, b2, w3, b3; f32, row-major)
  inputs.bin / .npy     64 x 2 f32 inputs
  expected.txt          Python's predictions for them, one per line
"""

import os
import sys

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax import export

BATCH = 64


def init(rng, sizes):
    return [
        (jnp.asarray(rng.standard_normal((m, n)).astype(np.float32) / np.sqrt(m)), jnp.zeros(n))
        for m, n in zip(sizes[:-1], sizes[1:])
    ]


def predict(params, x):
    for w, b in params[:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params[-1]
    return x @ w + b


def loss(params, x, y):
    return jnp.mean((predict(params, x) - y) ** 2)


@mlax.jit
def step(params, x, y):
    value, grads = mlax.value_and_grad(loss)(params, x, y)
    return [(w - 0.1 * gw, b - 0.1 * gb) for (w, b), (gw, gb) in zip(params, grads)], value


def train():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (256, 2)).astype(np.float32)
    y = (np.sin(3 * x[:, :1]) * np.cos(2 * x[:, 1:])).astype(np.float32)
    params = init(rng, [2, 32, 32, 1])
    for _ in range(300):
        params, value = step(params, x, y)
    print(f"trained: loss {float(value):.5f}")
    return params


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    params = train()
    x = np.random.default_rng(1).uniform(-1, 1, (BATCH, 2)).astype(np.float32)
    spec = mlax.ShapeDtypeStruct((BATCH, 2), np.float32)

    baked = mlax.jit(lambda x: predict(params, x))
    exp = export.export(baked)(spec)
    with open(os.path.join(outdir, "predict.mlir"), "w") as f:
        f.write(exp.mlir_module())
    with open(os.path.join(outdir, "predict.mlaxexp"), "wb") as f:
        f.write(exp.serialize())

    exp_params = export.export(mlax.jit(predict))(params, spec)
    with open(os.path.join(outdir, "predict_params.mlir"), "w") as f:
        f.write(exp_params.mlir_module())
    flat = np.concatenate([np.asarray(p).ravel() for wb in params for p in wb])
    flat.astype(np.float32).tofile(os.path.join(outdir, "params.bin"))

    x.tofile(os.path.join(outdir, "inputs.bin"))
    np.save(os.path.join(outdir, "inputs.npy"), x)
    out = np.asarray(baked(x)).ravel()
    with open(os.path.join(outdir, "expected.txt"), "w") as f:
        f.writelines(f"{v:.6e}\n" for v in out)
    print(f"exported to {outdir}: first predictions {out[:3]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "model"))
