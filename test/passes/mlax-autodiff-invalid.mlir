// RUN: mlax-opt %s -mlax-autodiff -split-input-file -verify-diagnostics

// Inputs mlax-autodiff rejects with a diagnostic: an op on the
// differentiated path without a rule in VjpRules.cpp, and requests that
// cannot be ordered innermost-first because they form a cycle.

func.func private @f(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.atan2' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = mlax.atan2 %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @no_rule_atan2(%x: tensor<4xf32>, %y: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  %0:3 = mlax.vjp @f(%x, %y, %ct) active = [true, true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// The op without a rule is found when its result carries a cotangent, here
// through a later op that has one.
func.func private @f(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.reduce_prod' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = mlax.reduce_prod %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = mlax.exp %0 : tensor<2xf32>
  return %1 : tensor<2xf32>
}
func.func @no_rule_reduce_prod(%x: tensor<2x3xf32>, %ct: tensor<2xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @f(%x, %ct) active = [true] : (tensor<2x3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
}

// -----

// The padding value is inactive here, the operand is not: still no rule.
func.func private @f(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<5x8xf32> {
  // expected-error @+1 {{'mlax.pad' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = mlax.pad %x, %v, low = [1, 0], high = [2, 1], interior = [0, 2] : (tensor<2x3xf32>, tensor<f32>) -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}
func.func @no_rule_pad(%x: tensor<2x3xf32>, %v: tensor<f32>, %ct: tensor<5x8xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @f(%x, %v, %ct) active = [true, false] : (tensor<2x3xf32>, tensor<f32>, tensor<5x8xf32>) -> (tensor<5x8xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
}

// -----

// rem, dynamic_slice and dynamic_update_slice have no rule either.
func.func private @f(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.rem' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = mlax.rem %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @no_rule_rem(%x: tensor<4xf32>, %y: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.vjp @f(%x, %y, %ct) active = [true, false] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

func.func private @f(%x: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.dynamic_slice' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = mlax.dynamic_slice %x[%i, %i], sizes = [2, 3] : (tensor<4x6xf32>, tensor<i32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @no_rule_dynamic_slice(%x: tensor<4x6xf32>, %i: tensor<i32>, %ct: tensor<2x3xf32>) -> tensor<4x6xf32> {
  %0:2 = mlax.vjp @f(%x, %i, %ct) active = [true, false] : (tensor<4x6xf32>, tensor<i32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x6xf32>)
  return %0#1 : tensor<4x6xf32>
}

// -----

// A function requesting its own derivative: it always holds a request, so it
// is never ready to be differentiated.
func.func private @self(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  // expected-error @+1 {{'mlax.vjp' op cannot be expanded: its callee is missing or (indirectly) requests its own derivative}}
  %0:2 = mlax.vjp @self(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// Two functions requesting each other's derivative. The pass reports the
// first leftover request and stops.
func.func private @a(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  // expected-error @+1 {{'mlax.vjp' op cannot be expanded: its callee is missing or (indirectly) requests its own derivative}}
  %0:2 = mlax.vjp @b(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
func.func private @b(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  %0:2 = mlax.vjp @a(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// An external callee has no body to differentiate.
// expected-error @+1 {{'func.func' op mlax-autodiff: needs a single-block function}}
func.func private @ext(%x: tensor<f32>) -> tensor<f32>
func.func @external_callee(%x: tensor<f32>, %ct: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @ext(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
