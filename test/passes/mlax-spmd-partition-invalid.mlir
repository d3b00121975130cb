// RUN: mlax-opt %s -mlax-spmd-partition -split-input-file -verify-diagnostics

// Diagnostics of mlax-spmd-partition.

func.func @collective_outside(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.psum' op mlax-spmd-partition: a collective outside shard_map/pmap has no mesh axis to run over}}
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @request_left(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.jvp' op mlax-spmd-partition: expand transformation requests first (mlax-autodiff, mlax-batch)}}
  %0:2 = mlax.jvp @f(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument 0 sharding: dimension 0 of 'tensor<5xf32>' does not split evenly into 2 blocks}}
func.func @uneven_argument(%x: tensor<5xf32> {mlax.sharding = [["i"]]}) -> tensor<5xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<5xf32>
}

// -----

func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<4xf32>
}
// expected-error @+1 {{'func.func' op mlax-spmd-partition: every SPMD function of a module needs the same mesh}}
func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["j"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<4xf32>
}
