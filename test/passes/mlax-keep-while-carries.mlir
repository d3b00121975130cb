// RUN: mlax-opt %s -mlax-keep-while-carries -split-input-file --allow-unregistered-dialect | FileCheck %s
// RUN: not mlax-opt %s -mlax-keep-while-carries -split-input-file 2>&1 | FileCheck %s --check-prefix=NOUNREG

// mlax-keep-while-carries: a carried value the body ignores is read by a
// select on an opaque false; loops whose body reads every carry are left
// alone.

// CHECK-LABEL: func.func @ignored_carry(
// CHECK:       scf.while
// CHECK:       } do {
// CHECK-NEXT:  ^bb0(%[[X:.*]]: tensor<3xf32>, %[[PREV:.*]]: tensor<f32>):
// CHECK-NEXT:    %[[NO:.*]] = arith.constant false
// CHECK-NEXT:    %[[KEEP:.*]] = "util.optimization_barrier"(%[[NO]]) : (i1) -> i1
// CHECK:         %[[NEW:.*]] = tensor.collapse_shape
// CHECK-NEXT:    %[[SEL:.*]] = arith.select %[[KEEP]], %[[PREV]], %[[NEW]] : tensor<f32>
// CHECK-NEXT:    scf.yield %[[X]], %[[SEL]] : tensor<3xf32>, tensor<f32>
func.func @ignored_carry(%x0: tensor<3xf32>, %p0: tensor<f32>) -> (tensor<3xf32>, tensor<f32>) {
  %r:2 = scf.while (%x = %x0, %p = %p0) : (tensor<3xf32>, tensor<f32>) -> (tensor<3xf32>, tensor<f32>) {
    %v = tensor.extract %p[] : tensor<f32>
    %c = arith.constant 2.0e-1 : f32
    %go = arith.cmpf ogt, %v, %c : f32
    scf.condition(%go) %x, %p : tensor<3xf32>, tensor<f32>
  } do {
  ^bb0(%x: tensor<3xf32>, %p: tensor<f32>):
    %s = tensor.extract_slice %x[0] [1] [1] : tensor<3xf32> to tensor<1xf32>
    %n = tensor.collapse_shape %s [] : tensor<1xf32> into tensor<f32>
    scf.yield %x, %n : tensor<3xf32>, tensor<f32>
  }
  return %r#0, %r#1 : tensor<3xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @every_carry_read(
// CHECK-NOT:   util.optimization_barrier
// CHECK-NOT:   arith.select
// CHECK:       return
func.func @every_carry_read(%i0: tensor<i32>) -> tensor<i32> {
  %r = scf.while (%i = %i0) : (tensor<i32>) -> tensor<i32> {
    %v = tensor.extract %i[] : tensor<i32>
    %c = arith.constant 10 : i32
    %go = arith.cmpi slt, %v, %c : i32
    scf.condition(%go) %i : tensor<i32>
  } do {
  ^bb0(%i: tensor<i32>):
    %v = tensor.extract %i[] : tensor<i32>
    %one = arith.constant 1 : i32
    %n = arith.addi %v, %one : i32
    %t = tensor.from_elements %n : tensor<i32>
    scf.yield %t : tensor<i32>
  }
  return %r : tensor<i32>
}

// NOUNREG: error: mlax-keep-while-carries builds IREE's util.optimization_barrier
