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

// cumprod, cummax, cummin, cumlogsumexp: the same log-step scan with their
// combiner, the earlier element first.
// CHECK-LABEL: func.func @cumprod(
// CHECK-NOT:     iree_linalg_ext
// CHECK-COUNT-3: arith.mulf %extracted, %in : f32
// CHECK-LABEL: func.func @cummax(
// CHECK-COUNT-2: arith.maxsi %in, %extracted : i32
// CHECK-LABEL: func.func @cumlogsumexp(
// CHECK:         math.log1p
// CHECK-NOT:     iree_linalg_ext
// CHECK:         return
func.func @cumprod(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = mlax.cumprod %x axis = 0 reverse = false : tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @cummax(%x: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %0 = mlax.cummax %x axis = 1 reverse = true : tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}
func.func @cumlogsumexp(%x: tensor<3xf16>) -> tensor<3xf16> {
  %0 = mlax.cumlogsumexp %x axis = 0 reverse = false : tensor<3xf16>
  return %0 : tensor<3xf16>
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
