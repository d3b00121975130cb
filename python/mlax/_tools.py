"""Console entry points installed with the package."""

import os
import sys


def mlax_opt():
    """`mlax-opt`: runs the C++ driver installed in mlax/_bin."""
    exe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin", "mlax-opt")
    if not os.path.exists(exe):
        sys.stderr.write(f"mlax-opt: driver not found at {exe}\n")
        sys.exit(2)
    os.execv(exe, [exe] + sys.argv[1:])
