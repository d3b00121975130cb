// RUN: mlax-opt %s -mlax-lower-to-linalg | FileCheck %s

// Without IREE (no unregistered dialects: the native path) cumsum is a
// log-step scan: ceil(log2(5)) = 3 passes, each adding the element 2^s
// before (after, when reversed).
// CHECK-LABEL: func.func @cumsum(
// CHECK-NOT:     iree_linalg_ext
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT:     linalg.generic
func.func @cumsum(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = mlax.cumsum %x axis = 0 reverse = true : tensor<5xf32>
  return %0 : tensor<5xf32>
}
