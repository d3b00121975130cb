// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trip tests for the transformation requests of the mlax dialect
// (MlaxTransformOps.td): mlax.vjp, mlax.jvp, mlax.batch and mlax.stop_gradient.

// CHECK-LABEL: func.func private @f(
// CHECK-SAME:      %{{.*}}: tensor<4xf32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<2x4xf32>) -> (tensor<4xf32>, tensor<f32>)
func.func private @f(%x: tensor<4xf32>, %n: tensor<4xi32>, %w: tensor<2x4xf32>) -> (tensor<4xf32>, tensor<f32>) {
  %0 = mlax.mul %x, %x : tensor<4xf32>
  %1 = mlax.reduce_sum %0, axes = [0] : (tensor<4xf32>) -> tensor<f32>
  return %0, %1 : tensor<4xf32>, tensor<f32>
}

// Three arguments (the integer one inactive), two results: operands are the
// arguments then one cotangent per result; results are @f's results then
// one cotangent per active argument.
// CHECK-LABEL: func.func @vjp_multi(
// CHECK:         %[[R:[0-9]+]]:4 = mlax.vjp @f(%arg0, %arg1, %arg2, %arg3, %arg4) active = [true, false, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<2x4xf32>)
// CHECK:         return %[[R]]#0, %[[R]]#1, %[[R]]#2, %[[R]]#3
func.func @vjp_multi(%x: tensor<4xf32>, %n: tensor<4xi32>, %w: tensor<2x4xf32>, %c0: tensor<4xf32>, %c1: tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<2x4xf32>) {
  %0:4 = mlax.vjp @f(%x, %n, %w, %c0, %c1) active = [true, false, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<2x4xf32>)
  return %0#0, %0#1, %0#2, %0#3 : tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<2x4xf32>
}

// Other activity masks over the same callee, and a discardable attribute.
// CHECK-LABEL: func.func @vjp_masks(
// CHECK:         %{{[0-9]+}}:3 = mlax.vjp @f(%arg0, %arg1, %arg2, %arg3, %arg4) active = [true, false, false] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>)
// CHECK:         %{{[0-9]+}}:2 = mlax.vjp @f(%arg0, %arg1, %arg2, %arg3, %arg4) active = [false, false, false] {mlax.test = 1 : i64} : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>)
// CHECK:         %{{[0-9]+}}:5 = mlax.vjp @f(%arg0, %arg1, %arg2, %arg3, %arg4) active = [true, true, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>)
func.func @vjp_masks(%x: tensor<4xf32>, %n: tensor<4xi32>, %w: tensor<2x4xf32>, %c0: tensor<4xf32>, %c1: tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xi32>) {
  %0:3 = mlax.vjp @f(%x, %n, %w, %c0, %c1) active = [true, false, false] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>)
  %1:2 = mlax.vjp @f(%x, %n, %w, %c0, %c1) active = [false, false, false] {mlax.test = 1} : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>)
  %2:5 = mlax.vjp @f(%x, %n, %w, %c0, %c1) active = [true, true, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>)
  return %0#2, %1#1, %2#3 : tensor<4xf32>, tensor<f32>, tensor<4xi32>
}

// CHECK-LABEL: func.func private @g(
func.func private @g(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.exp %x : tensor<f32>
  return %0 : tensor<f32>
}

// A request nested in a function that is itself the callee of a request
// (grad of grad).
// CHECK-LABEL: func.func private @dg(
// CHECK:         %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[D:[0-9]+]]:2 = mlax.vjp @g(%arg0, %[[ONE]]) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
// CHECK:         return %[[D]]#1 : tensor<f32>
func.func private @dg(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  %0:2 = mlax.vjp @g(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// CHECK-LABEL: func.func @ddg(
// CHECK:         %{{[0-9]+}}:2 = mlax.vjp @dg(%arg0, %arg1) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
func.func @ddg(%x: tensor<f32>, %ct: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @dg(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// CHECK-LABEL: func.func @stop_gradient(
// CHECK: %{{[0-9]+}} = mlax.stop_gradient %arg0 : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.stop_gradient %arg1 : tensor<bf16>
// CHECK: %{{[0-9]+}} = mlax.stop_gradient %arg2 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.stop_gradient %arg0 {mlax.test = 1 : i64} : tensor<2x3xf32>
func.func @stop_gradient(%x: tensor<2x3xf32>, %h: tensor<bf16>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<bf16>, tensor<4xi32>, tensor<2x3xf32>) {
  %0 = mlax.stop_gradient %x : tensor<2x3xf32>
  %1 = mlax.stop_gradient %h : tensor<bf16>
  %2 = mlax.stop_gradient %i : tensor<4xi32>
  %3 = mlax.stop_gradient %x {mlax.test = 1} : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<bf16>, tensor<4xi32>, tensor<2x3xf32>
}

// mlax.batch: per-argument in-axis (-1: shared), per-result out-axis, the
// size, and an optional axis name.
// CHECK-LABEL: func.func @batch_request(
// CHECK:         %[[B:[0-9]+]]:2 = mlax.batch @f(%arg0, %arg1, %arg2) in_axes = [1, -1, 0] out_axes = [0, -1] size = 3 : (tensor<4x3xf32>, tensor<4xi32>, tensor<3x2x4xf32>) -> (tensor<3x4xf32>, tensor<f32>)
// CHECK:         %{{[0-9]+}}:2 = mlax.batch @f(%arg0, %arg1, %arg2) in_axes = [1, -1, 0] out_axes = [1, 0] size = 3 {axis_name = "batch"} : (tensor<4x3xf32>, tensor<4xi32>, tensor<3x2x4xf32>) -> (tensor<4x3xf32>, tensor<3xf32>)
func.func @batch_request(%x: tensor<4x3xf32>, %n: tensor<4xi32>, %w: tensor<3x2x4xf32>) -> (tensor<3x4xf32>, tensor<f32>) {
  %0:2 = mlax.batch @f(%x, %n, %w) in_axes = [1, -1, 0] out_axes = [0, -1] size = 3 : (tensor<4x3xf32>, tensor<4xi32>, tensor<3x2x4xf32>) -> (tensor<3x4xf32>, tensor<f32>)
  %1:2 = mlax.batch @f(%x, %n, %w) in_axes = [1, -1, 0] out_axes = [1, 0] size = 3 {axis_name = "batch"} : (tensor<4x3xf32>, tensor<4xi32>, tensor<3x2x4xf32>) -> (tensor<4x3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<f32>
}

// mlax.optimization_barrier: any number of values, returned unchanged.
// CHECK-LABEL: func.func @optimization_barrier(
// CHECK:         %[[B:[0-9]+]]:2 = mlax.optimization_barrier %arg0, %arg1 : tensor<4xf32>, tensor<4xi32>
// CHECK:         return %[[B]]#0, %[[B]]#1
func.func @optimization_barrier(%x: tensor<4xf32>, %n: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0:2 = mlax.optimization_barrier %x, %n : tensor<4xf32>, tensor<4xi32>
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xi32>
}

// mlax.jvp: the callee's arguments then one tangent per active argument;
// results are the callee's results then one tangent per result.
// CHECK-LABEL: func.func @jvp_round_trip(
// CHECK:         %{{[0-9]+}}:4 = mlax.jvp @f(%arg0, %arg1, %arg2, %arg3, %arg4) active = [true, false, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<f32>)
// CHECK:         %{{[0-9]+}}:4 = mlax.jvp @f(%arg0, %arg1, %arg2, %arg3) active = [true, false, false] {mlax.test = 2 : i64} : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<f32>)
func.func @jvp_round_trip(%x: tensor<4xf32>, %n: tensor<4xi32>, %w: tensor<2x4xf32>, %tx: tensor<4xf32>, %tw: tensor<2x4xf32>) -> (tensor<4xf32>, tensor<f32>) {
  %0:4 = mlax.jvp @f(%x, %n, %w, %tx, %tw) active = [true, false, true] : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>, tensor<2x4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<f32>)
  %1:4 = mlax.jvp @f(%x, %n, %w, %tx) active = [true, false, false] {mlax.test = 2} : (tensor<4xf32>, tensor<4xi32>, tensor<2x4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>, tensor<f32>)
  return %0#2, %1#3 : tensor<4xf32>, tensor<f32>
}
