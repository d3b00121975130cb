// RUN: mlax-opt %s -mlax-lower-to-linalg -split-input-file -verify-diagnostics

// Inputs that mlax-lower-to-linalg used to accept and then crash on or
// lower to invalid IR. They are now rejected by the verifier, before the
// pass runs, with a diagnostic instead of an assertion.

// Regression: a dynamically shaped elementwise op hit an assertion in
// tensor::EmptyOp::build (static shape containing ShapedType::kDynamic).
func.func @exp_dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'mlax.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.exp %x : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @add_dynamic(%a: tensor<2x?xi32>) -> tensor<2x?xi32> {
  // expected-error @+1 {{'mlax.add' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<2x?xi32>'}}
  %0 = mlax.add %a, %a : tensor<2x?xi32>
  return %0 : tensor<2x?xi32>
}

// -----

// Regression: a negative exponent on an integer tensor was accepted and
// lowered to arith.divf on i32 (invalid IR).
func.func @integer_pow_negative_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.integer_pow' op (C1) a negative exponent needs a floating-point operand, got exponent -1}}
  %0 = mlax.integer_pow %x, -1 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// A derivative request left in the IR: mlax-autodiff must expand it first.
func.func private @sq(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.mul %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @vjp_leftover(%x: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.vjp' op must be expanded by -mlax-autodiff before lowering}}
  %0:2 = mlax.vjp @sq(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// Without unregistered dialects allowed, mlax.optimization_barrier has no
// lowering (IREE's util dialect is not registered in mlax-opt).
func.func @barrier_needs_unregistered_dialects(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{failed to legalize operation 'mlax.optimization_barrier' that was explicitly marked illegal}}
  %0 = mlax.optimization_barrier %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
