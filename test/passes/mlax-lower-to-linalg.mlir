// RUN: mlax-opt %s -mlax-lower-to-linalg -split-input-file --allow-unregistered-dialect | FileCheck %s
// RUN: mlax-opt %s -mlax-lower-to-linalg -split-input-file --allow-unregistered-dialect | FileCheck %s --check-prefix=NONAMED
// RUN: mlax-opt %s "-mlax-lower-to-linalg=keep-scatter=true" -split-input-file --allow-unregistered-dialect | FileCheck %s --check-prefix=KEEP

// Every mlax op is rewritten; elementwise ops become linalg.generic, never a
// named elementwise linalg op, and splats never use tensor.splat or
// tensor.generate (IREE's accepted subset).
// NONAMED-NOT: mlax.
// NONAMED-NOT: {{linalg\.(add|sub|mul|div|div_unsigned|exp|log|abs|ceil|floor|negf|max|min|sqrt|rsqrt|square|tanh|erf|powf|reciprocal|select|elementwise|map) }}
// NONAMED-NOT: tensor.splat
// NONAMED-NOT: tensor.generate
// NONAMED-NOT: ui32

// The seed function x * x * x: one linalg.generic per mul, each with an
// arith.mulf body; the second consumes the first.
// CHECK-DAG:   #[[ID:map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @seed_cube(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %[[E0:[a-z0-9_]+]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[M0:[a-z0-9_]+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel"]}
// CHECK-SAME:        ins(%[[X]], %[[X]] : tensor<4xf32>, tensor<4xf32>) outs(%[[E0]] : tensor<4xf32>)
// CHECK:         ^bb0(%[[A:[a-z0-9_]+]]: f32, %[[B:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[P:[a-z0-9_]+]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK:           linalg.yield %[[P]] : f32
// CHECK:         %[[E1:[a-z0-9_]+]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[M1:[a-z0-9_]+]] = linalg.generic
// CHECK-SAME:        ins(%[[M0]], %[[X]] : tensor<4xf32>, tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK:           arith.mulf
// CHECK:         return %[[M1]] : tensor<4xf32>
func.func @seed_cube(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.mul %x, %x : tensor<4xf32>
  %1 = mlax.mul %0, %x : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-DAG:   #[[ID2:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @exp_f32(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK:         %[[E:[a-z0-9_]+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[R:[a-z0-9_]+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[X]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[Y:[a-z0-9_]+]] = math.exp %[[IN]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
// CHECK:         } -> tensor<2x3xf32>
// CHECK:         return %[[R]]
func.func @exp_f32(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.exp %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @unary_math(
// CHECK:         linalg.generic
// CHECK:           math.exp2 %{{.*}} : f16
// log, log1p and erf below f64 are XLA's algorithms (Cephes logf, Cephes'
// log1p rational, Eigen's erf rational); f16 goes through f32 for log and erf.
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.*}} : f16
// CHECK:           arith.select
// CHECK:         linalg.generic
// CHECK:           math.expm1 %{{.*}} : f16
// CHECK:         linalg.generic
// CHECK:           math.sqrt %{{.*}} : f16
// CHECK:         linalg.generic
// CHECK:           math.rsqrt %{{.*}} : f16
// cbrt also evaluates in f64 (IREE's f32 math.cbrt gave 2.0000002 for 8).
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f64
// CHECK-NOT:       math.cbrt
// CHECK:           arith.truncf %{{.*}} : f64 to f16
// sin and cos evaluate in f64 (IREE's f32 sin is wrong for small negative x).
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f64
// CHECK-NOT:       math.sin
// CHECK:           arith.truncf %{{.*}} : f64 to f16
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f64
// CHECK-NOT:       math.cos
// CHECK:           arith.truncf %{{.*}} : f64 to f16
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f64
// CHECK:           arith.truncf %{{.*}} : f64 to f16
// CHECK:         linalg.generic
// CHECK:           math.tanh %{{.*}} : f16
// CHECK:         linalg.generic
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           math.copysign
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         linalg.generic
// CHECK:           math.floor %{{.*}} : f16
// CHECK:         linalg.generic
// CHECK:           math.ceil %{{.*}} : f16
// CHECK:         return
func.func @unary_math(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = mlax.exp2 %x : tensor<4xf16>
  %1 = mlax.log %0 : tensor<4xf16>
  %2 = mlax.log1p %1 : tensor<4xf16>
  %3 = mlax.expm1 %2 : tensor<4xf16>
  %4 = mlax.sqrt %3 : tensor<4xf16>
  %5 = mlax.rsqrt %4 : tensor<4xf16>
  %6 = mlax.cbrt %5 : tensor<4xf16>
  %7 = mlax.sin %6 : tensor<4xf16>
  %8 = mlax.cos %7 : tensor<4xf16>
  %9 = mlax.tan %8 : tensor<4xf16>
  %10 = mlax.tanh %9 : tensor<4xf16>
  %11 = mlax.erf %10 : tensor<4xf16>
  %12 = mlax.floor %11 : tensor<4xf16>
  %13 = mlax.ceil %12 : tensor<4xf16>
  return %13 : tensor<4xf16>
}

// -----

// logistic is 1 / (1 + exp(-x)); erf_inv is XLA's polynomial in
// w = -log1p(x * -x) (log1p expanded: Cephes' rational) with +-inf at +-1.
// CHECK-LABEL: func.func @logistic_erf_inv(
// CHECK:         linalg.generic
// CHECK:           %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[NEG:.+]] = arith.negf %{{.*}} : f32
// CHECK:           %[[EXP:.+]] = math.exp %[[NEG]] : f32
// CHECK:           %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK:           %[[RES:.+]] = arith.divf %[[ONE]], %[[DEN]] : f32
// CHECK:           linalg.yield %[[RES]] : f32
// CHECK:         linalg.generic
// CHECK:           arith.negf
// CHECK:           arith.mulf
// CHECK:           arith.divf
// CHECK:           arith.cmpf olt
// CHECK:           math.sqrt
// CHECK:           math.absf
// CHECK:           arith.cmpf oeq
// CHECK:           arith.constant 0x7F800000 : f32
// CHECK:           math.copysign
// CHECK:           arith.select
// CHECK:           linalg.yield
func.func @logistic_erf_inv(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mlax.logistic %x : tensor<4xf32>
  %1 = mlax.erf_inv %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @neg_abs_sign(
// CHECK-SAME:      tensor<4xf32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>)
// CHECK:         linalg.generic
// CHECK:           arith.negf %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           %[[Z:.+]] = arith.constant 0 : i32
// CHECK:           arith.subi %[[Z]], %{{.*}} : i32
// CHECK:         linalg.generic
// CHECK:           math.absf %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           math.absi %{{.*}} : i32
// abs of an unsigned tensor is the identity.
// CHECK:         linalg.generic
// CHECK-NEXT:    ^bb0(%[[IN:.+]]: i32, %{{.*}}: i32):
// CHECK-NEXT:      linalg.yield %[[IN]] : i32
// CHECK:         linalg.generic
// CHECK:           arith.cmpf olt
// CHECK:           arith.select
// CHECK:           arith.cmpf ogt
// CHECK:           arith.select
// CHECK:         linalg.generic
// CHECK:           arith.cmpi slt
// CHECK:           arith.select
// CHECK:           arith.cmpi sgt
// CHECK:           arith.select
func.func @neg_abs_sign(%f: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xui32>, tensor<4xf32>, tensor<4xi32>) {
  %0 = mlax.neg %f : tensor<4xf32>
  %1 = mlax.neg %i : tensor<4xi32>
  %2 = mlax.abs %f : (tensor<4xf32>) -> tensor<4xf32>
  %3 = mlax.abs %i : (tensor<4xi32>) -> tensor<4xi32>
  %4 = mlax.abs %u : (tensor<4xui32>) -> tensor<4xui32>
  %5 = mlax.sign %f : tensor<4xf32>
  %6 = mlax.sign %i : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xui32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @not_bool(
// CHECK:         linalg.generic
// CHECK:           %[[T:.+]] = arith.constant true
// CHECK:           arith.xori %{{.*}}, %[[T]] : i1
func.func @not_bool(%b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = mlax.not %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @round(
// CHECK:         linalg.generic
// CHECK:           math.round %{{.*}} : bf16
// CHECK:         linalg.generic
// CHECK:           math.roundeven %{{.*}} : bf16
func.func @round(%x: tensor<4xbf16>) -> (tensor<4xbf16>, tensor<4xbf16>) {
  %0 = mlax.round AWAY_FROM_ZERO, %x : tensor<4xbf16>
  %1 = mlax.round TO_NEAREST_EVEN, %x : tensor<4xbf16>
  return %0, %1 : tensor<4xbf16>, tensor<4xbf16>
}

// -----

// CHECK-LABEL: func.func @is_finite(
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4xi1>
// CHECK:         linalg.generic
// CHECK-SAME:        outs(%[[E]] : tensor<4xi1>)
// CHECK:           %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK:           %[[ABS:.+]] = math.absf %{{.*}} : f32
// CHECK:           %[[R:.+]] = arith.cmpf one, %[[ABS]], %[[INF]] : f32
// CHECK:           linalg.yield %[[R]] : i1
func.func @is_finite(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = mlax.is_finite %x : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// x ** -2 is 1 / (x * x); i ** 3 is i * (i * i).
// CHECK-LABEL: func.func @integer_pow(
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X:[a-z0-9_]+]]: f32
// CHECK:           %[[SQ:.+]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK:           %[[R:.+]] = arith.divf %{{.*}}, %[[SQ]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[I:[a-z0-9_]+]]: i32
// CHECK:           %[[ISQ:.+]] = arith.muli %[[I]], %[[I]] : i32
// CHECK:           %[[CUBE:.+]] = arith.muli %[[I]], %[[ISQ]] : i32
// CHECK:           linalg.yield %[[CUBE]] : i32
func.func @integer_pow(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = mlax.integer_pow %x, -2 : tensor<4xf32>
  %1 = mlax.integer_pow %i, 3 : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @binary_float(
// CHECK:         linalg.generic
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.subf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.remf %{{.*}}, %{{.*}} : f32
// pow evaluates |x|^y in f64 (IREE's f32 powf misses exact results by an ulp).
// CHECK:         linalg.generic
// CHECK:           math.powf %{{.*}}, %{{.*}} : f64
// CHECK:           arith.truncf %{{.*}} : f64 to f32
// CHECK:         linalg.generic
// CHECK:           arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.minimumf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// atan2 evaluates in f64 (IREE's f32 atan2 is NaN at (0, 0) and (inf, inf)).
// CHECK:           arith.extf %{{.*}} : f32 to f64
// CHECK-NOT:       math.atan2
// CHECK:           arith.truncf %{{.*}} : f64 to f32
func.func @binary_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.add %a, %b : tensor<4xf32>
  %1 = mlax.sub %0, %b : tensor<4xf32>
  %2 = mlax.div %1, %b : tensor<4xf32>
  %3 = mlax.rem %2, %b : tensor<4xf32>
  %4 = mlax.pow %3, %b : tensor<4xf32>
  %5 = mlax.max %4, %b : tensor<4xf32>
  %6 = mlax.min %5, %b : tensor<4xf32>
  %7 = mlax.atan2 %6, %b : tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// Integer division and remainder are guarded: x / 0 = -1, x % 0 = x, and
// INT_MIN / -1 does not trap.
// CHECK-LABEL: func.func @binary_signed(
// CHECK:         linalg.generic
// CHECK:           arith.addi
// CHECK:         linalg.generic
// CHECK:           arith.subi
// CHECK:         linalg.generic
// CHECK:           arith.muli
// CHECK:         linalg.generic
// CHECK:           %[[BYZERO:.+]] = arith.cmpi eq, %{{.*}}, %{{.*}} : i32
// CHECK:           arith.constant -2147483648 : i32
// CHECK:           %[[Q:.+]] = arith.divsi
// CHECK:           %[[R:.+]] = arith.select %[[BYZERO]], %{{.*}}, %[[Q]] : i32
// CHECK:           linalg.yield %[[R]] : i32
// CHECK:         linalg.generic
// CHECK:           arith.remsi
// CHECK:         linalg.generic
// CHECK:           arith.maxsi
// CHECK:         linalg.generic
// CHECK:           arith.minsi
func.func @binary_signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = mlax.add %a, %b : tensor<4xi32>
  %1 = mlax.sub %0, %b : tensor<4xi32>
  %2 = mlax.mul %1, %b : tensor<4xi32>
  %3 = mlax.div %2, %b : tensor<4xi32>
  %4 = mlax.rem %3, %b : tensor<4xi32>
  %5 = mlax.max %4, %b : tensor<4xi32>
  %6 = mlax.min %5, %b : tensor<4xi32>
  return %6 : tensor<4xi32>
}

// -----

// ui32 becomes i32 and the unsigned arith ops are picked.
// CHECK-LABEL: func.func @binary_unsigned(
// CHECK-SAME:      %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>) -> tensor<4xi32>
// CHECK:         linalg.generic
// CHECK:           arith.divui
// CHECK:         linalg.generic
// CHECK:           arith.remui
// CHECK:         linalg.generic
// CHECK:           arith.maxui
// CHECK:         linalg.generic
// CHECK:           arith.minui
// CHECK-NOT:     ui32
// CHECK:         return %{{.*}} : tensor<4xi32>
func.func @binary_unsigned(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %0 = mlax.div %a, %b : tensor<4xui32>
  %1 = mlax.rem %0, %b : tensor<4xui32>
  %2 = mlax.max %1, %b : tensor<4xui32>
  %3 = mlax.min %2, %b : tensor<4xui32>
  return %3 : tensor<4xui32>
}

// -----

// On i1, add and max are or, mul and min are and.
// CHECK-LABEL: func.func @binary_bool(
// CHECK:         linalg.generic
// CHECK:           arith.ori %{{.*}}, %{{.*}} : i1
// CHECK:         linalg.generic
// CHECK:           arith.andi %{{.*}}, %{{.*}} : i1
// CHECK:         linalg.generic
// CHECK:           arith.ori %{{.*}}, %{{.*}} : i1
// CHECK:         linalg.generic
// CHECK:           arith.andi %{{.*}}, %{{.*}} : i1
func.func @binary_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = mlax.add %a, %b : tensor<4xi1>
  %1 = mlax.mul %0, %b : tensor<4xi1>
  %2 = mlax.max %1, %b : tensor<4xi1>
  %3 = mlax.min %2, %b : tensor<4xi1>
  return %3 : tensor<4xi1>
}

// -----

// Regression: true + true on i1 is true (or). AddOp::fold used APInt
// addition, which wraps to false, and dialect conversion folds before it
// rewrites. The add is no longer folded on i1 and is lowered to arith.ori.
// CHECK-LABEL: func.func @add_bool_constants(
// CHECK-NOT:     dense<false>
// CHECK:         %[[T:.+]] = arith.constant dense<true> : tensor<2xi1>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2xi1>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[T]], %[[T]] : tensor<2xi1>, tensor<2xi1>) outs(%[[E]] : tensor<2xi1>)
// CHECK:           (%[[IN0:[a-z0-9_]+]]: i1, %[[IN1:[a-z0-9_]+]]: i1, %{{[a-z0-9_]+}}: i1):
// CHECK:             %[[OR:.+]] = arith.ori %[[IN0]], %[[IN1]] : i1
// CHECK:             linalg.yield %[[OR]] : i1
// CHECK-NOT:     dense<false>
// CHECK:         return %[[R]] : tensor<2xi1>
func.func @add_bool_constants() -> tensor<2xi1> {
  %t = mlax.constant dense<true> : tensor<2xi1>
  %0 = mlax.add %t, %t : tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// Shift amounts >= the bit width give 0 (or the sign fill).
// CHECK-LABEL: func.func @bitwise_shift(
// CHECK:         linalg.generic
// CHECK:           arith.andi
// CHECK:         linalg.generic
// CHECK:           arith.ori
// CHECK:         linalg.generic
// CHECK:           arith.xori
// CHECK:         linalg.generic
// CHECK:           %[[SHL:.+]] = arith.shli
// CHECK:           %[[W:.+]] = arith.constant 32 : i32
// CHECK:           %[[OOR:.+]] = arith.cmpi uge, %{{.*}}, %[[W]] : i32
// CHECK:           arith.select %[[OOR]], %{{.*}}, %[[SHL]] : i32
// CHECK:         linalg.generic
// CHECK:           arith.shrui
// CHECK:           arith.cmpi uge
// CHECK:         linalg.generic
// CHECK:           %[[C31:.+]] = arith.constant 31 : i32
// CHECK:           %[[FILL:.+]] = arith.shrsi %{{.*}}, %[[C31]] : i32
// CHECK:           %[[SHR:.+]] = arith.shrsi
// CHECK:           %[[OOR2:.+]] = arith.cmpi uge
// CHECK:           arith.select %[[OOR2]], %[[FILL]], %[[SHR]] : i32
func.func @bitwise_shift(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = mlax.and %a, %b : tensor<4xi32>
  %1 = mlax.or %0, %b : tensor<4xi32>
  %2 = mlax.xor %1, %b : tensor<4xi32>
  %3 = mlax.shift_left %2, %b : tensor<4xi32>
  %4 = mlax.shift_right_logical %3, %b : tensor<4xi32>
  %5 = mlax.shift_right_arithmetic %4, %b : tensor<4xi32>
  return %5 : tensor<4xi32>
}

// -----

// Float NE is unordered; unsigned and bool comparisons are unsigned.
// CHECK-LABEL: func.func @compare(
// CHECK-SAME:      %{{.*}}: tensor<4xf32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi1>)
// CHECK:         linalg.generic
// CHECK:           arith.cmpf oeq, %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.cmpi slt, %{{.*}}, %{{.*}} : i32
// CHECK:         linalg.generic
// CHECK:           arith.cmpi ult, %{{.*}}, %{{.*}} : i32
// CHECK:         linalg.generic
// CHECK:           arith.cmpi uge, %{{.*}}, %{{.*}} : i1
func.func @compare(%f: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui32>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = mlax.compare EQ, %f, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = mlax.compare NE, %f, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = mlax.compare LT, %f, %f : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %3 = mlax.compare LT, %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %4 = mlax.compare LT, %u, %u : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %5 = mlax.compare GE, %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// A 0-d predicate is read through a constant map.
// CHECK-DAG:   #[[SCALAR:map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG:   #[[IDENT:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @select_scalar_pred(
// CHECK-SAME:      %[[P:[a-z0-9_]+]]: tensor<i1>, %[[X:[a-z0-9_]+]]: tensor<2x3xf32>, %[[Y:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[IDENT]], #[[IDENT]], #[[IDENT]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[P]], %[[X]], %[[Y]] : tensor<i1>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         ^bb0(%[[C:[a-z0-9_]+]]: i1, %[[T:[a-z0-9_]+]]: f32, %[[F:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           arith.select %[[C]], %[[T]], %[[F]] : f32
func.func @select_scalar_pred(%p: tensor<i1>, %x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.select %p, %x, %y : tensor<i1>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @clamp(
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[LO:[a-z0-9_]+]]: f32, %[[X:[a-z0-9_]+]]: f32, %[[HI:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[M:.+]] = arith.maximumf %[[X]], %[[LO]] : f32
// CHECK:           %[[R:.+]] = arith.minimumf %[[M]], %[[HI]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @clamp(%lo: tensor<f32>, %x: tensor<4xf32>, %hi: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.clamp %lo, %x, %hi : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @convert(
// CHECK:         linalg.generic
// CHECK:           arith.fptosi %{{.*}} : f32 to i32
// CHECK:         linalg.generic
// CHECK:           arith.uitofp %{{.*}} : i32 to f32
// CHECK:         linalg.generic
// CHECK:           %[[EXT:.+]] = arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.truncf %[[EXT]] : f32 to bf16
// CHECK:         linalg.generic
// CHECK:           %[[Z:.+]] = arith.constant 0 : i32
// CHECK:           arith.cmpi ne, %{{.*}}, %[[Z]] : i32
// CHECK:         linalg.generic
// CHECK:           arith.extui %{{.*}} : i32 to i64
func.func @convert(%f: tensor<4xf32>, %u: tensor<4xui32>, %h: tensor<4xf16>, %i: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<4xbf16>, tensor<4xi1>, tensor<4xi64>) {
  %0 = mlax.convert %f : (tensor<4xf32>) -> tensor<4xi32>
  %1 = mlax.convert %u : (tensor<4xui32>) -> tensor<4xf32>
  %2 = mlax.convert %h : (tensor<4xf16>) -> tensor<4xbf16>
  %3 = mlax.convert %i : (tensor<4xi32>) -> tensor<4xi1>
  %4 = mlax.convert %u : (tensor<4xui32>) -> tensor<4xi64>
  return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xf32>, tensor<4xbf16>, tensor<4xi1>, tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @bitcast_convert(
// CHECK-SAME:      tensor<4xf32>) -> tensor<4xi32>
// CHECK:         linalg.generic
// CHECK:           arith.bitcast %{{.*}} : f32 to i32
func.func @bitcast_convert(%f: tensor<4xf32>) -> tensor<4xui32> {
  %0 = mlax.bitcast_convert %f : (tensor<4xf32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

// CHECK-LABEL: func.func @constant(
// CHECK-SAME:      -> (tensor<2xf32>, tensor<2xi32>)
// CHECK-DAG:     arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     arith.constant dense<[1, -1]> : tensor<2xi32>
func.func @constant() -> (tensor<2xf32>, tensor<2xui32>) {
  %0 = mlax.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = mlax.constant dense<[1, 4294967295]> : tensor<2xui32>
  return %0, %1 : tensor<2xf32>, tensor<2xui32>
}

// -----

// CHECK-LABEL: func.func @iota(
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[E]] : tensor<2x3xf32>)
// CHECK:           %[[I:.+]] = linalg.index 1 : index
// CHECK:           %[[I64:.+]] = arith.index_cast %[[I]] : index to i64
// CHECK:           %[[F:.+]] = arith.sitofp %[[I64]] : i64 to f32
// CHECK:           linalg.yield %[[F]] : f32
func.func @iota() -> tensor<2x3xf32> {
  %0 = mlax.iota dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG:   #[[PROJ:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[ID2:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_in_dim(
// CHECK-SAME:      %[[V:[a-z0-9_]+]]: tensor<3xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[PROJ]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[V]] : tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK:         return %[[R]]
func.func @broadcast_in_dim(%v: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.broadcast_in_dim %v, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A size-1 dimension that stretches is collapsed away first.
// CHECK-DAG:   #[[PROJ:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[ID2:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_in_dim_stretch(
// CHECK-SAME:      %[[V:[a-z0-9_]+]]: tensor<1x3xi32>)
// CHECK:         %[[C:.+]] = tensor.collapse_shape %[[V]] {{\[\[}}0, 1]] : tensor<1x3xi32> into tensor<3xi32>
// CHECK:         linalg.generic {indexing_maps = [#[[PROJ]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[C]] : tensor<3xi32>) outs(%{{.*}} : tensor<4x3xi32>)
func.func @broadcast_in_dim_stretch(%v: tensor<1x3xi32>) -> tensor<4x3xi32> {
  %0 = mlax.broadcast_in_dim %v, dims = [0, 1] : (tensor<1x3xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// CHECK-DAG:   #[[SCALAR:map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG:   #[[ID2:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_in_dim_scalar(
// CHECK-SAME:      %[[S:[a-z0-9_]+]]: tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [#[[SCALAR]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[S]] : tensor<f32>)
func.func @broadcast_in_dim_scalar(%s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = mlax.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>, %[[Y:[a-z0-9_]+]]: tensor<6xf32>, %[[Z:[a-z0-9_]+]]: tensor<2x3x2xf32>)
// CHECK:         %[[C:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
// No single reassociation: through a 1-d tensor.
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %[[Z]] {{\[\[}}0, 1, 2]] : tensor<2x3x2xf32> into tensor<12xf32>
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2]] output_shape [3, 2, 2] : tensor<12xf32> into tensor<3x2x2xf32>
// CHECK:         return %[[C]], %[[E]], %[[R]]
func.func @reshape(%x: tensor<2x3xf32>, %y: tensor<6xf32>, %z: tensor<2x3x2xf32>) -> (tensor<6xf32>, tensor<2x3xf32>, tensor<3x2x2xf32>) {
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = mlax.reshape %y : (tensor<6xf32>) -> tensor<2x3xf32>
  %2 = mlax.reshape %z : (tensor<2x3x2xf32>) -> tensor<3x2x2xf32>
  return %0, %1, %2 : tensor<6xf32>, tensor<2x3xf32>, tensor<3x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK:         return %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = mlax.transpose %x, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @rev(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(
// CHECK:           %[[I0:.+]] = linalg.index 0 : index
// CHECK:           %[[I1:.+]] = linalg.index 1 : index
// CHECK:           %[[LAST:.+]] = arith.constant 2 : index
// CHECK:           %[[M:.+]] = arith.subi %[[LAST]], %[[I1]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[I0]], %[[M]]] : tensor<2x3xf32>
// CHECK:           linalg.yield %[[V]] : f32
func.func @rev(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.rev %x, dims = [1] : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concatenate(
// CHECK-SAME:      %[[A:[a-z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-z0-9_]+]]: tensor<4x3xf32>)
// CHECK:         %[[C:.+]] = tensor.concat dim(0) %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// CHECK:         return %[[C]]
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<6x3xf32> {
  %0 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>, %[[V:[a-z0-9_]+]]: tensor<f32>)
// CHECK:         %[[PV:.+]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<5x8xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[PV]] : f32) outs(%[[E]] : tensor<5x8xf32>) -> tensor<5x8xf32>
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> to tensor<2x3xf32>
// CHECK:         %[[R:.+]] = tensor.insert_slice %[[S]] into %[[F]][1, 0] [2, 3] [1, 3] : tensor<2x3xf32> into tensor<5x8xf32>
// CHECK:         return %[[R]]
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<5x8xf32> {
  %0 = mlax.pad %x, %v, low = [1, 0], high = [2, 1], interior = [0, 2] : (tensor<2x3xf32>, tensor<f32>) -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}

// -----

// Negative edge padding drops operand elements; without interior padding
// the rest is a tensor.pad (IREE 3.13 mis-folds nested fill+insert_slice
// pads), or nothing when no edge grows.
// CHECK-LABEL: func.func @pad_negative(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<5xi32>
// CHECK-NOT:     linalg.fill
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][1] [3] [1] : tensor<5xi32> to tensor<3xi32>
// CHECK-NEXT:    return %[[S]]
func.func @pad_negative(%x: tensor<5xi32>, %v: tensor<i32>) -> tensor<3xi32> {
  %0 = mlax.pad %x, %v, low = [-1], high = [-1], interior = [0] : (tensor<5xi32>, tensor<i32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @pad_edges(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x5xf32>, %[[V:[a-z0-9_]+]]: tensor<f32>)
// CHECK:         %[[PV:.+]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][0, 2] [2, 3] [1, 1] : tensor<2x5xf32> to tensor<2x3xf32>
// CHECK:         %[[P:.+]] = tensor.pad %[[S]] low[1, 0] high[0, 4]
// CHECK:           tensor.yield %[[PV]] : f32
// CHECK:         } : tensor<2x3xf32> to tensor<3x7xf32>
// CHECK:         return %[[P]]
func.func @pad_edges(%x: tensor<2x5xf32>, %v: tensor<f32>) -> tensor<3x7xf32> {
  %0 = mlax.pad %x, %v, low = [1, -2], high = [0, 4], interior = [0, 0] : (tensor<2x5xf32>, tensor<f32>) -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// CHECK-LABEL: func.func @slice(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4x6xf32>)
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][1, 0] [2, 2] [1, 3] : tensor<4x6xf32> to tensor<2x2xf32>
// CHECK:         return %[[S]]
func.func @slice(%x: tensor<4x6xf32>) -> tensor<2x2xf32> {
  %0 = mlax.slice %x, start = [1, 0], limit = [3, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Signed start indices are sign-extended and clamped into
// [0, size - slice size] with signed compares; an i64 index is not extended.
// CHECK-LABEL: func.func @dynamic_slice(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4x6xf32>, %[[I:[a-z0-9_]+]]: tensor<i32>, %[[J:[a-z0-9_]+]]: tensor<i64>)
// CHECK:         %[[IV:.+]] = tensor.extract %[[I]][] : tensor<i32>
// CHECK:         %[[IX:.+]] = arith.extsi %[[IV]] : i32 to i64
// CHECK:         %[[HI0:.+]] = arith.constant 2 : i64
// CHECK:         %[[LO0:.+]] = arith.constant 0 : i64
// CHECK:         %[[MAX0:.+]] = arith.maxsi %[[IX]], %[[LO0]] : i64
// CHECK:         %[[MIN0:.+]] = arith.minsi %[[MAX0]], %[[HI0]] : i64
// CHECK:         %[[OFF0:.+]] = arith.index_cast %[[MIN0]] : i64 to index
// CHECK:         %[[JV:.+]] = tensor.extract %[[J]][] : tensor<i64>
// CHECK-NOT:     arith.ext
// CHECK:         %[[HI1:.+]] = arith.constant 3 : i64
// CHECK:         %[[LO1:.+]] = arith.constant 0 : i64
// CHECK:         %[[MAX1:.+]] = arith.maxsi %[[JV]], %[[LO1]] : i64
// CHECK:         %[[MIN1:.+]] = arith.minsi %[[MAX1]], %[[HI1]] : i64
// CHECK:         %[[OFF1:.+]] = arith.index_cast %[[MIN1]] : i64 to index
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][%[[OFF0]], %[[OFF1]]] [2, 3] [1, 1] : tensor<4x6xf32> to tensor<2x3xf32>
// CHECK:         return %[[S]]
func.func @dynamic_slice(%x: tensor<4x6xf32>, %i: tensor<i32>, %j: tensor<i64>) -> tensor<2x3xf32> {
  %0 = mlax.dynamic_slice %x[%i, %j], sizes = [2, 3] : (tensor<4x6xf32>, tensor<i32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_update_slice(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4x6xf32>, %[[U:[a-z0-9_]+]]: tensor<2x3xf32>
// CHECK:         %[[IX:.+]] = arith.extsi %{{.*}} : i32 to i64
// CHECK:         %[[HI0:.+]] = arith.constant 2 : i64
// CHECK:         %[[LO0:.+]] = arith.constant 0 : i64
// CHECK:         %[[MAX0:.+]] = arith.maxsi %[[IX]], %[[LO0]] : i64
// CHECK:         %[[MIN0:.+]] = arith.minsi %[[MAX0]], %[[HI0]] : i64
// CHECK:         %[[OFF0:.+]] = arith.index_cast %[[MIN0]] : i64 to index
// CHECK:         %[[JX:.+]] = arith.extsi %{{.*}} : i32 to i64
// CHECK:         %[[HI1:.+]] = arith.constant 3 : i64
// CHECK:         %[[LO1:.+]] = arith.constant 0 : i64
// CHECK:         %[[MAX1:.+]] = arith.maxsi %[[JX]], %[[LO1]] : i64
// CHECK:         %[[MIN1:.+]] = arith.minsi %[[MAX1]], %[[HI1]] : i64
// CHECK:         %[[OFF1:.+]] = arith.index_cast %[[MIN1]] : i64 to index
// CHECK:         %[[R:.+]] = tensor.insert_slice %[[U]] into %[[X]][%[[OFF0]], %[[OFF1]]] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<4x6xf32>
// CHECK:         return %[[R]]
func.func @dynamic_update_slice(%x: tensor<4x6xf32>, %u: tensor<2x3xf32>, %i: tensor<i32>, %j: tensor<i32>) -> tensor<4x6xf32> {
  %0 = mlax.dynamic_update_slice %x[%i, %j], %u : (tensor<4x6xf32>, tensor<2x3xf32>, tensor<i32>, tensor<i32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// Regression: unsigned start indices are zero-extended and clamped with an
// unsigned min against size - slice size (no lower clamp is needed). They
// used to be sign-extended and clamped with maxsi/minsi, so a ui32 index of
// 4294967295 was read as -1 and clamped to 0 instead of 4.
// CHECK-LABEL: func.func @dynamic_slice_unsigned(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<8xf32>, %[[I:[a-z0-9_]+]]: tensor<i32>)
// CHECK:         %[[IV:.+]] = tensor.extract %[[I]][] : tensor<i32>
// CHECK-NEXT:    %[[IX:.+]] = arith.extui %[[IV]] : i32 to i64
// CHECK-NEXT:    %[[HI:.+]] = arith.constant 4 : i64
// CHECK-NEXT:    %[[MIN:.+]] = arith.minui %[[IX]], %[[HI]] : i64
// CHECK-NEXT:    %[[OFF:.+]] = arith.index_cast %[[MIN]] : i64 to index
// CHECK-NEXT:    %[[S:.+]] = tensor.extract_slice %[[X]][%[[OFF]]] [4] [1] : tensor<8xf32> to tensor<4xf32>
// CHECK-NEXT:    return %[[S]]
func.func @dynamic_slice_unsigned(%x: tensor<8xf32>, %i: tensor<ui32>) -> tensor<4xf32> {
  %0 = mlax.dynamic_slice %x[%i], sizes = [4] : (tensor<8xf32>, tensor<ui32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Mixed signedness: each index keeps its own extension and clamp.
// CHECK-LABEL: func.func @dynamic_slice_mixed(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4x6xf32>, %[[I:[a-z0-9_]+]]: tensor<i8>, %[[J:[a-z0-9_]+]]: tensor<i16>)
// CHECK:         %[[IV:.+]] = tensor.extract %[[I]][] : tensor<i8>
// CHECK-NEXT:    %[[IX:.+]] = arith.extui %[[IV]] : i8 to i64
// CHECK-NEXT:    %[[HI0:.+]] = arith.constant 2 : i64
// CHECK-NEXT:    %[[MIN0:.+]] = arith.minui %[[IX]], %[[HI0]] : i64
// CHECK-NEXT:    %[[OFF0:.+]] = arith.index_cast %[[MIN0]] : i64 to index
// CHECK-NEXT:    %[[JV:.+]] = tensor.extract %[[J]][] : tensor<i16>
// CHECK-NEXT:    %[[JX:.+]] = arith.extsi %[[JV]] : i16 to i64
// CHECK-NEXT:    %[[HI1:.+]] = arith.constant 3 : i64
// CHECK-NEXT:    %[[LO1:.+]] = arith.constant 0 : i64
// CHECK-NEXT:    %[[MAX1:.+]] = arith.maxsi %[[JX]], %[[LO1]] : i64
// CHECK-NEXT:    %[[MIN1:.+]] = arith.minsi %[[MAX1]], %[[HI1]] : i64
// CHECK-NEXT:    %[[OFF1:.+]] = arith.index_cast %[[MIN1]] : i64 to index
// CHECK-NEXT:    tensor.extract_slice %[[X]][%[[OFF0]], %[[OFF1]]] [2, 3] [1, 1] : tensor<4x6xf32> to tensor<2x3xf32>
func.func @dynamic_slice_mixed(%x: tensor<4x6xf32>, %i: tensor<ui8>, %j: tensor<i16>) -> tensor<2x3xf32> {
  %0 = mlax.dynamic_slice %x[%i, %j], sizes = [2, 3] : (tensor<4x6xf32>, tensor<ui8>, tensor<i16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A ui64 index needs no extension; it is clamped with minui (a value
// >= 2^63 used to be read as negative by maxsi).
// CHECK-LABEL: func.func @dynamic_update_slice_unsigned(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<8xf32>, %[[U:[a-z0-9_]+]]: tensor<4xf32>, %[[I:[a-z0-9_]+]]: tensor<i64>)
// CHECK:         %[[IV:.+]] = tensor.extract %[[I]][] : tensor<i64>
// CHECK-NEXT:    %[[HI:.+]] = arith.constant 4 : i64
// CHECK-NEXT:    %[[MIN:.+]] = arith.minui %[[IV]], %[[HI]] : i64
// CHECK-NEXT:    %[[OFF:.+]] = arith.index_cast %[[MIN]] : i64 to index
// CHECK-NEXT:    %[[R:.+]] = tensor.insert_slice %[[U]] into %[[X]][%[[OFF]]] [4] [1] : tensor<4xf32> into tensor<8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @dynamic_update_slice_unsigned(%x: tensor<8xf32>, %u: tensor<4xf32>, %i: tensor<ui64>) -> tensor<8xf32> {
  %0 = mlax.dynamic_update_slice %x[%i], %u : (tensor<8xf32>, tensor<4xf32>, tensor<ui64>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_sum(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<3xf32>
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<3xf32>) -> tensor<3xf32>
// CHECK:         %[[R:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<3xf32>) dimensions = [0, 2]
// CHECK:           (%[[IN:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32) {
// CHECK:             %[[S:.+]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK:             linalg.yield %[[S]] : f32
// CHECK:         return %[[R]]
func.func @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = mlax.reduce_sum %x, axes = [2, 0] : (tensor<2x3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @reductions(
// CHECK:         %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         linalg.fill ins(%[[ONE]] : f32)
// CHECK:         linalg.reduce ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}} : tensor<2xf32>) dimensions = [1]
// CHECK:           arith.mulf
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:         linalg.reduce
// CHECK:           arith.maximumf
// CHECK:         %[[IMAX:.+]] = arith.constant 2147483647 : i32
// CHECK:         linalg.fill ins(%[[IMAX]] : i32)
// CHECK:         linalg.reduce
// CHECK:           arith.minsi
// CHECK:         %[[UZERO:.+]] = arith.constant 0 : i32
// CHECK:         linalg.fill ins(%[[UZERO]] : i32)
// CHECK:         linalg.reduce
// CHECK:           arith.maxui
// CHECK:         %[[TRUE:.+]] = arith.constant true
// CHECK:         linalg.fill ins(%[[TRUE]] : i1)
// CHECK:         linalg.reduce
// CHECK:           arith.andi
// CHECK:         %[[FALSE:.+]] = arith.constant false
// CHECK:         linalg.fill ins(%[[FALSE]] : i1)
// CHECK:         linalg.reduce
// CHECK:           arith.ori
func.func @reductions(%x: tensor<2x3xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xui32>, %b: tensor<2x3xi1>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xui32>, tensor<2xi1>, tensor<2xi1>) {
  %0 = mlax.reduce_prod %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = mlax.reduce_max %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = mlax.reduce_min %i, axes = [1] : (tensor<2x3xi32>) -> tensor<2xi32>
  %3 = mlax.reduce_max %u, axes = [1] : (tensor<2x3xui32>) -> tensor<2xui32>
  %4 = mlax.reduce_and %b, axes = [1] : (tensor<2x3xi1>) -> tensor<2xi1>
  %5 = mlax.reduce_or %b, axes = [1] : (tensor<2x3xi1>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xui32>, tensor<2xi1>, tensor<2xi1>
}

// -----

// Two single-output reductions: the extreme value (NaN wins, via
// maximumf), then the first index holding it (IREE miscompiled a two-output
// generic followed by a transpose).
// CHECK-DAG:   #[[IN2:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[OUT:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmax(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<2x3xf32>) -> tensor<2xi32>
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[VINIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[M:.+]] = linalg.generic {indexing_maps = [#[[IN2]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:        ins(%[[X]] : tensor<2x3xf32>) outs(%[[VINIT]] : tensor<2xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[IMAX:.+]] = arith.constant 2147483647 : i32
// CHECK:         %[[IINIT:.+]] = linalg.fill ins(%[[IMAX]] : i32) outs(%{{.*}} : tensor<2xi32>)
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN2]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:        ins(%[[X]], %[[M]] : tensor<2x3xf32>, tensor<2xf32>) outs(%[[IINIT]] : tensor<2xi32>)
// CHECK:           linalg.index 1 : index
// CHECK:           arith.cmpf oeq
// CHECK:           arith.cmpf uno
// CHECK:           %[[I:.+]] = arith.select
// CHECK:           %[[FIRST:.+]] = arith.minsi %[[I]]
// CHECK:           linalg.yield %[[FIRST]] : i32
// CHECK:         return %[[R]] : tensor<2xi32>
func.func @argmax(%x: tensor<2x3xf32>) -> tensor<2xi32> {
  %0 = mlax.argmax %x, axis = 1 : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @argmin_unsigned(
// CHECK-SAME:      tensor<4x2xi32>) -> tensor<2xi64>
// CHECK:         %[[UMAX:.+]] = arith.constant -1 : i32
// CHECK:         linalg.fill ins(%[[UMAX]] : i32)
// CHECK:         %[[M:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK:           arith.minui
// CHECK:         %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK:           linalg.index 0 : index
// CHECK:           arith.cmpi eq
// CHECK:           linalg.yield %{{.*}} : i64
// CHECK:         return %[[R]] : tensor<2xi64>
func.func @argmin_unsigned(%x: tensor<4x2xui32>) -> tensor<2xi64> {
  %0 = mlax.argmin %x, axis = 0 : (tensor<4x2xui32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @dot_general_matmul(
// CHECK-SAME:      %[[A:[a-z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-z0-9_]+]]: tensor<3x4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x4xf32>)
// CHECK:         %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK:         return %[[R]]
func.func @dot_general_matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @dot_general_batch_matmul(
// CHECK-SAME:      %[[A:[a-z0-9_]+]]: tensor<5x2x3xf32>, %[[B:[a-z0-9_]+]]: tensor<5x3x4xf32>)
// CHECK:         %[[INIT:.+]] = linalg.fill
// CHECK:         %[[R:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<5x2x3xf32>, tensor<5x3x4xf32>) outs(%[[INIT]] : tensor<5x2x4xf32>) -> tensor<5x2x4xf32>
// CHECK:         return %[[R]]
func.func @dot_general_batch_matmul(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [0] x [0], contract = [2] x [1] : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// [M, K] x [N, K] is not a matmul: a contraction generic with loops
// (m, n, k).
// CHECK-DAG:   #[[LHS:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG:   #[[RHS:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[OUT:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dot_general_contraction(
// CHECK-SAME:      %[[A:[a-z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-z0-9_]+]]: tensor<4x3xf32>)
// CHECK:         %[[INIT:.+]] = linalg.fill
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<4x3xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK:         ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[Y:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[P:.+]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           %[[S:.+]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         return %[[R]]
// CHECK-NOT:     linalg.matmul
func.func @dot_general_contraction(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [1] : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// bf16 x bf16 -> f32 is not a same-type matmul: a generic that extends first.
// CHECK-LABEL: func.func @dot_general_mixed(
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           %[[X:.+]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:           %[[Y:.+]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:           %[[P:.+]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           arith.addf %{{.*}}, %[[P]] : f32
// CHECK-NOT:     linalg.matmul
func.func @dot_general_mixed(%a: tensor<2x3xbf16>, %b: tensor<3x4xbf16>) -> tensor<2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xbf16>, tensor<3x4xbf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @dot_general_int(
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK:         linalg.fill ins(%[[ZERO]] : i32)
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK:           %[[X:.+]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:           %[[Y:.+]] = arith.extsi %{{.*}} : i8 to i32
// CHECK:           %[[P:.+]] = arith.muli %[[X]], %[[Y]] : i32
// CHECK:           arith.addi %{{.*}}, %[[P]] : i32
func.func @dot_general_int(%a: tensor<3xi8>, %b: tensor<3xi8>) -> tensor<i32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [0] x [0] : (tensor<3xi8>, tensor<3xi8>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// Unsigned element types become signless in signatures, calls and returns.
// CHECK-LABEL: func.func @unsigned_signature(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: tensor<4xi32>) -> tensor<4xi32>
// CHECK:         %[[S:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[X]], %[[X]] : tensor<4xi32>, tensor<4xi32>)
// CHECK:           arith.addi %{{.*}}, %{{.*}} : i32
// CHECK:         %[[C:.+]] = call @callee(%[[S]]) : (tensor<4xi32>) -> tensor<4xi32>
// CHECK:         return %[[C]] : tensor<4xi32>
// CHECK:       func.func private @callee(tensor<4xi32>) -> tensor<4xi32>
func.func @unsigned_signature(%x: tensor<4xui32>) -> tensor<4xui32> {
  %0 = mlax.add %x, %x : tensor<4xui32>
  %1 = func.call @callee(%0) : (tensor<4xui32>) -> tensor<4xui32>
  return %1 : tensor<4xui32>
}
func.func private @callee(tensor<4xui32>) -> tensor<4xui32>

// -----

// pow has C's semantics (as XLA): |x| ** y, negated for a negative base
// and odd integral y, NaN for a finite negative base and fractional y, and 1
// for y == 0, x == 1 and |x| == 1 with infinite y.
// CHECK-LABEL: func.func @pow_negative_base
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: math.powf
// CHECK: math.floor
// CHECK: arith.cmpf oeq
// CHECK: math.copysign
// CHECK: arith.negf
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK: arith.cmpf oeq
// CHECK: arith.select
func.func @pow_negative_base(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.pow %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// float -> int saturates and maps NaN to 0 (XLA on CPU).
// CHECK-LABEL: func.func @convert_saturates
// CHECK: arith.fptosi
// CHECK: arith.cmpf oge
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf uno
// CHECK: arith.select %{{.*}}, %c2147483647_i32
// CHECK: arith.select %{{.*}}, %c-2147483648_i32
func.func @convert_saturates(%x: tensor<4xf32>) -> tensor<4xi32> {
  %0 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// An empty slice starting at the end is just an empty tensor
// (tensor.extract_slice would reject the offset).
// CHECK-LABEL: func.func @empty_slice_at_end
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK-NEXT: return %[[E]]
func.func @empty_slice_at_end(%x: tensor<4xf32>) -> tensor<0xf32> {
  %0 = mlax.slice %x, start = [4], limit = [4], strides = [1] : (tensor<4xf32>) -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

// Reducing a zero-size operand gives the identity without a linalg.reduce
// (IREE's tiling would divide by the zero extent).
// CHECK-LABEL: func.func @reduce_zero_size
// CHECK: %[[FILL:.*]] = linalg.fill ins(%true : i1)
// CHECK-NOT: linalg.reduce
// CHECK: return %[[FILL]]
func.func @reduce_zero_size(%x: tensor<0x3xi1>) -> tensor<3xi1> {
  %0 = mlax.reduce_and %x, axes = [0] : (tensor<0x3xi1>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

// A full reduction of rank >= 2 is two linalg.reduce steps (IREE 3.13 fails
// to lower sum(x * broadcast(v)) to 0-d as one contraction-like dispatch).
// CHECK-LABEL: func.func @full_reduction_two_steps
// CHECK: %[[P:.*]] = linalg.reduce ins(%{{.*}} : tensor<3x4xf32>) outs(%{{.*}} : tensor<4xf32>) dimensions = [0]
// CHECK: linalg.reduce ins(%[[P]] : tensor<4xf32>) outs(%{{.*}} : tensor<f32>) dimensions = [0]
func.func @full_reduction_two_steps(%x: tensor<3x4xf32>) -> tensor<f32> {
  %0 = mlax.reduce_sum %x, axes = [0, 1] : (tensor<3x4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// f64 math that IREE's CPU backend would call from libm (or expand
// inaccurately) is expanded into arith: no math.sin/cos/tan/tanh/erf/cbrt/
// atan2/expm1/log1p and no arith.remf remain; f32 keeps its rem and
// evaluates sin and atan2 in f64 too.
// CHECK-LABEL: func.func @float64_math_expanded(
// CHECK:         math.roundeven
// CHECK-NOT:     math.sin
// CHECK-NOT:     math.cos
// CHECK-NOT:     math.tan
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.cbrt
// CHECK-NOT:     math.atan2
// CHECK-NOT:     math.expm1
// CHECK-NOT:     math.log1p
// CHECK-NOT:     arith.remf
// CHECK:         return
// CHECK-LABEL: func.func @float32_math_kept(
// CHECK-NOT:     math.sin
// CHECK-NOT:     math.atan2
// CHECK:         arith.remf
func.func @float64_math_expanded(%x: tensor<3xf64>, %y: tensor<3xf64>) -> tensor<3xf64> {
  %0 = mlax.sin %x : tensor<3xf64>
  %1 = mlax.cos %0 : tensor<3xf64>
  %2 = mlax.tan %1 : tensor<3xf64>
  %3 = mlax.tanh %2 : tensor<3xf64>
  %4 = mlax.erf %3 : tensor<3xf64>
  %5 = mlax.cbrt %4 : tensor<3xf64>
  %6 = mlax.atan2 %5, %y : tensor<3xf64>
  %7 = mlax.expm1 %6 : tensor<3xf64>
  %8 = mlax.log1p %7 : tensor<3xf64>
  %9 = mlax.erf_inv %8 : tensor<3xf64>
  %10 = mlax.rem %9, %y : tensor<3xf64>
  return %10 : tensor<3xf64>
}
func.func @float32_math_kept(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sin %x : tensor<3xf32>
  %1 = mlax.atan2 %0, %y : tensor<3xf32>
  %2 = mlax.rem %1, %y : tensor<3xf32>
  return %2 : tensor<3xf32>
}

// -----

// mlax.optimization_barrier becomes IREE's util.optimization_barrier (by
// name: it needs --allow-unregistered-dialect, which mlax's Python context
// sets), one per converted value (IREE rejects mixed types in one).
// CHECK-LABEL: func.func @optimization_barrier(
// CHECK:         %[[B0:.*]] = "util.optimization_barrier"(%arg0) : (tensor<3xf32>) -> tensor<3xf32>
// CHECK:         %[[B1:.*]] = "util.optimization_barrier"(%arg1) : (tensor<2xi32>) -> tensor<2xi32>
// CHECK:         return %[[B0]], %[[B1]]
func.func @optimization_barrier(%x: tensor<3xf32>, %u: tensor<2xui32>) -> (tensor<3xf32>, tensor<2xui32>) {
  %0:2 = mlax.optimization_barrier %x, %u : tensor<3xf32>, tensor<2xui32>
  return %0#0, %0#1 : tensor<3xf32>, tensor<2xui32>
}

// -----

// stop_gradient only matters to mlax-autodiff: it lowers to its operand.
// CHECK-LABEL: func.func @stop_gradient_is_identity(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>
// CHECK-NOT: mlax.stop_gradient
// CHECK: return %[[X]] : tensor<4xf32>
func.func @stop_gradient_is_identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.stop_gradient %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// f32 log is Cephes' logf (XLA's CPU algorithm): exponent and mantissa split
// through the bits, a polynomial in m - 1, e * log(2) in two parts.
// CHECK-LABEL: func.func @log_f32(
// CHECK:         linalg.generic
// CHECK:           arith.maximumf
// CHECK:           arith.shrui %{{.*}}, %{{.*}} : i32
// CHECK:           arith.sitofp
// CHECK:           arith.constant 0.707106769 : f32
// CHECK:           arith.constant 0.693359375 : f32
// CHECK-NOT:       math.log
// CHECK:           linalg.yield
func.func @log_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.log %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Division by a float constant becomes multiplication by its reciprocal
// (rounded once), as XLA's algebraic simplifier does in JAX's jitted code;
// a constant numerator or a non-constant divisor stays a division.
// CHECK-LABEL: func.func @divide_by_constant(
// CHECK:           arith.constant dense<0.333333343> : tensor<f32>
// CHECK:         linalg.generic
// CHECK:           arith.mulf
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK:         linalg.generic
// CHECK:           arith.divf
func.func @divide_by_constant(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c = mlax.constant dense<3.0> : tensor<f32>
  %b = mlax.broadcast_in_dim %c, dims = [] : (tensor<f32>) -> tensor<4xf32>
  %0 = mlax.div %x, %b : tensor<4xf32>
  %1 = mlax.div %x, %y : tensor<4xf32>
  %2 = mlax.div %b, %y : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// threefry2x32 is one two-result generic of i32 rounds: the key schedule's
// constant 0x1BD11BDA, rotations as shli/shrui/ori, and the final injection.
// CHECK-LABEL: func.func @threefry(
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<7xi32>, tensor<7xi32>, tensor<7xi32>, tensor<7xi32>)
// CHECK-SAME:      outs(%{{.*}}, %{{.*}} : tensor<7xi32>, tensor<7xi32>)
// CHECK:           arith.constant 466688986 : i32
// CHECK:           arith.xori
// CHECK-COUNT-20:  arith.shli
// CHECK:           linalg.yield %{{.*}}, %{{.*}} : i32, i32
// CHECK:         -> (tensor<7xi32>, tensor<7xi32>)
func.func @threefry(%k0: tensor<7xui32>, %k1: tensor<7xui32>, %hi: tensor<7xui32>, %lo: tensor<7xui32>) -> (tensor<7xui32>, tensor<7xui32>) {
  %0:2 = mlax.threefry2x32 %k0, %k1, %hi, %lo : tensor<7xui32>
  return %0#0, %0#1 : tensor<7xui32>, tensor<7xui32>
}

// -----

// Both results of threefry2x32 transposed alike (vmap with out_axes): the
// transposes move onto the operands, so no transpose consumes the
// two-result generic (IREE 3.13's transpose propagation breaks that form).
// CHECK-LABEL: func.func @threefry_transposed(
// CHECK-COUNT-4: linalg.transpose
// CHECK:         %[[G:.*]]:2 = linalg.generic
// CHECK-NOT:     linalg.transpose
// CHECK:         return %[[G]]#0, %[[G]]#1
func.func @threefry_transposed(%k0: tensor<2x3xui32>, %k1: tensor<2x3xui32>, %h: tensor<2x3xui32>, %l: tensor<2x3xui32>) -> (tensor<3x2xui32>, tensor<3x2xui32>) {
  %0:2 = mlax.threefry2x32 %k0, %k1, %h, %l : tensor<2x3xui32>
  %1 = mlax.transpose %0#0, perm = [1, 0] : (tensor<2x3xui32>) -> tensor<3x2xui32>
  %2 = mlax.transpose %0#1, perm = [1, 0] : (tensor<2x3xui32>) -> tensor<3x2xui32>
  return %1, %2 : tensor<3x2xui32>, tensor<3x2xui32>
}

// -----

// cond: a chain of scf.if on the index; the branches stay calls.
// CHECK-LABEL: func.func @cond3(
// CHECK:         %[[I:.*]] = tensor.extract %arg0[] : tensor<i32>
// CHECK:         %[[Z:.*]] = arith.cmpi eq, %[[I]], %c0_i32
// CHECK:         scf.if %[[Z]] -> (tensor<3xf32>)
// CHECK:           func.call @b0(%arg1)
// CHECK:         } else {
// CHECK:           arith.cmpi eq, %[[I]], %c1_i32
// CHECK:           scf.if
// CHECK:             func.call @b1(%arg1)
// CHECK:           } else {
// CHECK:             func.call @b2(%arg1)
func.func private @b0(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.neg %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @b1(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @b2(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
func.func @cond3(%i: tensor<i32>, %x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.cond [@b0, @b1, @b2][%i](%x) : tensor<i32>, (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// while: scf.while, the condition's i1 extracted; consts passed to both calls.
// CHECK-LABEL: func.func @loop(
// CHECK:         scf.while (%[[N:.*]] = %arg0, %[[X:.*]] = %arg1) : (tensor<i32>, tensor<f32>) -> (tensor<i32>, tensor<f32>)
// CHECK:           %[[P:.*]] = func.call @less(%[[N]], %[[X]], %arg2)
// CHECK:           %[[B:.*]] = tensor.extract %[[P]][] : tensor<i1>
// CHECK:           scf.condition(%[[B]]) %[[N]], %[[X]]
// CHECK:         } do {
// CHECK:           func.call @step({{.*}}, %arg2)
// CHECK:           scf.yield
func.func private @less(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> tensor<i1> {
  %0 = mlax.compare LT, %n, %lim : (tensor<i32>, tensor<i32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @step(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %one = mlax.constant dense<1> : tensor<i32>
  %0 = mlax.add %n, %one : tensor<i32>
  %1 = mlax.mul %x, %x : tensor<f32>
  return %0, %1 : tensor<i32>, tensor<f32>
}
func.func @loop(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %0:2 = mlax.while @less, @step(%n, %x, %lim) num_consts = 1 : (tensor<i32>, tensor<f32>, tensor<i32>) -> (tensor<i32>, tensor<f32>)
  return %0#0, %0#1 : tensor<i32>, tensor<f32>
}

// -----

// scan (reversed): scf.for over the length carrying (carry, ys); row 4 - i
// of xs in, the y slice inserted at that row.
// CHECK-LABEL: func.func @scan(
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<5xf32>
// CHECK:         scf.for %[[I:.*]] = %c0 to %c5 step %c1 iter_args(%[[H:.*]] = %arg0, %[[YS:.*]] = %[[E]])
// CHECK:           %[[AT:.*]] = arith.subi %c4{{.*}}, %[[I]]
// CHECK:           %[[R:.*]] = arith.subi %c4{{.*}}, %[[I]]
// CHECK:           %[[X:.*]] = tensor.extract_slice %arg1[%[[R]], 0] [1, 2] [1, 1] : tensor<5x2xf32> to tensor<2xf32>
// CHECK:           %[[C:.*]]:2 = func.call @cell(%[[H]], %[[X]], %arg2)
// CHECK:           tensor.insert_slice %[[C]]#1 into %[[YS]][%[[AT]]] [1] [1] : tensor<f32> into tensor<5xf32>
func.func private @cell(%h: tensor<2xf32>, %x: tensor<2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<f32>) {
  %0 = mlax.mul %h, %w : tensor<2xf32>
  %1 = mlax.add %0, %x : tensor<2xf32>
  %2 = mlax.reduce_sum %1, axes = [0] : (tensor<2xf32>) -> tensor<f32>
  return %1, %2 : tensor<2xf32>, tensor<f32>
}
func.func @scan(%h: tensor<2xf32>, %xs: tensor<5x2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>) {
  %0:2 = mlax.scan @cell(%h, %xs, %w) num_carry = 1 num_consts = 1 length = 5 reverse = true : (tensor<2xf32>, tensor<5x2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<5xf32>
}

// -----

// A scan of 40 steps stacks in chunks of 7 (ceil(sqrt(40))): an outer loop
// over 6 chunks carries ys padded to 42 rows, an inner loop of
// min(7, 40 - 7c) steps carries one chunk; ys is sliced back to 40 rows.
// CHECK-LABEL: func.func @scan_chunks(
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<42xf32>
// CHECK:         %[[O:.*]]:2 = scf.for %[[CI:.*]] = %c0 to %c6 step %c1 iter_args(%[[H:.*]] = %arg0, %[[YS:.*]] = %[[E]])
// CHECK:           %[[FIRST:.*]] = arith.muli %[[CI]], %c7
// CHECK:           %[[LEFT:.*]] = arith.subi %c40, %[[FIRST]]
// CHECK:           %[[N:.*]] = arith.minsi %c7{{.*}}, %[[LEFT]]
// CHECK:           %[[CE:.*]] = tensor.empty() : tensor<7xf32>
// CHECK:           %[[IN:.*]]:2 = scf.for %[[J:.*]] = %c0{{.*}} to %[[N]] step %c1{{.*}} iter_args(%[[H2:.*]] = %[[H]], %[[ROWS:.*]] = %[[CE]])
// CHECK:             %[[I:.*]] = arith.addi %[[FIRST]], %[[J]]
// CHECK:             tensor.extract_slice %arg1[%[[I]], 0] [1, 2] [1, 1] : tensor<40x2xf32> to tensor<2xf32>
// CHECK:             func.call @cell2
// CHECK:             tensor.insert_slice %{{.*}} into %[[ROWS]][%[[J]]] [1] [1] : tensor<f32> into tensor<7xf32>
// CHECK:           tensor.insert_slice %[[IN]]#1 into %[[YS]][%[[FIRST]]] [7] [1] : tensor<7xf32> into tensor<42xf32>
// CHECK:         tensor.extract_slice %[[O]]#1[0] [40] [1] : tensor<42xf32> to tensor<40xf32>
func.func private @cell2(%h: tensor<2xf32>, %x: tensor<2xf32>) -> (tensor<2xf32>, tensor<f32>) {
  %1 = mlax.add %h, %x : tensor<2xf32>
  %2 = mlax.reduce_sum %1, axes = [0] : (tensor<2xf32>) -> tensor<f32>
  return %1, %2 : tensor<2xf32>, tensor<f32>
}
func.func @scan_chunks(%h: tensor<2xf32>, %xs: tensor<40x2xf32>) -> (tensor<2xf32>, tensor<40xf32>) {
  %0:2 = mlax.scan @cell2(%h, %xs) num_carry = 1 num_consts = 0 length = 40 reverse = false : (tensor<2xf32>, tensor<40x2xf32>) -> (tensor<2xf32>, tensor<40xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<40xf32>
}

// -----

// A ys result nothing reads is not stacked: the loop carries the carry only
// and an empty tensor stands in for the unread result.
// CHECK-LABEL: func.func @scan_unread_ys(
// CHECK-NOT:     tensor.insert_slice
// CHECK:         %[[L:.*]] = scf.for %{{.*}} = %c0 to %c40 step %c1 iter_args(%[[H:.*]] = %arg0) -> (tensor<2xf32>)
// CHECK-NOT:     tensor.insert_slice
// CHECK:         return %[[L]]
func.func private @cell4(%h: tensor<2xf32>, %x: tensor<2xf32>) -> (tensor<2xf32>, tensor<f32>) {
  %1 = mlax.add %h, %x : tensor<2xf32>
  %2 = mlax.reduce_sum %1, axes = [0] : (tensor<2xf32>) -> tensor<f32>
  return %1, %2 : tensor<2xf32>, tensor<f32>
}
func.func @scan_unread_ys(%h: tensor<2xf32>, %xs: tensor<40x2xf32>) -> tensor<2xf32> {
  %0:2 = mlax.scan @cell4(%h, %xs) num_carry = 1 num_consts = 0 length = 40 reverse = false : (tensor<2xf32>, tensor<40x2xf32>) -> (tensor<2xf32>, tensor<40xf32>)
  return %0#0 : tensor<2xf32>
}

// -----

// unroll = 2 over 5 steps: a loop of two trips, two bodies each, then the
// fifth step after it; unroll >= length unrolls the loop away.
// CHECK-LABEL: func.func @scan_unroll(
// CHECK:         %[[L:.*]] = scf.for %[[I:.*]] = %c0 to %c4 step %c2 iter_args(%[[H:.*]] = %arg0)
// CHECK:           tensor.extract_slice %arg1[%[[I]], 0] [1, 2] [1, 1]
// CHECK:           %[[A:.*]] = func.call @cell3(%[[H]],
// CHECK:           %[[NEXT:.*]] = arith.addi %[[I]],
// CHECK:           tensor.extract_slice %arg1[%[[NEXT]], 0] [1, 2] [1, 1]
// CHECK:           %[[B:.*]] = func.call @cell3(%[[A]],
// CHECK:           scf.yield %[[B]]
// CHECK:         tensor.extract_slice %arg1[%c4, 0] [1, 2] [1, 1]
// CHECK:         call @cell3(%[[L]],
// CHECK-LABEL: func.func @scan_unroll_full(
// CHECK-NOT:     scf.for
// CHECK-COUNT-5: call @cell3
// CHECK-NOT:     scf.for
// CHECK:         return
func.func private @cell3(%h: tensor<2xf32>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %1 = mlax.add %h, %x : tensor<2xf32>
  return %1 : tensor<2xf32>
}
func.func @scan_unroll(%h: tensor<2xf32>, %xs: tensor<5x2xf32>) -> tensor<2xf32> {
  %0 = mlax.scan @cell3(%h, %xs) num_carry = 1 num_consts = 0 length = 5 reverse = false {unroll = 2} : (tensor<2xf32>, tensor<5x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @scan_unroll_full(%h: tensor<2xf32>, %xs: tensor<5x2xf32>) -> tensor<2xf32> {
  %0 = mlax.scan @cell3(%h, %xs) num_carry = 1 num_consts = 0 length = 5 reverse = false {unroll = 8} : (tensor<2xf32>, tensor<5x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// gather: one linalg.generic over the result; each element reads its index
// (clamped; mode fill selects the fill value when out of range) and the
// operand with tensor.extract.
// CHECK-LABEL: func.func @gather(
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<4x3xf32>)
// CHECK:           %[[B:.*]] = linalg.index 0 : index
// CHECK:           %[[R:.*]] = linalg.index 1 : index
// CHECK:           %[[RAW:.*]] = tensor.extract %arg1[%[[B]], %{{.*}}] : tensor<4x1xi32>
// CHECK:           %[[W:.*]] = arith.extsi %[[RAW]] : i32 to i64
// CHECK:           %[[OK:.*]] = arith.cmpi ult, %[[W]], %c5_i64
// CHECK:           %[[LO:.*]] = arith.maxsi %[[W]], %c0_i64
// CHECK:           %[[CL:.*]] = arith.minsi %[[LO]], %c4_i64
// CHECK:           %[[IX:.*]] = arith.index_cast %[[CL]] : i64 to index
// CHECK:           %[[V:.*]] = tensor.extract %arg0[%[[IX]], %[[R]]] : tensor<5x3xf32>
// CHECK:           %[[F:.*]] = arith.constant -1.000000e+00 : f32
// CHECK:           arith.select %[[OK]], %[[V]], %[[F]] : f32
func.func @gather(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>) -> tensor<4x3xf32> {
  %0 = mlax.gather %x[%i] dims = [0] mode = fill {fill_value = -1.0 : f32} : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// scatter replace (IREE path): indexed dims first (transpose), a padding
// row that catches dropped indices, index vectors as [N, K] i32, IREE's
// scatter with the combiner in its region (replace: the update), the
// padding sliced off and the dims restored.
// CHECK-LABEL: func.func @scatter(
// CHECK:         %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<5x3xf32>) {{.*}} permutation = [1, 0]
// CHECK:         %[[P:.*]] = tensor.insert_slice %[[T]] into %{{.*}}[0, 0] [3, 5] [1, 1] : tensor<3x5xf32> into tensor<4x5xf32>
// CHECK:         %[[I:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<4x1xi32>)
// CHECK:           arith.cmpi ult
// CHECK:           arith.select
// CHECK:         %[[S:.*]] = "iree_linalg_ext.scatter"(%arg2, %[[I]], %[[P]])
// CHECK:           "iree_linalg_ext.yield"(%arg3)
// CHECK:         {dimension_map = array<i64: 0>, unique_indices = false}
// CHECK:         %[[U:.*]] = tensor.extract_slice %[[S]][0, 0] [3, 5] [1, 1]
// CHECK:         linalg.transpose ins(%[[U]] : tensor<3x5xf32>) {{.*}} permutation = [1, 0]
func.func @scatter(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x5xf32>) -> tensor<5x3xf32> {
  %0 = mlax.scatter replace %x[%i], %u dims = [1] mode = fill : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x5xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// scatter add, dropping: no padding (no copy of the operand); a dropped
// update becomes the combiner's identity (0) sent to row 0.
// CHECK-LABEL: func.func @scatter_add(
// CHECK-NOT:     tensor.insert_slice
// CHECK:         %[[U:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<4x3xf32>)
// CHECK:           tensor.extract %arg1
// CHECK:           arith.cmpi ult
// CHECK:           arith.select %{{.*}}, %{{.*}}, %cst
// CHECK:         %[[S:.*]] = "iree_linalg_ext.scatter"(%[[U]], %{{.*}}, %arg0)
// CHECK:           arith.addf
// CHECK-NOT:     tensor.extract_slice
// CHECK:         return %[[S]]
func.func @scatter_add(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>, %u: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = promise_in_bounds : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// sort: a merge sort, one linalg.generic per pass (3 passes for 7 rows);
// each pass reads every operand at the source position its binary search
// found. No iree_linalg_ext.sort (O(n^2) on the CPU).
// CHECK-LABEL: func.func @sort(
// CHECK-NOT:     iree_linalg_ext.sort
// CHECK-COUNT-3: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<7x2xf32>, tensor<7x2xi32>)
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @sort(%x: tensor<7x2xf32>, %i: tensor<7x2xi32>) -> (tensor<7x2xf32>, tensor<7x2xi32>) {
  %0:2 = mlax.sort %x, %i dimension = 0 num_keys = 1 : (tensor<7x2xf32>, tensor<7x2xi32>) -> (tensor<7x2xf32>, tensor<7x2xi32>)
  return %0#0, %0#1 : tensor<7x2xf32>, tensor<7x2xi32>
}

// -----

// top_k (unregistered dialects allowed: the IREE path): keys widened to
// i64 total-order integers, IREE's topk with a signed greater-than, the
// values read back at the indices.
// CHECK-LABEL: func.func @top_k(
// CHECK:         arith.bitcast %{{.*}} : f32 to i32
// CHECK:         arith.extsi %{{.*}} : i32 to i64
// CHECK:         "iree_linalg_ext.topk"
// CHECK:         arith.cmpi sgt
// CHECK:         tensor.extract %arg0
func.func @top_k(%x: tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xi32>) {
  %v, %i = mlax.top_k %x k = 2 : (tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xi32>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi32>
}

// -----

// cumsum (IREE path): a long single row is scanned in blocks (4096s, the
// padding zero-filled, when no block size near 4096 divides it), the block
// totals scanned exclusively, then added; many rows are one scan along the
// last dimension.
// CHECK-LABEL: func.func @cumsum_blocked(
// CHECK:         tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [1, 10007] [1, 1] : tensor<1x10007xf32> into tensor<1x12288xf32>
// CHECK:         "iree_linalg_ext.scan"
// CHECK:         dimension = 2 : i64, inclusive = true{{.*}} -> (tensor<1x3x4096xf32>, tensor<1x3xf32>)
// CHECK:         "iree_linalg_ext.scan"
// CHECK:         dimension = 1 : i64, inclusive = false{{.*}} -> (tensor<1x3xf32>, tensor<1xf32>)
// CHECK:         arith.addf
// CHECK:         tensor.extract_slice %{{.*}}[0, 0] [1, 10007] [1, 1]
func.func @cumsum_blocked(%x: tensor<10007xf32>) -> tensor<10007xf32> {
  %0 = mlax.cumsum %x axis = 0 reverse = false : tensor<10007xf32>
  return %0 : tensor<10007xf32>
}

// CHECK-LABEL: func.func @cumsum_divisor_blocks(
// CHECK-NOT:     tensor.insert_slice
// CHECK:         dimension = 2 : i64, inclusive = true{{.*}} -> (tensor<1x2500x4000xf32>, tensor<1x2500xf32>)
// CHECK-NOT:     tensor.extract_slice
// CHECK:         return
func.func @cumsum_divisor_blocks(%x: tensor<10000000xf32>) -> tensor<10000000xf32> {
  %0 = mlax.cumsum %x axis = 0 reverse = false : tensor<10000000xf32>
  return %0 : tensor<10000000xf32>
}

// CHECK-LABEL: func.func @cumsum_rows_reversed(
// CHECK:         linalg.transpose
// CHECK:         "iree_linalg_ext.scan"
// CHECK:         arith.addi
// CHECK:         dimension = 1 : i64, inclusive = true{{.*}} -> (tensor<70x6xi32>, tensor<70xi32>)
// CHECK:         linalg.transpose
func.func @cumsum_rows_reversed(%x: tensor<6x70xi32>) -> tensor<6x70xi32> {
  %0 = mlax.cumsum %x axis = 0 reverse = true : tensor<6x70xi32>
  return %0 : tensor<6x70xi32>
}

// cumprod, cummax, cummin, cumlogsumexp: the same scans, the combiner the
// scan's region; the block totals' exclusive scan starts from the
// combiner's identity (-inf for max), and each block's offset is combined
// in. Unsigned integers compare unsigned; logaddexp keeps an infinite hi.
// CHECK-LABEL: func.func @cummax_blocked(
// CHECK:         tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [1, 10007] [1, 1] : tensor<1x10007xf32> into tensor<1x12288xf32>
// CHECK:         "iree_linalg_ext.scan"
// CHECK:           arith.maximumf
// CHECK:         dimension = 2 : i64, inclusive = true{{.*}} -> (tensor<1x3x4096xf32>, tensor<1x3xf32>)
// CHECK:         %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<1xf32>)
// CHECK:         "iree_linalg_ext.scan"(%{{.*}}, %{{.*}}, %[[INIT]])
// CHECK:           arith.maximumf
// CHECK:         dimension = 1 : i64, inclusive = false{{.*}} -> (tensor<1x3xf32>, tensor<1xf32>)
// CHECK:         linalg.generic
// CHECK:           arith.maximumf
// CHECK:         tensor.extract_slice %{{.*}}[0, 0] [1, 10007] [1, 1]
func.func @cummax_blocked(%x: tensor<10007xf32>) -> tensor<10007xf32> {
  %0 = mlax.cummax %x axis = 0 reverse = false : tensor<10007xf32>
  return %0 : tensor<10007xf32>
}

// CHECK-LABEL: func.func @cumlogsumexp_rows(
// CHECK:         "iree_linalg_ext.scan"
// CHECK:           %[[HI:.*]] = arith.maximumf
// CHECK:           %[[LO:.*]] = arith.minimumf
// CHECK:           arith.subf %[[LO]], %[[HI]]
// CHECK:           math.exp
// CHECK:           math.log1p
// CHECK:           %[[SUM:.*]] = arith.addf %[[HI]]
// CHECK:           %[[FINITE:.*]] = arith.cmpf olt
// CHECK:           arith.select %[[FINITE]], %[[SUM]], %[[HI]] : f32
// CHECK:         dimension = 1 : i64, inclusive = true{{.*}} -> (tensor<70x6xf32>, tensor<70xf32>)
func.func @cumlogsumexp_rows(%x: tensor<70x6xf32>) -> tensor<70x6xf32> {
  %0 = mlax.cumlogsumexp %x axis = 1 reverse = true : tensor<70x6xf32>
  return %0 : tensor<70x6xf32>
}

// CHECK-LABEL: func.func @cumprod_cummin_unsigned(
// CHECK:         "iree_linalg_ext.scan"
// CHECK:           arith.muli %{{.*}} : i8
// CHECK:         "iree_linalg_ext.scan"
// CHECK:           arith.minui %{{.*}} : i8
func.func @cumprod_cummin_unsigned(%x: tensor<70x6xui8>) -> (tensor<70x6xui8>, tensor<70x6xui8>) {
  %0 = mlax.cumprod %x axis = 1 reverse = false : tensor<70x6xui8>
  %1 = mlax.cummin %x axis = 1 reverse = false : tensor<70x6xui8>
  return %0, %1 : tensor<70x6xui8>, tensor<70x6xui8>
}

// -----

// keep-scatter (the first of the two lowering runs): scatter, top_k and
// cumsum stay (their IREE ops carry regions the inliner cannot walk); on
// unsigned integers they are rebuilt on signless ones first (top_k on keys
// with the sign bit flipped).
// KEEP-LABEL: func.func @kept(
// KEEP:         mlax.cumsum %arg0 axis = 0 reverse = false : tensor<3x4xi8>
// KEEP:         arith.constant dense<-128> : tensor<5xi8>
// KEEP:         arith.xori
// KEEP:         mlax.top_k %{{.*}} k = 2 : (tensor<5xi8>) -> (tensor<2xi8>, tensor<2xi32>)
// KEEP:         arith.xori
func.func @kept(%x: tensor<3x4xui8>, %y: tensor<5xui8>) -> (tensor<3x4xui8>, tensor<2xui8>) {
  %0 = mlax.cumsum %x axis = 0 reverse = false : tensor<3x4xui8>
  %v, %i = mlax.top_k %y k = 2 : (tensor<5xui8>) -> (tensor<2xui8>, tensor<2xi32>)
  return %0, %v : tensor<3x4xui8>, tensor<2xui8>
}

// KEEP-LABEL: func.func @kept_cumulative(
// KEEP:         mlax.cumprod %arg0 axis = 0 reverse = false : tensor<3x4xi8>
// KEEP:         arith.xori
// KEEP:         mlax.cummax %{{.*}} axis = 1 reverse = true : tensor<3x4xi8>
// KEEP:         arith.xori
// KEEP:         mlax.cumlogsumexp %arg1 axis = 0 reverse = false : tensor<3xf32>
func.func @kept_cumulative(%x: tensor<3x4xui8>, %f: tensor<3xf32>) -> (tensor<3x4xui8>, tensor<3x4xui8>, tensor<3xf32>) {
  %0 = mlax.cumprod %x axis = 0 reverse = false : tensor<3x4xui8>
  %1 = mlax.cummax %x axis = 1 reverse = true : tensor<3x4xui8>
  %2 = mlax.cumlogsumexp %f axis = 0 reverse = false : tensor<3xf32>
  return %0, %1, %2 : tensor<3x4xui8>, tensor<3x4xui8>, tensor<3xf32>
}

// -----

// gather that clamps (IREE path): the indexed dims moved first, the index
// vectors clamped into range as i64, then IREE's gather of whole rows,
// behind a barrier (IREE miscompiles it fused into a contraction).
// CHECK-LABEL: func.func @gather_rows(
// CHECK:         linalg.transpose ins(%arg0 : tensor<5x3xf32>) outs(%{{.*}} : tensor<3x5xf32>) permutation = [1, 0]
// CHECK:         arith.maxsi
// CHECK:         %[[G:.*]] = "iree_linalg_ext.gather"(%{{.*}}, %{{.*}}, %{{.*}}) {dimension_map = array<i64: 0>} : (tensor<3x5xf32>, tensor<4x1xi64>, tensor<4x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT:    "util.optimization_barrier"(%[[G]]) : (tensor<4x5xf32>) -> tensor<4x5xf32>
func.func @gather_rows(%x: tensor<5x3xf32>, %i: tensor<4x1xi32>) -> tensor<4x5xf32> {
  %0 = mlax.gather %x[%i] dims = [1] mode = promise_in_bounds : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// host_callback: a call of a private declaration @mlaxcb.cbN (an IREE VM
// import the runtime serves), numbered in order of appearance, carrying
// the callback id; calls of one callback with one signature share it;
// unsigned types become signless.
// CHECK-LABEL: func.func @host_callbacks(
// CHECK:         call @mlaxcb.cb0(%arg0) : (tensor<3xf32>) -> ()
// CHECK:         %[[R:.*]] = call @mlaxcb.cb1(%arg0, %arg1) : (tensor<3xf32>, tensor<2xi8>) -> tensor<2xi8>
// CHECK:         call @mlaxcb.cb0(%arg0) : (tensor<3xf32>) -> ()
// CHECK:         return %[[R]]
// CHECK:       func.func private @mlaxcb.cb0(tensor<3xf32>) attributes {mlaxcb.callback_id = 4 : i64}
// CHECK:       func.func private @mlaxcb.cb1(tensor<3xf32>, tensor<2xi8>) -> tensor<2xi8> attributes {mlaxcb.callback_id = 9 : i64}
func.func @host_callbacks(%x: tensor<3xf32>, %u: tensor<2xui8>) -> tensor<2xui8> {
  mlax.host_callback debug 4 (%x) vmap = none : (tensor<3xf32>) -> ()
  %0 = mlax.host_callback io 9 (%x, %u) vmap = none {ordered} : (tensor<3xf32>, tensor<2xui8>) -> tensor<2xui8>
  mlax.host_callback debug 4 (%x) vmap = none : (tensor<3xf32>) -> ()
  return %0 : tensor<2xui8>
}

// -----

// Complex bodies are complex dialect ops (IREE expands them); log, log1p
// and sqrt are expanded here (XLA's formulas, mlax's atan2); a complex
// contraction is four real ones ((ac - bd) + i(ad + bc)); a complex pad
// pads the real and imaginary parts (IREE crashed on tensor.pad of complex
// values).
// CHECK-LABEL: func.func @complex_ops(
// CHECK:         linalg.generic
// CHECK:           complex.create %{{.*}}, %{{.*}} : complex<f32>
// CHECK:         linalg.generic
// CHECK:           complex.mul %{{.*}}, %{{.*}} : complex<f32>
// CHECK:         linalg.generic
// CHECK:           complex.abs
// CHECK:           math.log
// CHECK:           complex.create
// CHECK:         linalg.generic
// CHECK:           complex.abs %{{.*}} : complex<f32>
// CHECK:         linalg.generic
// CHECK:           complex.re
// CHECK:         linalg.generic
// CHECK:           complex.im
// CHECK:         linalg.generic
// CHECK:           complex.conj
// CHECK:           arith.mulf
// CHECK:           arith.mulf
// CHECK:           arith.subf
// CHECK:           arith.mulf
// CHECK:           arith.mulf
// CHECK:           complex.create
// CHECK:         tensor.pad
// CHECK:           tensor.yield %{{.*}} : f32
// CHECK:         tensor.pad
// CHECK:           tensor.yield %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           complex.create
func.func @complex_ops(%x: tensor<4xf32>, %y: tensor<4xf32>, %p: tensor<complex<f32>>) -> (tensor<4xcomplex<f32>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xcomplex<f32>>, tensor<complex<f32>>, tensor<6xcomplex<f32>>) {
  %z = mlax.complex %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xcomplex<f32>>
  %m = mlax.mul %z, %z : tensor<4xcomplex<f32>>
  %l = mlax.log %m : tensor<4xcomplex<f32>>
  %a = mlax.abs %l : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %r = mlax.real %l : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %i = mlax.imag %l : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %c = mlax.conj %l : tensor<4xcomplex<f32>>
  %d = mlax.dot_general %c, %l, batch = [] x [], contract = [0] x [0] : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>) -> tensor<complex<f32>>
  %q = mlax.pad %c, %p, low = [1], high = [1], interior = [0] : (tensor<4xcomplex<f32>>, tensor<complex<f32>>) -> tensor<6xcomplex<f32>>
  return %l, %a, %r, %i, %c, %d, %q : tensor<4xcomplex<f32>>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xcomplex<f32>>, tensor<complex<f32>>, tensor<6xcomplex<f32>>
}
