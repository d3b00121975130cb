// RUN: mlax-opt %s -mlax-autodiff -split-input-file | FileCheck %s

// mlax-autodiff replaces each mlax.vjp @f with a call to a generated
// @f_vjp_<active mask> holding the forward sweep of @f (primal values kept)
// followed by the adjoint built from the rules in VjpRules.cpp. The cases
// below check the reverse-mode structure of each rule family, with the math
// written next to it (ct: the result's cotangent, y: the primal result).

// The pass description's example: d(x*x) = ct*x + x*ct. The request becomes a
// call of the generated private function, placed after its callee.
// CHECK-LABEL: func.func private @sq(
// CHECK-LABEL: func.func private @sq_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<f32>, %[[CT:[a-z0-9]+]]: tensor<f32>) -> (tensor<f32>, tensor<f32>)
// CHECK:         %[[Y:[0-9]+]] = mlax.mul %[[X]], %[[X]] : tensor<f32>
// CHECK:         %[[D0:[0-9]+]] = mlax.mul %[[CT]], %[[X]] : tensor<f32>
// CHECK:         %[[D1:[0-9]+]] = mlax.mul %[[X]], %[[CT]] : tensor<f32>
// CHECK:         %[[DX:[0-9]+]] = mlax.add %[[D0]], %[[D1]] : tensor<f32>
// CHECK:         return %[[Y]], %[[DX]] : tensor<f32>, tensor<f32>
// CHECK-LABEL: func.func @sq_req(
// CHECK-NOT:     mlax.vjp
// CHECK:         %[[R:[0-9]+]]:2 = call @sq_vjp_1(%arg0, %arg1) : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func private @sq(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.mul %x, %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func @sq_req(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @sq(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

// add: both operands get ct unchanged (no op is emitted).
// CHECK-LABEL: func.func private @add_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>, %[[B:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.add %[[A]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[CT]], %[[CT]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
func.func private @add(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.add %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @add_req(%a: tensor<3xf32>, %b: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mlax.vjp @add(%a, %b, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// sub: da = ct, db = -ct.
// CHECK-LABEL: func.func private @sub_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>, %[[B:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.sub %[[A]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.neg %[[CT]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[CT]], %[[DB]]
func.func private @sub(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sub %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @sub_req(%a: tensor<3xf32>, %b: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mlax.vjp @sub(%a, %b, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// mul: da = ct * b, db = a * ct.
// CHECK-LABEL: func.func private @mul_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>, %[[B:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.mul %[[A]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.mul %[[CT]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.mul %[[A]], %[[CT]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @mul(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.mul %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @mul_req(%a: tensor<3xf32>, %b: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mlax.vjp @mul(%a, %b, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// div: da = ct / b, db = -ct * a * b^-2 (JAX's form).
// CHECK-LABEL: func.func private @div_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>, %[[B:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.div %[[A]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.div %[[CT]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[P:[0-9]+]] = mlax.integer_pow %[[B]], -2 : tensor<3xf32>
// CHECK-NEXT:    %[[N:[0-9]+]] = mlax.neg %[[CT]] : tensor<3xf32>
// CHECK-NEXT:    %[[NA:[0-9]+]] = mlax.mul %[[N]], %[[A]] : tensor<3xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.mul %[[NA]], %[[P]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @div(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.div %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @div_req(%a: tensor<3xf32>, %b: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mlax.vjp @div(%a, %b, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// neg: dx = -ct.
// CHECK-LABEL: func.func private @neg_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.neg %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.neg %[[CT]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @neg(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.neg %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @neg_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @neg(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// exp: dx = ct * y (the saved primal result, not a recomputation).
// CHECK-LABEL: func.func private @exp_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.exp %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @exp(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @exp_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @exp(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// log: dx = ct * (1 / x).
// CHECK-LABEL: func.func private @log_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.log %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.div %[[ONE]], %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @log(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.log %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @log_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @log(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// tanh: dx = ct * (1 - y*y).
// CHECK-LABEL: func.func private @tanh_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.tanh %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[YY:[0-9]+]] = mlax.mul %[[Y]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.sub %[[ONE]], %[[YY]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @tanh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.tanh %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @tanh_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @tanh(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// logistic: dx = ct * (y * (1 - y)).
// CHECK-LABEL: func.func private @logistic_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.logistic %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[OMY:[0-9]+]] = mlax.sub %[[ONE]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[Y]], %[[OMY]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @logistic(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.logistic %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @logistic_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @logistic(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// sin: dx = ct * cos(x).
// CHECK-LABEL: func.func private @sin_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.sin %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[C:[0-9]+]] = mlax.cos %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[C]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @sin(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sin %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @sin_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @sin(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// cos: dx = ct * -sin(x).
// CHECK-LABEL: func.func private @cos_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.cos %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[S:[0-9]+]] = mlax.sin %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.neg %[[S]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @cos(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.cos %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @cos_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @cos(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// sqrt: dx = ct * (0.5 / y).
// CHECK-LABEL: func.func private @sqrt_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.sqrt %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[H:[0-9]+]] = mlax.constant dense<5.000000e-01> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.div %[[H]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @sqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sqrt %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @sqrt_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @sqrt(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// integer_pow: dx = ct * (n * x^(n-1)); n = 1 gives ct * 1 and n = 0 gives
// ct * 0; a negative n keeps the same form (-2 * x^-3).
// CHECK-LABEL: func.func private @pow3_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.integer_pow %[[X]], 3 : tensor<3xf32>
// CHECK-NEXT:    %[[P:[0-9]+]] = mlax.integer_pow %[[X]], 2 : tensor<3xf32>
// CHECK-NEXT:    %[[N:[0-9]+]] = mlax.constant dense<3.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[N]], %[[P]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @pow1_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.integer_pow %[[X]], 1 : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[ONE]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @pow0_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.integer_pow %[[X]], 0 : tensor<3xf32>
// CHECK-NEXT:    %[[ZERO:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[ZERO]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @powm2_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.integer_pow %[[X]], -2 : tensor<3xf32>
// CHECK-NEXT:    %[[P:[0-9]+]] = mlax.integer_pow %[[X]], -3 : tensor<3xf32>
// CHECK-NEXT:    %[[N:[0-9]+]] = mlax.constant dense<-2.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[N]], %[[P]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @pow3(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.integer_pow %x, 3 : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @pow1(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.integer_pow %x, 1 : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @pow0(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.integer_pow %x, 0 : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @powm2(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.integer_pow %x, -2 : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @integer_pow_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @pow3(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %1:2 = mlax.vjp @pow1(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %2:2 = mlax.vjp @pow0(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %3:2 = mlax.vjp @powm2(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1, %1#1, %2#1, %3#1 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// The other unary elementwise rules, dx = ct * f'(x):
// abs: x >= 0 ? 1 : -1 (JAX's: +1 at 0); exp2: y * ln 2; log1p: 1 / (x + 1); expm1: y + 1;
// rsqrt: y * -0.5 / x; cbrt: y / (3x); tan: 1 + y^2;
// erf: exp(-x^2) * 2/sqrt(pi); erf_inv: exp(y^2) * sqrt(pi)/2.
// CHECK-LABEL: func.func private @abs_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.abs %[[X]] : (tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %[[M1:[0-9]+]] = mlax.constant dense<-1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[P1:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[Z:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[GE:[0-9]+]] = mlax.compare GE, %[[X]], %[[Z]]
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.select %[[GE]], %[[P1]], %[[M1]]
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @exp2_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.exp2 %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[LN2:[0-9]+]] = mlax.constant dense<0.693147182> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[Y]], %[[LN2]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @log1p_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.log1p %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[XP1:[0-9]+]] = mlax.add %[[X]], %[[ONE]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE2:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.div %[[ONE2]], %[[XP1]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @expm1_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.expm1 %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.add %[[Y]], %[[ONE]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @rsqrt_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.rsqrt %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[H:[0-9]+]] = mlax.constant dense<-5.000000e-01> : tensor<3xf32>
// CHECK-NEXT:    %[[YH:[0-9]+]] = mlax.mul %[[Y]], %[[H]] : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.div %[[YH]], %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @cbrt_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.cbrt %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[THREE:[0-9]+]] = mlax.constant dense<3.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[X3:[0-9]+]] = mlax.mul %[[X]], %[[THREE]] : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.div %[[Y]], %[[X3]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @tan_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.tan %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[YY:[0-9]+]] = mlax.mul %[[Y]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.add %[[ONE]], %[[YY]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @erf_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.erf %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[XX:[0-9]+]] = mlax.mul %[[X]], %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[NXX:[0-9]+]] = mlax.neg %[[XX]] : tensor<3xf32>
// CHECK-NEXT:    %[[G:[0-9]+]] = mlax.exp %[[NXX]] : tensor<3xf32>
// CHECK-NEXT:    %[[K:[0-9]+]] = mlax.constant dense<1.12837923> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[G]], %[[K]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @erf_inv_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.erf_inv %[[X]] : tensor<3xf32>
// CHECK-NEXT:    %[[YY:[0-9]+]] = mlax.mul %[[Y]], %[[Y]] : tensor<3xf32>
// CHECK-NEXT:    %[[G:[0-9]+]] = mlax.exp %[[YY]] : tensor<3xf32>
// CHECK-NEXT:    %[[K:[0-9]+]] = mlax.constant dense<0.886226952> : tensor<3xf32>
// CHECK-NEXT:    %[[L:[0-9]+]] = mlax.mul %[[G]], %[[K]] : tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @abs(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.abs %x : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @exp2(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.exp2 %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @log1p(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.log1p %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @expm1(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.expm1 %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @rsqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.rsqrt %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @cbrt(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.cbrt %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @tan(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.tan %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @erf(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.erf %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @erf_inv(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.erf_inv %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @unary_req(%x: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.vjp @abs(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %1:2 = mlax.vjp @exp2(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %2:2 = mlax.vjp @log1p(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %3:2 = mlax.vjp @expm1(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %4:2 = mlax.vjp @rsqrt(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %5:2 = mlax.vjp @cbrt(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %6:2 = mlax.vjp @tan(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %7:2 = mlax.vjp @erf(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %8:2 = mlax.vjp @erf_inv(%x, %ct) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1, %1#1, %2#1, %3#1, %4#1, %5#1, %6#1, %7#1, %8#1 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// pow: da = ct * (b * a^(b - 1)); db = ct * (y * log(a)), 0 where a == 0
// (log reads 1 there).
// CHECK-LABEL: func.func private @pow_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>, %[[B:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.pow %[[A]], %[[B]] : tensor<3xf32>
// CHECK-NEXT:    %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[BM1:[0-9]+]] = mlax.sub %[[B]], %[[ONE]] : tensor<3xf32>
// CHECK-NEXT:    %[[P:[0-9]+]] = mlax.pow %[[A]], %[[BM1]] : tensor<3xf32>
// CHECK-NEXT:    %[[LA:[0-9]+]] = mlax.mul %[[B]], %[[P]] : tensor<3xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.mul %[[CT]], %[[LA]] : tensor<3xf32>
// CHECK-NEXT:    %[[Z:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[ISZ:[0-9]+]] = mlax.compare EQ, %[[A]], %[[Z]]
// CHECK-NEXT:    %[[ONE2:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[SAFE:[0-9]+]] = mlax.select %[[ISZ]], %[[ONE2]], %[[A]]
// CHECK-NEXT:    %[[LOG:[0-9]+]] = mlax.log %[[SAFE]] : tensor<3xf32>
// CHECK-NEXT:    %[[LB:[0-9]+]] = mlax.mul %[[Y]], %[[LOG]] : tensor<3xf32>
// CHECK-NEXT:    %[[CB:[0-9]+]] = mlax.mul %[[CT]], %[[LB]] : tensor<3xf32>
// CHECK-NEXT:    %[[Z2:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.select %[[ISZ]], %[[Z2]], %[[CB]]
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @pow(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.pow %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @pow_req(%a: tensor<3xf32>, %b: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mlax.vjp @pow(%a, %b, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// rev: ct reversed along the same dims. slice: ct padded back with zeros
// (low = start, interior = stride - 1, high = the rest: rows 1..2 of 4,
// columns 0 and 3 of 6). concatenate: one slice of ct per input.
// x feeds rev and slice, so its cotangent is their sum.
// CHECK-LABEL: func.func private @shp_vjp_111(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4x6xf32>, %[[A:[a-z0-9]+]]: tensor<2x3xf32>, %[[B:[a-z0-9]+]]: tensor<4x3xf32>, %[[C0:[a-z0-9]+]]: tensor<4x6xf32>, %[[C1:[a-z0-9]+]]: tensor<2x2xf32>, %[[C2:[a-z0-9]+]]: tensor<6x3xf32>)
// CHECK:         %[[Y0:[0-9]+]] = mlax.rev %[[X]], dims = [0, 1] : tensor<4x6xf32>
// CHECK:         %[[Y1:[0-9]+]] = mlax.slice %[[X]], start = [1, 0], limit = [3, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<2x2xf32>
// CHECK:         %[[Y2:[0-9]+]] = mlax.concatenate(%[[A]], %[[B]]) dim = 0
// CHECK:         %[[DA:[0-9]+]] = mlax.slice %[[C2]], start = [0, 0], limit = [2, 3], strides = [1, 1] : (tensor<6x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[DB:[0-9]+]] = mlax.slice %[[C2]], start = [2, 0], limit = [6, 3], strides = [1, 1] : (tensor<6x3xf32>) -> tensor<4x3xf32>
// CHECK:         %[[Z:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<f32>
// CHECK:         %[[PAD:[0-9]+]] = mlax.pad %[[C1]], %[[Z]], low = [1, 0], high = [1, 2], interior = [0, 2] : (tensor<2x2xf32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK:         %[[REV:[0-9]+]] = mlax.rev %[[C0]], dims = [0, 1] : tensor<4x6xf32>
// CHECK:         %[[DX:[0-9]+]] = mlax.add %[[PAD]], %[[REV]] : tensor<4x6xf32>
// CHECK:         return %[[Y0]], %[[Y1]], %[[Y2]], %[[DX]], %[[DA]], %[[DB]]
func.func private @shp(%x: tensor<4x6xf32>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> (tensor<4x6xf32>, tensor<2x2xf32>, tensor<6x3xf32>) {
  %0 = mlax.rev %x, dims = [0, 1] : tensor<4x6xf32>
  %1 = mlax.slice %x, start = [1, 0], limit = [3, 6], strides = [1, 3] : (tensor<4x6xf32>) -> tensor<2x2xf32>
  %2 = mlax.concatenate(%a, %b) dim = 0 : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  return %0, %1, %2 : tensor<4x6xf32>, tensor<2x2xf32>, tensor<6x3xf32>
}
func.func @shp_req(%x: tensor<4x6xf32>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c0: tensor<4x6xf32>, %c1: tensor<2x2xf32>, %c2: tensor<6x3xf32>) -> (tensor<4x6xf32>, tensor<2x3xf32>, tensor<4x3xf32>) {
  %0:6 = mlax.vjp @shp(%x, %a, %b, %c0, %c1, %c2) active = [true, true, true] : (tensor<4x6xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<4x6xf32>, tensor<2x2xf32>, tensor<6x3xf32>) -> (tensor<4x6xf32>, tensor<2x2xf32>, tensor<6x3xf32>, tensor<4x6xf32>, tensor<2x3xf32>, tensor<4x3xf32>)
  return %0#3, %0#4, %0#5 : tensor<4x6xf32>, tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// max: a gets ct where a > b, b where a < b; a tie gives each ct * 0.5.
// CHECK-LABEL: func.func private @max_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4xf32>, %[[B:[a-z0-9]+]]: tensor<4xf32>, %[[CT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.max %[[A]], %[[B]] : tensor<4xf32>
// CHECK-NEXT:    %[[GT:[0-9]+]] = mlax.compare GT, %[[A]], %[[B]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK-NEXT:    %[[EQ:[0-9]+]] = mlax.compare EQ, %[[A]], %[[B]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK-NEXT:    %[[ZERO:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    %[[H:[0-9]+]] = mlax.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-NEXT:    %[[HALF:[0-9]+]] = mlax.mul %[[CT]], %[[H]] : tensor<4xf32>
// CHECK-NEXT:    %[[TA:[0-9]+]] = mlax.select %[[EQ]], %[[HALF]], %[[ZERO]] : tensor<4xi1>, tensor<4xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.select %[[GT]], %[[CT]], %[[TA]] : tensor<4xi1>, tensor<4xf32>
// CHECK-NEXT:    %[[LT:[0-9]+]] = mlax.compare LT, %[[A]], %[[B]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK-NEXT:    %[[TB:[0-9]+]] = mlax.select %[[EQ]], %[[HALF]], %[[ZERO]] : tensor<4xi1>, tensor<4xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.select %[[LT]], %[[CT]], %[[TB]] : tensor<4xi1>, tensor<4xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @max(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.max %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @max_req(%a: tensor<4xf32>, %b: tensor<4xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:3 = mlax.vjp @max(%a, %b, %ct) active = [true, true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// min: the mirror image (a wins where a < b).
// CHECK-LABEL: func.func private @min_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4xf32>, %[[B:[a-z0-9]+]]: tensor<4xf32>, %[[CT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.min %[[A]], %[[B]] : tensor<4xf32>
// CHECK-NEXT:    %[[LT:[0-9]+]] = mlax.compare LT, %[[A]], %[[B]]
// CHECK-NEXT:    %[[EQ:[0-9]+]] = mlax.compare EQ, %[[A]], %[[B]]
// CHECK-NEXT:    %[[ZERO:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    %[[H:[0-9]+]] = mlax.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-NEXT:    %[[HALF:[0-9]+]] = mlax.mul %[[CT]], %[[H]] : tensor<4xf32>
// CHECK-NEXT:    %[[TA:[0-9]+]] = mlax.select %[[EQ]], %[[HALF]], %[[ZERO]]
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.select %[[LT]], %[[CT]], %[[TA]]
// CHECK-NEXT:    %[[GT:[0-9]+]] = mlax.compare GT, %[[A]], %[[B]]
// CHECK-NEXT:    %[[TB:[0-9]+]] = mlax.select %[[EQ]], %[[HALF]], %[[ZERO]]
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.select %[[GT]], %[[CT]], %[[TB]]
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @min(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.min %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @min_req(%a: tensor<4xf32>, %b: tensor<4xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:3 = mlax.vjp @min(%a, %b, %ct) active = [true, true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#0, %0#1, %0#2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// select: on_true gets ct where pred holds, on_false elsewhere; the
// boolean pred gets nothing. A 0-d pred is broadcast to ct's shape first.
// CHECK-LABEL: func.func private @sel_vjp_0011(
// CHECK-SAME:      %[[P:[a-z0-9]+]]: tensor<4xi1>, %[[S:[a-z0-9]+]]: tensor<i1>, %[[A:[a-z0-9]+]]: tensor<4xf32>, %[[B:[a-z0-9]+]]: tensor<4xf32>, %[[C0:[a-z0-9]+]]: tensor<4xf32>, %[[C1:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-SAME:      -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:         %[[Y0:[0-9]+]] = mlax.select %[[P]], %[[A]], %[[B]] : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[Y1:[0-9]+]] = mlax.select %[[S]], %[[A]], %[[B]] : tensor<i1>, tensor<4xf32>
// CHECK:         %[[Z1:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK:         %[[SB:[0-9]+]] = mlax.broadcast_in_dim %[[S]], dims = [] : (tensor<i1>) -> tensor<4xi1>
// CHECK:         %[[A1:[0-9]+]] = mlax.select %[[SB]], %[[C1]], %[[Z1]] : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[B1:[0-9]+]] = mlax.select %[[SB]], %[[Z1]], %[[C1]] : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[Z0:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK:         %[[A0:[0-9]+]] = mlax.select %[[P]], %[[C0]], %[[Z0]] : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[B0:[0-9]+]] = mlax.select %[[P]], %[[Z0]], %[[C0]] : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[DA:[0-9]+]] = mlax.add %[[A1]], %[[A0]] : tensor<4xf32>
// CHECK:         %[[DB:[0-9]+]] = mlax.add %[[B1]], %[[B0]] : tensor<4xf32>
// CHECK:         return %[[Y0]], %[[Y1]], %[[DA]], %[[DB]]
func.func private @sel(%p: tensor<4xi1>, %s: tensor<i1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mlax.select %p, %a, %b : tensor<4xi1>, tensor<4xf32>
  %1 = mlax.select %s, %a, %b : tensor<i1>, tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
func.func @sel_req(%p: tensor<4xi1>, %s: tensor<i1>, %a: tensor<4xf32>, %b: tensor<4xf32>, %c0: tensor<4xf32>, %c1: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:4 = mlax.vjp @sel(%p, %s, %a, %b, %c0, %c1) active = [false, false, true, true] : (tensor<4xi1>, tensor<i1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#2, %0#3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// convert between float types: ct is converted back to the operand's
// element type. No cotangent flows into an integer result.
// CHECK-LABEL: func.func private @conv_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[C0:[a-z0-9]+]]: tensor<4xf16>, %[[C1:[a-z0-9]+]]: tensor<4xi32>)
// CHECK-NEXT:    %[[H:[0-9]+]] = mlax.convert %[[X]] : (tensor<4xf32>) -> tensor<4xf16>
// CHECK-NEXT:    %[[I:[0-9]+]] = mlax.convert %[[X]] : (tensor<4xf32>) -> tensor<4xi32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.convert %[[C0]] : (tensor<4xf16>) -> tensor<4xf32>
// CHECK-NEXT:    return %[[H]], %[[I]], %[[DX]] : tensor<4xf16>, tensor<4xi32>, tensor<4xf32>
func.func private @conv(%x: tensor<4xf32>) -> (tensor<4xf16>, tensor<4xi32>) {
  %0 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xf16>
  %1 = mlax.convert %x : (tensor<4xf32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf16>, tensor<4xi32>
}
func.func @conv_req(%x: tensor<4xf32>, %c0: tensor<4xf16>, %c1: tensor<4xi32>) -> tensor<4xf32> {
  %0:3 = mlax.vjp @conv(%x, %c0, %c1) active = [true] : (tensor<4xf32>, tensor<4xf16>, tensor<4xi32>) -> (tensor<4xf16>, tensor<4xi32>, tensor<4xf32>)
  return %0#2 : tensor<4xf32>
}

// -----

// broadcast_in_dim: ct is summed over the added dimensions and the stretched
// size-1 ones, then reshaped to the operand's shape.
// CHECK-LABEL: func.func private @bcast_vjp_111(
// CHECK-SAME:      %[[S:[a-z0-9]+]]: tensor<f32>, %[[V:[a-z0-9]+]]: tensor<3xf32>, %[[O:[a-z0-9]+]]: tensor<1x3xf32>, %[[C0:[a-z0-9]+]]: tensor<2x3xf32>, %[[C1:[a-z0-9]+]]: tensor<2x3xf32>, %[[C2:[a-z0-9]+]]: tensor<4x3xf32>)
// CHECK:         %[[Y0:[0-9]+]] = mlax.broadcast_in_dim %[[S]], dims = [] : (tensor<f32>) -> tensor<2x3xf32>
// CHECK:         %[[Y1:[0-9]+]] = mlax.broadcast_in_dim %[[V]], dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[Y2:[0-9]+]] = mlax.broadcast_in_dim %[[O]], dims = [0, 1] : (tensor<1x3xf32>) -> tensor<4x3xf32>
// CHECK:         %[[R2:[0-9]+]] = mlax.reduce_sum %[[C2]], axes = [0] : (tensor<4x3xf32>) -> tensor<3xf32>
// CHECK:         %[[DO:[0-9]+]] = mlax.reshape %[[R2]] : (tensor<3xf32>) -> tensor<1x3xf32>
// CHECK:         %[[DV:[0-9]+]] = mlax.reduce_sum %[[C1]], axes = [0] : (tensor<2x3xf32>) -> tensor<3xf32>
// CHECK:         %[[DS:[0-9]+]] = mlax.reduce_sum %[[C0]], axes = [0, 1] : (tensor<2x3xf32>) -> tensor<f32>
// CHECK:         return %[[Y0]], %[[Y1]], %[[Y2]], %[[DS]], %[[DV]], %[[DO]]
func.func private @bcast(%s: tensor<f32>, %v: tensor<3xf32>, %o: tensor<1x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) {
  %0 = mlax.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  %1 = mlax.broadcast_in_dim %v, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  %2 = mlax.broadcast_in_dim %o, dims = [0, 1] : (tensor<1x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>
}
func.func @bcast_req(%s: tensor<f32>, %v: tensor<3xf32>, %o: tensor<1x3xf32>, %c0: tensor<2x3xf32>, %c1: tensor<2x3xf32>, %c2: tensor<4x3xf32>) -> (tensor<f32>, tensor<3xf32>, tensor<1x3xf32>) {
  %0:6 = mlax.vjp @bcast(%s, %v, %o, %c0, %c1, %c2) active = [true, true, true] : (tensor<f32>, tensor<3xf32>, tensor<1x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<f32>, tensor<3xf32>, tensor<1x3xf32>)
  return %0#3, %0#4, %0#5 : tensor<f32>, tensor<3xf32>, tensor<1x3xf32>
}

// -----

// reshape: ct is reshaped back.
// CHECK-LABEL: func.func private @resh_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x3xf32>, %[[CT:[a-z0-9]+]]: tensor<6xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.reshape %[[X]] : (tensor<2x3xf32>) -> tensor<6xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.reshape %[[CT]] : (tensor<6xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @resh(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %0 = mlax.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}
func.func @resh_req(%x: tensor<2x3xf32>, %ct: tensor<6xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @resh(%x, %ct) active = [true] : (tensor<2x3xf32>, tensor<6xf32>) -> (tensor<6xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
}

// -----

// transpose: ct is transposed by the inverse permutation; the inverse of
// [2, 0, 1] is [1, 2, 0].
// CHECK-LABEL: func.func private @tr_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[CT:[a-z0-9]+]]: tensor<4x2x3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.transpose %[[X]], perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.transpose %[[CT]], perm = [1, 2, 0] : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @tr(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = mlax.transpose %x, perm = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}
func.func @tr_req(%x: tensor<2x3x4xf32>, %ct: tensor<4x2x3xf32>) -> tensor<2x3x4xf32> {
  %0:2 = mlax.vjp @tr(%x, %ct) active = [true] : (tensor<2x3x4xf32>, tensor<4x2x3xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>)
  return %0#1 : tensor<2x3x4xf32>
}

// -----

// reduce_sum: ct is broadcast back along the kept dimensions.
// CHECK-LABEL: func.func private @rsum_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.reduce_sum %[[X]], axes = [0, 2] : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.broadcast_in_dim %[[CT]], dims = [1] : (tensor<3xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @rsum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = mlax.reduce_sum %x, axes = [0, 2] : (tensor<2x3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @rsum_req(%x: tensor<2x3x4xf32>, %ct: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %0:2 = mlax.vjp @rsum(%x, %ct) active = [true] : (tensor<2x3x4xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<2x3x4xf32>)
  return %0#1 : tensor<2x3x4xf32>
}

// -----

// reduce_max: ct goes to the positions equal to the maximum, split evenly
// among ties: mask = (x == broadcast(y)), dx = mask * broadcast(ct / sum(mask)).
// CHECK-LABEL: func.func private @rmax_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x3xf32>, %[[CT:[a-z0-9]+]]: tensor<2xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.reduce_max %[[X]], axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %[[YB:[0-9]+]] = mlax.broadcast_in_dim %[[Y]], dims = [0] : (tensor<2xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[EQ:[0-9]+]] = mlax.compare EQ, %[[X]], %[[YB]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT:    %[[MASK:[0-9]+]] = mlax.convert %[[EQ]] : (tensor<2x3xi1>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[CNT:[0-9]+]] = mlax.reduce_sum %[[MASK]], axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %[[SH:[0-9]+]] = mlax.div %[[CT]], %[[CNT]] : tensor<2xf32>
// CHECK-NEXT:    %[[SHB:[0-9]+]] = mlax.broadcast_in_dim %[[SH]], dims = [0] : (tensor<2xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.mul %[[MASK]], %[[SHB]] : tensor<2x3xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @rmax(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = mlax.reduce_max %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @rmax_req(%x: tensor<2x3xf32>, %ct: tensor<2xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @rmax(%x, %ct) active = [true] : (tensor<2x3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
}

// -----

// dot_general as a matmul C = A B: dA = ct B^T, dB = A^T ct, each one
// dot_general already in the operand's layout ([M, K] and [K, N]), so no
// transpose is emitted.
// CHECK-LABEL: func.func private @matmul_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>, %[[B:[a-z0-9]+]]: tensor<3x4xf32>, %[[CT:[a-z0-9]+]]: tensor<2x4xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.dot_general %[[A]], %[[B]], batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.dot_general %[[CT]], %[[B]], batch = [] x [], contract = [1] x [1] : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.dot_general %[[A]], %[[CT]], batch = [] x [], contract = [0] x [0] : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
func.func @matmul_req(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %ct: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<3x4xf32>) {
  %0:3 = mlax.vjp @matmul(%a, %b, %ct) active = [true, true] : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x3xf32>, tensor<3x4xf32>)
  return %0#1, %0#2 : tensor<2x3xf32>, tensor<3x4xf32>
}

// -----

// dot_general with a batch dimension that is not leading in the rhs:
// A[b, m, k] x B[n, k, b] -> C[b, m, n]. dA[b, m, k] = sum_n ct[b, m, n] B[n, k, b]
// and dB = sum_m A[b, m, k] ct[b, m, n], computed as [b, k, n] then
// transposed by [2, 1, 0] into B's layout [n, k, b].
// CHECK-LABEL: func.func private @bmm_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<5x2x3xf32>, %[[B:[a-z0-9]+]]: tensor<4x3x5xf32>, %[[CT:[a-z0-9]+]]: tensor<5x2x4xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.dot_general %[[A]], %[[B]], batch = [0] x [2], contract = [2] x [1] : (tensor<5x2x3xf32>, tensor<4x3x5xf32>) -> tensor<5x2x4xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.dot_general %[[CT]], %[[B]], batch = [0] x [2], contract = [2] x [0] : (tensor<5x2x4xf32>, tensor<4x3x5xf32>) -> tensor<5x2x3xf32>
// CHECK-NEXT:    %[[RB:[0-9]+]] = mlax.dot_general %[[A]], %[[CT]], batch = [0] x [0], contract = [1] x [1] : (tensor<5x2x3xf32>, tensor<5x2x4xf32>) -> tensor<5x3x4xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.transpose %[[RB]], perm = [2, 1, 0] : (tensor<5x3x4xf32>) -> tensor<4x3x5xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @bmm(%a: tensor<5x2x3xf32>, %b: tensor<4x3x5xf32>) -> tensor<5x2x4xf32> {
  %0 = mlax.dot_general %a, %b, batch = [0] x [2], contract = [2] x [1] : (tensor<5x2x3xf32>, tensor<4x3x5xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}
func.func @bmm_req(%a: tensor<5x2x3xf32>, %b: tensor<4x3x5xf32>, %ct: tensor<5x2x4xf32>) -> (tensor<5x2x3xf32>, tensor<4x3x5xf32>) {
  %0:3 = mlax.vjp @bmm(%a, %b, %ct) active = [true, true] : (tensor<5x2x3xf32>, tensor<4x3x5xf32>, tensor<5x2x4xf32>) -> (tensor<5x2x4xf32>, tensor<5x2x3xf32>, tensor<4x3x5xf32>)
  return %0#1, %0#2 : tensor<5x2x3xf32>, tensor<4x3x5xf32>
}

// -----

// dot_general with two contracting dimensions paired out of order:
// A[i, j, k] x B[k, j, n] -> C[i, n] (A's 2 with B's 0, A's 1 with B's 1).
// dA is built as [i, k, j] (B's contracting dims in increasing order) and
// transposed by [0, 2, 1]; dB as [j, k, n] and transposed by [1, 0, 2].
// CHECK-LABEL: func.func private @dg2_vjp_11(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[B:[a-z0-9]+]]: tensor<4x3x5xf32>, %[[CT:[a-z0-9]+]]: tensor<2x5xf32>)
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.dot_general %[[A]], %[[B]], batch = [] x [], contract = [2, 1] x [0, 1]
// CHECK-NEXT:    %[[RA:[0-9]+]] = mlax.dot_general %[[CT]], %[[B]], batch = [] x [], contract = [1] x [2] : (tensor<2x5xf32>, tensor<4x3x5xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT:    %[[DA:[0-9]+]] = mlax.transpose %[[RA]], perm = [0, 2, 1] : (tensor<2x4x3xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %[[RB:[0-9]+]] = mlax.dot_general %[[A]], %[[CT]], batch = [] x [], contract = [0] x [0] : (tensor<2x3x4xf32>, tensor<2x5xf32>) -> tensor<3x4x5xf32>
// CHECK-NEXT:    %[[DB:[0-9]+]] = mlax.transpose %[[RB]], perm = [1, 0, 2] : (tensor<3x4x5xf32>) -> tensor<4x3x5xf32>
// CHECK-NEXT:    return %[[Y]], %[[DA]], %[[DB]]
func.func private @dg2(%a: tensor<2x3x4xf32>, %b: tensor<4x3x5xf32>) -> tensor<2x5xf32> {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [2, 1] x [0, 1] : (tensor<2x3x4xf32>, tensor<4x3x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @dg2_req(%a: tensor<2x3x4xf32>, %b: tensor<4x3x5xf32>, %ct: tensor<2x5xf32>) -> (tensor<2x3x4xf32>, tensor<4x3x5xf32>) {
  %0:3 = mlax.vjp @dg2(%a, %b, %ct) active = [true, true] : (tensor<2x3x4xf32>, tensor<4x3x5xf32>, tensor<2x5xf32>) -> (tensor<2x5xf32>, tensor<2x3x4xf32>, tensor<4x3x5xf32>)
  return %0#1, %0#2 : tensor<2x3x4xf32>, tensor<4x3x5xf32>
}

// -----

// Fan-out: x feeds exp and sin, so its cotangent is the mlax.add of the two
// contributions (ct * cos(x) + ct * exp(x)).
// CHECK-LABEL: func.func private @fan_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[CT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[E:[0-9]+]] = mlax.exp %[[X]] : tensor<4xf32>
// CHECK-NEXT:    %[[S:[0-9]+]] = mlax.sin %[[X]] : tensor<4xf32>
// CHECK-NEXT:    %[[Y:[0-9]+]] = mlax.add %[[E]], %[[S]] : tensor<4xf32>
// CHECK-NEXT:    %[[C:[0-9]+]] = mlax.cos %[[X]] : tensor<4xf32>
// CHECK-NEXT:    %[[DS:[0-9]+]] = mlax.mul %[[CT]], %[[C]] : tensor<4xf32>
// CHECK-NEXT:    %[[DE:[0-9]+]] = mlax.mul %[[CT]], %[[E]] : tensor<4xf32>
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.add %[[DS]], %[[DE]] : tensor<4xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]]
func.func private @fan(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.exp %x : tensor<4xf32>
  %1 = mlax.sin %x : tensor<4xf32>
  %2 = mlax.add %0, %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
func.func @fan_req(%x: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.vjp @fan(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// Fan-out at the results: the same value returned twice gets the sum of
// both result cotangents.
// CHECK-LABEL: func.func private @dup_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<f32>, %[[C0:[a-z0-9]+]]: tensor<f32>, %[[C1:[a-z0-9]+]]: tensor<f32>)
// CHECK-NEXT:    %[[DX:[0-9]+]] = mlax.add %[[C0]], %[[C1]] : tensor<f32>
// CHECK-NEXT:    return %[[X]], %[[X]], %[[DX]]
func.func private @dup(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %x, %x : tensor<f32>, tensor<f32>
}
func.func @dup_req(%x: tensor<f32>, %c0: tensor<f32>, %c1: tensor<f32>) -> tensor<f32> {
  %0:3 = mlax.vjp @dup(%x, %c0, %c1) active = [true] : (tensor<f32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>, tensor<f32>)
  return %0#2 : tensor<f32>
}

// -----

// Integer values are inactive: the integer argument %n only feeds a compare
// and an integer add, so no op reads the integer result's cotangent (%arg4)
// and no cotangent is built for %n. %u is active but unused: its cotangent
// is a zero constant. With %n active too (a second mask, hence a second
// generated function, inserted right after the callee like every generated
// function), its cotangent is an integer zero.
// CHECK-LABEL: func.func private @ints_vjp_111(
// CHECK-SAME:      %arg4: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>)
// CHECK-NOT:     %arg4
// CHECK:         %[[DN:[0-9]+]] = mlax.constant dense<0> : tensor<4xi32>
// CHECK-NEXT:    %[[DU:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    return %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %[[DN]], %[[DU]] : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>
// CHECK-LABEL: func.func private @ints_vjp_101(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[N:[a-z0-9]+]]: tensor<4xi32>, %[[U:[a-z0-9]+]]: tensor<4xf32>, %[[C0:[a-z0-9]+]]: tensor<4xf32>, %[[C1:[a-z0-9]+]]: tensor<4xi32>)
// CHECK-SAME:      -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NOT:     %[[C1]]
// CHECK:         %[[I:[0-9]+]] = mlax.iota dim = 0 : tensor<4xi32>
// CHECK:         %[[P:[0-9]+]] = mlax.compare LT, %[[N]], %[[I]]
// CHECK:         %[[Y0:[0-9]+]] = mlax.select %[[P]], %[[X]], %{{[0-9]+}} : tensor<4xi1>, tensor<4xf32>
// CHECK:         %[[Y1:[0-9]+]] = mlax.add %[[N]], %[[I]] : tensor<4xi32>
// CHECK-NOT:     %[[C1]]
// CHECK:         %[[DX:[0-9]+]] = mlax.select %[[P]], %[[C0]], %{{[0-9]+}} : tensor<4xi1>, tensor<4xf32>
// CHECK-NOT:     %[[C1]]
// CHECK:         %[[DU:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    return %[[Y0]], %[[Y1]], %[[DX]], %[[DU]] : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>
// CHECK-LABEL: func.func @ints_req(
// CHECK:         call @ints_vjp_101(
// CHECK:         call @ints_vjp_111(
func.func private @ints(%x: tensor<4xf32>, %n: tensor<4xi32>, %u: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %zero = mlax.constant dense<0.0> : tensor<4xf32>
  %i = mlax.iota dim = 0 : tensor<4xi32>
  %p = mlax.compare LT, %n, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %0 = mlax.select %p, %x, %zero : tensor<4xi1>, tensor<4xf32>
  %1 = mlax.add %n, %i : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}
func.func @ints_req(%x: tensor<4xf32>, %n: tensor<4xi32>, %u: tensor<4xf32>, %c0: tensor<4xf32>, %c1: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) {
  %0:4 = mlax.vjp @ints(%x, %n, %u, %c0, %c1) active = [true, false, true] : (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>)
  %1:5 = mlax.vjp @ints(%x, %n, %u, %c0, %c1) active = [true, true, true] : (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>)
  return %0#2, %0#3, %1#3 : tensor<4xf32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// stop_gradient: no cotangent flows through it. For x * stop_gradient(y),
// dy is zero; for x * stop_gradient(x), dx is ct * stop_gradient(x) alone
// (no mlax.add of a second contribution).
// CHECK-LABEL: func.func private @sg_vjp_11(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[Y:[a-z0-9]+]]: tensor<4xf32>, %[[CT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK:         %[[S:[0-9]+]] = mlax.stop_gradient %[[Y]] : tensor<4xf32>
// CHECK:         %[[R:[0-9]+]] = mlax.mul %[[X]], %[[S]] : tensor<4xf32>
// CHECK:         %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[S]] : tensor<4xf32>
// CHECK-NOT:     mlax.add
// CHECK:         %[[DY:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT:    return %[[R]], %[[DX]], %[[DY]]
// CHECK-LABEL: func.func private @sgx_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[CT:[a-z0-9]+]]: tensor<4xf32>)
// CHECK:         %[[S:[0-9]+]] = mlax.stop_gradient %[[X]] : tensor<4xf32>
// CHECK:         %[[R:[0-9]+]] = mlax.mul %[[X]], %[[S]] : tensor<4xf32>
// CHECK:         %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[S]] : tensor<4xf32>
// CHECK-NOT:     mlax.add
// CHECK:         return %[[R]], %[[DX]]
func.func private @sg(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.stop_gradient %y : tensor<4xf32>
  %1 = mlax.mul %x, %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}
func.func private @sgx(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.stop_gradient %x : tensor<4xf32>
  %1 = mlax.mul %x, %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}
func.func @sg_req(%x: tensor<4xf32>, %y: tensor<4xf32>, %ct: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:3 = mlax.vjp @sg(%x, %y, %ct) active = [true, true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  %1:2 = mlax.vjp @sgx(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1, %0#2, %1#1 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Ops that receive no cotangent need no rule: arith.mulf (other dialects
// have no rules) sits behind a stop_gradient, and arith.addf only feeds an
// integer result. Only the mlax.mul's rule runs.
// CHECK-LABEL: func.func private @shielded_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<4xf32>, %[[C0:[a-z0-9]+]]: tensor<4xf32>, %[[C1:[a-z0-9]+]]: tensor<4xi32>)
// CHECK:         %[[M:[0-9]+]] = arith.mulf %[[X]], %[[X]] : tensor<4xf32>
// CHECK:         %[[S:[0-9]+]] = mlax.stop_gradient %[[M]] : tensor<4xf32>
// CHECK:         %[[Y:[0-9]+]] = mlax.mul %[[X]], %[[S]] : tensor<4xf32>
// CHECK:         %[[A:[0-9]+]] = arith.addf %[[X]], %[[X]] : tensor<4xf32>
// CHECK:         %[[I:[0-9]+]] = mlax.convert %[[A]] : (tensor<4xf32>) -> tensor<4xi32>
// CHECK:         %[[DX:[0-9]+]] = mlax.mul %[[C0]], %[[S]] : tensor<4xf32>
// CHECK:         return %[[Y]], %[[I]], %[[DX]]
func.func private @shielded(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = arith.mulf %x, %x : tensor<4xf32>
  %1 = mlax.stop_gradient %0 : tensor<4xf32>
  %2 = mlax.mul %x, %1 : tensor<4xf32>
  %3 = arith.addf %x, %x : tensor<4xf32>
  %4 = mlax.convert %3 : (tensor<4xf32>) -> tensor<4xi32>
  return %2, %4 : tensor<4xf32>, tensor<4xi32>
}
func.func @shielded_req(%x: tensor<4xf32>, %c0: tensor<4xf32>, %c1: tensor<4xi32>) -> tensor<4xf32> {
  %0:3 = mlax.vjp @shielded(%x, %c0, %c1) active = [true] : (tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>)
  return %0#2 : tensor<4xf32>
}

// -----

// A callee's func.calls are inlined into the forward sweep, so the
// generated function holds no call and differentiates through @inner.
// CHECK-LABEL: func.func private @outer_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2xbf16>, %[[CT:[a-z0-9]+]]: tensor<2xbf16>)
// CHECK-NOT:     call
// CHECK:         %[[T:[0-9]+]] = mlax.tanh %[[X]] : tensor<2xbf16>
// CHECK:         %[[Y:[0-9]+]] = mlax.mul %[[T]], %[[X]] : tensor<2xbf16>
// CHECK:         %[[DT:[0-9]+]] = mlax.mul %[[CT]], %[[X]] : tensor<2xbf16>
// CHECK:         %[[D0:[0-9]+]] = mlax.mul %[[T]], %[[CT]] : tensor<2xbf16>
// CHECK:         %[[TT:[0-9]+]] = mlax.mul %[[T]], %[[T]] : tensor<2xbf16>
// CHECK:         %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<2xbf16>
// CHECK:         %[[L:[0-9]+]] = mlax.sub %[[ONE]], %[[TT]] : tensor<2xbf16>
// CHECK:         %[[D1:[0-9]+]] = mlax.mul %[[DT]], %[[L]] : tensor<2xbf16>
// CHECK:         %[[DX:[0-9]+]] = mlax.add %[[D0]], %[[D1]] : tensor<2xbf16>
// CHECK:         return %[[Y]], %[[DX]]
func.func private @inner(%x: tensor<2xbf16>) -> tensor<2xbf16> {
  %0 = mlax.tanh %x : tensor<2xbf16>
  return %0 : tensor<2xbf16>
}
func.func private @outer(%x: tensor<2xbf16>) -> tensor<2xbf16> {
  %0 = call @inner(%x) : (tensor<2xbf16>) -> tensor<2xbf16>
  %1 = mlax.mul %0, %x : tensor<2xbf16>
  return %1 : tensor<2xbf16>
}
func.func @outer_req(%x: tensor<2xbf16>, %ct: tensor<2xbf16>) -> tensor<2xbf16> {
  %0:2 = mlax.vjp @outer(%x, %ct) active = [true] : (tensor<2xbf16>, tensor<2xbf16>) -> (tensor<2xbf16>, tensor<2xbf16>)
  return %0#1 : tensor<2xbf16>
}

// -----

// Two identical requests share one generated function; a request whose
// operand is the other's result is still just a call.
// CHECK-LABEL: func.func private @f_vjp_1(
// CHECK-NOT:   func.func private @f_vjp_1(
// CHECK-LABEL: func.func @two(
// CHECK-NOT:     mlax.vjp
// CHECK:         %[[R0:[0-9]+]]:2 = call @f_vjp_1(%arg0, %arg1)
// CHECK:         %[[R1:[0-9]+]]:2 = call @f_vjp_1(%arg0, %arg1)
// CHECK:         %[[R2:[0-9]+]]:2 = call @f_vjp_1(%[[R0]]#1, %arg1)
// CHECK:         return %[[R0]]#1, %[[R1]]#1, %[[R2]]#1
func.func private @f(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.exp %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func @two(%x: tensor<f32>, %c: tensor<f32>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @f(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  %1:2 = mlax.vjp @f(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  %2:2 = mlax.vjp @f(%0#1, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1, %1#1, %2#1 : tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// Grad of grad: @dcube holds a request for @cube's derivative. That inner
// request is expanded first (@cube_vjp_1, called from @dcube); then
// @dcube_vjp_1 inlines @cube_vjp_1 into its forward sweep and
// differentiates the inner adjoint 1 * (3 * x^2): the result is
// (3 * (1 * ct)) * (2 * x^1) = 6x * ct.
// CHECK-LABEL: func.func private @cube(
// CHECK-LABEL: func.func private @cube_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<f32>, %[[CT:[a-z0-9]+]]: tensor<f32>)
// CHECK:         %[[Y:[0-9]+]] = mlax.integer_pow %[[X]], 3 : tensor<f32>
// CHECK:         %[[P:[0-9]+]] = mlax.integer_pow %[[X]], 2 : tensor<f32>
// CHECK:         %[[N:[0-9]+]] = mlax.constant dense<3.000000e+00> : tensor<f32>
// CHECK:         %[[L:[0-9]+]] = mlax.mul %[[N]], %[[P]] : tensor<f32>
// CHECK:         %[[DX:[0-9]+]] = mlax.mul %[[CT]], %[[L]] : tensor<f32>
// CHECK:         return %[[Y]], %[[DX]]
// CHECK-LABEL: func.func private @dcube(
// CHECK-NOT:     mlax.vjp
// CHECK:         %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[R:[0-9]+]]:2 = call @cube_vjp_1(%arg0, %[[ONE]])
// CHECK:         return %[[R]]#1
// CHECK-LABEL: func.func private @dcube_vjp_1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<f32>, %[[CT:[a-z0-9]+]]: tensor<f32>)
// CHECK-NOT:     call
// CHECK:         %[[ONE:[0-9]+]] = mlax.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[P:[0-9]+]] = mlax.integer_pow %[[X]], 2 : tensor<f32>
// CHECK:         %[[N:[0-9]+]] = mlax.constant dense<3.000000e+00> : tensor<f32>
// CHECK:         %[[L:[0-9]+]] = mlax.mul %[[N]], %[[P]] : tensor<f32>
// CHECK:         %[[D:[0-9]+]] = mlax.mul %[[ONE]], %[[L]] : tensor<f32>
// CHECK:         %[[CT1:[0-9]+]] = mlax.mul %[[ONE]], %[[CT]] : tensor<f32>
// CHECK:         %[[CTL:[0-9]+]] = mlax.mul %[[N]], %[[CT1]] : tensor<f32>
// CHECK:         %[[P1:[0-9]+]] = mlax.integer_pow %[[X]], 1 : tensor<f32>
// CHECK:         %[[TWO:[0-9]+]] = mlax.constant dense<2.000000e+00> : tensor<f32>
// CHECK:         %[[L1:[0-9]+]] = mlax.mul %[[TWO]], %[[P1]] : tensor<f32>
// CHECK:         %[[DDX:[0-9]+]] = mlax.mul %[[CTL]], %[[L1]] : tensor<f32>
// CHECK:         return %[[D]], %[[DDX]]
// CHECK-LABEL: func.func @ddcube(
// CHECK-NOT:     mlax.vjp
// CHECK:         call @dcube_vjp_1(%arg0, %arg1)
func.func private @cube(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.integer_pow %x, 3 : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @dcube(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  %0:2 = mlax.vjp @cube(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
func.func @ddcube(%x: tensor<f32>, %c: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @dcube(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

// A request reached through a call is expanded first, whatever the order of
// the functions in the module.
// CHECK-LABEL: func.func @request_behind_call
// CHECK: call @g_vjp_1
// CHECK-NOT: mlax.vjp
func.func private @f(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @g(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @h(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @request_behind_call(%x: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @g(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
func.func private @h(%x: tensor<f32>) -> tensor<f32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  %0:2 = mlax.vjp @f(%x, %one) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// A user function that happens to have the generated name is not reused:
// the generated one gets a unique name and the derivative_of mark.
// CHECK-LABEL: func.func private @f_vjp_1_0
// CHECK-SAME: attributes {mlax.derivative_of = @f}
// CHECK: mlax.cos
// CHECK-LABEL: func.func @name_clash
// CHECK: call @f_vjp_1_0
func.func private @f(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @f_vjp_1(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @name_clash(%x: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @f(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// Forward mode: tangents follow the program order, each op's right after
// it; the JVP of sin is t * cos(x), of mul the product rule.
// CHECK-LABEL: func.func private @fj_jvp_1
// CHECK: %[[S:.*]] = mlax.sin %arg0
// CHECK: %[[C:.*]] = mlax.cos %arg0
// CHECK: %[[TS:.*]] = mlax.mul %arg1, %[[C]]
// CHECK: %[[P:.*]] = mlax.mul %[[S]], %arg0
// CHECK-DAG: %[[B:.*]] = mlax.mul %[[S]], %arg1
// CHECK-DAG: %[[A:.*]] = mlax.mul %[[TS]], %arg0
// CHECK: %[[T:.*]] = mlax.add %[[A]], %[[B]]
// CHECK: return %[[P]], %[[T]]
// CHECK-LABEL: func.func @jvp_request
// CHECK: call @fj_jvp_1(%arg0, %arg1)
func.func private @fj(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sin %x : tensor<3xf32>
  %1 = mlax.mul %0, %x : tensor<3xf32>
  return %1 : tensor<3xf32>
}
func.func @jvp_request(%x: tensor<3xf32>, %t: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = mlax.jvp @fj(%x, %t) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Checkpointing: a call to an `mlax.remat` function stays a call in the
// forward sweep, and its cotangent comes from a derivative request for the
// callee, which recomputes the callee's body (@blk_vjp_1 holds the tanh
// again) instead of keeping its intermediates. Its inputs and cotangent go
// through one optimization barrier, so CSE cannot merge the recomputation
// back into the forward sweep once calls are inlined.
// CHECK-LABEL: func.func private @blk_vjp_1
// CHECK: mlax.tanh
// CHECK-LABEL: func.func private @outer_vjp_1
// CHECK: %[[FWD:.*]] = call @blk(%arg0)
// CHECK: %[[B:.*]]:2 = mlax.optimization_barrier %arg0, %{{.*}} : tensor<3xf32>, tensor<3xf32>
// CHECK: call @blk_vjp_1(%[[B]]#0, %[[B]]#1)
// CHECK-NOT: mlax.vjp
func.func private @blk(%x: tensor<3xf32>) -> tensor<3xf32> attributes {mlax.remat} {
  %0 = mlax.tanh %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @outer(%x: tensor<3xf32>) -> tensor<f32> {
  %0 = call @blk(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %1 = mlax.reduce_sum %0, axes = [0] : (tensor<3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}
func.func @remat(%x: tensor<3xf32>, %c: tensor<f32>) -> tensor<3xf32> {
  %0:2 = mlax.vjp @outer(%x, %c) active = [true] : (tensor<3xf32>, tensor<f32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

// custom_vjp: the reverse sweep calls the user's fwd (residuals) and bwd.
// CHECK-LABEL: func.func private @cv_user_vjp_1
// CHECK: %[[F:.*]]:2 = call @cv_fwd(%arg0)
// CHECK: %[[B:.*]] = call @cv_bwd(%[[F]]#1, %arg1)
// CHECK: return %{{.*}}, %[[B]]
func.func private @cv(%x: tensor<f32>) -> tensor<f32> attributes {mlax.custom_vjp_fwd = @cv_fwd, mlax.custom_vjp_bwd = @cv_bwd} {
  %0 = mlax.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cv_fwd(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = mlax.sin %x : tensor<f32>
  %1 = mlax.cos %x : tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
func.func private @cv_bwd(%r: tensor<f32>, %g: tensor<f32>) -> tensor<f32> {
  %0 = mlax.mul %r, %g : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cv_user(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @cv(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @custom_vjp(%x: tensor<f32>, %c: tensor<f32>) -> tensor<f32> {
  %0:2 = mlax.vjp @cv_user(%x, %c) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// custom_jvp: forward mode calls the rule; reverse mode transposes it with
// a derivative request for the rule (tangent inputs active, primal ones not).
// CHECK-LABEL: func.func private @cj_user_vjp_1
// CHECK: call @cj_rule_vjp_01
// CHECK-LABEL: func.func private @cj_user_jvp_1
// CHECK: call @cj_rule(%arg0, %arg1)
func.func private @cj(%x: tensor<f32>) -> tensor<f32> attributes {mlax.custom_jvp = @cj_rule} {
  %0 = mlax.exp %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cj_rule(%x: tensor<f32>, %t: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = mlax.exp %x : tensor<f32>
  %1 = mlax.mul %t, %0 : tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
func.func private @cj_user(%x: tensor<f32>) -> tensor<f32> {
  %0 = call @cj(%x) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @custom_jvp(%x: tensor<f32>, %t: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.jvp @cj_user(%x, %t) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  %1:2 = mlax.vjp @cj_user(%x, %t) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1, %1#1 : tensor<f32>, tensor<f32>
}

// -----

// Forward mode of a dot_general whose operands are one value: each term
// replaces one operand by the tangent (t.x + x.t), not both.
// CHECK-LABEL: func.func private @sq_jvp_1
// CHECK-DAG: %[[A:.*]] = mlax.dot_general %arg1, %arg0
// CHECK-DAG: %[[B:.*]] = mlax.dot_general %arg0, %arg1
// CHECK: mlax.add
func.func private @sq(%x: tensor<3xf32>) -> tensor<f32> {
  %0 = mlax.dot_general %x, %x, batch = [] x [], contract = [0] x [0] : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @dot_same_operand_jvp(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<f32> {
  %0:2 = mlax.jvp @sq(%x, %t) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// Forward mode, elementwise family: exp's tangent reuses the primal exp;
// div with an inactive divisor is t / y (no quotient-rule term for y).
// CHECK-LABEL: func.func private @unary_binary_jvp_10(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[Y:[a-z0-9]+]]: tensor<3xf32>, %[[T:[a-z0-9]+]]: tensor<3xf32>)
// CHECK:         %[[E:.*]] = mlax.exp %[[X]]
// CHECK:         %[[TE:.*]] = mlax.mul %[[T]], %[[E]]
// CHECK:         %[[Q:.*]] = mlax.div %[[E]], %[[Y]]
// CHECK:         %[[TQ:.*]] = mlax.div %[[TE]], %[[Y]]
// CHECK-NOT:     mlax.
// CHECK:         return %[[Q]], %[[TQ]]
// CHECK-LABEL: func.func @jvp_unary_binary
// CHECK:         call @unary_binary_jvp_10(%arg0, %arg1, %arg2)
func.func private @unary_binary(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.exp %x : tensor<3xf32>
  %1 = mlax.div %0, %y : tensor<3xf32>
  return %1 : tensor<3xf32>
}
func.func @jvp_unary_binary(%x: tensor<3xf32>, %y: tensor<3xf32>, %tx: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = mlax.jvp @unary_binary(%x, %y, %tx) active = [true, false] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

// Forward mode, comparison/select family: select picks the tangent with
// the primal's predicate; max splits ties evenly, as JAX does.
// CHECK-LABEL: func.func private @select_max_jvp_11(
// CHECK:         %[[P:.*]] = mlax.compare GT, %arg0, %arg1
// CHECK:         %[[S:.*]] = mlax.select %[[P]], %arg0, %arg1
// CHECK:         %[[TS:.*]] = mlax.select %[[P]], %arg2, %arg3
// CHECK:         %[[M:.*]] = mlax.max %[[S]], %arg0
// CHECK:         %[[GT:.*]] = mlax.compare GT, %[[S]], %arg0
// CHECK:         %[[EQ:.*]] = mlax.compare EQ, %[[S]], %arg0
// CHECK:         %[[HALF:.*]] = mlax.constant dense<5.000000e-01>
// CHECK:         %[[SUM:.*]] = mlax.add %[[TS]], %arg2
// CHECK:         %[[AVG:.*]] = mlax.mul %[[SUM]], %[[HALF]]
// CHECK:         %[[TIE:.*]] = mlax.select %[[EQ]], %[[AVG]], %arg2
// CHECK:         %[[TM:.*]] = mlax.select %[[GT]], %[[TS]], %[[TIE]]
// CHECK:         return %[[M]], %[[TM]]
func.func private @select_max(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.compare GT, %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %1 = mlax.select %0, %x, %y : tensor<3xi1>, tensor<3xf32>
  %2 = mlax.max %1, %x : tensor<3xf32>
  return %2 : tensor<3xf32>
}
func.func @jvp_select_max(%x: tensor<3xf32>, %y: tensor<3xf32>, %tx: tensor<3xf32>, %ty: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = mlax.jvp @select_max(%x, %y, %tx, %ty) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

// Forward mode, shape family: each linear shape op applies itself to the
// tangent, with the same attributes.
// CHECK-LABEL: func.func private @shapes_jvp_1(
// CHECK:         %[[T0:.*]] = mlax.transpose %arg1, perm = [1, 0]
// CHECK:         %[[T1:.*]] = mlax.reshape %[[T0]] : (tensor<3x2xf32>) -> tensor<6xf32>
// CHECK:         %[[T2:.*]] = mlax.slice %[[T1]], start = [0], limit = [6], strides = [2]
// CHECK:         %[[T3:.*]] = mlax.broadcast_in_dim %[[T2]], dims = [0]
// CHECK:         %[[T4:.*]] = mlax.concatenate(%[[T3]], %[[T0]]) dim = 1
// CHECK:         return %{{.*}}, %[[T4]]
func.func private @shapes(%x: tensor<2x3xf32>) -> tensor<3x4xf32> {
  %0 = mlax.transpose %x, perm = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = mlax.reshape %0 : (tensor<3x2xf32>) -> tensor<6xf32>
  %2 = mlax.slice %1, start = [0], limit = [6], strides = [2] : (tensor<6xf32>) -> tensor<3xf32>
  %3 = mlax.broadcast_in_dim %2, dims = [0] : (tensor<3xf32>) -> tensor<3x2xf32>
  %4 = mlax.concatenate(%3, %0) dim = 1 : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %4 : tensor<3x4xf32>
}
func.func @jvp_shapes(%x: tensor<2x3xf32>, %t: tensor<2x3xf32>) -> tensor<3x4xf32> {
  %0:2 = mlax.jvp @shapes(%x, %t) active = [true] : (tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>)
  return %0#1 : tensor<3x4xf32>
}

// -----

// Forward mode, reduction family: reduce_sum of the tangent; reduce_max
// averages the tangent over the positions equal to the maximum (JAX's rule).
// CHECK-LABEL: func.func private @reductions_jvp_1(
// CHECK:         %[[TSUM:.*]] = mlax.reduce_sum %arg1, axes = [1]
// CHECK:         %[[MAX:.*]] = mlax.reduce_max %arg0, axes = [1]
// CHECK:         %[[B:.*]] = mlax.broadcast_in_dim %[[MAX]], dims = [0]
// CHECK:         %[[AT:.*]] = mlax.compare EQ, %arg0, %[[B]]
// CHECK:         %[[ATF:.*]] = mlax.convert %[[AT]] : (tensor<2x3xi1>) -> tensor<2x3xf32>
// CHECK:         %[[COUNT:.*]] = mlax.reduce_sum %[[ATF]], axes = [1]
// CHECK:         %[[PICK:.*]] = mlax.mul %[[ATF]], %arg1
// CHECK:         %[[PSUM:.*]] = mlax.reduce_sum %[[PICK]], axes = [1]
// CHECK:         %[[TMAX:.*]] = mlax.div %[[PSUM]], %[[COUNT]]
// CHECK:         %[[T:.*]] = mlax.add %[[TSUM]], %[[TMAX]]
// CHECK:         return %{{.*}}, %[[T]]
func.func private @reductions(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = mlax.reduce_sum %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = mlax.reduce_max %x, axes = [1] : (tensor<2x3xf32>) -> tensor<2xf32>
  %2 = mlax.add %0, %1 : tensor<2xf32>
  return %2 : tensor<2xf32>
}
func.func @jvp_reductions(%x: tensor<2x3xf32>, %t: tensor<2x3xf32>) -> tensor<2xf32> {
  %0:2 = mlax.jvp @reductions(%x, %t) active = [true] : (tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#1 : tensor<2xf32>
}

// -----

// Forward mode, indexing family: dynamic_slice/dynamic_update_slice reuse
// the primal's (integer, inactive) start indices; pad pads the tangent with
// the padding value's tangent, zero here as the value is a constant.
// CHECK-LABEL: func.func private @indexing_jvp_100(
// CHECK:         %[[TS:.*]] = mlax.dynamic_slice %arg3[%arg2], sizes = [2]
// CHECK:         %[[TM:.*]] = mlax.mul %[[TS]], %arg1
// CHECK:         %[[TU:.*]] = mlax.dynamic_update_slice %arg3[%arg2], %[[TM]]
// CHECK:         mlax.pad %{{.*}}, low = [1]
// CHECK:         %[[Z:.*]] = mlax.constant dense<0.000000e+00> : tensor<f32>
// CHECK:         %[[TP:.*]] = mlax.pad %[[TU]], %[[Z]], low = [1], high = [0], interior = [0]
// CHECK:         return %{{.*}}, %[[TP]]
func.func private @indexing(%x: tensor<5xf32>, %u: tensor<2xf32>, %i: tensor<i32>) -> tensor<6xf32> {
  %0 = mlax.dynamic_slice %x[%i], sizes = [2] : (tensor<5xf32>, tensor<i32>) -> tensor<2xf32>
  %1 = mlax.mul %0, %u : tensor<2xf32>
  %2 = mlax.dynamic_update_slice %x[%i], %1 : (tensor<5xf32>, tensor<2xf32>, tensor<i32>) -> tensor<5xf32>
  %c = mlax.constant dense<0.000000e+00> : tensor<f32>
  %3 = mlax.pad %2, %c, low = [1], high = [0], interior = [0] : (tensor<5xf32>, tensor<f32>) -> tensor<6xf32>
  return %3 : tensor<6xf32>
}
func.func @jvp_indexing(%x: tensor<5xf32>, %u: tensor<2xf32>, %i: tensor<i32>, %tx: tensor<5xf32>) -> tensor<6xf32> {
  %0:2 = mlax.jvp @indexing(%x, %u, %i, %tx) active = [true, false, false] : (tensor<5xf32>, tensor<2xf32>, tensor<i32>, tensor<5xf32>) -> (tensor<6xf32>, tensor<6xf32>)
  return %0#1 : tensor<6xf32>
}

// -----

// grad of vmap: a request whose callee holds an mlax.batch waits for
// mlax-batch (no diagnostic); alternating the passes expands both.
// CHECK-LABEL: func.func @waits_for_batch(
// CHECK:         mlax.vjp @h(%arg0, %arg1) active = [true]
func.func private @g(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sin %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @h(%xs: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.batch @g(%xs) in_axes = [0] out_axes = [0] size = 2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @waits_for_batch(%xs: tensor<2x3xf32>, %ct: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0:2 = mlax.vjp @h(%xs, %ct) active = [true] : (tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return %0#1 : tensor<2x3xf32>
}

// -----

// Ops with the ZeroDerivative trait (bitcast_convert, floor, sign, ...) stop
// tangents in forward mode: the tangent of @zd is a zero constant, with no
// rule applied to the bitcast.
// CHECK-LABEL: func.func private @zd_jvp_1(
// CHECK-NOT: mlax.mul
// CHECK: %[[Z:.*]] = mlax.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: return %{{.*}}, %[[Z]]
func.func private @zd(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.bitcast_convert %x : (tensor<4xf32>) -> tensor<4xi32>
  %1 = mlax.bitcast_convert %0 : (tensor<4xi32>) -> tensor<4xf32>
  %2 = mlax.floor %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
func.func @zero_derivative_jvp(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.jvp @zd(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// Collectives (SpmdDerivatives.cpp): the linear ones are their own JVP and
// transpose as JAX defines: psum -> psum, all_gather -> psum_scatter,
// psum_scatter -> all_gather, all_to_all -> all_to_all (dimensions
// swapped), ppermute -> ppermute (pairs inverted).
// CHECK-LABEL: func.func private @coll_vjp_{{[0-9]+}}(
// CHECK-DAG:     mlax.ppermute %{{.*}} over ["i"] sizes [4] pairs = [1, 0, 2, 1, 3, 2, 0, 3]
// CHECK-DAG:     mlax.all_to_all %{{.*}} over ["i"] sizes [4] split = 1 concat = 0 : (tensor<2x12xf32>) -> tensor<8x3xf32>
// CHECK-DAG:     mlax.all_gather %{{.*}} over ["i"] sizes [4] dim = 0 tiled = true : (tensor<2x3xf32>) -> tensor<8x3xf32>
// CHECK-DAG:     mlax.psum_scatter %{{.*}} over ["i"] sizes [4] dim = 0 tiled = false : (tensor<4x8x3xf32>) -> tensor<8x3xf32>
// CHECK-DAG:     mlax.psum sum, %{{.*}} over ["i"] sizes [4] : tensor<8x3xf32>
func.func private @coll(%x: tensor<8x3xf32>) -> (tensor<8x3xf32>, tensor<4x8x3xf32>, tensor<2x3xf32>, tensor<2x12xf32>, tensor<8x3xf32>) {
  %0 = mlax.psum sum, %x over ["i"] sizes [4] : tensor<8x3xf32>
  %1 = mlax.all_gather %x over ["i"] sizes [4] dim = 0 tiled = false : (tensor<8x3xf32>) -> tensor<4x8x3xf32>
  %2 = mlax.psum_scatter %x over ["i"] sizes [4] dim = 0 tiled = true : (tensor<8x3xf32>) -> tensor<2x3xf32>
  %3 = mlax.all_to_all %x over ["i"] sizes [4] split = 0 concat = 1 : (tensor<8x3xf32>) -> tensor<2x12xf32>
  %4 = mlax.ppermute %x over ["i"] sizes [4] pairs = [0, 1, 1, 2, 2, 3, 3, 0] : tensor<8x3xf32>
  return %0, %1, %2, %3, %4 : tensor<8x3xf32>, tensor<4x8x3xf32>, tensor<2x3xf32>, tensor<2x12xf32>, tensor<8x3xf32>
}
func.func @coll_grad(%x: tensor<8x3xf32>, %c0: tensor<8x3xf32>, %c1: tensor<4x8x3xf32>, %c2: tensor<2x3xf32>, %c3: tensor<2x12xf32>, %c4: tensor<8x3xf32>) -> tensor<8x3xf32> {
  %0:6 = mlax.vjp @coll(%x, %c0, %c1, %c2, %c3, %c4) active = [true] : (tensor<8x3xf32>, tensor<8x3xf32>, tensor<4x8x3xf32>, tensor<2x3xf32>, tensor<2x12xf32>, tensor<8x3xf32>) -> (tensor<8x3xf32>, tensor<4x8x3xf32>, tensor<2x3xf32>, tensor<2x12xf32>, tensor<8x3xf32>, tensor<8x3xf32>)
  return %0#5 : tensor<8x3xf32>
}

// -----

// JVP of a collective: the op on the tangent.
// CHECK-LABEL: func.func private @ag_jvp_{{[0-9]+}}(
// CHECK:         mlax.all_gather %arg0
// CHECK:         mlax.all_gather %arg1 over ["i"] sizes [2] dim = 0 tiled = true
func.func private @ag(%x: tensor<3xf32>) -> tensor<6xf32> {
  %0 = mlax.all_gather %x over ["i"] sizes [2] dim = 0 tiled = true : (tensor<3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}
func.func @ag_jvp(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<6xf32> {
  %0:2 = mlax.jvp @ag(%x, %t) active = [true] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<6xf32>, tensor<6xf32>)
  return %0#1 : tensor<6xf32>
}

// -----

// shard_map in reverse mode: a shard_map of the callee's VJP request; a
// result replicated over the mesh has its cotangent divided by the axis
// size (its copies are one value), an argument replicated over it gets a
// psum of its per-device cotangents.
// CHECK-LABEL: func.func private @sm_vjp_{{[0-9]+}}(
// CHECK:         mlax.shard_map @body_shard_vjp(%arg0, %arg1, %arg2) mesh = ["i"] shape = [4] in_specs = {{\[\[\["i"\], \[\]\], \[\[\], \[\]\], \[\[\]\]\]}} out_specs = {{\[\[\[\]\], \[\["i"\], \[\]\], \[\[\], \[\]\]\]}}
// CHECK-LABEL: func.func private @body_shard_vjp(
// CHECK:         %[[Q:.*]] = mlax.constant dense<2.500000e-01> : tensor<3xf32>
// CHECK:         %[[CT:.*]] = mlax.mul %arg2, %[[Q]] : tensor<3xf32>
// CHECK:         %[[R:.*]]:3 = call @body_vjp_{{.*}}(%arg0, %arg1, %[[CT]])
// CHECK:         %[[W:.*]] = mlax.psum sum, %[[R]]#2 over ["i"] sizes [4] : tensor<2x3xf32>
// CHECK:         return %[[R]]#0, %[[R]]#1, %[[W]]
func.func private @body(%x: tensor<2x3xf32>, %w: tensor<2x3xf32>) -> tensor<3xf32> {
  %0 = mlax.mul %x, %w : tensor<2x3xf32>
  %1 = mlax.reduce_sum %0, axes = [0] : (tensor<2x3xf32>) -> tensor<3xf32>
  %2 = mlax.psum sum, %1 over ["i"] sizes [4] : tensor<3xf32>
  return %2 : tensor<3xf32>
}
func.func private @sm(%x: tensor<8x3xf32>, %w: tensor<2x3xf32>) -> tensor<3xf32> {
  %0 = mlax.shard_map @body(%x, %w) mesh = ["i"] shape = [4] in_specs = [[["i"], []], [[], []]] out_specs = [[[]]] : (tensor<8x3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @sm_grad(%x: tensor<8x3xf32>, %w: tensor<2x3xf32>, %ct: tensor<3xf32>) -> (tensor<8x3xf32>, tensor<2x3xf32>) {
  %0:3 = mlax.vjp @sm(%x, %w, %ct) active = [true, true] : (tensor<8x3xf32>, tensor<2x3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<8x3xf32>, tensor<2x3xf32>)
  return %0#1, %0#2 : tensor<8x3xf32>, tensor<2x3xf32>
}

// -----

// cond: the VJP is a cond of the branches' VJPs (same index), each a
// wrapper around the branch's generated derivative.
// CHECK-LABEL: func.func private @f_cond_vjp_01(
// CHECK:         mlax.cond [@cb0, @cb1][%arg0] (%arg1) : tensor<i32>, (tensor<f32>) -> tensor<f32>
// CHECK:         mlax.cond [@cb0_vjp, @cb1_vjp][%arg0] (%arg1, %arg2) : tensor<i32>, (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
// CHECK-LABEL: func.func private @cb0_vjp(
// CHECK:         call @cb0_vjp_1(
func.func private @cb0(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cb1(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.mul %x, %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @f_cond(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.cond [@cb0, @cb1][%i](%x) : tensor<i32>, (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @cond_vjp(%i: tensor<i32>, %x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @f_cond(%i, %x, %ct) active = [false, true] : (tensor<i32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

// scan: JVP is a scan over (carry, tangent) whose body is the body's JVP;
// VJP recomputes the carries in a forward scan (stacking them), then runs
// a reverse scan of the body's VJP. The JVP scan, and the VJP's forward
// scan that stacks the carries, replace the primal scan (the forward loop
// runs once). Every derived scan keeps `unroll`.
// CHECK-LABEL: func.func private @rnn_jvp_01(
// CHECK-NOT:     mlax.scan @cell(
// CHECK:         %[[J:.*]]:4 = mlax.scan @cell_jvp({{.*}}) num_carry = 2 num_consts = 2 length = 4 reverse = false {unroll = 2 : i64}
// CHECK-NOT:     mlax.scan @cell(
// CHECK:         return %[[J]]#0, %[[J]]#1
// CHECK-LABEL: func.func private @rnn_vjp_01(
// CHECK-NOT:     mlax.scan @cell(
// CHECK:         %[[S:.*]]:3 = mlax.scan @cell_saved({{.*}}) num_carry = 1 num_consts = 1 length = 4 reverse = false {unroll = 2 : i64}
// CHECK-NOT:     mlax.scan @cell(
// CHECK:         mlax.scan @cell_vjp({{.*}}) num_carry = 2 num_consts = 1 length = 4 reverse = true {unroll = 2 : i64}
// CHECK:         return %[[S]]#0,
func.func private @cell(%h: tensor<f32>, %x: tensor<f32>, %w: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = mlax.mul %h, %w : tensor<f32>
  %1 = mlax.add %0, %x : tensor<f32>
  %2 = mlax.tanh %1 : tensor<f32>
  return %2, %2 : tensor<f32>, tensor<f32>
}
func.func private @rnn(%xs: tensor<4xf32>, %w: tensor<f32>) -> tensor<f32> {
  %h0 = mlax.constant dense<0.5> : tensor<f32>
  %0:2 = mlax.scan @cell(%h0, %xs, %w) num_carry = 1 num_consts = 1 length = 4 reverse = false {unroll = 2} : (tensor<f32>, tensor<4xf32>, tensor<f32>) -> (tensor<f32>, tensor<4xf32>)
  return %0#0 : tensor<f32>
}
func.func @rnn_grad(%xs: tensor<4xf32>, %w: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @rnn(%xs, %w, %ct) active = [false, true] : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}
func.func @rnn_tangent(%xs: tensor<4xf32>, %w: tensor<f32>, %t: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.jvp @rnn(%xs, %w, %t) active = [false, true] : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}

// -----

// gather: forward mode gathers the tangent with the same indices; reverse
// mode scatter-adds the cotangent rows into zeros (mode fill: a
// promise_in_bounds read drops out-of-range cotangents, as JAX).
// CHECK-LABEL: func.func private @lookup_jvp_10(
// CHECK:         %[[T:.*]] = mlax.gather %arg2[%arg1] dims = [0] mode = promise_in_bounds
// CHECK-LABEL: func.func private @lookup_vjp_10(
// CHECK:         %[[Z:.*]] = mlax.constant dense<0.000000e+00> : tensor<5x3xf32>
// CHECK:         mlax.scatter add %[[Z]][%arg1], %{{.*}} dims = [0] mode = fill
func.func private @lookup(%t: tensor<5x3xf32>, %i: tensor<4x1xi32>) -> tensor<4x3xf32> {
  %0 = mlax.gather %t[%i] dims = [0] mode = promise_in_bounds : (tensor<5x3xf32>, tensor<4x1xi32>) -> tensor<4x3xf32>
  %1 = mlax.mul %0, %0 : tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}
func.func @vjp_lookup(%t: tensor<5x3xf32>, %i: tensor<4x1xi32>, %ct: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0:2 = mlax.vjp @lookup(%t, %i, %ct) active = [true, false] : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<5x3xf32>)
  return %0#1 : tensor<5x3xf32>
}
func.func @jvp_lookup(%t: tensor<5x3xf32>, %i: tensor<4x1xi32>, %tt: tensor<5x3xf32>) -> tensor<4x3xf32> {
  %0:2 = mlax.jvp @lookup(%t, %i, %tt) active = [true, false] : (tensor<5x3xf32>, tensor<4x1xi32>, tensor<5x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
  return %0#1 : tensor<4x3xf32>
}

// -----

// scatter add: the operand's cotangent passes through; the updates' is
// gathered from the rows they went to (zero where they were dropped).
// CHECK-LABEL: func.func private @upd_vjp_101(
// CHECK:         %[[G:.*]] = mlax.gather %arg3[%arg1] dims = [0] mode = fill {fill_value = 0.000000e+00 : f32}
// CHECK:         return %{{.*}}, %arg3, %[[G]]
func.func private @upd(%x: tensor<5xf32>, %i: tensor<2x1xi32>, %u: tensor<2xf32>) -> tensor<5xf32> {
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5xf32>, tensor<2x1xi32>, tensor<2xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @vjp_upd(%x: tensor<5xf32>, %i: tensor<2x1xi32>, %u: tensor<2xf32>, %ct: tensor<5xf32>) -> (tensor<5xf32>, tensor<2xf32>) {
  %0:3 = mlax.vjp @upd(%x, %i, %u, %ct) active = [true, false, true] : (tensor<5xf32>, tensor<2x1xi32>, tensor<2xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>, tensor<2xf32>)
  return %0#1, %0#2 : tensor<5xf32>, tensor<2xf32>
}

// -----

// sort: forward mode sorts the tangents along with the keys; reverse mode
// sorts (keys, iota) for the permutation, then sorts the cotangents by it
// back into the original order.
// CHECK-LABEL: func.func private @srt_jvp_10(
// CHECK:         mlax.sort %arg0, %arg2 dimension = 0 num_keys = 1 : (tensor<5xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
// CHECK-LABEL: func.func private @srt_vjp_10(
// CHECK:         %[[I:.*]] = mlax.iota dim = 0 : tensor<5xi32>
// CHECK:         %[[P:.*]]:2 = mlax.sort %arg0, %[[I]] dimension = 0 num_keys = 1
// CHECK:         mlax.sort %[[P]]#1, %{{.*}} dimension = 0 num_keys = 1 : (tensor<5xi32>, tensor<5xf32>) -> (tensor<5xi32>, tensor<5xf32>)
func.func private @srt(%x: tensor<5xf32>, %k: tensor<5xi32>) -> tensor<5xf32> {
  %0:2 = mlax.sort %x, %k dimension = 0 num_keys = 1 : (tensor<5xf32>, tensor<5xi32>) -> (tensor<5xf32>, tensor<5xi32>)
  return %0#0 : tensor<5xf32>
}
func.func @vjp_srt(%x: tensor<5xf32>, %k: tensor<5xi32>, %ct: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.vjp @srt(%x, %k, %ct) active = [true, false] : (tensor<5xf32>, tensor<5xi32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}
func.func @jvp_srt(%x: tensor<5xf32>, %k: tensor<5xi32>, %t: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.jvp @srt(%x, %k, %t) active = [true, false] : (tensor<5xf32>, tensor<5xi32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}

// -----

// top_k: forward mode gathers the tangent at the chosen positions (index
// vectors: an iota per leading dimension, then the indices); reverse mode
// scatter-adds the cotangent there.
// CHECK-LABEL: func.func private @tk_jvp_1(
// CHECK:         %[[V:.*]], %[[I:.*]] = mlax.top_k %arg0 k = 2
// CHECK:         %[[R:.*]] = mlax.iota dim = 0 : tensor<3x2x1xi32>
// CHECK:         %[[C:.*]] = mlax.concatenate(%[[R]], %{{.*}}) dim = 2
// CHECK:         mlax.gather %arg1[%[[C]]] dims = [0, 1] mode = clip : (tensor<3x4xf32>, tensor<3x2x2xi32>) -> tensor<3x2xf32>
// CHECK-LABEL: func.func private @tk_vjp_1(
// CHECK:         mlax.scatter add %{{.*}}[%{{.*}}], %arg1 dims = [0, 1] mode = clip : (tensor<3x4xf32>, tensor<3x2x2xi32>, tensor<3x2xf32>) -> tensor<3x4xf32>
func.func private @tk(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %v, %i = mlax.top_k %x k = 2 : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi32>)
  return %v : tensor<3x2xf32>
}
func.func @vjp_tk(%x: tensor<3x4xf32>, %ct: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %0:2 = mlax.vjp @tk(%x, %ct) active = [true] : (tensor<3x4xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x4xf32>)
  return %0#1 : tensor<3x4xf32>
}
func.func @jvp_tk(%x: tensor<3x4xf32>, %t: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %0:2 = mlax.jvp @tk(%x, %t) active = [true] : (tensor<3x4xf32>, tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
  return %0#1 : tensor<3x2xf32>
}

// -----

// cumsum: linear; forward mode is the cumsum of the tangent, reverse mode
// the cumsum of the cotangent from the other end.
// CHECK-LABEL: func.func private @cs_jvp_1(
// CHECK:         mlax.cumsum %arg1 axis = 0 reverse = false
// CHECK-LABEL: func.func private @cs_vjp_1(
// CHECK:         mlax.cumsum %arg1 axis = 0 reverse = true
func.func private @cs(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = mlax.cumsum %x axis = 0 reverse = false : tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @vjp_cs(%x: tensor<5xf32>, %ct: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.vjp @cs(%x, %ct) active = [true] : (tensor<5xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}
func.func @jvp_cs(%x: tensor<5xf32>, %t: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.jvp @cs(%x, %t) active = [true] : (tensor<5xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}

// -----

// cumprod: the tangent is the recurrence dy_i = x_i dy_{i-1} + e_i t_i
// (e the exclusive cumprod: 1, then y shifted), by a log-step scan of
// slices; the cotangent the recurrence from the other end, times e. No
// division by x.
// CHECK-LABEL: func.func private @cp_jvp_1(
// CHECK:         %[[Y:.*]] = mlax.cumprod %arg0 axis = 0 reverse = false
// CHECK:         %[[YS:.*]] = mlax.slice %[[Y]], start = [0], limit = [3]
// CHECK:         %[[E:.*]] = mlax.concatenate(%{{.*}}, %[[YS]]) dim = 0
// CHECK:         %[[B:.*]] = mlax.mul %[[E]], %arg1
// CHECK:         %[[A1:.*]] = mlax.slice %arg0, start = [1], limit = [4]
// CHECK:         %[[B0:.*]] = mlax.slice %[[B]], start = [0], limit = [3]
// CHECK:         mlax.mul %[[A1]], %[[B0]]
// CHECK:         mlax.slice %{{.*}}, start = [2], limit = [4]
// CHECK-NOT:     mlax.div
// CHECK:         return
// CHECK-LABEL: func.func private @cp_vjp_1(
// CHECK:         %[[E2:.*]] = mlax.concatenate
// CHECK:         mlax.slice %arg1, start = [1], limit = [4]
// CHECK-NOT:     mlax.div
// CHECK:         %[[G:.*]] = mlax.mul %[[E2]], %{{.*}} : tensor<4xf32>
// CHECK:         return %{{.*}}, %[[G]]
func.func private @cp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.cumprod %x axis = 0 reverse = false : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @vjp_cp(%x: tensor<4xf32>, %ct: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.vjp @cp(%x, %ct) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}
func.func @jvp_cp(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.jvp @cp(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}

// -----

// cummax (reversed): m = (x == y); the recurrence with a = 1 - m, b = m t
// runs from the end; positions where y is NaN get 0.
// CHECK-LABEL: func.func private @cm_jvp_1(
// CHECK:         %[[Y:.*]] = mlax.cummax %arg0 axis = 0 reverse = true
// CHECK:         %[[EQ:.*]] = mlax.compare EQ, %arg0, %[[Y]]
// CHECK:         %[[M:.*]] = mlax.convert %[[EQ]]
// CHECK:         mlax.sub %{{.*}}, %[[M]]
// CHECK:         %[[NAN:.*]] = mlax.compare NE, %[[Y]], %[[Y]]
// CHECK:         mlax.mul %[[M]], %arg1
// CHECK:         mlax.slice %{{.*}}, start = [1], limit = [4]
// CHECK:         %[[DY:.*]] = mlax.concatenate(%{{.*}}) dim = 0 : (tensor<2xf32>, tensor<2xf32>)
// CHECK:         mlax.select %[[NAN]], %{{.*}}, %[[DY]]
// CHECK-LABEL: func.func private @clse_vjp_1(
// CHECK:         %[[Y:.*]] = mlax.cumlogsumexp %arg0 axis = 1 reverse = false
// CHECK:         mlax.exp
// CHECK:         %[[D:.*]] = mlax.sub %arg0, %[[Y]]
// CHECK:         %[[C:.*]] = mlax.exp %[[D]]
// CHECK:         %[[G:.*]] = mlax.mul %[[C]], %{{.*}} : tensor<2x4xf32>
// CHECK:         return %{{.*}}, %[[G]]
func.func private @cm(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.cummax %x axis = 0 reverse = true : tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @jvp_cm(%x: tensor<4xf32>, %t: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = mlax.jvp @cm(%x, %t) active = [true] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}
func.func private @clse(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = mlax.cumlogsumexp %x axis = 1 reverse = false : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
func.func @vjp_clse(%x: tensor<2x4xf32>, %ct: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0:2 = mlax.vjp @clse(%x, %ct) active = [true] : (tensor<2x4xf32>, tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  return %0#1 : tensor<2x4xf32>
}

// -----

// scatter max (JAX's rule): 1 where the operand equals the result, 1 for
// each update equal to the result row it went to (read back with a NaN
// fill, so a dropped update never counts), their count scatter-added; the
// cotangent divided by the count goes to each winner. scatter mul: the
// operand's cotangent is the cotangent scatter-multiplied by the updates.
// CHECK-LABEL: func.func private @smax_vjp_100(
// CHECK:         mlax.gather %{{.*}}[%arg1] dims = [0] mode = fill {fill_value = 0x7FC00000 : f32}
// CHECK:         mlax.scatter add
// CHECK:         mlax.div %arg3
// CHECK:         mlax.gather %{{.*}}[%arg1] dims = [0] mode = fill {fill_value = 0.000000e+00 : f32}
// CHECK-LABEL: func.func private @smul_vjp_100(
// CHECK:         mlax.scatter mul %arg3[%arg1], %arg2 dims = [0] mode = fill
func.func private @smax(%x: tensor<5xf32>, %i: tensor<3x1xi32>, %u: tensor<3xf32>) -> tensor<5xf32> {
  %0 = mlax.scatter max %x[%i], %u dims = [0] mode = fill : (tensor<5xf32>, tensor<3x1xi32>, tensor<3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @vjp_smax(%x: tensor<5xf32>, %i: tensor<3x1xi32>, %u: tensor<3xf32>, %ct: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.vjp @smax(%x, %i, %u, %ct) active = [true, false, false] : (tensor<5xf32>, tensor<3x1xi32>, tensor<3xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}
func.func private @smul(%x: tensor<5xf32>, %i: tensor<3x1xi32>, %u: tensor<3xf32>) -> tensor<5xf32> {
  %0 = mlax.scatter mul %x[%i], %u dims = [0] mode = fill : (tensor<5xf32>, tensor<3x1xi32>, tensor<3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @vjp_smul(%x: tensor<5xf32>, %i: tensor<3x1xi32>, %u: tensor<3xf32>, %ct: tensor<5xf32>) -> tensor<5xf32> {
  %0:2 = mlax.vjp @smul(%x, %i, %u, %ct) active = [true, false, false] : (tensor<5xf32>, tensor<3x1xi32>, tensor<3xf32>, tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>)
  return %0#1 : tensor<5xf32>
}

// -----

// A debug callback sees the primal values and passes no derivative on:
// both modes keep it once on the primal x; a pure callback on a value
// that does not depend on the active argument is a constant.
// CHECK-LABEL: func.func private @dbg_jvp_{{[0-9]+}}(
// CHECK:         mlax.host_callback debug 0 (%arg0) vmap = none : (tensor<3xf32>) -> ()
// CHECK-NOT:     mlax.host_callback debug
// CHECK:         return
// CHECK-LABEL: func.func private @dbg_vjp_{{[0-9]+}}(
// CHECK:         mlax.host_callback debug 0 (%arg0) vmap = none : (tensor<3xf32>) -> ()
// CHECK:         mlax.host_callback pure 1 (%arg1) vmap = none
// CHECK-NOT:     mlax.host_callback
// CHECK:         return
func.func private @dbg(%x: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  mlax.host_callback debug 0 (%x) vmap = none : (tensor<3xf32>) -> ()
  %k = mlax.host_callback pure 1 (%c) vmap = none : (tensor<3xf32>) -> tensor<3xf32>
  %0 = mlax.sin %x : tensor<3xf32>
  %1 = mlax.mul %0, %k : tensor<3xf32>
  return %1 : tensor<3xf32>
}
func.func @vjp_dbg(%x: tensor<3xf32>, %c: tensor<3xf32>, %ct: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = mlax.vjp @dbg(%x, %c, %ct) active = [true, false] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}
func.func @jvp_dbg(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<3xf32> {
  %c = mlax.constant dense<1.0> : tensor<3xf32>
  %0:2 = mlax.jvp @dbg(%x, %c, %t) active = [true, false] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

// Complex rules are JAX's linear transposes (no conjugation): real's
// cotangent is complex(ct, 0), imag's complex(0, -ct), complex's
// (real(ct), -imag(ct)); |z| of complex z gives ct * conj(z) / |z| (|z| = 0
// read as 1).
// CHECK-LABEL: func.func private @parts_vjp_11(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<3xf32>, %[[Y:[a-z0-9]+]]: tensor<3xf32>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK:         %[[Z:[0-9]+]] = mlax.complex %[[X]], %[[Y]]
// CHECK:         %[[A:[0-9]+]] = mlax.abs %[[Z]] : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
// CHECK:         mlax.compare EQ, %[[A]]
// CHECK:         %[[CONJ:[0-9]+]] = mlax.conj %[[Z]]
// CHECK:         %[[FACTOR:[0-9]+]] = mlax.div %[[CONJ]]
// CHECK:         %[[CTC:[0-9]+]] = mlax.complex %[[CT]], %{{[0-9]+}}
// CHECK:         %[[DZ:[0-9]+]] = mlax.mul %[[CTC]], %[[FACTOR]]
// CHECK:         %[[RE:[0-9]+]] = mlax.real %[[DZ]]
// CHECK:         %[[IM:[0-9]+]] = mlax.imag %[[DZ]]
// CHECK:         %[[NIM:[0-9]+]] = mlax.neg %[[IM]]
// CHECK:         return %[[A]], %[[RE]], %[[NIM]]
func.func private @parts(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %z = mlax.complex %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xcomplex<f32>>
  %a = mlax.abs %z : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  return %a : tensor<3xf32>
}
// CHECK-LABEL: func.func private @re_im_vjp_1(
// CHECK-SAME:      %[[Z:[a-z0-9]+]]: tensor<3xcomplex<f32>>, %[[CT:[a-z0-9]+]]: tensor<3xf32>)
// CHECK:         %[[NCT:[0-9]+]] = mlax.neg %[[CT]]
// CHECK:         %[[ZERO:[0-9]+]] = mlax.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK:         mlax.complex %[[ZERO]], %[[NCT]]
// CHECK:         mlax.complex %[[CT]], %{{[0-9]+}}
// CHECK:         mlax.add
func.func private @re_im(%z: tensor<3xcomplex<f32>>) -> tensor<3xf32> {
  %re = mlax.real %z : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  %im = mlax.imag %z : (tensor<3xcomplex<f32>>) -> tensor<3xf32>
  %s = mlax.add %re, %im : tensor<3xf32>
  return %s : tensor<3xf32>
}
func.func @complex_req(%x: tensor<3xf32>, %z: tensor<3xcomplex<f32>>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xcomplex<f32>>) {
  %0:3 = mlax.vjp @parts(%x, %x, %ct) active = [true, true] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %1:2 = mlax.vjp @re_im(%z, %ct) active = [true] : (tensor<3xcomplex<f32>>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xcomplex<f32>>)
  return %0#1, %0#2, %1#1 : tensor<3xf32>, tensor<3xf32>, tensor<3xcomplex<f32>>
}
