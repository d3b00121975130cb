// RUN: mlax-opt %s -mlax-native-widen-bools -split-input-file | FileCheck %s

// Bool tensors become i8 tensors (signature included); the comparison stays
// on i1 and is extended before the yield.
// CHECK-LABEL: func.func @compare(
// CHECK-SAME:    -> tensor<4xi8>
// CHECK:         tensor.empty() : tensor<4xi8>
// CHECK:         ^bb0(%{{.*}}: f32, %{{.*}}: f32, %[[OUT:.*]]: i8):
// CHECK:           %[[C:.*]] = arith.cmpf olt
// CHECK:           %[[E:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK:           linalg.yield %[[E]] : i8
// CHECK:         return %{{.*}} : tensor<4xi8>
#id = affine_map<(d0) -> (d0)>
func.func @compare(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %e = tensor.empty() : tensor<4xi1>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xi1>) {
  ^bb0(%x: f32, %y: f32, %o: i1):
    %c = arith.cmpf olt, %x, %y : f32
    linalg.yield %c : i1
  } -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// A bool input is truncated on entry to the body; fill and constants widen.
// CHECK-LABEL: func.func @all(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xi8>) -> tensor<2xi8>
// CHECK:         %[[T:.*]] = arith.constant true
// CHECK:         %[[W:.*]] = arith.extui %[[T]] : i1 to i8
// CHECK:         %[[F:.*]] = linalg.fill ins(%[[W]] : i8) outs(%{{.*}} : tensor<2xi8>)
// CHECK:         ^bb0(%[[IN:.*]]: i8, %[[ACC:.*]]: i8):
// CHECK-DAG:       arith.trunci %[[IN]] : i8 to i1
// CHECK-DAG:       arith.trunci %[[ACC]] : i8 to i1
// CHECK:           arith.andi
// CHECK:           arith.extui
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
func.func @all(%x: tensor<2x3xi1>) -> tensor<2xi1> {
  %true = arith.constant true
  %e = tensor.empty() : tensor<2xi1>
  %f = linalg.fill ins(%true : i1) outs(%e : tensor<2xi1>) -> tensor<2xi1>
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x3xi1>) outs(%f : tensor<2xi1>) {
  ^bb0(%v: i1, %acc: i1):
    %r = arith.andi %v, %acc : i1
    linalg.yield %r : i1
  } -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// Dense bool constants and tensor.extract.
// CHECK-LABEL: func.func @consts(
// CHECK:         arith.constant dense<[1, 0, 1]> : tensor<3xi8>
// CHECK:         %[[E:.*]] = tensor.extract %{{.*}}[%{{.*}}] : tensor<3xi8>
// CHECK:         %[[B:.*]] = arith.trunci %[[E]] : i8 to i1
// CHECK:         return %[[B]] : i1
func.func @consts(%i: index) -> i1 {
  %c = arith.constant dense<[true, false, true]> : tensor<3xi1>
  %e = tensor.extract %c[%i] : tensor<3xi1>
  return %e : i1
}
