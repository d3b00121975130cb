//===- MlaxCAPI.h - C API for the mlax dialect and passes --------*- C -*-===//
//
// Used by mlax's Python extension. Every symbol starts with `mlir` so the
// linker version script exports it (DESIGN.md).
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_CAPI_H
#define MLAX_CAPI_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Mlax, mlax);

/// Registers mlax plus every dialect its passes produce on `context`.
MLIR_CAPI_EXPORTED void mlirMlaxRegisterAllDialects(MlirContext context);

/// Registers the mlax passes and upstream transforms (canonicalize, cse).
MLIR_CAPI_EXPORTED void mlirMlaxRegisterAllPasses(void);

/// Which results of func.func `func` depend on its arguments flagged in
/// `batched` (`numArgs` flags), as mlax-batch propagates it; writes one
/// flag per result to `out`; `axisName` is vmap's axis_name (empty: none).
/// Python's vmap asks before tracing out_axes.
MLIR_CAPI_EXPORTED void
mlirMlaxBatchedResults(MlirOperation func, const bool *batched,
                       intptr_t numArgs, MlirStringRef axisName, bool *out);

#ifdef __cplusplus
}
#endif

#endif // MLAX_CAPI_H
