"""Platforms: which this process can run, and the IREE flags that compile
for each (issue 17).

mlax reaches hardware through IREE's HAL drivers: the CPU through
local-task/local-sync, NVIDIA GPUs through `cuda`, AMD GPUs through `hip`
(JAX's `rocm`) and any Vulkan GPU through `vulkan`. Discovery asks each GPU
driver for its devices and never raises: a driver whose library is missing
(no libcuda, no Vulkan loader) has no devices. A backend name that is not
present raises JAX's RuntimeError, listing the platforms that are.

The Python API runs on 'cpu' only so far; GPU devices are discovered
(`gpu_device_info`) and compiled for (`target_flags`: mlax-compile
--target, scripts/gpu), but arrays cannot be placed on them yet.
"""

import functools

from ..core.config import config

# JAX's platform name -> IREE HAL driver.
GPU_DRIVERS = {"cuda": "cuda", "rocm": "hip", "vulkan": "vulkan"}
# Platforms the Python API runs on.
RUNNABLE = ("cpu",)

# CUDA targets this IREE build has data for (sm_90 and later are not: a
# Hopper GPU gets sm_80 PTX, which its driver JIT-compiles; checked on an
# H200 by scripts/gpu).
CUDA_TARGETS = (60, 70, 75, 80, 86, 89)
CUDA_FALLBACK = "sm_80"
VULKAN_DEFAULT = "ampere"


def cuda_target(capability=None):
    """IREE's --iree-cuda-target for a compute capability ((9, 0), "9.0"
    or 90): the same one when IREE knows it, sm_80 past the newest it
    knows, else the newest known one below."""
    if capability is None:
        return CUDA_FALLBACK
    if isinstance(capability, str):
        capability = tuple(int(p) for p in capability.split("."))
    if isinstance(capability, tuple):
        capability = capability[0] * 10 + capability[1]
    if capability in CUDA_TARGETS:
        return f"sm_{capability}"
    if capability > CUDA_TARGETS[-1]:
        return CUDA_FALLBACK
    below = [c for c in CUDA_TARGETS if c < capability]
    if not below:
        raise ValueError(
            f"compute capability {capability / 10:.1f} is older than any CUDA target "
            f"IREE supports (sm_{CUDA_TARGETS[0]})"
        )
    return f"sm_{below[-1]}"


def target_flags(platform, target=None):
    """IREE compile flags for `platform` ('cpu', 'cuda', 'rocm', 'vulkan'):
    the target device, and the GPU target (`target`: a CUDA sm_XX or
    compute capability, a Vulkan or HIP target name)."""
    from .compiler import COMPILE_FLAGS

    if platform == "cpu":
        return tuple(COMPILE_FLAGS)
    keep_f64 = ("--iree-input-demote-f64-to-f32=false",)
    if platform == "cuda":
        if target is None or not str(target).startswith("sm_"):
            target = cuda_target(target)
        return ("--iree-hal-target-device=cuda", f"--iree-cuda-target={target}", *keep_f64)
    if platform == "rocm":
        return ("--iree-hal-target-device=hip", f"--iree-rocm-target={target or 'gfx942'}")
    if platform == "vulkan":
        # SPIR-V targets have no f64 in general: IREE's demotion stays on.
        return (
            "--iree-hal-target-device=vulkan",
            f"--iree-vulkan-target={target or VULKAN_DEFAULT}",
        )
    raise ValueError(
        f"no compile target for platform {platform!r}; expected cpu, cuda, rocm or vulkan"
    )


@functools.cache
def gpu_device_info(platform):
    """The devices IREE's driver for `platform` lists ([] when the driver
    or its library is missing), as dicts with 'device_id', 'path', 'name'."""
    driver = GPU_DRIVERS.get(platform)
    if driver is None:
        return []
    try:
        import iree.runtime as rt

        if driver not in rt.query_available_drivers():
            return []
        return list(rt.get_driver(driver).query_available_devices())
    except (RuntimeError, ValueError, OSError, ImportError):
        return []


def present_platforms():
    """Platforms with at least one device here, CPU first (as JAX lists
    them), limited to jax_platforms / MLAX_PLATFORMS when set."""
    present = ["cpu"] + [p for p in GPU_DRIVERS if gpu_device_info(p)]
    chosen = config.jax_platforms
    if chosen:
        wanted = [p.strip() for p in str(chosen).split(",") if p.strip()]
        present = [p for p in present if p in wanted or (p in GPU_DRIVERS and "gpu" in wanted)]
    return present


def check_backend(backend):
    """Raises JAX's RuntimeError for a backend that is not present or that
    the Python API does not run on yet."""
    if backend is None:
        return
    present = [p for p in present_platforms() if p in RUNNABLE]
    if backend in present:
        return
    if backend == "gpu":
        gpus = [p for p in present_platforms() if p in GPU_DRIVERS]
        if gpus:
            raise RuntimeError(
                f"Backend 'gpu' ({', '.join(gpus)}) is present, but mlax's Python API "
                "runs on 'cpu' only so far; compile for it with mlax-compile --target"
            )
        raise RuntimeError(
            "Unknown backend: 'gpu' requested, but no platforms that are instances of gpu "
            f"are present. Platforms present are: {','.join(present)}"
        )
    if backend in GPU_DRIVERS and gpu_device_info(backend):
        raise RuntimeError(
            f"Backend {backend!r} is present, but mlax's Python API runs on 'cpu' only so "
            "far; compile for it with mlax-compile --target"
        )
    raise RuntimeError(f"Unknown backend {backend}. Available backends are {present}")


def default_backend():
    """JAX prefers a GPU when one is present; mlax's Python API runs on the
    CPU only so far, so this is 'cpu'."""
    return RUNNABLE[0]
