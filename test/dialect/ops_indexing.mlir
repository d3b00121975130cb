// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trips of gather and scatter (MlaxIndexingOps.td).

// CHECK-LABEL: func.func @gather(
// CHECK: mlax.gather %arg0[%arg1] dims = [0] mode = promise_in_bounds : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x3xf32>
// CHECK: mlax.gather %arg0[%arg2] dims = [0, 1] mode = fill {fill_value = -1.000000e+00 : f32} : (tensor<5x3xf32>, tensor<2x2x2xi64>) -> tensor<2x2xf32>
// CHECK: mlax.gather %arg0[%arg1] dims = [1] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x5xf32>
func.func @gather(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %j: tensor<2x2x2xi64>) -> (tensor<4x3xf32>, tensor<2x2xf32>, tensor<4x5xf32>) {
  %0 = mlax.gather %x[%i] dims = [0] mode = promise_in_bounds : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x3xf32>
  %1 = mlax.gather %x[%j] dims = [0, 1] mode = fill {fill_value = -1.0 : f32} : (tensor<5x3xf32>, tensor<2x2x2xi64>) -> tensor<2x2xf32>
  %2 = mlax.gather %x[%i] dims = [1] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x5xf32>
  return %0, %1, %2 : tensor<4x3xf32>, tensor<2x2xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @scatter(
// CHECK: mlax.scatter add %arg0[%arg1], %arg2 dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
// CHECK: mlax.scatter replace %arg0[%arg1], %arg2 dims = [0] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
// CHECK: mlax.scatter max %arg3[%arg4], %arg5 dims = [0] mode = promise_in_bounds : (tensor<6xi32>, tensor<2x1xui8>, tensor<2xi32>) -> tensor<6xi32>
func.func @scatter(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x3xf32>, %y: tensor<6xi32>, %k: tensor<2x1xui8>, %v: tensor<2xi32>) -> (tensor<5x3xf32>, tensor<5x3xf32>, tensor<6xi32>) {
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  %1 = mlax.scatter replace %x[%i], %u dims = [0] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  %2 = mlax.scatter max %y[%k], %v dims = [0] mode = promise_in_bounds : (tensor<6xi32>, tensor<2x1xui8>, tensor<2xi32>) -> tensor<6xi32>
  return %0, %1, %2 : tensor<5x3xf32>, tensor<5x3xf32>, tensor<6xi32>
}
