// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trips of sort and top_k (MlaxSortOps.td).

// CHECK-LABEL: func.func @sort(
// CHECK: mlax.sort %arg0 dimension = 0 num_keys = 1 : (tensor<7xf32>) -> tensor<7xf32>
// CHECK: mlax.sort %arg1, %arg2, %arg3 dimension = 1 num_keys = 2 : (tensor<3x5xi32>, tensor<3x5xui8>, tensor<3x5xf64>) -> (tensor<3x5xi32>, tensor<3x5xui8>, tensor<3x5xf64>)
func.func @sort(%x: tensor<7xf32>, %a: tensor<3x5xi32>, %b: tensor<3x5xui8>, %c: tensor<3x5xf64>) -> (tensor<7xf32>, tensor<3x5xf64>) {
  %0 = mlax.sort %x dimension = 0 num_keys = 1 : (tensor<7xf32>) -> tensor<7xf32>
  %1:3 = mlax.sort %a, %b, %c dimension = 1 num_keys = 2 : (tensor<3x5xi32>, tensor<3x5xui8>, tensor<3x5xf64>) -> (tensor<3x5xi32>, tensor<3x5xui8>, tensor<3x5xf64>)
  return %0, %1#2 : tensor<7xf32>, tensor<3x5xf64>
}

// CHECK-LABEL: func.func @top_k(
// CHECK: mlax.top_k %arg0 k = 3 : (tensor<4x10xf32>) -> (tensor<4x3xf32>, tensor<4x3xi32>)
// CHECK: mlax.top_k %arg1 k = 0 : (tensor<5xi1>) -> (tensor<0xi1>, tensor<0xi32>)
func.func @top_k(%x: tensor<4x10xf32>, %b: tensor<5xi1>) -> (tensor<4x3xf32>, tensor<4x3xi32>, tensor<0xi32>) {
  %v, %i = mlax.top_k %x k = 3 : (tensor<4x10xf32>) -> (tensor<4x3xf32>, tensor<4x3xi32>)
  %w, %j = mlax.top_k %b k = 0 : (tensor<5xi1>) -> (tensor<0xi1>, tensor<0xi32>)
  return %v, %i, %j : tensor<4x3xf32>, tensor<4x3xi32>, tensor<0xi32>
}
