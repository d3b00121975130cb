// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// threefry2x32's constraints (docs/ops.md): (C1) ui32 tensors of static
// shape, (C2) operands and results of one type.

func.func @signed_key(%k: tensor<4xi32>, %c: tensor<4xui32>) {
  // expected-error @+1 {{'mlax.threefry2x32' op operand #0 must be statically shaped tensor of 32-bit unsigned integer values}}
  %0:2 = "mlax.threefry2x32"(%k, %c, %c, %c) : (tensor<4xi32>, tensor<4xui32>, tensor<4xui32>, tensor<4xui32>) -> (tensor<4xui32>, tensor<4xui32>)
  return
}

// -----

func.func @dynamic(%c: tensor<?xui32>) {
  // expected-error @+1 {{'mlax.threefry2x32' op operand #0 must be statically shaped tensor of 32-bit unsigned integer values}}
  %0:2 = "mlax.threefry2x32"(%c, %c, %c, %c) : (tensor<?xui32>, tensor<?xui32>, tensor<?xui32>, tensor<?xui32>) -> (tensor<?xui32>, tensor<?xui32>)
  return
}

// -----

func.func @wide_counter(%c: tensor<4xui32>, %w: tensor<4xui64>) {
  // expected-error @+1 {{'mlax.threefry2x32' op operand #3 must be statically shaped tensor of 32-bit unsigned integer values}}
  %0:2 = "mlax.threefry2x32"(%c, %c, %c, %w) : (tensor<4xui32>, tensor<4xui32>, tensor<4xui32>, tensor<4xui64>) -> (tensor<4xui32>, tensor<4xui32>)
  return
}

// -----

func.func @shapes_differ(%c: tensor<4xui32>, %d: tensor<3xui32>) {
  // expected-error @+1 {{'mlax.threefry2x32' op all non-scalar operands/results must have the same shape and base type}}
  %0:2 = "mlax.threefry2x32"(%c, %c, %d, %c) : (tensor<4xui32>, tensor<4xui32>, tensor<3xui32>, tensor<4xui32>) -> (tensor<4xui32>, tensor<4xui32>)
  return
}

// -----

func.func @result_type(%c: tensor<4xui32>) {
  // expected-error @+1 {{'mlax.threefry2x32' op all non-scalar operands/results must have the same shape and base type}}
  %0:2 = "mlax.threefry2x32"(%c, %c, %c, %c) : (tensor<4xui32>, tensor<4xui32>, tensor<4xui32>, tensor<4xui32>) -> (tensor<4xui32>, tensor<2x2xui32>)
  return
}
