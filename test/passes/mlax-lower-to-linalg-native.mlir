// RUN: mlax-opt %s -mlax-lower-to-linalg -split-input-file | FileCheck %s

// Without IREE (no unregistered dialects: mlax-compile's native path) the
// ops that lower to IREE's own ops elsewhere take pure-MLIR forms.

// cumsum: a log-step scan, ceil(log2(5)) = 3 passes, each adding the
// element 2^s before (after, when reversed).
// CHECK-LABEL: func.func @cumsum(
// CHECK-NOT:     iree_linalg_ext
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT:     linalg.generic
func.func @cumsum(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = mlax.cumsum %x axis = 0 reverse = true : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// scatter: one scf.for over the update rows; a dropped index vector skips
// its row (scf.if), a kept one reads, combines and writes its row back.
// CHECK-LABEL: func.func @scatter_add(
// CHECK-NOT:     iree_linalg_ext
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %arg0) -> (tensor<5x3xf32>)
// CHECK:           scf.if
// CHECK:             tensor.extract_slice %[[ACC]]
// CHECK:             arith.addf
// CHECK:             tensor.insert_slice
func.func @scatter_add(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}
