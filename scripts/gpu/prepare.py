"""Builds mlax modules for the GPU check (run here, on the CPU machine).

Traces and lowers a few workloads with mlax, compiles the lowered IR with
iree-compile for CUDA (sm_80 PTX, which runs on Hopper too; this IREE build
knows no sm_90 target data) and Vulkan (SPIR-V for an Ampere-class GPU),
and writes .gpu/NAME.{cuda,vulkan}.vmfb. scripts/gpu/run.py runs them on a
GPU machine and checks them against NumPy.
"""

import os
import subprocess
import sys

import mlax
import mlax.numpy as jnp
import numpy as np
from mlax._src.runtime.backends import target_flags

sys.path.insert(0, os.path.dirname(__file__))
from workloads import WORKLOADS

OUT = os.path.join(os.path.dirname(__file__), "..", "..", ".gpu")
IREE_COMPILE = os.path.join(os.path.dirname(sys.executable), "iree-compile")
TARGETS = {platform: list(target_flags(platform)) for platform in ("cuda", "vulkan")}

os.makedirs(OUT, exist_ok=True)
for name, (make_inputs, mlax_fn, _) in WORKLOADS.items():
    args = [jnp.asarray(a) for a in make_inputs(np.random.default_rng(0))]
    text = mlax.jit(mlax_fn).lower(*args).as_text("linalg")
    src = os.path.join(OUT, f"{name}.mlir")
    with open(src, "w") as f:
        f.write(text)
    for target, flags in TARGETS.items():
        dst = os.path.join(OUT, f"{name}.{target}.vmfb")
        subprocess.run([IREE_COMPILE, *flags, src, "-o", dst], check=True)
        print(f"{name}: {target} module {os.path.getsize(dst)} bytes")
