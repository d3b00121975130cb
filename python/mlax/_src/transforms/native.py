"""Loading mlax-compile's native objects into Python (ctypes), for the tests
and benchmarks that compare the native path with the IREE path.

`load_native(exported)` writes the module, runs `mlax-compile --emit=object`,
links the object (and the thread runtime of mlax/embed.h) into a shared
library with the system C++ compiler, and returns a callable taking and returning NumPy arrays (outputs allocated
here, as a C++ caller would).
"""

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np


def compiler_command():
    """The driver that links the object (cc / c++ / gcc / clang), or None."""
    for name in (os.environ.get("CC"), "cc", "gcc", "clang", "c++", "g++"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def cxx_command():
    """The C++ compiler driver, or None."""
    for name in (os.environ.get("CXX"), "c++", "g++", "clang++"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def mlax_compile_command():
    """The `mlax-compile` console command beside this Python."""
    exe = os.path.join(os.path.dirname(sys.executable), "mlax-compile")
    if os.path.exists(exe):
        return [exe]
    return [sys.executable, "-c", "import mlax._tools as t; t.mlax_compile_main()"]


class NativeFunction:
    def __init__(self, lib, name, exported, workdir):
        self._lib = lib
        self._fn = getattr(lib, name)
        self._fn.restype = None
        self._exported = exported
        self.workdir = workdir

    def __call__(self, *args):
        ins = [
            np.ascontiguousarray(np.asarray(a, dtype=aval.dtype))
            for a, aval in zip(args, self._exported.in_avals)
        ]
        outs = [np.empty(a.shape, a.dtype) for a in self._exported.out_avals]
        self._fn(*[ctypes.c_void_p(a.ctypes.data) for a in ins + outs])
        return outs


def load_native(exported, name="fn", workdir=None, extra_flags=()):
    """Compile an Exported with mlax-compile into a shared library and load it."""
    cc = compiler_command()
    if cc is None:
        raise RuntimeError("no C compiler found to link the native object")
    workdir = workdir or tempfile.mkdtemp(prefix="mlax-native-")
    src = os.path.join(workdir, f"{name}.mlir")
    obj = os.path.join(workdir, f"{name}.o")
    lib = os.path.join(workdir, f"lib{name}.so")
    with open(src, "w") as f:
        f.write(exported.mlir_module())
    cmd = mlax_compile_command() + [src, "--emit=object", f"--name={name}", "-o", obj]
    proc = subprocess.run(cmd + list(extra_flags), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"mlax-compile failed:\n{proc.stderr}")
    # The OpenMP entry points the object calls for its threads come from
    # mlax/embed.h, compiled in as a C++ program using the object would.
    cxx = cxx_command()
    runtime = []
    if cxx is not None:
        from ... import cmake

        src_rt = os.path.join(workdir, "runtime.cpp")
        with open(src_rt, "w") as f:
            f.write("#include <mlax/embed.h>\n")
        runtime = [
            "-x",
            "c++",
            "-std=c++17",
            "-O2",
            "-fPIC",
            f"-I{cmake.get_include_dir()}",
            src_rt,
            "-x",
            "none",
        ]
        cc = cxx
    elif "--parallel=false" not in extra_flags:
        raise RuntimeError("no C++ compiler to build the thread runtime; pass --parallel=false")
    proc = subprocess.run(
        [cc, "-shared", "-o", lib] + runtime + [obj, "-lm", "-lpthread"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"linking failed:\n{proc.stderr}")
    return NativeFunction(ctypes.CDLL(lib), name, exported, workdir)
