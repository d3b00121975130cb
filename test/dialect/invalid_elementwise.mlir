// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the sources, conversions and elementwise ops
// (MlaxElementwiseOps.td / MlaxElementwiseOps.cpp): every verifier message,
// with its constraint label, and the element-type constraints of the ODS.
// Every tensor type constraint is statically shaped: dynamic (`?`)
// dimensions are rejected by the ODS type check.

func.func @iota_rank0() -> tensor<i32> {
  // expected-error @+1 {{'mlax.iota' op (C1) result must have rank >= 1}}
  %0 = mlax.iota dim = 0 : tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @iota_dim_high() -> tensor<2x3xi32> {
  // expected-error @+1 {{'mlax.iota' op (C2) iota_dimension 2 is out of range [0, 2)}}
  %0 = mlax.iota dim = 2 : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Regression: iota_dimension is read as a signed value, so -1 is reported as
// -1 (it used to be printed as 18446744073709551615).
func.func @iota_dim_negative() -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.iota' op (C2) iota_dimension -1 is out of range [0, 1)}}
  %0 = mlax.iota dim = -1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @iota_bool() -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.iota' op result #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = mlax.iota dim = 0 : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @constant_type_mismatch() -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "mlax.constant"() <{value = dense<1.0> : tensor<2xf16>}> : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @constant_bad_element() -> tensor<2xi3> {
  // expected-error @+1 {{'mlax.constant' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<2xi3>'}}
  %0 = mlax.constant dense<1> : tensor<2xi3>
  return %0 : tensor<2xi3>
}

// -----

func.func @convert_shape(%x: tensor<4xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'mlax.convert' op all non-scalar operands/results must have the same shape and base type}}
  %0 = mlax.convert %x : (tensor<4xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @bitcast_convert_width(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'mlax.bitcast_convert' op (C1) operand and result element types must have the same bit width, got 32 and 16}}
  %0 = mlax.bitcast_convert %x : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @bitcast_convert_bool(%x: tensor<4xi1>) -> tensor<4xi8> {
  // expected-error @+1 {{'mlax.bitcast_convert' op (C1) operand and result element types must have the same bit width, got 1 and 8}}
  %0 = mlax.bitcast_convert %x : (tensor<4xi1>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @exp_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.exp %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @exp_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.exp %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @sqrt_unsigned(%x: tensor<ui32>) -> tensor<ui32> {
  // expected-error @+1 {{'mlax.sqrt' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<ui32>'}}
  %0 = mlax.sqrt %x : tensor<ui32>
  return %0 : tensor<ui32>
}

// -----

func.func @exp_unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{custom op 'mlax.exp' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = mlax.exp %x : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @neg_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.neg' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.neg %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @not_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.not' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.not %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unary_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'mlax.tanh' op requires the same type for all operands and results}}
  %0 = "mlax.tanh"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @round_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.round' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.round AWAY_FROM_ZERO, %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @round_bad_method(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{custom op 'mlax.round' expected string or keyword containing one of the following enum values for attribute 'rounding_method' [AWAY_FROM_ZERO, TO_NEAREST_EVEN]}}
  %0 = mlax.round TO_ZERO, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @integer_pow_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.integer_pow' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.integer_pow %x, 2 : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Regression: (C1) used to be dead code (the exponent was read as unsigned),
// so a negative exponent on an integer tensor was accepted and the lowering
// then built arith.divf on integers.
func.func @integer_pow_negative_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.integer_pow' op (C1) a negative exponent needs a floating-point operand, got exponent -2}}
  %0 = mlax.integer_pow %x, -2 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @integer_pow_negative_unsigned(%x: tensor<ui8>) -> tensor<ui8> {
  // expected-error @+1 {{'mlax.integer_pow' op (C1) a negative exponent needs a floating-point operand, got exponent -1}}
  %0 = mlax.integer_pow %x, -1 : tensor<ui8>
  return %0 : tensor<ui8>
}

// -----

func.func @is_finite_int(%x: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.is_finite' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.is_finite %x : (tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @is_finite_result(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.is_finite' op result #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = mlax.is_finite %x : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @add_mismatch(%a: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.add' op requires the same type for all operands and results}}
  %0 = "mlax.add"(%a, %b) : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sub_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.sub' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.sub %a, %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @pow_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.pow' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.pow %a, %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @atan2_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.atan2' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.atan2 %a, %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @and_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.and' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.and %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @shift_left_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shift_left' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.shift_left %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @shift_right_logical_float(%a: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{'mlax.shift_right_logical' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<4xf16>'}}
  %0 = mlax.shift_right_logical %a, %a : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @shift_right_arithmetic_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.shift_right_arithmetic' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<4xi1>'}}
  %0 = mlax.shift_right_arithmetic %a, %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_mismatch(%a: tensor<4xf32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.compare' op requires all operands to have the same type}}
  %0 = mlax.compare EQ, %a, %b : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_result(%a: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.compare' op result #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = mlax.compare EQ, %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @compare_bad_direction(%a: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{custom op 'mlax.compare' expected string or keyword containing one of the following enum values for attribute 'comparison_direction' [EQ, NE, LT, LE, GT, GE]}}
  %0 = mlax.compare ULT, %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @select_shape(%p: tensor<3xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.select' op (C1) pred must be 0-d or have the shape of on_true, got 'tensor<3xi1>' and 'tensor<4xf32>'}}
  %0 = mlax.select %p, %x, %x : tensor<3xi1>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @select_pred_type(%p: tensor<4xi32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.select' op operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = mlax.select %p, %x, %x : tensor<4xi32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @select_branch_mismatch(%p: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.select' op failed to verify that all of {on_true, on_false, result} have same type}}
  %0 = "mlax.select"(%p, %x, %y) : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_min_type(%lo: tensor<i32>, %x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.clamp' op (C1) min must have element type 'f32', got 'i32'}}
  %0 = mlax.clamp %lo, %x, %hi : (tensor<i32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_max_type(%lo: tensor<f32>, %x: tensor<4xf32>, %hi: tensor<f16>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.clamp' op (C1) max must have element type 'f32', got 'f16'}}
  %0 = mlax.clamp %lo, %x, %hi : (tensor<f32>, tensor<4xf32>, tensor<f16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_min_shape(%lo: tensor<3xf32>, %x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.clamp' op (C2) min must be 0-d or have the operand's shape, got 'tensor<3xf32>' and 'tensor<4xf32>'}}
  %0 = mlax.clamp %lo, %x, %hi : (tensor<3xf32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_max_shape(%lo: tensor<i32>, %x: tensor<2x2xi32>, %hi: tensor<4xi32>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'mlax.clamp' op (C2) max must be 0-d or have the operand's shape, got 'tensor<4xi32>' and 'tensor<2x2xi32>'}}
  %0 = mlax.clamp %lo, %x, %hi : (tensor<i32>, tensor<2x2xi32>, tensor<4xi32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @clamp_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.clamp' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = mlax.clamp %x, %x, %x : (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @clamp_result(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'mlax.clamp' op failed to verify that all of {operand, result} have same type}}
  %0 = "mlax.clamp"(%x, %x, %x) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @exp_unranked_generic(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'mlax.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<*xf32>'}}
  %0 = "mlax.exp"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @add_unsupported_element(%x: tensor<4xi4>) -> tensor<4xi4> {
  // expected-error @+1 {{'mlax.add' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi4>'}}
  %0 = mlax.add %x, %x : tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

func.func @convert_unsupported_element(%x: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  // expected-error @+1 {{'mlax.convert' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xf8E4M3FN>'}}
  %0 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

// Regression: dynamic dimensions are rejected by the type constraint. They
// used to be accepted, and mlax-lower-to-linalg then crashed on them.
func.func @exp_dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'mlax.exp' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.exp %x : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @add_dynamic(%x: tensor<?x4xi32>) -> tensor<?x4xi32> {
  // expected-error @+1 {{'mlax.add' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?x4xi32>'}}
  %0 = mlax.add %x, %x : tensor<?x4xi32>
  return %0 : tensor<?x4xi32>
}

// -----

func.func @iota_dynamic() -> tensor<?xi32> {
  // expected-error @+1 {{'mlax.iota' op result #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<?xi32>'}}
  %0 = mlax.iota dim = 0 : tensor<?xi32>
  return %0 : tensor<?xi32>
}
