//===- MlaxOps.td - all mlax ops -------------------------------*- tablegen -*-===//

#ifndef MLAX_OPS_TD
#define MLAX_OPS_TD

include "dialects/mlax/MlaxElementwiseOps.td"
include "dialects/mlax/MlaxShapeOps.td"
include "dialects/mlax/MlaxReductionOps.td"
include "dialects/mlax/MlaxTransformOps.td"
include "dialects/mlax/MlaxRandomOps.td"
include "dialects/mlax/MlaxSpmdOps.td"
include "dialects/mlax/MlaxControlFlowOps.td"
include "dialects/mlax/MlaxIndexingOps.td"
include "dialects/mlax/MlaxSortOps.td"
include "dialects/mlax/MlaxCallbackOps.td"

#endif // MLAX_OPS_TD
