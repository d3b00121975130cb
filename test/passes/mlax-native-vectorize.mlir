// RUN: mlax-opt %s -mlax-native-vectorize -canonicalize -split-input-file | FileCheck %s
// RUN: mlax-opt %s -mlax-native-vectorize=min-parallel-work=4096 -canonicalize -split-input-file | FileCheck %s --check-prefix=PAR

// A contraction: 8 x 32 register tiles of the result, 16 of the reduction,
// one vector.contract per tile.
// CHECK-LABEL: func.func @matmul(
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C8]]
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C32]]
// CHECK:             scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C16]]
// CHECK:               vector.transfer_read {{.*}} : tensor<8x16xf32>, vector<8x16xf32>
// CHECK:               vector.transfer_read {{.*}} : tensor<16x32xf32>, vector<16x32xf32>
// CHECK:               vector.contract {{.*}} vector<8x16xf32>, vector<16x32xf32> into vector<8x32xf32>
// CHECK-NOT:         linalg.matmul
func.func @matmul(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>)
                     outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Elementwise: 1 x 16 blocks; tile sizes divide the dimensions (12 -> 12).
// CHECK-LABEL: func.func @tanh(
// CHECK:         scf.for
// CHECK:           vector.transfer_read {{.*}} vector<1x12xf32>
// CHECK:           math.tanh {{.*}} : vector<1x12xf32>
// CHECK:           vector.transfer_write
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @tanh(%x: tensor<5x12xf32>) -> tensor<5x12xf32> {
  %e = tensor.empty() : tensor<5x12xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<5x12xf32>) outs(%e : tensor<5x12xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  } -> tensor<5x12xf32>
  return %0 : tensor<5x12xf32>
}

// -----

// A row reduction: 8 rows x 16 columns per block, reduced in vectors.
// CHECK-LABEL: func.func @row_sum(
// CHECK:         vector.multi_reduction <add>, {{.*}} [1] : vector<8x16xf32> to vector<8xf32>
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
func.func @row_sum(%x: tensor<16x64xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x64xf32>) outs(%init : tensor<16xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// Dynamic shapes are left alone (the native path has static shapes only).
// CHECK-LABEL: func.func @dynamic(
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
#id1 = affine_map<(d0) -> (d0)>
func.func @dynamic(%x: tensor<?xf32>, %o: tensor<?xf32>) -> tensor<?xf32> {
  %0 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%o : tensor<?xf32>) {
  ^bb0(%v: f32, %w: f32):
    %n = arith.negf %v : f32
    linalg.yield %n : f32
  } -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// With min-parallel-work, a large op's outermost parallel loop is an
// scf.forall over 8-row tiles (threads later); the rest stays scf.for.
// CHECK-LABEL: func.func @parallel_matmul(
// CHECK-NOT:     scf.forall
// PAR-LABEL: func.func @parallel_matmul(
// PAR:         scf.forall (%{{.*}}) = (0) to (64) step (8)
// PAR:           scf.for
// PAR:             vector.contract
// PAR-LABEL: func.func @small_matmul(
// PAR-NOT:     scf.forall
func.func @parallel_matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                     outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}
func.func @small_matmul(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
                     outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
