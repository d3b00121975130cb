"""Console entry points installed with the package."""

import glob
import os
import sys


def _find_mlax_opt(tool="mlax-opt"):
    """mlax/_bin/<tool> of the install; for editable installs, where the
    package sources and the built files live apart, beside mlax._mlir."""
    import mlax._mlir

    bases = [os.path.dirname(os.path.abspath(__file__))]
    bases += [os.path.dirname(p) for p in getattr(mlax._mlir, "__path__", [])]
    for base in bases:
        exe = os.path.join(base, "_bin", tool)
        if os.path.exists(exe):
            return exe
    repo = os.path.dirname(os.path.dirname(bases[0]))
    built = sorted(glob.glob(os.path.join(repo, "build", "*", "bin", tool)), key=os.path.getmtime)
    return built[-1] if built else None


def mlax_opt():
    """`mlax-opt`: runs the C++ driver installed in mlax/_bin."""
    exe = _find_mlax_opt()
    if exe is None:
        sys.stderr.write("mlax-opt: the C++ driver is not installed (pip install mlax)\n")
        sys.exit(2)
    os.execv(exe, [exe] + sys.argv[1:])


# --target -> mlax's platform (runtime/backends.target_flags has the flags).
_IREE_TARGETS = {"llvm-cpu": "cpu", "cuda": "cuda", "vulkan-spirv": "vulkan", "rocm": "rocm"}


def _option(args, name, default=None):
    """The value of --name=V or --name V in args (last wins), and args without it."""
    value, rest, i = default, [], 0
    while i < len(args):
        a = args[i]
        if a.startswith(f"--{name}="):
            value = a.split("=", 1)[1]
        elif a == f"--{name}" and i + 1 < len(args):
            value = args[i + 1]
            i += 1
        else:
            rest.append(a)
        i += 1
    return value, rest


def mlax_compile(argv=None):
    """`mlax-compile`: the C++ driver (mlax/_bin/mlax-compile) for the native
    path, plus what needs Python: reading exported artifacts
    (mlax.export serialize() output), --emit=vmfb through IREE
    (--target=llvm-cpu|cuda|vulkan-spirv|rocm; --iree-* flags pass through),
    and --cmake-dir."""
    import subprocess
    import tempfile

    args = list(sys.argv[1:] if argv is None else argv)
    if "--cmake-dir" in args:
        from .cmake import get_cmake_dir

        print(get_cmake_dir())
        return 0
    exe = _find_mlax_opt("mlax-compile")
    if exe is None:
        sys.stderr.write("mlax-compile: the C++ driver is not installed (pip install mlax)\n")
        return 2
    if "-h" in args or "--help" in args:
        os.execv(exe, [exe] + args)
    positional = [a for a in args if not a.startswith("-")]
    with tempfile.TemporaryDirectory(prefix="mlax-compile-") as tmp:
        # An exported artifact becomes its module's text, named after the file.
        for i, a in enumerate(args):
            if a in positional and os.path.isfile(a):
                with open(a, "rb") as f:
                    head = f.read(16)
                from ._src.transforms.export import MAGIC

                if head.startswith(MAGIC):
                    from ._src.transforms.export import deserialize

                    with open(a, "rb") as f:
                        try:
                            exported = deserialize(f.read())
                        except ValueError as e:
                            sys.stderr.write(f"{a}: error: {e}\n")
                            return 1
                    stem = os.path.splitext(os.path.basename(a))[0]
                    path = os.path.join(tmp, stem + ".mlir")
                    with open(path, "w") as f:
                        f.write(exported.mlir_module())
                    args[i] = path
                break
        emit, rest = _option(args, "emit", "object")
        if emit != "vmfb":
            return subprocess.call([exe] + args)
        target, rest = _option(rest, "target", "llvm-cpu")
        if target not in _IREE_TARGETS:
            sys.stderr.write(
                f"mlax-compile: error: unsupported --target={target}; expected one of "
                f"{', '.join(_IREE_TARGETS)}\n"
            )
            return 1
        out, rest = _option(rest, "o", None)
        if out is None and "-o" in rest:
            j = rest.index("-o")
            out = rest[j + 1]
            del rest[j : j + 2]
        iree_flags = [a for a in rest if a.startswith("--iree-")]
        driver_args = [a for a in rest if not a.startswith("--iree-")]
        linalg = os.path.join(tmp, "module.linalg.mlir")
        rc = subprocess.call([exe] + driver_args + ["--emit=mlir-linalg", "-o", linalg])
        if rc:
            return rc
        from iree.compiler.tools import CompilerToolError, compile_file

        from ._src.runtime.backends import target_flags

        # A GPU target given with --iree-*-target= replaces the default one.
        given = {f.split("=", 1)[0] for f in iree_flags}
        flags = [f for f in target_flags(_IREE_TARGETS[target]) if f.split("=", 1)[0] not in given]
        try:
            vmfb = compile_file(linalg, extra_args=flags + iree_flags)
        except CompilerToolError as e:
            sys.stderr.write(f"mlax-compile: error: IREE failed for --target={target}:\n{e}\n")
            return 1
        if out in (None, "-"):
            sys.stdout.buffer.write(vmfb)
        else:
            with open(out, "wb") as f:
                f.write(vmfb)
        return 0


def mlax_compile_main():
    sys.exit(mlax_compile())
