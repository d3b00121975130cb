// RUN: mlax-opt %s -split-input-file -verify-diagnostics

func.func @no_operands() {
  // expected-error @+1 {{'mlax.sort' op (C1) needs at least one operand}}
  "mlax.sort"() {dimension = 0 : i64, num_keys = 1 : i64} : () -> ()
  return
}

// -----

func.func @shapes(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.sort' op (C2) operands must share one shape}}
  %0:2 = mlax.sort %a, %b dimension = 0 num_keys = 1 : (tensor<3xf32>, tensor<4xf32>) -> (tensor<3xf32>, tensor<4xf32>)
  return
}

// -----

func.func @dimension(%a: tensor<3x2xf32>) {
  // expected-error @+1 {{'mlax.sort' op (C3) dimension 2 is out of range for rank 2}}
  %0 = mlax.sort %a dimension = 2 num_keys = 1 : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @scalar(%a: tensor<f32>) {
  // expected-error @+1 {{'mlax.sort' op (C3) dimension 0 is out of range for rank 0}}
  %0 = mlax.sort %a dimension = 0 num_keys = 1 : (tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @keys(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'mlax.sort' op (C4) num_keys 3 must be in [1, 2]}}
  %0:2 = mlax.sort %a, %b dimension = 0 num_keys = 3 : (tensor<3xf32>, tensor<3xi32>) -> (tensor<3xf32>, tensor<3xi32>)
  return
}

// -----

func.func @result(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'mlax.sort' op (C5) result 1 must have type 'tensor<3xi32>', got 'tensor<3xf32>'}}
  %0:2 = mlax.sort %a, %b dimension = 0 num_keys = 1 : (tensor<3xf32>, tensor<3xi32>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @top_k_scalar(%a: tensor<f32>) {
  // expected-error @+1 {{'mlax.top_k' op (C1) needs an operand of rank >= 1}}
  %v, %i = mlax.top_k %a k = 0 : (tensor<f32>) -> (tensor<f32>, tensor<i32>)
  return
}

// -----

func.func @top_k_k(%a: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.top_k' op (C2) k = 5 must be in [0, 4]}}
  %v, %i = mlax.top_k %a k = 5 : (tensor<4xf32>) -> (tensor<5xf32>, tensor<5xi32>)
  return
}

// -----

func.func @top_k_values(%a: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.top_k' op (C3) values must have type 'tensor<2xf32>'}}
  %v, %i = mlax.top_k %a k = 2 : (tensor<4xf32>) -> (tensor<2xf16>, tensor<2xi32>)
  return
}

// -----

func.func @top_k_indices(%a: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.top_k' op (C3) indices must have type 'tensor<2xi32>'}}
  %v, %i = mlax.top_k %a k = 2 : (tensor<4xf32>) -> (tensor<2xf32>, tensor<2xi64>)
  return
}
