// RUN: mlax-opt %s -mlax-host-scalars -canonicalize -split-input-file | FileCheck %s

// A fori_loop with a traced bound: the counter, the scalar state and the
// condition all become host scalars; no tensor is left inside the loop.
// CHECK-LABEL: func.func @fori(
// CHECK-DAG:     %[[N:.*]] = tensor.extract %arg0[] : tensor<i32>
// CHECK-DAG:     %[[X:.*]] = tensor.extract %arg1[] : tensor<f32>
// CHECK:         %[[R:.*]]:2 = scf.while (%[[I:.*]] = %c0_i32, %[[V:.*]] = %[[X]]) : (i32, f32) -> (i32, f32)
// CHECK:           %[[P:.*]] = arith.cmpi slt, %[[I]], %[[N]] : i32
// CHECK:           scf.condition(%[[P]]) %[[I]], %[[V]] : i32, f32
// CHECK:         } do {
// CHECK:         ^bb0(%[[I2:.*]]: i32, %[[V2:.*]]: f32):
// CHECK-DAG:       arith.addi %[[I2]], %c1_i32 : i32
// CHECK-DAG:       %[[M:.*]] = arith.mulf %[[V2]], %cst : f32
// CHECK-DAG:       math.tanh %[[M]] : f32
// CHECK-NOT:       linalg.generic
// CHECK:         tensor.from_elements %[[R]]#1 : tensor<f32>
#s = affine_map<() -> ()>
func.func @fori(%n: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  %c0 = arith.constant dense<0> : tensor<i32>
  %r:2 = scf.while (%i = %c0, %v = %x) : (tensor<i32>, tensor<f32>) -> (tensor<i32>, tensor<f32>) {
    %e = tensor.empty() : tensor<i1>
    %p = linalg.generic {indexing_maps = [#s, #s, #s], iterator_types = []} ins(%i, %n : tensor<i32>, tensor<i32>) outs(%e : tensor<i1>) {
    ^bb0(%a: i32, %b: i32, %o: i1):
      %c = arith.cmpi slt, %a, %b : i32
      linalg.yield %c : i1
    } -> tensor<i1>
    %pp = tensor.extract %p[] : tensor<i1>
    scf.condition(%pp) %i, %v : tensor<i32>, tensor<f32>
  } do {
  ^bb0(%i: tensor<i32>, %v: tensor<f32>):
    %one = arith.constant 1 : i32
    %k = arith.constant 0.5 : f32
    %ei = tensor.empty() : tensor<i32>
    %i1 = linalg.generic {indexing_maps = [#s, #s], iterator_types = []} ins(%i : tensor<i32>) outs(%ei : tensor<i32>) {
    ^bb0(%a: i32, %o: i32):
      %s = arith.addi %a, %one : i32
      linalg.yield %s : i32
    } -> tensor<i32>
    %ef = tensor.empty() : tensor<f32>
    %v1 = linalg.generic {indexing_maps = [#s, #s], iterator_types = []} ins(%v : tensor<f32>) outs(%ef : tensor<f32>) {
    ^bb0(%a: f32, %o: f32):
      %m = arith.mulf %a, %k : f32
      %t = math.tanh %m : f32
      linalg.yield %t : f32
    } -> tensor<f32>
    scf.yield %i1, %v1 : tensor<i32>, tensor<f32>
  }
  return %r#1 : tensor<f32>
}

// -----

// Carries that stay tensors: one updated by a reduction over a vector
// (device work) and one by math.tan (the VM has no tan). The 0-d counter
// still moves to the host. (The canonicalizer drops the unchanged 1-d
// carry.)
// CHECK-LABEL: func.func @mixed(
// CHECK:         %[[D0:.*]] = tensor.extract %arg3[] : tensor<i32>
// CHECK:         %[[R:.*]]:3 = scf.for %{{.*}} = %c0 to %c10 step %c1 iter_args(%{{.*}} = %arg0, %{{.*}} = %arg1, %[[D:.*]] = %[[D0]]) -> (tensor<f32>, tensor<f32>, i32)
// CHECK:           linalg.reduce
// CHECK:           math.tan
// CHECK:           arith.addi %[[D]], %c1_i32 : i32
// CHECK:         tensor.from_elements %[[R]]#2 : tensor<i32>
#s = affine_map<() -> ()>
#v = affine_map<(d0) -> (d0)>
func.func @mixed(%a: tensor<f32>, %b: tensor<f32>, %c: tensor<3xf32>, %d: tensor<i32>) -> (tensor<f32>, tensor<f32>, tensor<3xf32>, tensor<i32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %one = arith.constant 1 : i32
  %r:4 = scf.for %it = %c0 to %c10 step %c1 iter_args(%x = %a, %y = %b, %z = %c, %w = %d) -> (tensor<f32>, tensor<f32>, tensor<3xf32>, tensor<i32>) {
    %e = tensor.empty() : tensor<f32>
    %sum = linalg.reduce ins(%z : tensor<3xf32>) outs(%x : tensor<f32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    %tan = linalg.generic {indexing_maps = [#s, #s], iterator_types = []} ins(%y : tensor<f32>) outs(%e : tensor<f32>) {
    ^bb0(%q: f32, %o: f32):
      %t = math.tan %q : f32
      linalg.yield %t : f32
    } -> tensor<f32>
    %ei = tensor.empty() : tensor<i32>
    %w1 = linalg.generic {indexing_maps = [#s, #s], iterator_types = []} ins(%w : tensor<i32>) outs(%ei : tensor<i32>) {
    ^bb0(%q: i32, %o: i32):
      %s = arith.addi %q, %one : i32
      linalg.yield %s : i32
    } -> tensor<i32>
    scf.yield %sum, %tan, %z, %w1 : tensor<f32>, tensor<f32>, tensor<3xf32>, tensor<i32>
  }
  return %r#0, %r#1, %r#2, %r#3 : tensor<f32>, tensor<f32>, tensor<3xf32>, tensor<i32>
}
