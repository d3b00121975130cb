// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the reductions, arg-reductions and dot_general
// (MlaxReductionOps.td / MlaxReductionOps.cpp): every verifier and
// type-inference message, with its constraint label.

func.func @reduce_sum_axis_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{(C1) axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{'mlax.reduce_sum' op failed to infer returned types}}
  %0 = mlax.reduce_sum %x, axes = [2] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_prod_axis_negative(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{(C1) axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{'mlax.reduce_prod' op failed to infer returned types}}
  %0 = mlax.reduce_prod %x, axes = [-1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_max_axis_repeated(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{(C1) axis 1 appears more than once}}
  // expected-error @+1 {{'mlax.reduce_max' op failed to infer returned types}}
  %0 = mlax.reduce_max %x, axes = [1, 1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_min_axis_range(%x: tensor<i32>) -> tensor<i32> {
  // expected-error @+2 {{(C1) axis 0 is out of range [0, 0)}}
  // expected-error @+1 {{'mlax.reduce_min' op failed to infer returned types}}
  %0 = mlax.reduce_min %x, axes = [0] : (tensor<i32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @reduce_and_axis_range(%x: tensor<4xi1>) -> tensor<i1> {
  // expected-error @+2 {{(C1) axis 1 is out of range [0, 1)}}
  // expected-error @+1 {{'mlax.reduce_and' op failed to infer returned types}}
  %0 = mlax.reduce_and %x, axes = [1] : (tensor<4xi1>) -> tensor<i1>
  return %0 : tensor<i1>
}

// -----

func.func @reduce_or_axis_repeated(%x: tensor<4x2xui8>) -> tensor<2xui8> {
  // expected-error @+2 {{(C1) axis 0 appears more than once}}
  // expected-error @+1 {{'mlax.reduce_or' op failed to infer returned types}}
  %0 = mlax.reduce_or %x, axes = [0, 0] : (tensor<4x2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

func.func @reduce_sum_result(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'mlax.reduce_sum' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'mlax.reduce_sum' op failed to infer returned types}}
  %0 = mlax.reduce_sum %x, axes = [1] : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @reduce_sum_element_type(%x: tensor<2x3xf32>) -> tensor<2xf16> {
  // expected-error @+1 {{'mlax.reduce_sum' op requires the same element type for all operands and results}}
  %0 = mlax.reduce_sum %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

func.func @reduce_sum_bool(%x: tensor<4xi1>) -> tensor<i1> {
  // expected-error @+1 {{'mlax.reduce_sum' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<4xi1>) -> tensor<i1>
  return %0 : tensor<i1>
}

// -----

func.func @reduce_and_float(%x: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.reduce_and' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.reduce_and %x, axes = [0] : (tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @argmax_axis_range(%x: tensor<2x3xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'mlax.argmax' op (C1) axis 2 is out of range [0, 2)}}
  %0 = mlax.argmax %x, axis = 2 : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @argmin_axis_negative(%x: tensor<2x3xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'mlax.argmin' op (C1) axis -1 is out of range [0, 2)}}
  %0 = mlax.argmin %x, axis = -1 : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @argmax_result_shape(%x: tensor<2x3xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{'mlax.argmax' op (C2) result shape must be the operand shape without the axis, expected 'tensor<2xi32>'}}
  %0 = mlax.argmax %x, axis = 1 : (tensor<2x3xf32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @argmin_result_shape(%x: tensor<4xi32>) -> tensor<1xi32> {
  // expected-error @+1 {{'mlax.argmin' op (C2) result shape must be the operand shape without the axis, expected 'tensor<i32>'}}
  %0 = mlax.argmin %x, axis = 0 : (tensor<4xi32>) -> tensor<1xi32>
  return %0 : tensor<1xi32>
}

// -----

func.func @argmax_result_unsigned(%x: tensor<4xf32>) -> tensor<ui32> {
  // expected-error @+1 {{'mlax.argmax' op result #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<ui32>'}}
  %0 = mlax.argmax %x, axis = 0 : (tensor<4xf32>) -> tensor<ui32>
  return %0 : tensor<ui32>
}

// -----

func.func @argmax_result_float(%x: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.argmax' op result #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<f32>'}}
  %0 = mlax.argmax %x, axis = 0 : (tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @argmax_bool(%x: tensor<4xi1>) -> tensor<i32> {
  // expected-error @+1 {{'mlax.argmax' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = mlax.argmax %x, axis = 0 : (tensor<4xi1>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @dot_general_batch_count(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C1) lhs and rhs have 1 and 0 batching dimensions}}
  %0 = mlax.dot_general %a, %b, batch = [0] x [], contract = [2] x [1] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @dot_general_contract_count(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C2) lhs and rhs have 1 and 2 contracting dimensions}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0, 1] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @dot_general_lhs_range(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C3) lhs dimension 2 is out of range [0, 2)}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [2] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @dot_general_rhs_range(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C3) rhs dimension -1 is out of range [0, 2)}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [-1] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @dot_general_lhs_repeated(%a: tensor<3x3xf32>, %b: tensor<3x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C3) lhs dimension 0 appears more than once}}
  %0 = mlax.dot_general %a, %b, batch = [0] x [0], contract = [0] x [1] : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dot_general_rhs_repeated(%a: tensor<3x3xf32>, %b: tensor<3x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C3) rhs dimension 1 appears more than once}}
  %0 = mlax.dot_general %a, %b, batch = [0] x [1], contract = [1] x [1] : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dot_general_size_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C4) lhs dimension 1 (size 3) does not match rhs dimension 0 (size 4) for lhs 'tensor<2x3xf32>' and rhs 'tensor<4x5xf32>'}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @dot_general_batch_size_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C4) lhs dimension 0 (size 2) does not match rhs dimension 0 (size 5) for lhs 'tensor<2x3x4xf32>' and rhs 'tensor<5x4x6xf32>'}}
  %0 = mlax.dot_general %a, %b, batch = [0] x [0], contract = [2] x [1] : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @dot_general_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C5) lhs and rhs element types differ: 'f32' vs 'f16'}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @dot_general_result_shape(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C6) result shape must be batch + lhs free + rhs free dimensions, expected 'tensor<2x4xf32>'}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// (C7): float operands need a float preferred (result) element type, as in
// lax; integer operands may give a float (see ops_reduction.mlir).
func.func @dot_general_float_to_int(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'mlax.dot_general' op (C7) float operands need a float result element type, got 'i32'}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @dot_general_bf16_to_unsigned(%a: tensor<3xbf16>) -> tensor<ui8> {
  // expected-error @+1 {{'mlax.dot_general' op (C7) float operands need a float result element type, got 'ui8'}}
  %0 = mlax.dot_general %a, %a, batch = [] x [], contract = [0] x [0] : (tensor<3xbf16>, tensor<3xbf16>) -> tensor<ui8>
  return %0 : tensor<ui8>
}

// -----

func.func @dot_general_bool(%a: tensor<3xi1>) -> tensor<i1> {
  // expected-error @+1 {{'mlax.dot_general' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<3xi1>'}}
  %0 = mlax.dot_general %a, %a, batch = [] x [], contract = [0] x [0] : (tensor<3xi1>, tensor<3xi1>) -> tensor<i1>
  return %0 : tensor<i1>
}

// -----

// Dynamic dimensions are rejected by the type constraint.
func.func @reduce_sum_dynamic(%x: tensor<?x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.reduce_sum' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?x3xf32>'}}
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<?x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dot_general_signed_to_unsigned(%a: tensor<2x3xi8>, %b: tensor<3x4xi8>) -> tensor<2x4xui32> {
  // expected-error @+1 {{'mlax.dot_general' op (C7) signed integer operands cannot give an unsigned result element type, got 'ui32'}}
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xi8>, tensor<3x4xi8>) -> tensor<2x4xui32>
  return %0 : tensor<2x4xui32>
}

// -----

func.func @cumsum_axis(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'mlax.cumsum' op (C1) axis 2 is out of range for rank 2}}
  %0 = mlax.cumsum %x axis = 2 reverse = false : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @cumsum_bool(%x: tensor<3xi1>) -> tensor<3xi1> {
  // expected-error @+1 {{'mlax.cumsum' op operand #0 must be}}
  %0 = mlax.cumsum %x axis = 0 reverse = false : tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @cumprod_axis(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'mlax.cumprod' op (C1) axis -1 is out of range for rank 2}}
  %0 = mlax.cumprod %x axis = -1 reverse = false : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @cummax_axis(%x: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{'mlax.cummax' op (C1) axis 1 is out of range for rank 1}}
  %0 = mlax.cummax %x axis = 1 reverse = true : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @cummin_scalar(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.cummin' op (C1) axis 0 is out of range for rank 0}}
  %0 = mlax.cummin %x axis = 0 reverse = false : tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cummax_bool(%x: tensor<3xi1>) -> tensor<3xi1> {
  // expected-error @+1 {{'mlax.cummax' op operand #0 must be}}
  %0 = mlax.cummax %x axis = 0 reverse = false : tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @cumlogsumexp_int(%x: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{'mlax.cumlogsumexp' op operand #0 must be}}
  %0 = mlax.cumlogsumexp %x axis = 0 reverse = false : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @cumprod_type(%x: tensor<3xf32>) -> tensor<3xf16> {
  // expected-error @+1 {{'mlax.cumprod' op}}
  %0 = "mlax.cumprod"(%x) {axis = 0 : i64, reverse = false} : (tensor<3xf32>) -> tensor<3xf16>
  return %0 : tensor<3xf16>
}
