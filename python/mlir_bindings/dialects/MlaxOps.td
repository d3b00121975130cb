#ifndef PYTHON_BINDINGS_MLAX_OPS
#define PYTHON_BINDINGS_MLAX_OPS

include "dialects/mlax/MlaxOps.td"

#endif
