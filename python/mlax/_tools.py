"""Console entry points installed with the package."""

import glob
import os
import sys


def _find_mlax_opt():
    """mlax/_bin/mlax-opt of the install; for editable installs, where the
    package sources and the built files live apart, beside mlax._mlir."""
    import mlax._mlir

    bases = [os.path.dirname(os.path.abspath(__file__))]
    bases += [os.path.dirname(p) for p in getattr(mlax._mlir, "__path__", [])]
    for base in bases:
        exe = os.path.join(base, "_bin", "mlax-opt")
        if os.path.exists(exe):
            return exe
    repo = os.path.dirname(os.path.dirname(bases[0]))
    built = sorted(
        glob.glob(os.path.join(repo, "build", "*", "bin", "mlax-opt")), key=os.path.getmtime
    )
    return built[-1] if built else None


def mlax_opt():
    """`mlax-opt`: runs the C++ driver installed in mlax/_bin."""
    exe = _find_mlax_opt()
    if exe is None:
        sys.stderr.write("mlax-opt: the C++ driver is not installed (pip install mlax)\n")
        sys.exit(2)
    os.execv(exe, [exe] + sys.argv[1:])
