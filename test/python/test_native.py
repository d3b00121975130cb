"""mlax-compile and the C++ embedding: every --emit mode; the native object's
results against the IREE path (jit) for every op of the dialect, through a
ctypes harness over a shared object linked from the object file; the C++
examples built with CMake and the system compiler, their outputs against
Python's; the same model's .vmfb under iree-run-module; 10,000 calls from C++
with stable memory; diagnostics of the tool and of the embed header."""

import os
import shutil
import subprocess
import sys

import mlax
import mlax.numpy as jnp
import numpy as np
import pytest
from mlax import export, lax, random
from mlax._src.transforms.native import compiler_command, load_native, mlax_compile_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CXX = shutil.which(os.environ.get("CXX", "c++")) or shutil.which("g++") or shutil.which("clang++")
CMAKE = shutil.which("cmake") or os.path.join(os.path.dirname(sys.executable), "cmake")

needs_cc = pytest.mark.skipif(compiler_command() is None, reason="no C compiler on this machine")
needs_cxx = pytest.mark.skipif(CXX is None, reason="no C++ compiler on this machine")


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)
    return proc


def compile_tool(*args, input_text=None):
    return subprocess.run(
        mlax_compile_command() + list(args),
        input=input_text,
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------------------
# Every op: native against IREE
# ---------------------------------------------------------------------------

RNG = np.random.default_rng(0)
F = RNG.uniform(-2, 2, (6, 16)).astype(np.float32)
G = RNG.uniform(0.5, 3, (6, 16)).astype(np.float32)
I = RNG.integers(-50, 50, (6, 16)).astype(np.int32)
J = RNG.integers(1, 7, (6, 16)).astype(np.int32)
U = RNG.integers(0, 2**32 - 1, (6, 16), dtype=np.uint64).astype(np.uint32)

# op name (docs/status.md row) -> (function, arguments)
OPS = {
    "constant": (lambda x: x + jnp.array([1.0, 2.0] * 8, jnp.float32), (F,)),
    "iota": (lambda x: x + lax.broadcasted_iota(jnp.float32, (6, 16), 1), (F,)),
    "convert": (lambda x: x.astype(jnp.int32), (F * 10,)),
    "bitcast_convert": (lambda x: lax.bitcast_convert_type(x, jnp.int32), (F,)),
    "neg": (lambda x: -x, (F,)),
    "abs": (jnp.abs, (F,)),
    "sign": (jnp.sign, (F,)),
    "not": (lambda i: ~i, (I,)),
    "exp": (jnp.exp, (F,)),
    "exp2": (jnp.exp2, (F,)),
    "log": (jnp.log, (G,)),
    "log1p": (jnp.log1p, (G,)),
    "expm1": (jnp.expm1, (F,)),
    "sqrt": (jnp.sqrt, (G,)),
    "rsqrt": (lax.rsqrt, (G,)),
    "cbrt": (jnp.cbrt, (F,)),
    "sin": (jnp.sin, (F,)),
    "cos": (jnp.cos, (F,)),
    "tan": (jnp.tan, (F * 0.5,)),
    "tanh": (jnp.tanh, (F,)),
    "logistic": (lax.logistic, (F,)),
    "erf": (lax.erf, (F,)),
    "erf_inv": (lax.erf_inv, (F * 0.45,)),
    "floor": (jnp.floor, (F * 3,)),
    "ceil": (jnp.ceil, (F * 3,)),
    "round": (jnp.round, (F * 3,)),
    "integer_pow": (lambda x: x**3, (F,)),
    "is_finite": (jnp.isfinite, (np.where(F > 1, np.inf, np.where(F < -1, np.nan, F)),)),
    "add": (jnp.add, (F, G)),
    "sub": (jnp.subtract, (F, G)),
    "mul": (jnp.multiply, (F, G)),
    "div": (jnp.divide, (F, G)),
    "rem": (lax.rem, (I, J)),
    "pow": (jnp.power, (G, F)),
    "max": (jnp.maximum, (F, G)),
    "min": (jnp.minimum, (F, G)),
    "atan2": (jnp.arctan2, (F, G)),
    "and": (jnp.bitwise_and, (I, J)),
    "or": (jnp.bitwise_or, (I, J)),
    "xor": (jnp.bitwise_xor, (I, J)),
    "shift_left": (lax.shift_left, (I, J)),
    "shift_right_logical": (lax.shift_right_logical, (I, J)),
    "shift_right_arithmetic": (lax.shift_right_arithmetic, (I, J)),
    "compare": (lambda a, b: a < b, (F, G - 1.5)),
    "select": (lambda a, b: jnp.where(a > 0, a, b), (F, G)),
    "clamp": (lambda x: lax.clamp(-0.5, x, 0.5), (F,)),
    "broadcast_in_dim": (lambda v: jnp.broadcast_to(v, (6, 16)), (F[0],)),
    "reshape": (lambda x: x.reshape(4, 24), (F,)),
    "transpose": (lambda x: x.T, (F,)),
    "rev": (lambda x: x[:, ::-1], (F,)),
    "concatenate": (lambda a, b: jnp.concatenate([a, b], 1), (F, G)),
    "pad": (lambda x: lax.pad(x, np.float32(0.5), ((1, 2, 0), (0, 3, 1))), (F,)),
    "slice": (lambda x: x[1:5, 2:14:3], (F,)),
    "dynamic_slice": (lambda x, i: lax.dynamic_slice(x, (i, 2), (3, 5)), (F, np.int32(2))),
    "dynamic_update_slice": (
        lambda x, u: lax.dynamic_update_slice(x, u, (1, 3)),
        (F, G[:2, :4]),
    ),
    "reduce_sum": (lambda x: x.sum(1), (F,)),
    "reduce_prod": (lambda x: x.prod(0), (G,)),
    "reduce_max": (lambda x: x.max(1), (F,)),
    "reduce_min": (lambda x: x.min(0), (F,)),
    "reduce_and": (lambda x: jnp.all(x > -1.5, 1), (F,)),
    "reduce_or": (lambda x: jnp.any(x > 1.5, 1), (F,)),
    "argmax": (lambda x: jnp.argmax(x, 1), (F,)),
    "argmin": (lambda x: jnp.argmin(x, 0), (F,)),
    "dot_general": (lambda a, b: a @ b.T, (F, G)),
    "threefry2x32": (lambda k: random.uniform(k, (6, 16)), (np.array([0, 42], np.uint32),)),
    "stop_gradient": (lambda x: lax.stop_gradient(x) * 2, (F,)),
    "optimization_barrier": (lambda x: lax.optimization_barrier(x) + 1, (F,)),
    "cond": (
        lambda p, x: lax.cond(p > 0, lambda v: jnp.sin(v) * 2, lambda v: v * v, x),
        (np.float32(1.0), F),
    ),
    "while": (
        lambda x: lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * 1.1), (0, x))[1],
        (F,),
    ),
    "scan": (
        lambda x: lax.scan(lambda c, v: (jnp.tanh(c * 0.5 + v), c * v), jnp.zeros(16), x)[1],
        (F,),
    ),
    "uint32": (lambda u, v: (u * v + (u >> 3)) ^ v, (U, U[::-1])),
    "float64_math": (lambda x: jnp.sin(x.astype(jnp.float32)) * 2, (F,)),
    "batched_dot": (
        lambda a, b: jnp.einsum("bij,bkj->bik", a, b),
        (F.reshape(2, 3, 16), G.reshape(2, 3, 16)),
    ),
    "sort": (lambda x: lax.sort(x, dimension=1), (F,)),
    "top_k": (lambda x: lax.top_k(x, 3)[1], (F,)),
    "cumsum": (lambda x: lax.cumsum(x, axis=1, reverse=True), (I,)),
    "cumprod": (lambda x: lax.cumprod(x % 3 - 1, axis=1), (I,)),
    "cummax": (lambda x: lax.cummax(x, axis=1, reverse=True), (F,)),
    "cummin": (lambda u: lax.cummin(u, axis=0), (U,)),
    "cumlogsumexp": (lambda x: lax.cumlogsumexp(x, axis=1), (F,)),
    "gather": (lambda x: x[np.array([5, 0, 2, 2])], (F,)),
    "scatter": (
        lambda x, u: x.at[np.array([5, 0, 9, 0])].add(u).at[np.array([1, 1])].max(u[:2]),
        (F, G[:4]),
    ),
    # Complex values inside, float arguments and results.
    "complex": (lambda a, b: jnp.abs(lax.complex(a, b) * lax.complex(b, a)), (F, G)),
    "real": (lambda a, b: lax.real(jnp.exp(lax.complex(a, b))), (F, G)),
    "imag": (
        lambda a, b: lax.imag(jnp.log(lax.complex(a, b)) + jnp.sqrt(lax.complex(b, a))),
        (F, G),
    ),
    "conj": (lambda a, b: lax.real(lax.conj(lax.complex(a, b)) * lax.complex(b, a)), (F, G)),
    "matmul_large": (
        lambda a, b: a @ b,
        (
            RNG.standard_normal((40, 72)).astype(np.float32),
            RNG.standard_normal((72, 33)).astype(np.float32),
        ),
    ),
}

TRANSCENDENTAL = {
    "exp",
    "exp2",
    "log",
    "log1p",
    "expm1",
    "sin",
    "cos",
    "tan",
    "tanh",
    "logistic",
    "pow",
    "atan2",
    "cbrt",
    "erf",
    "erf_inv",
    "rsqrt",
    "float64_math",
    "cumlogsumexp",
    "cond",
    "scan",
    # complex arithmetic expanded by different passes (rounding differs)
    "complex",
    "real",
    "imag",
    "conj",
}


@pytest.fixture(scope="module")
def native_ops(tmp_path_factory):
    """One module per op family would hide which op broke; one shared object
    per op keeps failures named, and the objects build in one pass here."""
    return tmp_path_factory.mktemp("native_ops")


@needs_cc
@pytest.mark.parametrize("name", sorted(OPS))
def test_native_op_matches_iree(name, native_ops):
    fn, args = OPS[name]
    jitted = mlax.jit(fn)
    exp = export.export(jitted)(*args)
    native = load_native(exp, f"op_{name}", workdir=str(native_ops))
    before = [np.array(a, copy=True) for a in args]
    got = native(*args)[0]
    # The caller's inputs stay untouched (in-place updates write copies).
    for a, b in zip(args, before):
        np.testing.assert_array_equal(np.asarray(a), b)
    want = np.asarray(jitted(*args))
    assert got.shape == want.shape and got.dtype == want.dtype
    if name in TRANSCENDENTAL:
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)
    elif name in ("dot_general", "batched_dot", "matmul_large", "reduce_sum", "reduce_prod"):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(got, want)


@needs_cc
def test_native_multiple_results_and_pytrees(tmp_path):
    f = mlax.jit(lambda p, x: {"y": jnp.tanh(x @ p["w"] + p["b"]), "n": jnp.sum(x * x)})
    p = {"w": F[:4].T.copy(), "b": G[0, :4].copy()}
    x = F[:3].copy()
    exp = export.export(f)(p, x)
    native = load_native(exp, "tree", workdir=str(tmp_path))
    got = native(p["b"], p["w"], x)  # leaves in tree order: b, w, then x
    want = f(p, x)
    np.testing.assert_allclose(got[0], np.asarray(want["n"]), rtol=1e-6)
    np.testing.assert_allclose(got[1], np.asarray(want["y"]), rtol=2e-6, atol=1e-6)


# ---------------------------------------------------------------------------
# The tool: every --emit mode, diagnostics
# ---------------------------------------------------------------------------

CUBE = os.path.join(ROOT, "examples", "cube.mlir")


@pytest.mark.parametrize(
    "emit,marker",
    [
        ("mlir-linalg", "linalg.generic"),
        ("mlir-llvm", "llvm.func @cube_cube("),
        ("llvm", "define void @cube_cube("),
        ("header", "void cube_cube(const float *in0, float *out0);"),
    ],
)
def test_emit_text_modes(emit, marker):
    proc = compile_tool(CUBE, f"--emit={emit}", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout


def test_emit_object_is_relocatable_elf(tmp_path):
    out = tmp_path / "cube.o"
    proc = compile_tool(CUBE, "--emit=object", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:4] == b"\x7fELF" and data[16] == 1  # ET_REL
    generic = tmp_path / "cube_generic.o"
    proc = compile_tool(
        CUBE,
        "--emit=object",
        "--target-triple=aarch64-linux-gnu",
        "--target-cpu=generic",
        "-o",
        str(generic),
    )
    assert proc.returncode == 0, proc.stderr
    assert generic.read_bytes()[18] == 183  # e_machine EM_AARCH64


def test_emit_vmfb_runs_in_iree(tmp_path):
    from iree import runtime as rt

    out = tmp_path / "cube.vmfb"
    proc = compile_tool(CUBE, "--emit=vmfb", "--target=llvm-cpu", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    config = rt.Config("local-task")
    ctx = rt.SystemContext(config=config)
    ctx.add_vm_module(rt.VmModule.copy_buffer(ctx.instance, out.read_bytes()))
    x = F[:4, :4].copy()
    x = np.full((10000, 10000), 2.0, np.float32)
    got = np.asarray(ctx.modules.module["cube"](x))
    assert got.shape == x.shape and (got == 8.0).all()


def test_exported_artifact_is_an_input(tmp_path):
    exp = export.export(mlax.jit(lambda x: x * 3.0))(np.ones(4, np.float32))
    art = tmp_path / "triple.mlaxexp"
    art.write_bytes(exp.serialize())
    proc = compile_tool(str(art), "--emit=header", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert "void triple(const float *in0, float *out0);" in proc.stdout
    bad = tmp_path / "bad.mlaxexp"
    bad.write_bytes(bytes(exp.serialize())[:20])
    proc = compile_tool(str(bad), "--emit=object", "-o", str(tmp_path / "b.o"))
    assert proc.returncode == 1 and "error" in proc.stderr


@pytest.mark.parametrize(
    "source,message",
    [
        (
            ("func.func private @f(%x: tensor<2xf32>) -> tensor<2xf32> { return %x : tensor<2xf32> }\n"
            "func.func @main(%x: tensor<2xf32>, %t: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {\n"
            "  %0:2 = mlax.vjp @f(%x, %t) active = [true] : (tensor<2xf32>, tensor<2xf32>) -> "
            "(tensor<2xf32>, tensor<2xf32>)\n"
            "  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32> }"),
            "unexpanded transformation request 'mlax.vjp'",
        ),
        (
            ("func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
            "  %0 = mlax.frobnicate %x : tensor<2xf32>\n  return %0 : tensor<2xf32> }"),
            "mlax.frobnicate",
        ),
        (
            "func.func @main(%x: tensor<?xf32>) -> tensor<?xf32> { return %x : tensor<?xf32> }",
            "needs static shapes",
        ),
        (
            "func.func private @f(%x: tensor<2xf32>) -> tensor<2xf32> { return %x : tensor<2xf32> }",
            "no public function",
        ),
        ("func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {", "expected"),
    ],
)
def test_diagnostics_and_nonzero_exit(tmp_path, source, message):
    path = tmp_path / "bad.mlir"
    path.write_text(source)
    proc = compile_tool(str(path), "--emit=object", "-o", str(tmp_path / "x.o"))
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr
    assert "Stack dump" not in proc.stderr and "LLVM ERROR" not in proc.stderr


def test_unsupported_targets_are_diagnostics(tmp_path):
    proc = compile_tool(
        CUBE, "--emit=object", "--target-triple=nonsense-cpu-none", "-o", str(tmp_path / "x.o")
    )
    assert proc.returncode == 1 and "unsupported target triple" in proc.stderr
    proc = compile_tool(CUBE, "--emit=vmfb", "--target=tpu", "-o", str(tmp_path / "x.vmfb"))
    assert proc.returncode == 1 and "unsupported --target=tpu" in proc.stderr
    proc = compile_tool(CUBE, "--emit=object", "--functions=nope", "-o", str(tmp_path / "x.o"))
    assert proc.returncode == 1 and "@nope" in proc.stderr


# ---------------------------------------------------------------------------
# C++: the examples through CMake, the leak check, the embed header
# ---------------------------------------------------------------------------


def _cmake_build(example, model_dir, build_dir):
    mlax_dir = run([sys.executable, "-m", "mlax.cmake"]).stdout.strip()
    proc = run(
        [
            CMAKE,
            "-S",
            os.path.join(ROOT, "examples", "cpp", example),
            "-B",
            str(build_dir),
            f"-Dmlax_DIR={mlax_dir}",
            f"-DMLAX_MODEL_DIR={model_dir}",
            f"-DCMAKE_CXX_COMPILER={CXX}",
            "-DCMAKE_BUILD_TYPE=Release",
        ]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run([CMAKE, "--build", str(build_dir)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_cxx
def test_cpp_mlp_example_prints_pythons_predictions(tmp_path):
    model = tmp_path / "model"
    proc = run(
        [
            sys.executable,
            os.path.join(ROOT, "examples", "cpp", "mlp", "export_model.py"),
            str(model),
        ]
    )
    assert proc.returncode == 0, proc.stderr
    _cmake_build("mlp", model, tmp_path / "build")
    proc = run([str(tmp_path / "build" / "mlp"), str(model)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = np.array([float(v) for v in proc.stdout.split()])
    want = np.loadtxt(model / "expected.txt")
    assert got.shape == (64,)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert "max |predict - predict_params| = 0" in proc.stderr
    assert "ShapeError: predict: input 0 has shape [32, 4], expected [64, 2]" in proc.stderr

    # The same model as a .vmfb under IREE's own runner.
    vmfb = tmp_path / "predict.vmfb"
    proc = compile_tool(str(model / "predict.mlaxexp"), "--emit=vmfb", "-o", str(vmfb))
    assert proc.returncode == 0, proc.stderr
    runner = os.path.join(os.path.dirname(sys.executable), "iree-run-module")
    out_npy = tmp_path / "out.npy"
    proc = run(
        [
            runner,
            f"--module={vmfb}",
            "--device=local-task",
            "--function=main",
            f"--input=@{model / 'inputs.npy'}",
            f"--output=@{out_npy}",
        ]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    np.testing.assert_allclose(np.load(out_npy).ravel(), want, rtol=1e-5, atol=1e-6)


@needs_cxx
def test_cpp_grad_example_computes_pythons_gradients(tmp_path):
    model = tmp_path / "model"
    proc = run(
        [
            sys.executable,
            os.path.join(ROOT, "examples", "cpp", "grad", "export_grad.py"),
            str(model),
        ]
    )
    assert proc.returncode == 0, proc.stderr
    _cmake_build("grad", model, tmp_path / "build")
    proc = run([str(tmp_path / "build" / "grad"), str(model)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = np.array([float(v) for v in proc.stdout.split()])
    want = np.loadtxt(model / "expected.txt")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    assert "gradient norm" in proc.stderr


LEAK_DRIVER = r"""
#include "model.h"
#include <cstdio>
#include <fstream>
#include <string>
static long rss_pages() {
  std::ifstream f("/proc/self/statm");
  long size = 0, rss = 0;
  f >> size >> rss;
  return rss;
}
int main() {
  mlax::Tensor<float> x({64, 256});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = 0.001f * (i % 97);
  mlax::Tensor<float> y({64, 64});
  long after_warmup = 0;
  for (int i = 0; i < 10000; ++i) {
    mlax::generated::model(x, y);               // caller-provided output
    mlax::Tensor<float> z = mlax::generated::model(x);  // allocating form
    if (i == 100) after_warmup = rss_pages();
  }
  std::printf("%ld %ld\n", after_warmup, rss_pages());
}
"""


@needs_cxx
def test_ten_thousand_calls_from_cpp_keep_memory_stable(tmp_path):
    # Temporaries inside (the hidden layer, a transpose) are malloc'ed and
    # must be freed on every call.
    w = RNG.standard_normal((256, 128)).astype(np.float32)
    v = RNG.standard_normal((64, 128)).astype(np.float32)
    f = mlax.jit(lambda x: jnp.tanh(x @ w) @ v.T + jnp.sum(x))
    exp = export.export(f)(mlax.ShapeDtypeStruct((64, 256), np.float32))
    (tmp_path / "model.mlir").write_text(exp.mlir_module())
    for emit, out in (("object", "model.o"), ("header", "model.h")):
        proc = compile_tool(
            str(tmp_path / "model.mlir"), f"--emit={emit}", "-o", str(tmp_path / out)
        )
        assert proc.returncode == 0, proc.stderr
    (tmp_path / "main.cpp").write_text(LEAK_DRIVER)
    include = run([sys.executable, "-c", "import mlax.cmake as c; print(c.get_include_dir())"])
    proc = run(
        [
            CXX,
            "-std=c++17",
            "-O2",
            f"-I{include.stdout.strip()}",
            f"-I{tmp_path}",
            str(tmp_path / "main.cpp"),
            str(tmp_path / "model.o"),
            "-lm",
            "-pthread",
            "-o",
            str(tmp_path / "leak"),
        ]
    )
    assert proc.returncode == 0, proc.stderr
    proc = run([str(tmp_path / "leak")])
    assert proc.returncode == 0, proc.stderr
    warm, final = map(int, proc.stdout.split())
    # 10,000 leaked hidden layers (64x128 f32 = 32 KiB each) would be 80,000 pages.
    assert final - warm < 64, (warm, final)


EMBED_ERRORS = r"""
#include <mlax/embed.h>
#include <cstdio>
#include <vector>
int main() {
  int caught = 0;
  std::vector<float> v(5);
  try { mlax::View<float> bad(v, {2, 3}); } catch (const mlax::ShapeError &e) {
    std::printf("%s\n", e.what()); ++caught; }
  try { mlax::Tensor<float> t({2, -1}); } catch (const mlax::ShapeError &e) {
    std::printf("%s\n", e.what()); ++caught; }
  try { mlax::check_shape({2, 3}, {3, 2}, "f", "input 1"); } catch (const mlax::ShapeError &e) {
    std::printf("%s\n", e.what()); ++caught; }
  mlax::Tensor<float> t({2, 2}, {1, 2, 3, 4});
  mlax::Tensor<float> u = t;  // deep copy
  u[0] = 9;
  std::printf("%g %g %d\n", t[0], u[0], caught);
}
"""


@needs_cxx
def test_embed_header_reports_bad_shapes(tmp_path):
    (tmp_path / "e.cpp").write_text(EMBED_ERRORS)
    include = run([sys.executable, "-c", "import mlax.cmake as c; print(c.get_include_dir())"])
    proc = run(
        [
            CXX,
            "-std=c++17",
            "-Wall",
            "-Werror",
            f"-I{include.stdout.strip()}",
            str(tmp_path / "e.cpp"),
            "-pthread",
            "-o",
            str(tmp_path / "e"),
        ]
    )
    assert proc.returncode == 0, proc.stderr
    lines = run([str(tmp_path / "e")]).stdout.splitlines()
    assert lines == [
        "mlax::View: 5 values for shape [2, 3]",
        "mlax: negative dimension in shape [2, -1]",
        "f: input 1 has shape [2, 3], expected [3, 2]",
        "1 9 3",
    ]


def test_cmake_dir_commands_agree():
    a = run([sys.executable, "-m", "mlax.cmake"]).stdout.strip()
    b = compile_tool("--cmake-dir").stdout.strip()
    assert a == b and os.path.exists(os.path.join(a, "mlaxConfig.cmake"))
    assert os.path.exists(os.path.join(os.path.dirname(a), "include", "mlax", "embed.h"))


@needs_cc
def test_large_ops_run_on_threads_and_match_iree(tmp_path):
    # 128 x 512 x 256: above mlax-compile's parallel threshold, so the row
    # tiles run on the embed.h thread pool (every hardware thread).
    a = RNG.standard_normal((128, 512)).astype(np.float32)
    b = RNG.standard_normal((512, 256)).astype(np.float32)
    f = mlax.jit(lambda a, b: jnp.tanh(a @ b / 20.0) + jnp.sum(a))
    exp = export.export(f)(a, b)
    threaded = load_native(exp, "threaded", workdir=str(tmp_path))
    serial = load_native(exp, "serial", workdir=str(tmp_path), extra_flags=["--parallel=false"])
    want = np.asarray(f(a, b))
    for native in (threaded, serial):
        for _ in range(3):  # the pool is reused across calls
            np.testing.assert_allclose(native(a, b)[0], want, rtol=1e-5, atol=1e-5)
    symbols = run(["nm", os.path.join(str(tmp_path), "threaded.o")]).stdout
    assert "__kmpc_fork_call" in symbols
    assert "__kmpc_fork_call" not in run(["nm", os.path.join(str(tmp_path), "serial.o")]).stdout


@pytest.mark.parametrize(
    "target,flags",
    [("vulkan-spirv", []), ("cuda", []), ("rocm", ["--iree-rocm-target=gfx942"])],
)
def test_emit_vmfb_for_gpu_targets(tmp_path, target, flags):
    # Compiled only: this machine has no GPU to run them on.
    out = tmp_path / f"cube_{target}.vmfb"
    proc = compile_tool(CUBE, "--emit=vmfb", f"--target={target}", *flags, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 1000
