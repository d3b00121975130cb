// RUN: mlax-opt %s -canonicalize -split-input-file | FileCheck %s

// Folders of the mlax dialect (hasFolder in MlaxElementwiseOps.td and
// MlaxShapeOps.td), run through -canonicalize. Constants are materialized
// as mlax.constant; canonicalization moves a constant operand of a
// commutative op to the right.

// Regression: add on i1 is logical or. AddOp::fold used APInt addition,
// which wraps, so true + true folded to false. The add is no longer folded
// on i1.
// CHECK-LABEL: func.func @add_bool_true_true(
// CHECK-NOT:     dense<false>
// CHECK:         %[[T:.+]] = mlax.constant dense<true> : tensor<2xi1>
// CHECK-NEXT:    %[[R:.+]] = mlax.add %[[T]], %[[T]] : tensor<2xi1>
// CHECK-NEXT:    return %[[R]] : tensor<2xi1>
func.func @add_bool_true_true() -> tensor<2xi1> {
  %t = mlax.constant dense<true> : tensor<2xi1>
  %0 = mlax.add %t, %t : tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// x * 1 -> x for every element type (exact, NaN and -0.0 included); on i1,
// mul is and, so x * true -> x.
// CHECK-LABEL: func.func @mul_one(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4xf32>, %[[I:[a-z0-9_]+]]: tensor<4xi32>, %[[B:[a-z0-9_]+]]: tensor<4xi1>, %[[U:[a-z0-9_]+]]: tensor<4xui8>, %[[H:[a-z0-9_]+]]: tensor<2xbf16>)
// CHECK-NOT:     mlax.
// CHECK:         return %[[X]], %[[I]], %[[B]], %[[U]], %[[H]] : tensor<4xf32>, tensor<4xi32>, tensor<4xi1>, tensor<4xui8>, tensor<2xbf16>
func.func @mul_one(%x: tensor<4xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>, %u: tensor<4xui8>, %h: tensor<2xbf16>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xi1>, tensor<4xui8>, tensor<2xbf16>) {
  %one = mlax.constant dense<1.0> : tensor<4xf32>
  %ione = mlax.constant dense<1> : tensor<4xi32>
  %true = mlax.constant dense<true> : tensor<4xi1>
  %uone = mlax.constant dense<1> : tensor<4xui8>
  %hone = mlax.constant dense<1.0> : tensor<2xbf16>
  %0 = mlax.mul %x, %one : tensor<4xf32>
  %1 = mlax.mul %i, %ione : tensor<4xi32>
  %2 = mlax.mul %b, %true : tensor<4xi1>
  %3 = mlax.mul %uone, %u : tensor<4xui8>
  %4 = mlax.mul %h, %hone : tensor<2xbf16>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xi32>, tensor<4xi1>, tensor<4xui8>, tensor<2xbf16>
}

// -----

// x + 0 -> x and x - 0 -> x for integers only. For floats, x + 0.0 is not x
// when x is -0.0 (-0.0 + 0.0 = +0.0), so the float add stays.
// CHECK-LABEL: func.func @add_zero(
// CHECK-SAME:      %[[I:[a-z0-9_]+]]: tensor<4xi32>, %[[U:[a-z0-9_]+]]: tensor<4xui16>, %[[X:[a-z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[Z:.+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    %[[S:.+]] = mlax.add %[[X]], %[[Z]] : tensor<4xf32>
// CHECK-NEXT:    return %[[I]], %[[U]], %[[S]], %[[I]], %[[I]] : tensor<4xi32>, tensor<4xui16>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>
func.func @add_zero(%i: tensor<4xi32>, %u: tensor<4xui16>, %x: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xui16>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>) {
  %z = mlax.constant dense<0> : tensor<4xi32>
  %uz = mlax.constant dense<0> : tensor<4xui16>
  %fz = mlax.constant dense<0.0> : tensor<4xf32>
  %0 = mlax.add %i, %z : tensor<4xi32>
  %1 = mlax.add %u, %uz : tensor<4xui16>
  %2 = mlax.add %x, %fz : tensor<4xf32>
  %3 = mlax.sub %i, %z : tensor<4xi32>
  %4 = mlax.add %z, %i : tensor<4xi32>
  return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xui16>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// reshape(reshape(x)) becomes one reshape of x.
// CHECK-LABEL: func.func @reshape_reshape(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[R:.+]] = mlax.reshape %[[X]] : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK-NEXT:    return %[[R]] : tensor<3x2xf32>
func.func @reshape_reshape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = mlax.reshape %0 : (tensor<6xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// A reshape chain back to the original type disappears.
// CHECK-LABEL: func.func @reshape_roundtrip(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    return %[[X]] : tensor<2x3xf32>
func.func @reshape_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = mlax.reshape %0 : (tensor<6xf32>) -> tensor<1x6xf32>
  %2 = mlax.reshape %1 : (tensor<1x6xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// transpose(transpose(x, p), q) == transpose(x, p[q[i]]):
// p = q = [2, 0, 1] gives [1, 2, 0].
// CHECK-LABEL: func.func @transpose_transpose(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.+]] = mlax.transpose %[[X]], perm = [1, 2, 0] : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT:    return %[[T]] : tensor<3x4x2xf32>
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = mlax.transpose %x, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = mlax.transpose %0, perm = [2, 0, 1] : (tensor<4x2x3xf32>) -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// A transpose followed by its inverse composes to the identity, which
// disappears; so does an identity permutation on its own (rank 0 included).
// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>, %[[Y:[a-z0-9_]+]]: tensor<2x3xf32>, %[[S:[a-z0-9_]+]]: tensor<i32>)
// CHECK-NOT:     mlax.transpose
// CHECK:         return %[[X]], %[[Y]], %[[S]] : tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<i32>
func.func @transpose_identity(%x: tensor<2x3x4xf32>, %y: tensor<2x3xf32>, %s: tensor<i32>) -> (tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<i32>) {
  %0 = mlax.transpose %x, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = mlax.transpose %0, perm = [1, 2, 0] : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  %2 = mlax.transpose %y, perm = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = mlax.transpose %s, perm = [] : (tensor<i32>) -> tensor<i32>
  return %1, %2, %3 : tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<i32>
}

// -----

// broadcast_in_dim of a splat constant folds to a splat of the result type;
// an identity broadcast folds to its operand; a non-splat operand stays.
// CHECK-LABEL: func.func @broadcast_in_dim(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[SPLAT:.+]] = mlax.constant dense<2.500000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[ISPLAT:.+]] = mlax.constant dense<7> : tensor<4x2xui32>
// CHECK-DAG:     %[[V:.+]] = mlax.constant dense<[1, 2, 3]> : tensor<3xi32>
// CHECK:         %[[B:.+]] = mlax.broadcast_in_dim %[[V]], dims = [1] : (tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NOT:     mlax.broadcast_in_dim
// CHECK:         return %[[SPLAT]], %[[ISPLAT]], %[[X]], %[[B]] : tensor<2x3xf32>, tensor<4x2xui32>, tensor<2x3xf32>, tensor<2x3xi32>
func.func @broadcast_in_dim(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x2xui32>, tensor<2x3xf32>, tensor<2x3xi32>) {
  %c = mlax.constant dense<2.5> : tensor<f32>
  %0 = mlax.broadcast_in_dim %c, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  %u = mlax.constant dense<7> : tensor<2xui32>
  %1 = mlax.broadcast_in_dim %u, dims = [1] : (tensor<2xui32>) -> tensor<4x2xui32>
  %2 = mlax.broadcast_in_dim %x, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %v = mlax.constant dense<[1, 2, 3]> : tensor<3xi32>
  %3 = mlax.broadcast_in_dim %v, dims = [1] : (tensor<3xi32>) -> tensor<2x3xi32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<4x2xui32>, tensor<2x3xf32>, tensor<2x3xi32>
}

// -----

// convert to the same type folds away; a real conversion stays.
// CHECK-LABEL: func.func @convert(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4xf32>, %[[U:[a-z0-9_]+]]: tensor<ui8>)
// CHECK-NEXT:    %[[C:.+]] = mlax.convert %[[X]] : (tensor<4xf32>) -> tensor<4xf16>
// CHECK-NEXT:    return %[[X]], %[[C]], %[[U]] : tensor<4xf32>, tensor<4xf16>, tensor<ui8>
func.func @convert(%x: tensor<4xf32>, %u: tensor<ui8>) -> (tensor<4xf32>, tensor<4xf16>, tensor<ui8>) {
  %0 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xf16>
  %2 = mlax.convert %u : (tensor<ui8>) -> tensor<ui8>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf16>, tensor<ui8>
}

// -----

// Constant folding of add, sub and mul on small tensors: signed and
// unsigned integers wrap, floats round to nearest even, and mul on i1 is
// and.
// CHECK-LABEL: func.func @constant_fold(
// CHECK-DAG:     %[[ADD:.+]] = mlax.constant dense<[11, 22, -27]> : tensor<3xi32>
// CHECK-DAG:     %[[SUB:.+]] = mlax.constant dense<[-9, -18, 33]> : tensor<3xi32>
// CHECK-DAG:     %[[MUL:.+]] = mlax.constant dense<[10, 40, -90]> : tensor<3xi32>
// CHECK-DAG:     %[[FADD:.+]] = mlax.constant dense<[1.750000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[FSUB:.+]] = mlax.constant dense<[1.250000e+00, -6.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[FMUL:.+]] = mlax.constant dense<[3.750000e-01, -8.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[UADD:.+]] = mlax.constant dense<[44, 1]> : tensor<2xui8>
// CHECK-DAG:     %[[USUB:.+]] = mlax.constant dense<[100, 255]> : tensor<2xui8>
// CHECK-DAG:     %[[BMUL:.+]] = mlax.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG:     %[[SPLAT:.+]] = mlax.constant dense<6> : tensor<2x2xi64>
// CHECK-NOT:     mlax.add
// CHECK-NOT:     mlax.sub
// CHECK-NOT:     mlax.mul
// CHECK:         return %[[ADD]], %[[SUB]], %[[MUL]], %[[FADD]], %[[FSUB]], %[[FMUL]], %[[UADD]], %[[USUB]], %[[BMUL]], %[[SPLAT]] :
func.func @constant_fold() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xui8>, tensor<2xui8>, tensor<3xi1>, tensor<2x2xi64>) {
  %a = mlax.constant dense<[1, 2, 3]> : tensor<3xi32>
  %b = mlax.constant dense<[10, 20, -30]> : tensor<3xi32>
  %fa = mlax.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %fb = mlax.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %ua = mlax.constant dense<[200, 0]> : tensor<2xui8>
  %ub = mlax.constant dense<[100, 1]> : tensor<2xui8>
  %ba = mlax.constant dense<[true, true, false]> : tensor<3xi1>
  %bb = mlax.constant dense<[false, true, true]> : tensor<3xi1>
  %s2 = mlax.constant dense<2> : tensor<2x2xi64>
  %s3 = mlax.constant dense<3> : tensor<2x2xi64>
  %0 = mlax.add %a, %b : tensor<3xi32>
  %1 = mlax.sub %a, %b : tensor<3xi32>
  %2 = mlax.mul %a, %b : tensor<3xi32>
  %3 = mlax.add %fa, %fb : tensor<2xf32>
  %4 = mlax.sub %fa, %fb : tensor<2xf32>
  %5 = mlax.mul %fa, %fb : tensor<2xf32>
  %6 = mlax.add %ua, %ub : tensor<2xui8>
  %7 = mlax.sub %ua, %ub : tensor<2xui8>
  %8 = mlax.mul %ba, %bb : tensor<3xi1>
  %9 = mlax.mul %s2, %s3 : tensor<2x2xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xui8>, tensor<2xui8>, tensor<3xi1>, tensor<2x2xi64>
}
