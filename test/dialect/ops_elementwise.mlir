// RUN: mlax-opt %s | mlax-opt | FileCheck %s

// Round-trip tests for the sources, conversions and elementwise ops of the
// mlax dialect (MlaxElementwiseOps.td).

// CHECK-LABEL: func.func @constant(
// CHECK: %{{[0-9]+}} = mlax.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: %{{[0-9]+}} = mlax.constant dense<7> : tensor<i32>
// CHECK: %{{[0-9]+}} = mlax.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.constant dense<[0, 4294967295]> : tensor<2xui32>
// CHECK: %{{[0-9]+}} = mlax.constant dense<[1.500000e+00, -2.000000e+00]> : tensor<2xbf16>
// CHECK: %{{[0-9]+}} = mlax.constant dense<5.000000e-01> : tensor<f16>
func.func @constant() -> (tensor<2x2xf32>, tensor<i32>, tensor<3xi1>, tensor<2xui32>, tensor<2xbf16>, tensor<f16>) {
  %0 = mlax.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %1 = mlax.constant dense<7> : tensor<i32>
  %2 = mlax.constant dense<[true, false, true]> : tensor<3xi1>
  %3 = mlax.constant dense<[0, 4294967295]> : tensor<2xui32>
  %4 = mlax.constant dense<[1.5, -2.0]> : tensor<2xbf16>
  %5 = mlax.constant dense<0.5> : tensor<f16>
  return %0, %1, %2, %3, %4, %5 : tensor<2x2xf32>, tensor<i32>, tensor<3xi1>, tensor<2xui32>, tensor<2xbf16>, tensor<f16>
}

// CHECK-LABEL: func.func @iota(
// CHECK: %{{[0-9]+}} = mlax.iota dim = 0 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.iota dim = 1 : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.iota dim = 0 : tensor<2x3xui32>
// CHECK: %{{[0-9]+}} = mlax.iota dim = 0 : tensor<5xbf16>
func.func @iota() -> (tensor<4xi32>, tensor<2x3xf32>, tensor<2x3xui32>, tensor<5xbf16>) {
  %0 = mlax.iota dim = 0 : tensor<4xi32>
  %1 = mlax.iota dim = 1 : tensor<2x3xf32>
  %2 = mlax.iota dim = 0 : tensor<2x3xui32>
  %3 = mlax.iota dim = 0 : tensor<5xbf16>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<2x3xf32>, tensor<2x3xui32>, tensor<5xbf16>
}

// CHECK-LABEL: func.func @convert(
// CHECK: %{{[0-9]+}} = mlax.convert %arg0 : (tensor<4xf32>) -> tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.convert %arg0 : (tensor<4xf32>) -> tensor<4xf16>
// CHECK: %{{[0-9]+}} = mlax.convert %{{[0-9]+}} : (tensor<4xf16>) -> tensor<4xbf16>
// CHECK: %{{[0-9]+}} = mlax.convert %arg2 : (tensor<4xui32>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.convert %arg3 : (tensor<4xi1>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.convert %arg1 : (tensor<4xi32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.convert %arg4 : (tensor<f16>) -> tensor<f32>
func.func @convert(%f: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>, %b: tensor<4xi1>, %s: tensor<f16>) -> (tensor<4xi32>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<f32>) {
  %0 = mlax.convert %f : (tensor<4xf32>) -> tensor<4xi32>
  %1 = mlax.convert %f : (tensor<4xf32>) -> tensor<4xf16>
  %2 = mlax.convert %1 : (tensor<4xf16>) -> tensor<4xbf16>
  %3 = mlax.convert %u : (tensor<4xui32>) -> tensor<4xf32>
  %4 = mlax.convert %b : (tensor<4xi1>) -> tensor<4xf32>
  %5 = mlax.convert %i : (tensor<4xi32>) -> tensor<4xi1>
  %6 = mlax.convert %s : (tensor<f16>) -> tensor<f32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi32>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<f32>
}

// CHECK-LABEL: func.func @bitcast_convert(
// CHECK: %{{[0-9]+}} = mlax.bitcast_convert %arg0 : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK: %{{[0-9]+}} = mlax.bitcast_convert %arg1 : (tensor<2x3xui32>) -> tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.bitcast_convert %arg2 : (tensor<f16>) -> tensor<bf16>
// CHECK: %{{[0-9]+}} = mlax.bitcast_convert %arg0 : (tensor<2x3xf32>) -> tensor<2x3xui32>
func.func @bitcast_convert(%f: tensor<2x3xf32>, %u: tensor<2x3xui32>, %h: tensor<f16>) -> (tensor<2x3xi32>, tensor<2x3xf32>, tensor<bf16>, tensor<2x3xui32>) {
  %0 = mlax.bitcast_convert %f : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %1 = mlax.bitcast_convert %u : (tensor<2x3xui32>) -> tensor<2x3xf32>
  %2 = mlax.bitcast_convert %h : (tensor<f16>) -> tensor<bf16>
  %3 = mlax.bitcast_convert %f : (tensor<2x3xf32>) -> tensor<2x3xui32>
  return %0, %1, %2, %3 : tensor<2x3xi32>, tensor<2x3xf32>, tensor<bf16>, tensor<2x3xui32>
}

// CHECK-LABEL: func.func @unary_numeric(
// CHECK: %{{[0-9]+}} = mlax.neg %arg0 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.neg %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.abs %arg0 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.abs %arg1 : (tensor<4xi32>) -> tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.abs %arg2 : (tensor<4xui32>) -> tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.sign %arg0 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.sign %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.sign %arg3 : tensor<bf16>
func.func @unary_numeric(%f: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>, %s: tensor<bf16>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xui32>, tensor<4xf32>, tensor<4xi32>, tensor<bf16>) {
  %0 = mlax.neg %f : tensor<4xf32>
  %1 = mlax.neg %i : tensor<4xi32>
  %2 = mlax.abs %f : (tensor<4xf32>) -> tensor<4xf32>
  %3 = mlax.abs %i : (tensor<4xi32>) -> tensor<4xi32>
  %4 = mlax.abs %u : (tensor<4xui32>) -> tensor<4xui32>
  %5 = mlax.sign %f : tensor<4xf32>
  %6 = mlax.sign %i : tensor<4xi32>
  %7 = mlax.sign %s : tensor<bf16>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xui32>, tensor<4xf32>, tensor<4xi32>, tensor<bf16>
}

// CHECK-LABEL: func.func @not(
// CHECK: %{{[0-9]+}} = mlax.not %arg0 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.not %arg1 : tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.not %arg2 : tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.not %arg3 : tensor<i1>
func.func @not(%i: tensor<4xi32>, %u: tensor<4xui32>, %b: tensor<4xi1>, %s: tensor<i1>) -> (tensor<4xi32>, tensor<4xui32>, tensor<4xi1>, tensor<i1>) {
  %0 = mlax.not %i : tensor<4xi32>
  %1 = mlax.not %u : tensor<4xui32>
  %2 = mlax.not %b : tensor<4xi1>
  %3 = mlax.not %s : tensor<i1>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xui32>, tensor<4xi1>, tensor<i1>
}

// CHECK-LABEL: func.func @unary_float(
// CHECK: %{{[0-9]+}} = mlax.exp %arg0 : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.exp2 %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.log %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.log1p %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.expm1 %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.sqrt %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.rsqrt %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.cbrt %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.sin %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.cos %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.tan %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.tanh %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.logistic %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.erf %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.erf_inv %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.floor %{{[0-9]+}} : tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.ceil %{{[0-9]+}} : tensor<2x3xf32>
func.func @unary_float(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.exp %x : tensor<2x3xf32>
  %1 = mlax.exp2 %0 : tensor<2x3xf32>
  %2 = mlax.log %1 : tensor<2x3xf32>
  %3 = mlax.log1p %2 : tensor<2x3xf32>
  %4 = mlax.expm1 %3 : tensor<2x3xf32>
  %5 = mlax.sqrt %4 : tensor<2x3xf32>
  %6 = mlax.rsqrt %5 : tensor<2x3xf32>
  %7 = mlax.cbrt %6 : tensor<2x3xf32>
  %8 = mlax.sin %7 : tensor<2x3xf32>
  %9 = mlax.cos %8 : tensor<2x3xf32>
  %10 = mlax.tan %9 : tensor<2x3xf32>
  %11 = mlax.tanh %10 : tensor<2x3xf32>
  %12 = mlax.logistic %11 : tensor<2x3xf32>
  %13 = mlax.erf %12 : tensor<2x3xf32>
  %14 = mlax.erf_inv %13 : tensor<2x3xf32>
  %15 = mlax.floor %14 : tensor<2x3xf32>
  %16 = mlax.ceil %15 : tensor<2x3xf32>
  return %16 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary_float_dtypes(
// CHECK: %{{[0-9]+}} = mlax.exp %arg0 : tensor<8xf16>
// CHECK: %{{[0-9]+}} = mlax.tanh %arg1 : tensor<8xbf16>
// CHECK: %{{[0-9]+}} = mlax.sqrt %arg2 : tensor<f64>
// CHECK: %{{[0-9]+}} = mlax.log %arg3 : tensor<f32>
func.func @unary_float_dtypes(%h: tensor<8xf16>, %b: tensor<8xbf16>, %d: tensor<f64>, %s: tensor<f32>) -> (tensor<8xf16>, tensor<8xbf16>, tensor<f64>, tensor<f32>) {
  %0 = mlax.exp %h : tensor<8xf16>
  %1 = mlax.tanh %b : tensor<8xbf16>
  %2 = mlax.sqrt %d : tensor<f64>
  %3 = mlax.log %s : tensor<f32>
  return %0, %1, %2, %3 : tensor<8xf16>, tensor<8xbf16>, tensor<f64>, tensor<f32>
}

// CHECK-LABEL: func.func @round(
// CHECK: %{{[0-9]+}} = mlax.round AWAY_FROM_ZERO, %arg0 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.round TO_NEAREST_EVEN, %arg1 : tensor<bf16>
func.func @round(%x: tensor<4xf32>, %h: tensor<bf16>) -> (tensor<4xf32>, tensor<bf16>) {
  %0 = mlax.round AWAY_FROM_ZERO, %x : tensor<4xf32>
  %1 = mlax.round TO_NEAREST_EVEN, %h : tensor<bf16>
  return %0, %1 : tensor<4xf32>, tensor<bf16>
}

// CHECK-LABEL: func.func @integer_pow(
// CHECK: %{{[0-9]+}} = mlax.integer_pow %arg0, 3 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.integer_pow %arg0, -2 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.integer_pow %arg1, 0 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.integer_pow %arg2, 5 : tensor<ui32>
func.func @integer_pow(%x: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<ui32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<ui32>) {
  %0 = mlax.integer_pow %x, 3 : tensor<4xf32>
  %1 = mlax.integer_pow %x, -2 : tensor<4xf32>
  %2 = mlax.integer_pow %i, 0 : tensor<4xi32>
  %3 = mlax.integer_pow %u, 5 : tensor<ui32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<ui32>
}

// CHECK-LABEL: func.func @is_finite(
// CHECK: %{{[0-9]+}} = mlax.is_finite %arg0 : (tensor<2x2xf32>) -> tensor<2x2xi1>
// CHECK: %{{[0-9]+}} = mlax.is_finite %arg1 : (tensor<f16>) -> tensor<i1>
func.func @is_finite(%x: tensor<2x2xf32>, %h: tensor<f16>) -> (tensor<2x2xi1>, tensor<i1>) {
  %0 = mlax.is_finite %x : (tensor<2x2xf32>) -> tensor<2x2xi1>
  %1 = mlax.is_finite %h : (tensor<f16>) -> tensor<i1>
  return %0, %1 : tensor<2x2xi1>, tensor<i1>
}

// CHECK-LABEL: func.func @binary_arith(
// CHECK: %{{[0-9]+}} = mlax.add %arg0, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.sub %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.mul %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.div %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.rem %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.pow %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.max %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.min %{{[0-9]+}}, %arg1 : tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.atan2 %{{[0-9]+}}, %arg1 : tensor<4xf32>
func.func @binary_arith(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.add %a, %b : tensor<4xf32>
  %1 = mlax.sub %0, %b : tensor<4xf32>
  %2 = mlax.mul %1, %b : tensor<4xf32>
  %3 = mlax.div %2, %b : tensor<4xf32>
  %4 = mlax.rem %3, %b : tensor<4xf32>
  %5 = mlax.pow %4, %b : tensor<4xf32>
  %6 = mlax.max %5, %b : tensor<4xf32>
  %7 = mlax.min %6, %b : tensor<4xf32>
  %8 = mlax.atan2 %7, %b : tensor<4xf32>
  return %8 : tensor<4xf32>
}

// CHECK-LABEL: func.func @binary_int(
// CHECK: %{{[0-9]+}} = mlax.add %arg0, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.sub %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.mul %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.div %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.rem %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.max %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.min %{{[0-9]+}}, %arg1 : tensor<2x2xi32>
// CHECK: %{{[0-9]+}} = mlax.div %arg2, %arg3 : tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.rem %{{[0-9]+}}, %arg3 : tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.max %{{[0-9]+}}, %arg3 : tensor<ui32>
func.func @binary_int(%a: tensor<2x2xi32>, %b: tensor<2x2xi32>, %u: tensor<ui32>, %v: tensor<ui32>) -> (tensor<2x2xi32>, tensor<ui32>) {
  %0 = mlax.add %a, %b : tensor<2x2xi32>
  %1 = mlax.sub %0, %b : tensor<2x2xi32>
  %2 = mlax.mul %1, %b : tensor<2x2xi32>
  %3 = mlax.div %2, %b : tensor<2x2xi32>
  %4 = mlax.rem %3, %b : tensor<2x2xi32>
  %5 = mlax.max %4, %b : tensor<2x2xi32>
  %6 = mlax.min %5, %b : tensor<2x2xi32>
  %7 = mlax.div %u, %v : tensor<ui32>
  %8 = mlax.rem %7, %v : tensor<ui32>
  %9 = mlax.max %8, %v : tensor<ui32>
  return %6, %9 : tensor<2x2xi32>, tensor<ui32>
}

// CHECK-LABEL: func.func @binary_bool(
// CHECK: %{{[0-9]+}} = mlax.add %arg0, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.mul %{{[0-9]+}}, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.max %{{[0-9]+}}, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.min %{{[0-9]+}}, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.and %{{[0-9]+}}, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.or %{{[0-9]+}}, %arg1 : tensor<3xi1>
// CHECK: %{{[0-9]+}} = mlax.xor %{{[0-9]+}}, %arg1 : tensor<3xi1>
func.func @binary_bool(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  %0 = mlax.add %a, %b : tensor<3xi1>
  %1 = mlax.mul %0, %b : tensor<3xi1>
  %2 = mlax.max %1, %b : tensor<3xi1>
  %3 = mlax.min %2, %b : tensor<3xi1>
  %4 = mlax.and %3, %b : tensor<3xi1>
  %5 = mlax.or %4, %b : tensor<3xi1>
  %6 = mlax.xor %5, %b : tensor<3xi1>
  return %6 : tensor<3xi1>
}

// CHECK-LABEL: func.func @binary_half(
// CHECK: %{{[0-9]+}} = mlax.add %arg0, %arg0 : tensor<2xf16>
// CHECK: %{{[0-9]+}} = mlax.pow %arg1, %arg1 : tensor<bf16>
func.func @binary_half(%a: tensor<2xf16>, %b: tensor<bf16>) -> (tensor<2xf16>, tensor<bf16>) {
  %0 = mlax.add %a, %a : tensor<2xf16>
  %1 = mlax.pow %b, %b : tensor<bf16>
  return %0, %1 : tensor<2xf16>, tensor<bf16>
}

// CHECK-LABEL: func.func @bitwise(
// CHECK: %{{[0-9]+}} = mlax.and %arg0, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.or %{{[0-9]+}}, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.xor %{{[0-9]+}}, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.shift_left %{{[0-9]+}}, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.shift_right_logical %{{[0-9]+}}, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.shift_right_arithmetic %{{[0-9]+}}, %arg1 : tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.shift_left %arg2, %arg2 : tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.shift_right_logical %{{[0-9]+}}, %arg2 : tensor<4xui32>
// CHECK: %{{[0-9]+}} = mlax.and %{{[0-9]+}}, %arg2 : tensor<4xui32>
func.func @bitwise(%a: tensor<4xi32>, %b: tensor<4xi32>, %u: tensor<4xui32>) -> (tensor<4xi32>, tensor<4xui32>) {
  %0 = mlax.and %a, %b : tensor<4xi32>
  %1 = mlax.or %0, %b : tensor<4xi32>
  %2 = mlax.xor %1, %b : tensor<4xi32>
  %3 = mlax.shift_left %2, %b : tensor<4xi32>
  %4 = mlax.shift_right_logical %3, %b : tensor<4xi32>
  %5 = mlax.shift_right_arithmetic %4, %b : tensor<4xi32>
  %6 = mlax.shift_left %u, %u : tensor<4xui32>
  %7 = mlax.shift_right_logical %6, %u : tensor<4xui32>
  %8 = mlax.and %7, %u : tensor<4xui32>
  return %5, %8 : tensor<4xi32>, tensor<4xui32>
}

// CHECK-LABEL: func.func @compare(
// CHECK: %{{[0-9]+}} = mlax.compare EQ, %arg0, %arg0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare NE, %arg0, %arg0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare LT, %arg1, %arg1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare LE, %arg1, %arg1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare GT, %arg2, %arg2 : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare GE, %arg2, %arg2 : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare EQ, %arg3, %arg3 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare LT, %arg3, %arg3 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK: %{{[0-9]+}} = mlax.compare GE, %arg4, %arg4 : (tensor<bf16>, tensor<bf16>) -> tensor<i1>
func.func @compare(%f: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>, %b: tensor<4xi1>, %s: tensor<bf16>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<i1>) {
  %0 = mlax.compare EQ, %f, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = mlax.compare NE, %f, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = mlax.compare LT, %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %3 = mlax.compare LE, %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %4 = mlax.compare GT, %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %5 = mlax.compare GE, %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %6 = mlax.compare EQ, %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %7 = mlax.compare LT, %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %8 = mlax.compare GE, %s, %s : (tensor<bf16>, tensor<bf16>) -> tensor<i1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<i1>
}

// CHECK-LABEL: func.func @select(
// CHECK: %{{[0-9]+}} = mlax.select %arg0, %arg2, %arg3 : tensor<2x3xi1>, tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.select %arg1, %arg2, %arg3 : tensor<i1>, tensor<2x3xf32>
// CHECK: %{{[0-9]+}} = mlax.select %arg1, %arg4, %arg4 : tensor<i1>, tensor<ui32>
// CHECK: %{{[0-9]+}} = mlax.select %arg0, %arg5, %arg0 : tensor<2x3xi1>, tensor<2x3xi1>
func.func @select(%p: tensor<2x3xi1>, %s: tensor<i1>, %x: tensor<2x3xf32>, %y: tensor<2x3xf32>, %u: tensor<ui32>, %b: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<ui32>, tensor<2x3xi1>) {
  %0 = mlax.select %p, %x, %y : tensor<2x3xi1>, tensor<2x3xf32>
  %1 = mlax.select %s, %x, %y : tensor<i1>, tensor<2x3xf32>
  %2 = mlax.select %s, %u, %u : tensor<i1>, tensor<ui32>
  %3 = mlax.select %p, %b, %p : tensor<2x3xi1>, tensor<2x3xi1>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<ui32>, tensor<2x3xi1>
}

// CHECK-LABEL: func.func @clamp(
// CHECK: %{{[0-9]+}} = mlax.clamp %arg0, %arg1, %arg2 : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.clamp %arg2, %arg1, %arg0 : (tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.clamp %arg4, %arg3, %arg4 : (tensor<i32>, tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
// CHECK: %{{[0-9]+}} = mlax.clamp %arg5, %arg5, %arg5 : (tensor<ui32>, tensor<ui32>, tensor<ui32>) -> tensor<ui32>
func.func @clamp(%lo: tensor<f32>, %x: tensor<4xf32>, %hi: tensor<4xf32>, %i: tensor<4xi32>, %ilo: tensor<i32>, %u: tensor<ui32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<ui32>) {
  %0 = mlax.clamp %lo, %x, %hi : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mlax.clamp %hi, %x, %lo : (tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = mlax.clamp %ilo, %i, %ilo : (tensor<i32>, tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %3 = mlax.clamp %u, %u, %u : (tensor<ui32>, tensor<ui32>, tensor<ui32>) -> tensor<ui32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<ui32>
}
