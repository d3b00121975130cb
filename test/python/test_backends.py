"""Platforms and compile targets (runtime/backends.py, issue 17), on a
machine without a GPU: device discovery finds none and never raises, the
backend errors are JAX's, and every GPU-check workload compiles for CUDA
and Vulkan (a device is needed only to run them: scripts/gpu)."""

import ctypes.util
import os
import sys

import jax
import mlax
import numpy as np
import pytest
from mlax._src.runtime import backends, compiler

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "gpu"))
from workloads import WORKLOADS

NO_CUDA = ctypes.util.find_library("cuda") is None
NO_VULKAN = ctypes.util.find_library("vulkan") is None


def _outcome(fn):
    try:
        return repr(fn())
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return f"{type(e).__name__}: {e}"


@pytest.mark.skipif(not (NO_CUDA and NO_VULKAN), reason="a GPU driver library is installed")
def test_discovery_without_a_gpu_lists_nothing_and_never_raises():
    for platform in ("cuda", "rocm", "vulkan", "metal"):
        assert backends.gpu_device_info(platform) == []
    assert backends.present_platforms() == ["cpu"]
    assert mlax.default_backend() == "cpu"


@pytest.mark.skipif(not (NO_CUDA and NO_VULKAN), reason="a GPU driver library is installed")
@pytest.mark.parametrize(
    "call",
    [
        "devices('gpu')",
        "devices('cuda')",
        "devices('vulkan')",
        "devices('metal')",
        "devices('cpu')",
        "devices()",
        "local_devices(backend='gpu')",
        "device_count('rocm')",
        "local_device_count('cpu')",
        "default_backend()",
        "jit(lambda x: x + 1, backend='cuda')(1.0)",
        "jit(lambda x: x + 1, backend='gpu')(1.0)",
        "jit(lambda x: x + 1, backend='cpu')(1.0)",
    ],
)
def test_backend_errors_match_jax(call):
    got = _outcome(lambda: eval("lib." + call, {"lib": mlax}))
    want = _outcome(lambda: eval("lib." + call, {"lib": jax}))
    assert got.replace("Array(", "").split(",")[0] == want.replace("Array(", "").split(",")[0]


def test_jit_with_a_missing_backend_fails_when_called_not_when_made():
    f = mlax.jit(lambda x: x * 2, backend="tpu")
    with pytest.raises(RuntimeError, match="Unknown backend tpu"):
        f(np.ones(2, np.float32))


@pytest.mark.parametrize(
    "capability, target",
    [
        ((8, 0), "sm_80"),
        ((8, 6), "sm_86"),
        ("8.9", "sm_89"),
        (75, "sm_75"),
        ((7, 2), "sm_70"),  # a Jetson Xavier: the newest known below it
        ((9, 0), "sm_80"),  # Hopper: sm_80 PTX, JIT-compiled by the driver
        ((12, 0), "sm_80"),
        (None, "sm_80"),
    ],
)
def test_cuda_target_for_a_compute_capability(capability, target):
    assert backends.cuda_target(capability) == target


def test_too_old_a_gpu_is_a_clear_error():
    with pytest.raises(ValueError, match="older than any CUDA target"):
        backends.cuda_target((5, 2))


def test_target_flags_and_cache_keys_differ_by_target():
    assert backends.target_flags("cpu") == tuple(compiler.COMPILE_FLAGS)
    cuda = backends.target_flags("cuda", (8, 6))
    assert "--iree-hal-target-device=cuda" in cuda and "--iree-cuda-target=sm_86" in cuda
    assert "--iree-cuda-target=sm_90" not in backends.target_flags("cuda", "9.0")
    assert "--iree-vulkan-target=ampere" in backends.target_flags("vulkan")
    assert "--iree-vulkan-target=rdna3" in backends.target_flags("vulkan", "rdna3")
    with pytest.raises(ValueError, match="no compile target for platform 'tpu'"):
        backends.target_flags("tpu")
    text = "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> { return %a : tensor<4xf32> }"
    keys = {compiler.cache_key(text, backends.target_flags(p)) for p in ("cpu", "cuda", "vulkan")}
    keys.add(compiler.cache_key(text, backends.target_flags("cuda", (8, 6))))
    assert len(keys) == 4


@pytest.mark.parametrize("platform", ["cuda", "vulkan"])
def test_every_gpu_workload_compiles_for_the_target(platform):
    """One process holds CPU and GPU executables of the same function: the
    compile cache keys them by target."""
    for name, (make_inputs, mlax_fn, reference) in WORKLOADS.items():
        inputs = make_inputs(np.random.default_rng(0))
        args = [mlax.numpy.asarray(a) for a in inputs]
        text = mlax.jit(mlax_fn).lower(*args).as_text("linalg")
        gpu = compiler.compile_vmfb(text, backends.target_flags(platform))
        cpu = compiler.compile_vmfb(text, backends.target_flags("cpu"))
        assert len(gpu) > 1000 and gpu != cpu, name
        if name in ("cube", "matmul"):
            continue  # large: run on the CPU by other tests
        # The CPU executable of the same function still runs, and is right.
        got = mlax.tree_util.tree_leaves(mlax.jit(mlax_fn)(*args))
        for g, w in zip(got, reference(*inputs)):
            np.testing.assert_allclose(np.asarray(g), w, rtol=2e-4, atol=1e-4)
