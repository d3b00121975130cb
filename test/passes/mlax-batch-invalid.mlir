// RUN: mlax-opt %s -mlax-batch -split-input-file -verify-diagnostics

// Diagnostics of mlax-batch: a result required unbatched (out-axis -1) that
// depends on a batched argument, and a request whose callee requests its
// own batching. (A recursive callee is fine: its batched version calls
// itself.)

func.func private @f(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.mul %x, %w : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @out_axis_none_on_batched(%xs: tensor<4x3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{mlax-batch: out_axes[0] is -1 (not batched) but result 0 of 'f' depends on a batched argument}}
  %0 = mlax.batch @f(%xs, %w) in_axes = [0, -1] out_axes = [-1] size = 4 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func private @self(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{cannot be expanded: its callee is missing or (indirectly) requests its own batching}}
  %0 = mlax.batch @self(%x) in_axes = [-1] out_axes = [-1] size = 1 : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
