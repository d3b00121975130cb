// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -canonicalize | FileCheck %s --check-prefix=DCE

// Round-trips of host_callback (MlaxCallbackOps.td); canonicalization keeps
// the side-effecting kinds and drops an unused pure one.

// CHECK-LABEL: func.func @callbacks(
// CHECK: mlax.host_callback debug 0 (%arg0, %arg1) vmap = none {ordered} : (tensor<3xf32>, tensor<i32>) -> ()
// CHECK: mlax.host_callback pure 1 (%arg0) vmap = sequential : (tensor<3xf32>) -> (tensor<3xf32>, tensor<2xui8>)
// CHECK: mlax.host_callback pure 2 (%arg0) vmap = expand_dims : (tensor<3xf32>) -> tensor<f64>
// CHECK: mlax.host_callback io 3 () vmap = none : () -> tensor<2xi1>
// CHECK: mlax.host_callback pure 4 (%arg0) vmap = broadcast_all : (tensor<3xf32>) -> (tensor<3xcomplex<f32>>, tensor<3x3xcomplex<f32>>)
// DCE-LABEL: func.func @callbacks(
// DCE: mlax.host_callback debug 0
// DCE: mlax.host_callback pure 1
// DCE-NOT: mlax.host_callback pure 2
// DCE: mlax.host_callback io 3
func.func @callbacks(%x: tensor<3xf32>, %n: tensor<i32>) -> (tensor<3xf32>, tensor<2xi1>) {
  mlax.host_callback debug 0 (%x, %n) vmap = none {ordered} : (tensor<3xf32>, tensor<i32>) -> ()
  %0:2 = mlax.host_callback pure 1 (%x) vmap = sequential : (tensor<3xf32>) -> (tensor<3xf32>, tensor<2xui8>)
  %1 = mlax.host_callback pure 2 (%x) vmap = expand_dims : (tensor<3xf32>) -> tensor<f64>
  %2 = mlax.host_callback io 3 () vmap = none : () -> tensor<2xi1>
  // Complex results (eig on the host's LAPACK).
  %3:2 = mlax.host_callback pure 4 (%x) vmap = broadcast_all : (tensor<3xf32>) -> (tensor<3xcomplex<f32>>, tensor<3x3xcomplex<f32>>)
  return %0#0, %2 : tensor<3xf32>, tensor<2xi1>
}
