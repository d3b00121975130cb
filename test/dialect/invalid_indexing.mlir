// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Every constraint of gather and scatter (docs/ops.md).

func.func @rank0_indices(%x: tensor<5xf32>, %i: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.gather' op (C1) indices need a last dimension of index vectors}}
  %0 = mlax.gather %x[%i] dims = [0] mode = clip : (tensor<5xf32>, tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @depth(%x: tensor<5x3xf32>, %i: tensor<4x2xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'mlax.gather' op (C2) index vectors have 2 components for 1 dims}}
  %0 = mlax.gather %x[%i] dims = [0] mode = clip : (tensor<5x3xf32>, tensor<4x2xi32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @dims_order(%x: tensor<5x3xf32>, %i: tensor<4x2xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.gather' op (C3) dims must be increasing and within the operand's rank 2}}
  %0 = mlax.gather %x[%i] dims = [1, 0] mode = clip : (tensor<5x3xf32>, tensor<4x2xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dims_range(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'mlax.gather' op (C3) dims must be increasing and within the operand's rank 2}}
  %0 = mlax.gather %x[%i] dims = [2] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @result(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'mlax.gather' op (C4) result type must be 'tensor<4x3xf32>', got 'tensor<4x5xf32>'}}
  %0 = mlax.gather %x[%i] dims = [0] mode = clip : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @fill_without_mode(%x: tensor<5xf32>, %i: tensor<4x1xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.gather' op (C5) fill_value needs mode = fill}}
  %0 = mlax.gather %x[%i] dims = [0] mode = clip {fill_value = 0.0 : f32} : (tensor<5xf32>, tensor<4x1xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fill_type(%x: tensor<5xf32>, %i: tensor<4x1xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.gather' op (C5) fill_value type 'i32' differs from the element type 'f32'}}
  %0 = mlax.gather %x[%i] dims = [0] mode = fill {fill_value = 0 : i32} : (tensor<5xf32>, tensor<4x1xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @float_indices(%x: tensor<5xf32>, %i: tensor<4x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.gather' op operand #1 must be statically shaped tensor of}}
  %0 = mlax.gather %x[%i] dims = [0] mode = clip : (tensor<5xf32>, tensor<4x1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @scatter_depth(%x: tensor<5x3xf32>, %i: tensor<4x2xi32>, %u: tensor<4x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'mlax.scatter' op (C2) index vectors have 2 components for 1 dims}}
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x2xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_updates(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x5xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'mlax.scatter' op (C4) updates type must be 'tensor<4x3xf32>', got 'tensor<4x5xf32>'}}
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x5xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_result(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x3xf32>) -> tensor<5x3xf64> {
  // expected-error @+1 {{'mlax.scatter' op failed to verify that all of {operand, result} have same type}}
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf64>
  return %0 : tensor<5x3xf64>
}
