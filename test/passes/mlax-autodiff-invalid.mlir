// RUN: mlax-opt %s -mlax-autodiff -split-input-file -verify-diagnostics -allow-unregistered-dialect

// Inputs mlax-autodiff rejects with a diagnostic: an op on the
// differentiated path without a rule in VjpRules.cpp, requests that cannot
// be ordered innermost-first because they form a cycle, and a callee without
// a body.

// Ops of other dialects have no rule (every mlax op is meant to get one, so
// they are the stable example).
func.func private @f(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.addf' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = arith.addf %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @no_rule_arith(%x: tensor<4xf32>, %y: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  %0:3 = mlax.vjp @f(%x, %y, %ct) active = [true, true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// The op without a rule is found when its result carries a cotangent, here
// through a later op that has one, in a callee reached through a func.call.
func.func private @g(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'math.sin' op has no reverse-mode derivative rule yet (mlax-autodiff)}}
  %0 = math.sin %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func private @f(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = call @g(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mlax.reduce_sum %0, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = mlax.exp %1 : tensor<2xf32>
  return %2 : tensor<2xf32>
}
func.func @no_rule_through_call(%x: tensor<2x3xf32>, %ct: tensor<2xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @f(%x, %ct) active = [true] : (tensor<2x3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
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

// -----

// A recursive callee is diagnosed instead of inlined forever.
// expected-error @+1 {{'func.func' op mlax-autodiff: recursive calls are not supported}}
func.func private @rec(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @rec(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @recursive_callee(%x: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @rec(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// A cycle through a call: @cf calls @cg, which requests @cf's derivative.
func.func private @cf(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @cg(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cg(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  // expected-error @+1 {{'mlax.vjp' op cannot be expanded: its callee is missing or (indirectly) requests its own derivative}}
  %0:2 = mlax.vjp @cf(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0 : tensor<f32>
}

// -----

// A custom rule differentiates only the declared arguments: differentiating
// with respect to a value the function closes over (its trailing
// mlax.custom_closure_args operands) is refused, in both modes.
func.func private @cj(%x: tensor<f32>, %s: tensor<f32>) -> tensor<f32> attributes {mlax.custom_jvp = @cj_rule, mlax.custom_closure_args = 1 : i64} {
  %0 = mlax.mul %x, %s : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cj_rule(%x: tensor<f32>, %s: tensor<f32>, %tx: tensor<f32>, %ts: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = mlax.mul %x, %s : tensor<f32>
  %1 = mlax.mul %tx, %s : tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
func.func private @uses(%s: tensor<f32>) -> tensor<f32> {
  %c = mlax.constant dense<2.0> : tensor<f32>
  // expected-error @+1 {{'func.call' op differentiation of a custom rule function with respect to a value it closes over is not supported: pass that value as an argument}}
  %0 = func.call @cj(%c, %s) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @grad_of_closure(%s: tensor<f32>, %ct: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @uses(%s, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// Forward mode: an op without a JVP rule in JvpRules.cpp.
func.func private @fwd(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.mulf' op has no forward-mode derivative rule yet (mlax-autodiff)}}
  %0 = arith.mulf %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @no_forward_rule(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.jvp @fwd(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// An op with a region in the differentiated function.
func.func private @region(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'scf.execute_region' op mlax-autodiff: ops with regions are not supported yet}}
  %0 = scf.execute_region -> tensor<f32> {
    scf.yield %x : tensor<f32>
  }
  return %0 : tensor<f32>
}
func.func @region_in_callee(%x: tensor<f32>, %ct: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @region(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// A single-block callee that ends in another terminator than func.return.
// expected-error @+1 {{'func.func' op mlax-autodiff: function without return}}
func.func private @no_return(%x: tensor<f32>) -> tensor<f32> {
  "test.terminator"(%x) : (tensor<f32>) -> ()
}
func.func @callee_without_return(%x: tensor<f32>, %ct: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @no_return(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// A pure callback has no derivative (JAX's error).
func.func private @pure_cb(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.host_callback' op Pure callbacks do not support JVP. Please use `jax.custom_jvp` to use callbacks while taking gradients.}}
  %0 = mlax.host_callback pure 0 (%x) vmap = none : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @pure_callback_vjp(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = mlax.vjp @pure_cb(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

// Nor has an io callback.
func.func private @io_cb(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.host_callback' op IO callbacks do not support JVP.}}
  %0 = mlax.host_callback io 0 (%x) vmap = none : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @io_callback_jvp(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = mlax.jvp @io_cb(%x, %t) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}
