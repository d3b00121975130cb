// RUN: mlax-opt %s -mlax-lower-collectives -allow-unregistered-dialect -split-input-file -verify-diagnostics

// Diagnostics of mlax-lower-collectives.

func.func @no_mesh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.psum' op has no mesh to run over: collectives need a module partitioned by mlax-spmd-partition (a pmap or shard_map)}}
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

module attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  func.func @axis_not_in_mesh() -> tensor<i32> {
    // expected-error @+1 {{'mlax.axis_index' op axis "y" is not an axis of the module's mesh}}
    %0 = mlax.axis_index over ["y"] sizes [2] : tensor<i32>
    return %0 : tensor<i32>
  }
}
