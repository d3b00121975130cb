"""Runs the modules from scripts/gpu/prepare.py on a GPU and checks them.

Needs only numpy and iree.runtime (no mlax build, no IREE compiler). For
Vulkan on an NVIDIA machine without GL loaders, first unpack libvulkan1,
libglvnd0, libegl1, libgl1, libglx0, libopengl0 and libgles2 (.debs, `dpkg -x
f /; ldconfig`) and set VK_DRIVER_FILES to the driver's nvidia_icd.json. For
each workload and target it loads the module on the target's IREE driver,
runs it on the same seeded inputs, compares with the NumPy reference and
prints the median time of 10 calls next to JAX's (when JAX sees a GPU).
"""

import os
import statistics
import sys
import time

import numpy as np
import iree.runtime as rt

sys.path.insert(0, os.path.dirname(__file__))
from workloads import WORKLOADS  # noqa: E402

HERE = os.path.join(os.path.dirname(__file__), "..", "..", ".gpu")
DRIVERS = {"cuda": "cuda", "vulkan": "vulkan"}
failures = 0


def timed(fn, n=10):
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


for target, driver in DRIVERS.items():
    try:
        device = rt.get_device(driver)
    except Exception as err:  # noqa: BLE001 - report and go on
        print(f"[{target}] no IREE device: {err}")
        continue
    config = rt.Config(device=device)
    for name, (make_inputs, _, reference) in WORKLOADS.items():
        path = os.path.join(HERE, f"{name}.{target}.vmfb")
        inputs = make_inputs(np.random.default_rng(0))
        expected = reference(*inputs)
        try:
            ctx = rt.SystemContext(config=config)
            with open(path, "rb") as f:
                ctx.add_vm_module(rt.VmModule.copy_buffer(ctx.instance, f.read()))
            fn = ctx.modules.module["main"]
            dev_inputs = [rt.asdevicearray(device, x) for x in inputs]
            out = fn(*dev_inputs)
            out = out if isinstance(out, (list, tuple)) else [out]
            ok = True
            for got, want in zip(out, expected):
                got = np.asarray(got.to_host())
                tol = 1e-3 if want.dtype.kind == "f" else 0
                if got.shape != want.shape or not np.allclose(got, want, rtol=tol, atol=tol):
                    ok = False
                    err = (
                        np.max(np.abs(got.astype(np.float64) - want))
                        if got.shape == want.shape
                        else f"shape {got.shape} vs {want.shape}"
                    )
                    print(f"[{target}] {name}: MISMATCH (max err {err})")
            t = timed(
                lambda: [
                    o.to_host()
                    for o in (lambda r: r if isinstance(r, (list, tuple)) else [r])(fn(*dev_inputs))
                ]
            )
            print(
                f"[{target}] {name}: {'ok' if ok else 'WRONG'}; median call+readback "
                f"{t * 1e3:.3f} ms"
            )
            failures += 0 if ok else 1
        except Exception as err:  # noqa: BLE001
            failures += 1
            print(f"[{target}] {name}: FAILED {type(err).__name__}: {str(err)[:300]}")

try:
    import jax
    import jax.numpy as jnp

    if jax.default_backend() == "gpu":
        for name, (make_inputs, _, _) in WORKLOADS.items():
            if name not in ("cube", "matmul", "softmax"):
                continue
            fn = {
                "cube": lambda x: x * x * x,
                "matmul": lambda a, b: a @ b,
                "softmax": lambda x: jax.nn.softmax(x, axis=1),
            }[name]
            xs = [jnp.asarray(x) for x in make_inputs(np.random.default_rng(0))]
            jf = jax.jit(fn)
            t = timed(lambda: np.asarray(jf(*xs)))
            print(f"[jax-gpu] {name}: median call+readback {t * 1e3:.3f} ms")
except Exception as err:  # noqa: BLE001
    print(f"jax reference unavailable: {err}")

print(f"GPU check: {failures} failure(s)")
sys.exit(1 if failures else 0)
