// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Diagnostics of the structural ops (MlaxShapeOps.td / MlaxShapeOps.cpp):
// every verifier and type-inference message, with its constraint label.
// Ops with type inference report the failed check and then "failed to infer
// returned types" at the same location.
//
// Not a bug, noted for review: concatenate's (C1) "needs at least one
// input" cannot be reached from IR, because the
// SameOperandsAndResultElementType trait rejects a concatenate without
// operands first (@concatenate_no_inputs checks that message).

func.func @broadcast_in_dim_element_type(%x: tensor<3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C1) operand and result element types differ: 'f32' vs 'f16'}}
  %0 = mlax.broadcast_in_dim %x, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @broadcast_in_dim_dims_size(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C2) broadcast_dimensions has 2 entries, operand rank is 1}}
  %0 = mlax.broadcast_in_dim %x, dims = [0, 1] : (tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_in_dim_dim_range(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C3) broadcast dimension 2 is out of range [0, 2)}}
  %0 = mlax.broadcast_in_dim %x, dims = [2] : (tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_in_dim_dim_negative(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C3) broadcast dimension -1 is out of range [0, 2)}}
  %0 = mlax.broadcast_in_dim %x, dims = [-1] : (tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_in_dim_dim_repeated(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C3) broadcast dimension 1 appears more than once}}
  %0 = mlax.broadcast_in_dim %x, dims = [1, 1] : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @broadcast_in_dim_size(%x: tensor<3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op (C4) operand dimension 0 of size 3 cannot broadcast to result dimension 1 of size 2}}
  %0 = mlax.broadcast_in_dim %x, dims = [1] : (tensor<3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Regression: dynamic dimensions are rejected by the type constraint. They
// used to be accepted, and ReshapeOp::verify then crashed (assertion in
// getNumElements); other verifiers printed -9223372036854775808 as a size.
func.func @reshape_dynamic_operand(%x: tensor<?xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.reshape' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.reshape %x : (tensor<?xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reshape_dynamic_result(%x: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'mlax.reshape' op result #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.reshape %x : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @broadcast_in_dim_dynamic(%x: tensor<?xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'mlax.broadcast_in_dim' op operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.broadcast_in_dim %x, dims = [1] : (tensor<?xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @concatenate_dynamic(%a: tensor<?xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.concatenate' op operand #0 must be variadic of statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<?xf32>'}}
  %0 = mlax.concatenate(%a, %a) dim = 0 : (tensor<?xf32>, tensor<?xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'mlax.reshape' op (C1) operand and result element types differ: 'f32' vs 'i32'}}
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @reshape_num_elements(%x: tensor<2x3xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'mlax.reshape' op (C2) cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<5xf32>' (5 elements)}}
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{(C1) permutation has 3 entries, operand rank is 2}}
  // expected-error @+1 {{'mlax.transpose' op failed to infer returned types}}
  %0 = mlax.transpose %x, perm = [1, 0, 2] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_perm_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{(C2) permutation entry 2 is out of range [0, 2)}}
  // expected-error @+1 {{'mlax.transpose' op failed to infer returned types}}
  %0 = mlax.transpose %x, perm = [2, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_perm_repeated(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+2 {{(C2) permutation entry 1 appears more than once}}
  // expected-error @+1 {{'mlax.transpose' op failed to infer returned types}}
  %0 = mlax.transpose %x, perm = [1, 1] : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @transpose_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'mlax.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'mlax.transpose' op failed to infer returned types}}
  %0 = mlax.transpose %x, perm = [1, 0] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rev_dim_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.rev' op (C1) dimension 2 is out of range [0, 2)}}
  %0 = mlax.rev %x, dims = [2] : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rev_dim_repeated(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.rev' op (C1) dimension 0 appears more than once}}
  %0 = mlax.rev %x, dims = [0, 0] : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The (C1) "needs at least one input" check of the type inference cannot be
// reached from IR: the SameOperandsAndResultElementType trait rejects a
// concatenate without operands first.
func.func @concatenate_no_inputs() -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.concatenate' op expected 1 or more operands, but found 0}}
  %0 = mlax.concatenate() dim = 0 : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @concatenate_dim_range(%a: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{(C2) dimension 1 is out of range [0, 1)}}
  // expected-error @+1 {{'mlax.concatenate' op failed to infer returned types}}
  %0 = mlax.concatenate(%a, %a) dim = 1 : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concatenate_dim_negative(%a: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{(C2) dimension -1 is out of range [0, 1)}}
  // expected-error @+1 {{'mlax.concatenate' op failed to infer returned types}}
  %0 = mlax.concatenate(%a, %a) dim = -1 : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concatenate_rank(%a: tensor<2xf32>, %b: tensor<2x2xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{(C3) input 1 has rank 2, input 0 has rank 1}}
  // expected-error @+1 {{'mlax.concatenate' op failed to infer returned types}}
  %0 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2xf32>, tensor<2x2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concatenate_shape(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{(C4) input 1 has shape 'tensor<2x4xf32>' which differs from input 0 ('tensor<2x3xf32>') outside dimension 0}}
  // expected-error @+1 {{'mlax.concatenate' op failed to infer returned types}}
  %0 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concatenate_element_type(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.concatenate' op requires the same element type for all operands and results}}
  %0 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2xf32>, tensor<2xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concatenate_result(%a: tensor<2xf32>) -> tensor<5xf32> {
  // expected-error @+2 {{'mlax.concatenate' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{'mlax.concatenate' op failed to infer returned types}}
  %0 = mlax.concatenate(%a, %a) dim = 0 : (tensor<2xf32>, tensor<2xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @pad_sizes(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<3x3xf32> {
  // expected-error @+2 {{(C1) low, high and interior padding need 2 entries each, got 1, 2 and 2}}
  // expected-error @+1 {{'mlax.pad' op failed to infer returned types}}
  %0 = mlax.pad %x, %v, low = [1], high = [0, 0], interior = [0, 0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @pad_interior_negative(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{(C2) interior padding must be >= 0, got -1 in dimension 1}}
  // expected-error @+1 {{'mlax.pad' op failed to infer returned types}}
  %0 = mlax.pad %x, %v, low = [0, 0], high = [0, 0], interior = [0, -1] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_negative_size(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{(C3) dimension 1 would have negative size -1}}
  // expected-error @+1 {{'mlax.pad' op failed to infer returned types}}
  %0 = mlax.pad %x, %v, low = [0, -2], high = [0, -2], interior = [0, 0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_value_type(%x: tensor<2x3xf32>, %v: tensor<i32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.pad' op requires the same element type for all operands and results}}
  %0 = mlax.pad %x, %v, low = [0, 0], high = [0, 0], interior = [0, 0] : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_value_rank(%x: tensor<2x3xf32>, %v: tensor<1xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'mlax.pad' op operand #1 must be 0D tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer or 1-bit signless integer or complex type with 32-bit float elements or complex type with 64-bit float elements values, but got 'tensor<1xf32>'}}
  %0 = mlax.pad %x, %v, low = [0, 0], high = [0, 0], interior = [0, 0] : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_result(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{'mlax.pad' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'mlax.pad' op failed to infer returned types}}
  %0 = mlax.pad %x, %v, low = [0, 0], high = [0, 0], interior = [0, 0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @slice_sizes(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{(C1) start, limit and strides need 2 entries each, got 2, 1 and 2}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [0, 0], limit = [2], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_start_after_limit(%x: tensor<4x6xf32>) -> tensor<0x6xf32> {
  // expected-error @+2 {{(C2) need 0 <= start <= limit <= size in dimension 0, got start 3, limit 2, size 4}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [3, 0], limit = [2, 6], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<0x6xf32>
  return %0 : tensor<0x6xf32>
}

// -----

func.func @slice_limit_too_large(%x: tensor<4x6xf32>) -> tensor<4x7xf32> {
  // expected-error @+2 {{(C2) need 0 <= start <= limit <= size in dimension 1, got start 0, limit 7, size 6}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [0, 0], limit = [4, 7], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<4x7xf32>
  return %0 : tensor<4x7xf32>
}

// -----

func.func @slice_start_negative(%x: tensor<4x6xf32>) -> tensor<5x6xf32> {
  // expected-error @+2 {{(C2) need 0 <= start <= limit <= size in dimension 0, got start -1, limit 4, size 4}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [-1, 0], limit = [4, 6], strides = [1, 1] : (tensor<4x6xf32>) -> tensor<5x6xf32>
  return %0 : tensor<5x6xf32>
}

// -----

func.func @slice_stride(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+2 {{(C3) stride must be >= 1, got 0 in dimension 1}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [0, 0], limit = [4, 6], strides = [1, 0] : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @slice_result(%x: tensor<4x6xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{'mlax.slice' op inferred type(s) 'tensor<4x2xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @+1 {{'mlax.slice' op failed to infer returned types}}
  %0 = mlax.slice %x, start = [0, 0], limit = [4, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @dynamic_slice_num_indices(%x: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{(C1) needs 2 start indices, got 1}}
  // expected-error @+1 {{'mlax.dynamic_slice' op failed to infer returned types}}
  %0 = mlax.dynamic_slice %x[%i], sizes = [2, 3] : (tensor<4x6xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dynamic_slice_sizes(%x: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<2xf32> {
  // expected-error @+2 {{(C2) slice_sizes needs 2 entries, got 1}}
  // expected-error @+1 {{'mlax.dynamic_slice' op failed to infer returned types}}
  %0 = mlax.dynamic_slice %x[%i, %i], sizes = [2] : (tensor<4x6xf32>, tensor<i32>, tensor<i32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_size_range(%x: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<5x3xf32> {
  // expected-error @+2 {{(C3) slice size 5 in dimension 0 is out of range [0, 4]}}
  // expected-error @+1 {{'mlax.dynamic_slice' op failed to infer returned types}}
  %0 = mlax.dynamic_slice %x[%i, %i], sizes = [5, 3] : (tensor<4x6xf32>, tensor<i32>, tensor<i32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @dynamic_slice_size_negative(%x: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{(C3) slice size -1 in dimension 1 is out of range [0, 6]}}
  // expected-error @+1 {{'mlax.dynamic_slice' op failed to infer returned types}}
  %0 = mlax.dynamic_slice %x[%i, %i], sizes = [2, -1] : (tensor<4x6xf32>, tensor<i32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dynamic_slice_index_float(%x: tensor<4xf32>, %i: tensor<f32>) -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.dynamic_slice' op operand #1 must be variadic of 0D tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<f32>'}}
  %0 = mlax.dynamic_slice %x[%i], sizes = [2] : (tensor<4xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_index_rank(%x: tensor<4xf32>, %i: tensor<1xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'mlax.dynamic_slice' op operand #1 must be variadic of 0D tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<1xi32>'}}
  %0 = mlax.dynamic_slice %x[%i], sizes = [2] : (tensor<4xf32>, tensor<1xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_result(%x: tensor<4xf32>, %i: tensor<i32>) -> tensor<3xf32> {
  // expected-error @+2 {{'mlax.dynamic_slice' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'mlax.dynamic_slice' op failed to infer returned types}}
  %0 = mlax.dynamic_slice %x[%i], sizes = [2] : (tensor<4xf32>, tensor<i32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dynamic_update_slice_element_type(%x: tensor<4xf32>, %u: tensor<2xf16>, %i: tensor<i32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op (C1) update element type 'f16' differs from operand's 'f32'}}
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<4xf32>, tensor<2xf16>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_rank(%x: tensor<4xf32>, %u: tensor<1x2xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op (C2) update rank 2 differs from operand rank 1}}
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<4xf32>, tensor<1x2xf32>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_num_indices(%x: tensor<4x4xf32>, %u: tensor<2x2xf32>, %i: tensor<i32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op (C3) needs 2 start indices, got 1}}
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<i32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @dynamic_update_slice_fit(%x: tensor<4x4xf32>, %u: tensor<2x5xf32>, %i: tensor<i32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op (C4) update 'tensor<2x5xf32>' does not fit in operand 'tensor<4x4xf32>'}}
  %0 = mlax.dynamic_update_slice %x[%i, %i], %u : (tensor<4x4xf32>, tensor<2x5xf32>, tensor<i32>, tensor<i32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @dynamic_update_slice_result(%x: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i32>) -> tensor<5xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op failed to verify that all of {operand, result} have same type}}
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<4xf32>, tensor<2xf32>, tensor<i32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @dynamic_update_slice_index_type(%x: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i1>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.dynamic_update_slice' op operand #2 must be variadic of 0D tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer or 8-bit unsigned integer or 16-bit unsigned integer or 32-bit unsigned integer or 64-bit unsigned integer values, but got 'tensor<i1>'}}
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<4xf32>, tensor<2xf32>, tensor<i1>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
