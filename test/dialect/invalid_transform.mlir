// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the transformation requests (MlaxTransformOps.td /
// MlaxTransformOps.cpp): every mlax.vjp verifier message, with its
// constraint label, and the type constraint of mlax.stop_gradient.

func.func @vjp_missing_callee(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  // expected-error @+1 {{'mlax.vjp' op (C1) 'missing' does not name a func.func}}
  %0:2 = mlax.vjp @missing(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

// A symbol that exists but is not a func.func.
module @not_a_func {
}

func.func @vjp_callee_not_func(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  // expected-error @+1 {{'mlax.vjp' op (C1) 'not_a_func' does not name a func.func}}
  %0:2 = mlax.vjp @not_a_func(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

func.func private @f2(%x: tensor<f32>, %y: tensor<f32>) -> tensor<f32> {
  %0 = mlax.mul %x, %y : tensor<f32>
  return %0 : tensor<f32>
}

func.func @vjp_active_short(%x: tensor<f32>, %y: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  // expected-error @+1 {{'mlax.vjp' op (C2) active has 1 flags for a callee with 2 arguments}}
  %0:2 = mlax.vjp @f2(%x, %y, %ct) active = [true] : (tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

func.func private @f1(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.exp %x : tensor<f32>
  return %0 : tensor<f32>
}

func.func @vjp_active_long(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  // expected-error @+1 {{'mlax.vjp' op (C2) active has 3 flags for a callee with 1 arguments}}
  %0:2 = mlax.vjp @f1(%x, %ct) active = [true, false, true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

func.func private @f2(%x: tensor<4xf32>, %n: tensor<4xi32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// An argument of the wrong type.
func.func @vjp_operand_type(%x: tensor<4xf32>, %n: tensor<4xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.vjp' op (C3) operands must be the callee's arguments then one cotangent per result: expected 'tensor<4xf32>', 'tensor<4xi32>', 'tensor<4xf32>', got 'tensor<4xf32>', 'tensor<4xf32>', 'tensor<4xf32>'}}
  %0:2 = mlax.vjp @f2(%x, %n, %ct) active = [true, false] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

func.func private @f1(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>) {
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<4xf32>) -> tensor<f32>
  return %x, %0 : tensor<4xf32>, tensor<f32>
}

// A cotangent missing for the second result.
func.func @vjp_missing_cotangent(%x: tensor<4xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.vjp' op (C3) operands must be the callee's arguments then one cotangent per result: expected 'tensor<4xf32>', 'tensor<4xf32>', 'tensor<f32>', got 'tensor<4xf32>', 'tensor<4xf32>'}}
  %0:3 = mlax.vjp @f1(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<4xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf32>, tensor<f32>, tensor<4xf32>
}

// -----

func.func private @f1(%x: tensor<2xf32>) -> tensor<f32> {
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// A cotangent of the wrong shape.
func.func @vjp_cotangent_type(%x: tensor<2xf32>, %ct: tensor<2xf32>) -> (tensor<f32>, tensor<2xf32>) {
  // expected-error @+1 {{'mlax.vjp' op (C3) operands must be the callee's arguments then one cotangent per result: expected 'tensor<2xf32>', 'tensor<f32>', got 'tensor<2xf32>', 'tensor<2xf32>'}}
  %0:2 = mlax.vjp @f1(%x, %ct) active = [true] : (tensor<2xf32>, tensor<2xf32>) -> (tensor<f32>, tensor<2xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<2xf32>
}

// -----

func.func private @f2(%x: tensor<4xf32>, %w: tensor<2xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// Results list a cotangent for the inactive argument too.
func.func @vjp_result_inactive(%x: tensor<4xf32>, %w: tensor<2xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xf32>) {
  // expected-error @+1 {{'mlax.vjp' op (C4) results must be the callee's results then one cotangent per active argument: expected 'tensor<4xf32>', 'tensor<4xf32>', got 'tensor<4xf32>', 'tensor<4xf32>', 'tensor<2xf32>'}}
  %0:3 = mlax.vjp @f2(%x, %w, %ct) active = [true, false] : (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf32>, tensor<4xf32>, tensor<2xf32>
}

// -----

func.func private @f2(%x: tensor<4xf32>, %w: tensor<2xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// Cotangents of the active arguments given in the wrong order.
func.func @vjp_result_order(%x: tensor<4xf32>, %w: tensor<2xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.vjp' op (C4) results must be the callee's results then one cotangent per active argument: expected 'tensor<4xf32>', 'tensor<4xf32>', 'tensor<2xf32>', got 'tensor<4xf32>', 'tensor<2xf32>', 'tensor<4xf32>'}}
  %0:3 = mlax.vjp @f2(%x, %w, %ct) active = [true, true] : (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf32>, tensor<2xf32>, tensor<4xf32>
}

// -----

func.func private @f1(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// The primal results are missing.
func.func @vjp_result_no_primal(%x: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.vjp' op (C4) results must be the callee's results then one cotangent per active argument: expected 'tensor<4xf32>', 'tensor<4xf32>', got 'tensor<4xf32>'}}
  %0 = mlax.vjp @f1(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// mlax.jvp's operands and results: one tangent per active argument, then
// one tangent per result.
func.func private @j(%x: tensor<4xf32>, %n: tensor<4xi32>) -> tensor<2xf32> {
  %0 = mlax.slice %x, start = [0], limit = [2], strides = [1] : (tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @jvp_tangent_type(%x: tensor<4xf32>, %n: tensor<4xi32>, %t: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.jvp' op (C3) operands must be the callee's arguments then one tangent per active argument: expected 'tensor<4xf32>', 'tensor<4xi32>', 'tensor<4xf32>', got 'tensor<4xf32>', 'tensor<4xi32>', 'tensor<2xf32>'}}
  %0:2 = mlax.jvp @j(%x, %n, %t) active = [true, false] : (tensor<4xf32>, tensor<4xi32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#1 : tensor<2xf32>
}

// -----

func.func private @j2(%x: tensor<4xf32>) -> tensor<2xf32> {
  %0 = mlax.slice %x, start = [0], limit = [2], strides = [1] : (tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @jvp_result_type(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.jvp' op (C4) results must be the callee's results then one tangent per result: expected 'tensor<2xf32>', 'tensor<2xf32>', got 'tensor<2xf32>', 'tensor<4xf32>'}}
  %0:2 = mlax.jvp @j2(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<2xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

func.func @stop_gradient_type(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'mlax.stop_gradient' op requires the same type for all operands and results}}
  %0 = "mlax.stop_gradient"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @stop_gradient_shape(%x: tensor<4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'mlax.stop_gradient' op requires the same type for all operands and results}}
  %0 = "mlax.stop_gradient"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// mlax.batch (C1): the callee must exist.
func.func @batch_missing(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C1) 'missing' does not name a func.func}}
  %0 = mlax.batch @missing(%x) in_axes = [0] out_axes = [0] size = 3 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_negative_size(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C2) size must be non-negative, got -2}}
  %0 = mlax.batch @g(%x) in_axes = [-1] out_axes = [-1] size = -2 : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_in_axes_count(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C3) in_axes has 2 entries for a callee with 1 arguments}}
  %0 = mlax.batch @g(%x) in_axes = [0, 0] out_axes = [0] size = 3 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_out_axes_count(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C3) out_axes has 0 entries for a callee with 1 results}}
  %0 = mlax.batch @g(%x) in_axes = [0] out_axes = [] size = 3 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_operand_count(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C4) expected 1 operands, got 2}}
  %0 = mlax.batch @g(%x, %x) in_axes = [0] out_axes = [0] size = 3 : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_axis_out_of_range(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C5) in_axes[0] = 2 is out of range for rank 1 (-1 or 0..1)}}
  %0 = mlax.batch @g(%x) in_axes = [2] out_axes = [0] size = 3 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_operand_type(%x: tensor<4x3xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.batch' op (C6) operand 0 must have type 'tensor<3x4xf32>', got 'tensor<4x3xf32>'}}
  %0 = mlax.batch @g(%x) in_axes = [0] out_axes = [0] size = 3 : (tensor<4x3xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func private @g(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @batch_result_type(%x: tensor<3x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'mlax.batch' op (C6) result 0 must have type 'tensor<3x4xf32>', got 'tensor<4x3xf32>'}}
  %0 = mlax.batch @g(%x) in_axes = [0] out_axes = [0] size = 3 : (tensor<3x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// mlax.optimization_barrier: results have the operands' types.
func.func @barrier_types(%x: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.optimization_barrier' op (C1) results must have the operands' types: expected 'tensor<4xf32>', got 'tensor<3xf32>'}}
  %0 = "mlax.optimization_barrier"(%x) : (tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
