// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Complex tensors where an op has no complex form, and the complex ops'
// own constraints.

func.func @compare_order(%a: tensor<3xcomplex<f32>>) -> tensor<3xi1> {
  // expected-error @+1 {{'mlax.compare' op (C1) complex operands compare only for EQ and NE, got LT}}
  %0 = mlax.compare LT, %a, %a : (tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @complex_of_f16(%a: tensor<3xf16>) -> tensor<3xcomplex<f16>> {
  // expected-error @+1 {{'mlax.complex' op result #0 must be statically shaped tensor of complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<3xcomplex<f16>>'}}
  %0 = mlax.complex %a, %a : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xcomplex<f16>>
  return %0 : tensor<3xcomplex<f16>>
}

// -----

func.func @complex_mixed_parts(%a: tensor<3xf32>, %b: tensor<3xf64>) -> tensor<3xcomplex<f32>> {
  // expected-error @+1 {{'mlax.complex' op requires all operands to have the same type}}
  %0 = mlax.complex %a, %b : (tensor<3xf32>, tensor<3xf64>) -> tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// -----

func.func @real_of_real(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.real' op operand #0 must be statically shaped tensor of complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<3xf32>'}}
  %0 = mlax.real %a : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @imag_wrong_result(%a: tensor<3xcomplex<f32>>) -> tensor<3xf64> {
  // expected-error @+2 {{'mlax.imag' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<3xf64>'}}
  // expected-error @+1 {{'mlax.imag' op failed to infer returned types}}
  %0 = mlax.imag %a : (tensor<3xcomplex<f32>>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

func.func @abs_keeps_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xf64> {
  // expected-error @+1 {{'mlax.abs' op (C1) result element type must be 'f32' for an operand of 'complex<f32>', got 'f64'}}
  %0 = mlax.abs %a : (tensor<3xcomplex<f32>>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

func.func @max_of_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  // expected-error @+1 {{'mlax.max' op operand #0 must be statically shaped tensor of}}
  %0 = mlax.max %a, %a : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// -----

func.func @dot_to_real(%a: tensor<2x3xcomplex<f32>>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'mlax.dot_general' op (C7) complex operands need a complex result element type and only they give one, got 'complex<f32>' -> 'f32'}}
  %0 = mlax.dot_general %a, %a, batch = [] x [], contract = [1] x [1] : (tensor<2x3xcomplex<f32>>, tensor<2x3xcomplex<f32>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @bitcast_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xi64> {
  // expected-error @+1 {{'mlax.bitcast_convert' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer values, but got 'tensor<3xcomplex<f32>>'}}
  %0 = mlax.bitcast_convert %a : (tensor<3xcomplex<f32>>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

func.func @scatter_max_complex(%x: tensor<4xcomplex<f32>>, %i: tensor<2x1xi32>, %u: tensor<2xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  // expected-error @+1 {{'mlax.scatter' op (C5) complex values have no order for scatter max}}
  %0 = mlax.scatter max %x[%i], %u dims = [0] mode = clip : (tensor<4xcomplex<f32>>, tensor<2x1xi32>, tensor<2xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @floor_of_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  // expected-error @+1 {{'mlax.floor' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<3xcomplex<f32>>'}}
  %0 = mlax.floor %a : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// -----

func.func @conj_of_real(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.conj' op operand #0 must be statically shaped tensor of complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<3xf32>'}}
  %0 = mlax.conj %a : tensor<3xf32>
  return %0 : tensor<3xf32>
}
