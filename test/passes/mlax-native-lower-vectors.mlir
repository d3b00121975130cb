// RUN: mlax-opt %s -mlax-native-lower-vectors -split-input-file | FileCheck %s

// The accumulator tile's read and write leave the reduction loop; the
// contraction becomes FMAs.
// CHECK-LABEL: func.func @tile(
// CHECK:         %[[ACC:.*]] = vector.transfer_read %arg2
// CHECK:         %[[R:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[ACC]])
// CHECK-NOT:       vector.contract
// CHECK:           vector.fma
// CHECK:         vector.transfer_write %[[R]], %arg2
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @tile(%A: memref<2x8xf32>, %B: memref<8x4xf32>, %C: memref<2x4xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %pad = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c8 step %c2 {
    %sa = memref.subview %A[0, %k] [2, 2] [1, 1] : memref<2x8xf32> to memref<2x2xf32, strided<[8, 1], offset: ?>>
    %sb = memref.subview %B[%k, 0] [2, 4] [1, 1] : memref<8x4xf32> to memref<2x4xf32, strided<[4, 1], offset: ?>>
    %va = vector.transfer_read %sa[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x2xf32, strided<[8, 1], offset: ?>>, vector<2x2xf32>
    %vb = vector.transfer_read %sb[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x4xf32, strided<[4, 1], offset: ?>>, vector<2x4xf32>
    %vc = vector.transfer_read %C[%c0, %c0], %pad {in_bounds = [true, true]} : memref<2x4xf32>, vector<2x4xf32>
    %r = vector.contract {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %vc : vector<2x2xf32>, vector<2x4xf32> into vector<2x4xf32>
    vector.transfer_write %r, %C[%c0, %c0] {in_bounds = [true, true]} : vector<2x4xf32>, memref<2x4xf32>
  }
  return
}

// -----

// A strided copy becomes linalg.copy (loops later), not a runtime call.
// CHECK-LABEL: func.func @strided_copy(
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy ins(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 1>>) outs(%arg1 : memref<2x2xf32>)
func.func @strided_copy(%src: memref<4x4xf32>, %dst: memref<2x2xf32>) {
  %v = memref.subview %src[0, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 1>>
  memref.copy %v, %dst : memref<2x2xf32, strided<[4, 1], offset: 1>> to memref<2x2xf32>
  return
}
