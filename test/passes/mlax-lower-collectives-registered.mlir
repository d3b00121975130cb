// RUN: mlax-opt %s -mlax-lower-collectives -verify-diagnostics

// Without unregistered dialects allowed, util.global cannot be built.
// expected-error @+1 {{mlax-lower-collectives builds IREE's util.global ops by name: allow unregistered dialects}}
module attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
    %0 = mlax.psum sum, %x over ["x"] sizes [2] : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
