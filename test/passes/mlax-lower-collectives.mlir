// RUN: mlax-opt %s -mlax-lower-collectives -allow-unregistered-dialect -split-input-file | FileCheck %s

// mlax-lower-collectives: collectives become calls of host-served imports
// (@mlaxcoll.cN, one per distinct collective), axis_index reads the mesh
// coordinates global.

// CHECK-LABEL: module attributes {mlax.mesh_axes = ["x", "y"]
// CHECK:         "util.global"() {initial_value = dense<0> : tensor<2xi32>, is_mutable, sym_name = "mlax_mesh_coordinates", sym_visibility = "private", type = tensor<2xi32>}
// CHECK:       func.func @mlax_set_mesh_coordinates(%arg0: tensor<2xi32>)
// CHECK:         "util.global.store"(%arg0) {global = @mlax_mesh_coordinates}
// CHECK-LABEL: func.func @main(
// CHECK:         %[[A:.*]] = call @mlaxcoll.c0(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %[[B:.*]] = call @mlaxcoll.c0(%[[A]]) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %[[G:.*]] = call @mlaxcoll.c1(%[[B]]) : (tensor<4xf32>) -> tensor<8xf32>
// CHECK:         %[[C:.*]] = "util.global.load"() {global = @mlax_mesh_coordinates} : () -> tensor<2xi32>
// CHECK:         %[[X:.*]] = mlax.slice %[[C]], start = [0], limit = [1]
// CHECK:         %[[XS:.*]] = mlax.reshape %[[X]] : (tensor<1xi32>) -> tensor<i32>
// CHECK:         %[[Y:.*]] = mlax.slice %[[C]], start = [1], limit = [2]
// CHECK:         %[[YS:.*]] = mlax.reshape %[[Y]] : (tensor<1xi32>) -> tensor<i32>
// CHECK:         %[[N:.*]] = mlax.constant dense<3> : tensor<i32>
// CHECK:         %[[M:.*]] = mlax.mul %[[XS]], %[[N]] : tensor<i32>
// CHECK:         mlax.add %[[M]], %[[YS]] : tensor<i32>
// CHECK:       func.func private @mlaxcoll.c0(tensor<4xf32>) -> tensor<4xf32> attributes {mlax.collective = {axis_names = ["x"], axis_sizes = array<i64: 2>, element_type = f32, kind = "psum", operand_type = tensor<4xf32>, reduction = 0 : i32, result_type = tensor<4xf32>}}
// CHECK:       func.func private @mlaxcoll.c1(tensor<4xf32>) -> tensor<8xf32> attributes {mlax.collective = {axis_names = ["x"], axis_sizes = array<i64: 2>, dimension = 0 : i64, element_type = f32, kind = "all_gather", operand_type = tensor<4xf32>, result_type = tensor<8xf32>, tiled = true}}
module attributes {mlax.mesh_axes = ["x", "y"], mlax.mesh_shape = array<i64: 2, 3>} {
  func.func @main(%x: tensor<4xf32>) -> (tensor<8xf32>, tensor<i32>) {
    %0 = mlax.psum sum, %x over ["x"] sizes [2] : tensor<4xf32>
    %1 = mlax.psum sum, %0 over ["x"] sizes [2] : tensor<4xf32>
    %2 = mlax.all_gather %1 over ["x"] sizes [2] dim = 0 tiled = true : (tensor<4xf32>) -> tensor<8xf32>
    %3 = mlax.axis_index over ["x", "y"] sizes [2, 3] : tensor<i32>
    return %2, %3 : tensor<8xf32>, tensor<i32>
  }
}

// -----

// The other collectives: one import each, described by their attributes.
// CHECK-LABEL: func.func @others(
// CHECK:         call @mlaxcoll.c0(%arg0) : (tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK:         call @mlaxcoll.c1(%arg0) : (tensor<4x3xf32>) -> tensor<2x6xf32>
// CHECK:         call @mlaxcoll.c2(%arg0) : (tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK:       func.func private @mlaxcoll.c0({{.*}} kind = "psum_scatter"
// CHECK:       func.func private @mlaxcoll.c1({{.*}} kind = "all_to_all"
// CHECK:       func.func private @mlaxcoll.c2({{.*}} kind = "ppermute", operand_type = tensor<4x3xf32>, pairs = array<i64: 0, 1, 1, 0>
module attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  func.func @others(%x: tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<2x6xf32>, tensor<4x3xf32>) {
    %0 = mlax.psum_scatter %x over ["i"] sizes [2] dim = 0 tiled = true : (tensor<4x3xf32>) -> tensor<2x3xf32>
    %1 = mlax.all_to_all %x over ["i"] sizes [2] split = 0 concat = 1 : (tensor<4x3xf32>) -> tensor<2x6xf32>
    %2 = mlax.ppermute %x over ["i"] sizes [2] pairs = [0, 1, 1, 0] : tensor<4x3xf32>
    return %0, %1, %2 : tensor<2x3xf32>, tensor<2x6xf32>, tensor<4x3xf32>
  }
}

// -----

// A module without a mesh and without collectives is left alone.
// CHECK-LABEL: func.func @plain(
// CHECK-NOT:     util.global
func.func @plain(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
