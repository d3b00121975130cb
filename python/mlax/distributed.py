"""mlax.distributed: one program over several processes, through MPI
(start them with `mpiexec -n N python prog.py`)."""

from ._src.runtime.distributed import (
    initialize,
    is_initialized,
    shutdown,
)

__all__ = ["initialize", "is_initialized", "shutdown"]
