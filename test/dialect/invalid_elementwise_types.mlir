// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Element-type constraints of the elementwise ops not covered in
// invalid_elementwise.mlir: one violation per op (float-only ops on i32,
// numeric ops on i1, bitwise ops on f32, mismatched operand types).

func.func @exp2_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.exp2' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.exp2 %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @log_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.log' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.log %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @log1p_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.log1p' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.log1p %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @expm1_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.expm1' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.expm1 %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @rsqrt_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.rsqrt' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.rsqrt %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @cbrt_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.cbrt' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.cbrt %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @sin_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.sin' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.sin %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @cos_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.cos' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.cos %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @tan_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.tan' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = mlax.tan %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @logistic_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.logistic' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.logistic %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @erf_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.erf' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.erf %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @erf_inv_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.erf_inv' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.erf_inv %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @floor_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.floor' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.floor %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @ceil_bad_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'mlax.ceil' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = mlax.ceil %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @abs_bad_type(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.abs' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.abs %x : (tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @sign_bad_type(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.sign' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = mlax.sign %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @div_bad_type(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.div' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = mlax.div %x, %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @rem_bad_type(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'mlax.rem' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = mlax.rem %x, %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @or_bad_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.or' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.or %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @xor_bad_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.xor' op operand #0 must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlax.xor %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @mul_bad_type(%x: tensor<4xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.mul' op requires the same type for all operands and results}}
  %0 = "mlax.mul"(%x, %y) : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @max_bad_type(%x: tensor<4xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.max' op requires the same type for all operands and results}}
  %0 = "mlax.max"(%x, %y) : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @min_bad_type(%x: tensor<4xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.min' op requires the same type for all operands and results}}
  %0 = "mlax.min"(%x, %y) : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
