// RUN: mlax-opt %s | mlax-opt | FileCheck %s

// Round-trip tests for the reductions, arg-reductions and dot_general of the
// mlax dialect (MlaxReductionOps.td).

// CHECK-LABEL: func.func @reduce_sum(
// CHECK: %{{[0-9]+}} = mlax.reduce_sum %arg0, axes = [0, 2] : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK: %{{[0-9]+}} = mlax.reduce_sum %arg1, axes = [0] : (tensor<5xi32>) -> tensor<i32>
// CHECK: %{{[0-9]+}} = mlax.reduce_sum %arg2, axes = [1] : (tensor<2x2xui32>) -> tensor<2xui32>
// CHECK: %{{[0-9]+}} = mlax.reduce_sum %arg3, axes = [] : (tensor<bf16>) -> tensor<bf16>
// CHECK: %{{[0-9]+}} = mlax.reduce_sum %arg0, axes = [] : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
func.func @reduce_sum(%x: tensor<2x3x4xf32>, %i: tensor<5xi32>, %u: tensor<2x2xui32>, %s: tensor<bf16>) -> (tensor<3xf32>, tensor<i32>, tensor<2xui32>, tensor<bf16>, tensor<2x3x4xf32>) {
  %0 = mlax.reduce_sum %x, axes = [0, 2] : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %1 = mlax.reduce_sum %i, axes = [0] : (tensor<5xi32>) -> tensor<i32>
  %2 = mlax.reduce_sum %u, axes = [1] : (tensor<2x2xui32>) -> tensor<2xui32>
  %3 = mlax.reduce_sum %s, axes = [] : (tensor<bf16>) -> tensor<bf16>
  %4 = mlax.reduce_sum %x, axes = [] : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4 : tensor<3xf32>, tensor<i32>, tensor<2xui32>, tensor<bf16>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @reduce_prod(
// CHECK: %{{[0-9]+}} = mlax.reduce_prod %arg0, axes = [1] : (tensor<2x3xf16>) -> tensor<2xf16>
// CHECK: %{{[0-9]+}} = mlax.reduce_prod %arg1, axes = [0] : (tensor<4xi64>) -> tensor<i64>
func.func @reduce_prod(%x: tensor<2x3xf16>, %i: tensor<4xi64>) -> (tensor<2xf16>, tensor<i64>) {
  %0 = mlax.reduce_prod %x, axes = [1] : (tensor<2x3xf16>) -> tensor<2xf16>
  %1 = mlax.reduce_prod %i, axes = [0] : (tensor<4xi64>) -> tensor<i64>
  return %0, %1 : tensor<2xf16>, tensor<i64>
}

// CHECK-LABEL: func.func @reduce_max_min(
// CHECK: %{{[0-9]+}} = mlax.reduce_max %arg0, axes = [1, 0] : (tensor<2x3xf32>) -> tensor<f32>
// CHECK: %{{[0-9]+}} = mlax.reduce_max %arg1, axes = [0] : (tensor<4xui32>) -> tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.reduce_max %arg2, axes = [1] : (tensor<3x2xi1>) -> tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.reduce_min %arg0, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
// CHECK: %{{[0-9]+}} = mlax.reduce_min %arg1, axes = [0] : (tensor<4xui32>) -> tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.reduce_min %arg2, axes = [0] : (tensor<3x2xi1>) -> tensor<2xi1>
func.func @reduce_max_min(%x: tensor<2x3xf32>, %u: tensor<4xui32>, %b: tensor<3x2xi1>) -> (tensor<f32>, tensor<ui32>, tensor<3xi1>, tensor<2xf32>, tensor<ui32>, tensor<2xi1>) {
  %0 = mlax.reduce_max %x, axes = [1, 0] : (tensor<2x3xf32>) -> tensor<f32>
  %1 = mlax.reduce_max %u, axes = [0] : (tensor<4xui32>) -> tensor<ui32>
  %2 = mlax.reduce_max %b, axes = [1] : (tensor<3x2xi1>) -> tensor<3xi1>
  %3 = mlax.reduce_min %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %4 = mlax.reduce_min %u, axes = [0] : (tensor<4xui32>) -> tensor<ui32>
  %5 = mlax.reduce_min %b, axes = [0] : (tensor<3x2xi1>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<f32>, tensor<ui32>, tensor<3xi1>, tensor<2xf32>, tensor<ui32>, tensor<2xi1>
}

// CHECK-LABEL: func.func @reduce_and_or(
// CHECK: %{{[0-9]+}} = mlax.reduce_and %arg0, axes = [1] : (tensor<3x2xi1>) -> tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.reduce_and %arg1, axes = [0] : (tensor<4xi32>) -> tensor<i32>
// CHECK: %{{[0-9]+}} = mlax.reduce_or %arg0, axes = [0] : (tensor<3x2xi1>) -> tensor<2xi1>
// CHECK: %{{[0-9]+}} = mlax.reduce_or %arg2, axes = [0] : (tensor<2x2xui8>) -> tensor<2xui8>
func.func @reduce_and_or(%b: tensor<3x2xi1>, %i: tensor<4xi32>, %u: tensor<2x2xui8>) -> (tensor<3xi1>, tensor<i32>, tensor<2xi1>, tensor<2xui8>) {
  %0 = mlax.reduce_and %b, axes = [1] : (tensor<3x2xi1>) -> tensor<3xi1>
  %1 = mlax.reduce_and %i, axes = [0] : (tensor<4xi32>) -> tensor<i32>
  %2 = mlax.reduce_or %b, axes = [0] : (tensor<3x2xi1>) -> tensor<2xi1>
  %3 = mlax.reduce_or %u, axes = [0] : (tensor<2x2xui8>) -> tensor<2xui8>
  return %0, %1, %2, %3 : tensor<3xi1>, tensor<i32>, tensor<2xi1>, tensor<2xui8>
}

// CHECK-LABEL: func.func @argmax_argmin(
// CHECK: %{{[0-9]+}} = mlax.argmax %arg0, axis = 1 : (tensor<2x3xf32>) -> tensor<2xi32>
// CHECK: %{{[0-9]+}} = mlax.argmax %arg1, axis = 0 : (tensor<5xi32>) -> tensor<i64>
// CHECK: %{{[0-9]+}} = mlax.argmax %arg2, axis = 0 : (tensor<4x2xui32>) -> tensor<2xi32>
// CHECK: %{{[0-9]+}} = mlax.argmin %arg0, axis = 0 : (tensor<2x3xf32>) -> tensor<3xi32>
// CHECK: %{{[0-9]+}} = mlax.argmin %arg1, axis = 0 : (tensor<5xi32>) -> tensor<i32>
// CHECK: %{{[0-9]+}} = mlax.argmin %arg2, axis = 1 : (tensor<4x2xui32>) -> tensor<4xi8>
// CHECK: %{{[0-9]+}} = mlax.argmin %arg3, axis = 0 : (tensor<3xbf16>) -> tensor<i32>
func.func @argmax_argmin(%x: tensor<2x3xf32>, %i: tensor<5xi32>, %u: tensor<4x2xui32>, %h: tensor<3xbf16>) -> (tensor<2xi32>, tensor<i64>, tensor<2xi32>, tensor<3xi32>, tensor<i32>, tensor<4xi8>, tensor<i32>) {
  %0 = mlax.argmax %x, axis = 1 : (tensor<2x3xf32>) -> tensor<2xi32>
  %1 = mlax.argmax %i, axis = 0 : (tensor<5xi32>) -> tensor<i64>
  %2 = mlax.argmax %u, axis = 0 : (tensor<4x2xui32>) -> tensor<2xi32>
  %3 = mlax.argmin %x, axis = 0 : (tensor<2x3xf32>) -> tensor<3xi32>
  %4 = mlax.argmin %i, axis = 0 : (tensor<5xi32>) -> tensor<i32>
  %5 = mlax.argmin %u, axis = 1 : (tensor<4x2xui32>) -> tensor<4xi8>
  %6 = mlax.argmin %h, axis = 0 : (tensor<3xbf16>) -> tensor<i32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2xi32>, tensor<i64>, tensor<2xi32>, tensor<3xi32>, tensor<i32>, tensor<4xi8>, tensor<i32>
}

// CHECK-LABEL: func.func @dot_general(
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg0, %arg1, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg2, %arg3, batch = [0] x [0], contract = [2] x [1] : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg4, %arg4, batch = [] x [], contract = [0] x [0] : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg5, %arg6, batch = [] x [], contract = [1] x [0] : (tensor<2x3xbf16>, tensor<3x4xbf16>) -> tensor<2x4xf32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg7, %arg8, batch = [] x [], contract = [1] x [1] : (tensor<2x3xi8>, tensor<4x3xi8>) -> tensor<2x4xi32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg0, %arg1, batch = [] x [], contract = [] x [] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x3x3x4xf32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg9, %arg9, batch = [] x [], contract = [0] x [0] : (tensor<3xui32>, tensor<3xui32>) -> tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.dot_general %arg3, %arg2, batch = [0] x [0], contract = [1] x [2] : (tensor<5x3x4xf32>, tensor<5x2x3xf32>) -> tensor<5x4x2xf32>
func.func @dot_general(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %ba: tensor<5x2x3xf32>, %bb: tensor<5x3x4xf32>, %v: tensor<3xf32>, %h: tensor<2x3xbf16>, %hb: tensor<3x4xbf16>, %i: tensor<2x3xi8>, %j: tensor<4x3xi8>, %u: tensor<3xui32>) -> (tensor<2x4xf32>, tensor<5x2x4xf32>, tensor<f32>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2x3x3x4xf32>, tensor<ui32>, tensor<5x4x2xf32>) {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = mlax.dot_general %ba, %bb, batch = [0] x [0], contract = [2] x [1] : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  %2 = mlax.dot_general %v, %v, batch = [] x [], contract = [0] x [0] : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  %3 = mlax.dot_general %h, %hb, batch = [] x [], contract = [1] x [0] : (tensor<2x3xbf16>, tensor<3x4xbf16>) -> tensor<2x4xf32>
  %4 = mlax.dot_general %i, %j, batch = [] x [], contract = [1] x [1] : (tensor<2x3xi8>, tensor<4x3xi8>) -> tensor<2x4xi32>
  %5 = mlax.dot_general %a, %b, batch = [] x [], contract = [] x [] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x3x3x4xf32>
  %6 = mlax.dot_general %u, %u, batch = [] x [], contract = [0] x [0] : (tensor<3xui32>, tensor<3xui32>) -> tensor<ui32>
  %7 = mlax.dot_general %bb, %ba, batch = [0] x [0], contract = [1] x [2] : (tensor<5x3x4xf32>, tensor<5x2x3xf32>) -> tensor<5x4x2xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x4xf32>, tensor<5x2x4xf32>, tensor<f32>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2x3x3x4xf32>, tensor<ui32>, tensor<5x4x2xf32>
}

// -----

// lax allows integer operands with a float preferred element type.
// CHECK-LABEL: func.func @dot_general_int_to_float
func.func @dot_general_int_to_float(%a: tensor<2x3xi8>, %b: tensor<3x4xi8>) -> tensor<2x4xf32> {
  // CHECK: mlax.dot_general %{{.*}}, %{{.*}}, batch = [] x [], contract = [1] x [0] : (tensor<2x3xi8>, tensor<3x4xi8>) -> tensor<2x4xf32>
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xi8>, tensor<3x4xi8>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @cumsum
func.func @cumsum(%x: tensor<3x5xf32>, %i: tensor<7xui8>) -> (tensor<3x5xf32>, tensor<7xui8>) {
  // CHECK: mlax.cumsum %{{.*}} axis = 1 reverse = true : tensor<3x5xf32>
  %0 = mlax.cumsum %x axis = 1 reverse = true : tensor<3x5xf32>
  // CHECK: mlax.cumsum %{{.*}} axis = 0 reverse = false : tensor<7xui8>
  %1 = mlax.cumsum %i axis = 0 reverse = false : tensor<7xui8>
  return %0, %1 : tensor<3x5xf32>, tensor<7xui8>
}

// -----

// CHECK-LABEL: func.func @cumulative
func.func @cumulative(%x: tensor<3x5xf32>, %i: tensor<7xui8>, %h: tensor<4xbf16>) -> (tensor<3x5xf32>, tensor<7xui8>, tensor<3x5xf32>, tensor<7xui8>, tensor<4xbf16>) {
  // CHECK: mlax.cumprod %{{.*}} axis = 1 reverse = true : tensor<3x5xf32>
  %0 = mlax.cumprod %x axis = 1 reverse = true : tensor<3x5xf32>
  // CHECK: mlax.cummax %{{.*}} axis = 0 reverse = false : tensor<7xui8>
  %1 = mlax.cummax %i axis = 0 reverse = false : tensor<7xui8>
  // CHECK: mlax.cummin %{{.*}} axis = 0 reverse = true : tensor<3x5xf32>
  %2 = mlax.cummin %x axis = 0 reverse = true : tensor<3x5xf32>
  // CHECK: mlax.cumprod %{{.*}} axis = 0 reverse = false : tensor<7xui8>
  %3 = mlax.cumprod %i axis = 0 reverse = false : tensor<7xui8>
  // CHECK: mlax.cumlogsumexp %{{.*}} axis = 0 reverse = false : tensor<4xbf16>
  %4 = mlax.cumlogsumexp %h axis = 0 reverse = false : tensor<4xbf16>
  return %0, %1, %2, %3, %4 : tensor<3x5xf32>, tensor<7xui8>, tensor<3x5xf32>, tensor<7xui8>, tensor<4xbf16>
}
