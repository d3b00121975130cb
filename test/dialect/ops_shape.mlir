// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trip tests for the structural (shape) ops of the mlax dialect
// (MlaxShapeOps.td), through the custom and the generic forms.
//
// Not a bug, noted for review: broadcast_in_dim accepts broadcast_dimensions
// that are not increasing (dims = [1, 0] below, which is a transpose), while
// lax.broadcast_in_dim requires them to be strictly increasing. The lowering
// handles the permuted case correctly.

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

// concatenate's custom form puts the inputs in parentheses; it used to be
// `%a, %b, dim = 0`, which did not parse back.
// CHECK-LABEL: func.func @concatenate(
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg0, %arg1) dim = 0 : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg0, %arg2) dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg3) dim = 0 : (tensor<3xi32>) -> tensor<3xi32>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg4, %arg4, %arg4) dim = 0 : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg5, %arg5) dim = 0 : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg6, %arg6) dim = 0 : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.concatenate(%arg0, %arg0) dim = 0 {mlax.test = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>

// In the generic form, block arguments are numbered across the module.
// GENERIC-LABEL: sym_name = "concatenate"
// GENERIC-NEXT: ^bb0(%[[A:arg[0-9]+]]: tensor<2x3xf32>, %[[B:arg[0-9]+]]: tensor<4x3xf32>, %[[C:arg[0-9]+]]: tensor<2x1xf32>, %[[I:arg[0-9]+]]: tensor<3xi32>, %[[H:arg[0-9]+]]: tensor<2xbf16>, %[[U:arg[0-9]+]]: tensor<1xui32>, %[[P:arg[0-9]+]]: tensor<2xi1>):
// GENERIC-NEXT: "mlax.concatenate"(%[[A]], %[[B]]) <{dimension = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// GENERIC-NEXT: "mlax.concatenate"(%[[A]], %[[C]]) <{dimension = 1 : i64}> : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// GENERIC-NEXT: "mlax.concatenate"(%[[I]]) <{dimension = 0 : i64}> : (tensor<3xi32>) -> tensor<3xi32>
// GENERIC-NEXT: "mlax.concatenate"(%[[H]], %[[H]], %[[H]]) <{dimension = 0 : i64}> : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
// GENERIC-NEXT: "mlax.concatenate"(%[[U]], %[[U]]) <{dimension = 0 : i64}> : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
// GENERIC-NEXT: "mlax.concatenate"(%[[P]], %[[P]]) <{dimension = 0 : i64}> : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>
// GENERIC-NEXT: "mlax.concatenate"(%[[A]], %[[A]]) <{dimension = 0 : i64}> {mlax.test = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x1xf32>, %i: tensor<3xi32>, %h: tensor<2xbf16>, %u: tensor<1xui32>, %p: tensor<2xi1>) -> (tensor<6x3xf32>, tensor<2x4xf32>, tensor<3xi32>, tensor<6xbf16>, tensor<2xui32>, tensor<4xi1>, tensor<4x3xf32>) {
  %0 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  %1 = mlax.concatenate(%a, %c) dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %2 = mlax.concatenate(%i) dim = 0 : (tensor<3xi32>) -> tensor<3xi32>
  %3 = mlax.concatenate(%h, %h, %h) dim = 0 : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
  %4 = mlax.concatenate(%u, %u) dim = 0 : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
  %5 = mlax.concatenate(%p, %p) dim = 0 : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>
  %6 = mlax.concatenate(%a, %a) dim = 0 {mlax.test = 1} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<6x3xf32>, tensor<2x4xf32>, tensor<3xi32>, tensor<6xbf16>, tensor<2xui32>, tensor<4xi1>, tensor<4x3xf32>
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
