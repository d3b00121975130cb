// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trips of the collectives and shard_map (MlaxSpmdOps.td,
// MlaxTransformOps.td).

// CHECK-LABEL: func.func @collectives(
// CHECK: mlax.psum sum, %arg0 over ["i"] sizes [4] : tensor<3xf32>
// CHECK: mlax.psum max, %arg0 over ["i", "j"] sizes [4, 2] : tensor<3xf32>
// CHECK: mlax.psum or, %arg1 over ["i"] sizes [4] : tensor<3xi1>
// CHECK: mlax.all_gather %arg0 over ["i"] sizes [4] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<4x3xf32>
// CHECK: mlax.all_gather %arg0 over ["i", "j"] sizes [4, 2] dim = 0 tiled = true : (tensor<3xf32>) -> tensor<24xf32>
// CHECK: mlax.psum_scatter %{{.*}} over ["i"] sizes [4] dim = 0 tiled = true : (tensor<8x3xf32>) -> tensor<2x3xf32>
// CHECK: mlax.psum_scatter %{{.*}} over ["i"] sizes [4] dim = 0 tiled = false : (tensor<4x3xf32>) -> tensor<3xf32>
// CHECK: mlax.all_to_all %{{.*}} over ["i"] sizes [4] split = 0 concat = 1 : (tensor<8x3xf32>) -> tensor<2x12xf32>
// CHECK: mlax.ppermute %arg0 over ["i"] sizes [4] pairs = [0, 1, 1, 2, 2, 3, 3, 0] : tensor<3xf32>
// CHECK: mlax.axis_index over ["i"] sizes [4] : tensor<i32>
func.func @collectives(%x: tensor<3xf32>, %b: tensor<3xi1>, %y: tensor<8x3xf32>, %z: tensor<4x3xf32>) {
  %0 = mlax.psum sum, %x over ["i"] sizes [4] : tensor<3xf32>
  %1 = mlax.psum max, %x over ["i", "j"] sizes [4, 2] : tensor<3xf32>
  %2 = mlax.psum or, %b over ["i"] sizes [4] : tensor<3xi1>
  %3 = mlax.all_gather %x over ["i"] sizes [4] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<4x3xf32>
  %4 = mlax.all_gather %x over ["i", "j"] sizes [4, 2] dim = 0 tiled = true : (tensor<3xf32>) -> tensor<24xf32>
  %5 = mlax.psum_scatter %y over ["i"] sizes [4] dim = 0 tiled = true : (tensor<8x3xf32>) -> tensor<2x3xf32>
  %6 = mlax.psum_scatter %z over ["i"] sizes [4] dim = 0 tiled = false : (tensor<4x3xf32>) -> tensor<3xf32>
  %7 = mlax.all_to_all %y over ["i"] sizes [4] split = 0 concat = 1 : (tensor<8x3xf32>) -> tensor<2x12xf32>
  %8 = mlax.ppermute %x over ["i"] sizes [4] pairs = [0, 1, 1, 2, 2, 3, 3, 0] : tensor<3xf32>
  %9 = mlax.axis_index over ["i"] sizes [4] : tensor<i32>
  return
}

// Inside a function with a mesh, the axes agree with it.
// CHECK-LABEL: func.func @in_mesh(
// CHECK-SAME: attributes {mlax.mesh_axes = ["x", "y"], mlax.mesh_shape = array<i64: 2, 4>}
func.func @in_mesh(%x: tensor<3xf32>) -> tensor<3xf32> attributes {mlax.mesh_axes = ["x", "y"], mlax.mesh_shape = array<i64: 2, 4>} {
  %0 = mlax.psum sum, %x over ["y"] sizes [4] : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// CHECK-LABEL: func.func private @body(
func.func private @body(%x: tensor<2x3xf32>, %w: tensor<3x5xf32>) -> tensor<2x5xf32> {
  %0 = mlax.dot_general %x, %w, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  %1 = mlax.psum sum, %0 over ["x"] sizes [4] : tensor<2x5xf32>
  return %1 : tensor<2x5xf32>
}

// CHECK-LABEL: func.func @shard_map(
// CHECK: mlax.shard_map @body(%arg0, %arg1) mesh = ["x", "y"] shape = [4, 2] in_specs = {{\[\[\["x"\], \[\]\], \[\[\], \[\]\]\]}} out_specs = {{\[\[\["x"\], \[\]\]\]}} : (tensor<8x3xf32>, tensor<3x5xf32>) -> tensor<8x5xf32>
func.func @shard_map(%x: tensor<8x3xf32>, %w: tensor<3x5xf32>) -> tensor<8x5xf32> {
  %0 = mlax.shard_map @body(%x, %w) mesh = ["x", "y"] shape = [4, 2] in_specs = [[["x"], []], [[], []]] out_specs = [[["x"], []]] : (tensor<8x3xf32>, tensor<3x5xf32>) -> tensor<8x5xf32>
  return %0 : tensor<8x5xf32>
}

// CHECK-LABEL: func.func @constraint(
// CHECK: mlax.sharding_constraint %arg0 mesh = ["x", "y"] shape = [2, 4] sharding = {{\[\["y"\], \[\]\]}} : tensor<8x3xf32>
func.func @constraint(%x: tensor<8x3xf32>) -> tensor<8x3xf32> {
  %0 = mlax.sharding_constraint %x mesh = ["x", "y"] shape = [2, 4] sharding = [["y"], []] : tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}
