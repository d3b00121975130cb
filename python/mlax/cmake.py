"""Where mlax's CMake package is: `python -m mlax.cmake` prints the folder to
pass as mlax_DIR (find_package(mlax CONFIG REQUIRED))."""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def get_cmake_dir():
    """The folder holding mlaxConfig.cmake (the wheel's mlax/cmake, or the
    source tree's cmake/ for an editable install)."""
    for candidate in (
        os.path.join(_HERE, "cmake"),
        os.path.join(os.path.dirname(os.path.dirname(_HERE)), "cmake"),
    ):
        if os.path.exists(os.path.join(candidate, "mlaxConfig.cmake")):
            return candidate
    raise FileNotFoundError("mlax's CMake package is not installed (pip install mlax)")


def get_include_dir():
    """The folder holding mlax/embed.h."""
    return os.path.join(os.path.dirname(get_cmake_dir()), "include")


if __name__ == "__main__":
    try:
        print(get_cmake_dir())
    except FileNotFoundError as e:
        sys.exit(f"error: {e}")
