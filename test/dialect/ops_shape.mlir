// RUN: mlax-opt %s | mlax-opt | FileCheck %s

// Round-trip tests for the structural (shape) ops of the mlax dialect
// (MlaxShapeOps.td). concatenate is tested in ops_concatenate.mlir: its
// custom assembly format does not parse back (see test/KNOWN_BUGS.txt).

// CHECK-LABEL: func.func @broadcast_in_dim(
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg0, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg1, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg2, dims = [0, 1] : (tensor<1x3xi32>) -> tensor<4x3xi32>
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg3, dims = [1, 0] : (tensor<2x3xbf16>) -> tensor<3x2xbf16>
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg4, dims = [] : (tensor<i1>) -> tensor<2x2xi1>
// CHECK: %{{[0-9]+}} = mlax.broadcast_in_dim %arg0, dims = [] : (tensor<f32>) -> tensor<f32>
func.func @broadcast_in_dim(%s: tensor<f32>, %v: tensor<3xf32>, %o: tensor<1x3xi32>, %m: tensor<2x3xbf16>, %b: tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xi32>, tensor<3x2xbf16>, tensor<2x2xi1>, tensor<f32>) {
  %0 = mlax.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  %1 = mlax.broadcast_in_dim %v, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  %2 = mlax.broadcast_in_dim %o, dims = [0, 1] : (tensor<1x3xi32>) -> tensor<4x3xi32>
  %3 = mlax.broadcast_in_dim %m, dims = [1, 0] : (tensor<2x3xbf16>) -> tensor<3x2xbf16>
  %4 = mlax.broadcast_in_dim %b, dims = [] : (tensor<i1>) -> tensor<2x2xi1>
  %5 = mlax.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xi32>, tensor<3x2xbf16>, tensor<2x2xi1>, tensor<f32>
}

// CHECK-LABEL: func.func @reshape(
// CHECK: %{{[0-9]+}} = mlax.reshape %arg0 : (tensor<2x3xf32>) -> tensor<6xf32>
// CHECK: %{{[0-9]+}} = mlax.reshape %{{[0-9]+}} : (tensor<6xf32>) -> tensor<3x2xf32>
// CHECK: %{{[0-9]+}} = mlax.reshape %arg1 : (tensor<ui32>) -> tensor<1x1xui32>
// CHECK: %{{[0-9]+}} = mlax.reshape %arg0 : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
// CHECK: %{{[0-9]+}} = mlax.reshape %arg2 : (tensor<1x4xi1>) -> tensor<4xi1>
func.func @reshape(%x: tensor<2x3xf32>, %s: tensor<ui32>, %b: tensor<1x4xi1>) -> (tensor<6xf32>, tensor<3x2xf32>, tensor<1x1xui32>, tensor<2x1x3xf32>, tensor<4xi1>) {
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = mlax.reshape %0 : (tensor<6xf32>) -> tensor<3x2xf32>
  %2 = mlax.reshape %s : (tensor<ui32>) -> tensor<1x1xui32>
  %3 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  %4 = mlax.reshape %b : (tensor<1x4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4 : tensor<6xf32>, tensor<3x2xf32>, tensor<1x1xui32>, tensor<2x1x3xf32>, tensor<4xi1>
}

// CHECK-LABEL: func.func @transpose(
// CHECK: %{{[0-9]+}} = mlax.transpose %arg0, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.transpose %arg1, perm = [1, 0] : (tensor<2x5xf16>) -> tensor<5x2xf16>
// CHECK: %{{[0-9]+}} = mlax.transpose %arg2, perm = [] : (tensor<i32>) -> tensor<i32>
func.func @transpose(%x: tensor<2x3x4xf32>, %h: tensor<2x5xf16>, %s: tensor<i32>) -> (tensor<4x2x3xf32>, tensor<5x2xf16>, tensor<i32>) {
  %0 = mlax.transpose %x, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = mlax.transpose %h, perm = [1, 0] : (tensor<2x5xf16>) -> tensor<5x2xf16>
  %2 = mlax.transpose %s, perm = [] : (tensor<i32>) -> tensor<i32>
  return %0, %1, %2 : tensor<4x2x3xf32>, tensor<5x2xf16>, tensor<i32>
}

// CHECK-LABEL: func.func @rev(
// CHECK: %{{[0-9]+}} = mlax.rev %arg0, dims = [0, 1] : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.rev %arg0, dims = [1] : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.rev %arg1, dims = [0] : tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.rev %arg2, dims = [] : tensor<i1>
func.func @rev(%x: tensor<2x3xf32>, %u: tensor<4xui32>, %s: tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xui32>, tensor<i1>) {
  %0 = mlax.rev %x, dims = [0, 1] : tensor<2x3xf32>
  %1 = mlax.rev %x, dims = [1] : tensor<2x3xf32>
  %2 = mlax.rev %u, dims = [0] : tensor<4xui32>
  %3 = mlax.rev %s, dims = [] : tensor<i1>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xui32>, tensor<i1>
}

// CHECK-LABEL: func.func @pad(
// CHECK: %{{[0-9]+}} = mlax.pad %arg0, %arg1, low = [1, 0], high = [2, 1], interior = [0, 2] : (tensor<2x3xf32>, tensor<f32>) -> tensor<5x8xf32>
// CHECK: %{{[0-9]+}} = mlax.pad %arg2, %arg3, low = [-1], high = [-1], interior = [0] : (tensor<5xi32>, tensor<i32>) -> tensor<3xi32>
// CHECK: %{{[0-9]+}} = mlax.pad %arg2, %arg3, low = [0], high = [0], interior = [1] : (tensor<5xi32>, tensor<i32>) -> tensor<9xi32>
// CHECK: %{{[0-9]+}} = mlax.pad %arg4, %arg4, low = [], high = [], interior = [] : (tensor<i1>, tensor<i1>) -> tensor<i1>
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>, %i: tensor<5xi32>, %iv: tensor<i32>, %s: tensor<i1>) -> (tensor<5x8xf32>, tensor<3xi32>, tensor<9xi32>, tensor<i1>) {
  %0 = mlax.pad %x, %v, low = [1, 0], high = [2, 1], interior = [0, 2] : (tensor<2x3xf32>, tensor<f32>) -> tensor<5x8xf32>
  %1 = mlax.pad %i, %iv, low = [-1], high = [-1], interior = [0] : (tensor<5xi32>, tensor<i32>) -> tensor<3xi32>
  %2 = mlax.pad %i, %iv, low = [0], high = [0], interior = [1] : (tensor<5xi32>, tensor<i32>) -> tensor<9xi32>
  %3 = mlax.pad %s, %s, low = [], high = [], interior = [] : (tensor<i1>, tensor<i1>) -> tensor<i1>
  return %0, %1, %2, %3 : tensor<5x8xf32>, tensor<3xi32>, tensor<9xi32>, tensor<i1>
}

// CHECK-LABEL: func.func @slice(
// CHECK: %{{[0-9]+}} = mlax.slice %arg0, start = [1, 0], limit = [3, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<2x2xf32>
// CHECK: %{{[0-9]+}} = mlax.slice %arg1, start = [1], limit = [8], strides = [2] : (tensor<8xui32>) -> tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.slice %arg2, start = [], limit = [], strides = [] : (tensor<f16>) -> tensor<f16>
// CHECK: %{{[0-9]+}} = mlax.slice %arg0, start = [2, 0], limit = [2, 6], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<0x6xf32>
func.func @slice(%x: tensor<4x6xf32>, %u: tensor<8xui32>, %s: tensor<f16>) -> (tensor<2x2xf32>, tensor<4xui32>, tensor<f16>, tensor<0x6xf32>) {
  %0 = mlax.slice %x, start = [1, 0], limit = [3, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<2x2xf32>
  %1 = mlax.slice %u, start = [1], limit = [8], strides = [2] : (tensor<8xui32>) -> tensor<4xui32>
  %2 = mlax.slice %s, start = [], limit = [], strides = [] : (tensor<f16>) -> tensor<f16>
  %3 = mlax.slice %x, start = [2, 0], limit = [2, 6], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<0x6xf32>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<4xui32>, tensor<f16>, tensor<0x6xf32>
}

// CHECK-LABEL: func.func @dynamic_slice(
// CHECK: %{{[0-9]+}} = mlax.dynamic_slice %arg0[%arg1, %arg2], sizes = [2, 3] : (tensor<4x6xf32>, tensor<i32>, tensor<i64>) -> tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.dynamic_slice %arg3[%arg4], sizes = [4] : (tensor<8xui32>, tensor<ui32>) -> tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.dynamic_slice %arg5[], sizes = [] : (tensor<bf16>) -> tensor<bf16>
func.func @dynamic_slice(%x: tensor<4x6xf32>, %i: tensor<i32>, %j: tensor<i64>, %u: tensor<8xui32>, %k: tensor<ui32>, %s: tensor<bf16>) -> (tensor<2x3xf32>, tensor<4xui32>, tensor<bf16>) {
  %0 = mlax.dynamic_slice %x[%i, %j], sizes = [2, 3] : (tensor<4x6xf32>, tensor<i32>, tensor<i64>) -> tensor<2x3xf32>
  %1 = mlax.dynamic_slice %u[%k], sizes = [4] : (tensor<8xui32>, tensor<ui32>) -> tensor<4xui32>
  %2 = mlax.dynamic_slice %s[], sizes = [] : (tensor<bf16>) -> tensor<bf16>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4xui32>, tensor<bf16>
}

// CHECK-LABEL: func.func @dynamic_update_slice(
// CHECK: %{{[0-9]+}} = mlax.dynamic_update_slice %arg0[%arg2, %arg3], %arg1 : (tensor<4x6xf32>, tensor<2x3xf32>, tensor<i32>, tensor<i32>) -> tensor<4x6xf32>
// CHECK: %{{[0-9]+}} = mlax.dynamic_update_slice %arg4[%arg6], %arg5 : (tensor<8xi1>, tensor<3xi1>, tensor<ui8>) -> tensor<8xi1>
// CHECK: %{{[0-9]+}} = mlax.dynamic_update_slice %arg7[], %arg7 : (tensor<f32>, tensor<f32>) -> tensor<f32>
func.func @dynamic_update_slice(%x: tensor<4x6xf32>, %up: tensor<2x3xf32>, %i: tensor<i32>, %j: tensor<i32>, %b: tensor<8xi1>, %ub: tensor<3xi1>, %k: tensor<ui8>, %s: tensor<f32>) -> (tensor<4x6xf32>, tensor<8xi1>, tensor<f32>) {
  %0 = mlax.dynamic_update_slice %x[%i, %j], %up : (tensor<4x6xf32>, tensor<2x3xf32>, tensor<i32>, tensor<i32>) -> tensor<4x6xf32>
  %1 = mlax.dynamic_update_slice %b[%k], %ub : (tensor<8xi1>, tensor<3xi1>, tensor<ui8>) -> tensor<8xi1>
  %2 = mlax.dynamic_update_slice %s[], %s : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0, %1, %2 : tensor<4x6xf32>, tensor<8xi1>, tensor<f32>
}
