//===- MlaxElementwiseOps.td - constant, iota, elementwise ops -*- tablegen -*-===//

#ifndef MLAX_ELEMENTWISE_OPS_TD
#define MLAX_ELEMENTWISE_OPS_TD

include "dialects/mlax/MlaxBase.td"

//===----------------------------------------------------------------------===//
// Sources
//===----------------------------------------------------------------------===//

def Mlax_ConstantOp : Mlax_Op<"constant",
    [ConstantLike, Pure, Mlax_ZeroDerivative, AllTypesMatch<["value", "result"]>]> {
  let summary = "a dense tensor literal";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Mlax_IotaOp : Mlax_Op<"iota", [Pure, Mlax_ZeroDerivative]> {
  let summary = "lax.iota / broadcasted_iota: 0, 1, ... along one dimension";
  let arguments = (ins I64Attr:$iota_dimension);
  let results = (outs Mlax_NumericTensor:$result);
  let assemblyFormat = "`dim` `=` $iota_dimension attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Element type conversions
//===----------------------------------------------------------------------===//

def Mlax_ConvertOp : Mlax_Op<"convert",
    [Pure, Elementwise, SameOperandsAndResultShape]> {
  let summary = "lax.convert_element_type (complex to real keeps the real part)";
  let arguments = (ins Mlax_AnyTensor:$operand);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasFolder = 1;
}

def Mlax_BitcastConvertOp : Mlax_Op<"bitcast_convert",
    [Pure, Elementwise, SameOperandsAndResultShape, Mlax_ZeroDerivative]> {
  let summary = "lax.bitcast_convert_type (same bit width only)";
  let arguments = (ins Mlax_Tensor:$operand);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

class Mlax_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Mlax_Op<mnemonic, traits # [Pure, Elementwise, SameOperandsAndResultType]> {
  let arguments = (ins tensorType:$operand);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

class Mlax_FloatUnaryOp<string mnemonic, string jaxName, list<Trait> traits = []>
    : Mlax_UnaryOp<mnemonic, Mlax_FloatTensor, traits> {
  let summary = "lax." # jaxName # " (floating point)";
}

class Mlax_InexactUnaryOp<string mnemonic, string jaxName, list<Trait> traits = []>
    : Mlax_UnaryOp<mnemonic, Mlax_InexactTensor, traits> {
  let summary = "lax." # jaxName # " (floating point or complex)";
}

def Mlax_NegOp : Mlax_UnaryOp<"neg", Mlax_NumberTensor> { let summary = "lax.neg"; }
def Mlax_AbsOp : Mlax_Op<"abs", [Pure, Elementwise, SameOperandsAndResultShape]> {
  let summary = "lax.abs (the modulus, a real tensor, for complex operands)";
  let arguments = (ins Mlax_NumberTensor:$operand);
  let results = (outs Mlax_NumericTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasVerifier = 1;
}
def Mlax_SignOp : Mlax_UnaryOp<"sign", Mlax_NumericTensor, [Mlax_ZeroDerivative]> { let summary = "lax.sign"; }
def Mlax_NotOp : Mlax_UnaryOp<"not", Mlax_IntOrBoolTensor, [Mlax_ZeroDerivative]> { let summary = "lax.bitwise_not"; }
def Mlax_ExpOp : Mlax_InexactUnaryOp<"exp", "exp">;
def Mlax_Exp2Op : Mlax_FloatUnaryOp<"exp2", "exp2">;
def Mlax_LogOp : Mlax_InexactUnaryOp<"log", "log">;
def Mlax_Log1pOp : Mlax_InexactUnaryOp<"log1p", "log1p">;
def Mlax_Expm1Op : Mlax_InexactUnaryOp<"expm1", "expm1">;
def Mlax_SqrtOp : Mlax_InexactUnaryOp<"sqrt", "sqrt">;
def Mlax_RsqrtOp : Mlax_InexactUnaryOp<"rsqrt", "rsqrt">;
def Mlax_CbrtOp : Mlax_FloatUnaryOp<"cbrt", "cbrt">;
def Mlax_SinOp : Mlax_InexactUnaryOp<"sin", "sin">;
def Mlax_CosOp : Mlax_InexactUnaryOp<"cos", "cos">;
def Mlax_TanOp : Mlax_InexactUnaryOp<"tan", "tan">;
def Mlax_TanhOp : Mlax_InexactUnaryOp<"tanh", "tanh">;
def Mlax_LogisticOp : Mlax_FloatUnaryOp<"logistic", "logistic">;
def Mlax_ErfOp : Mlax_FloatUnaryOp<"erf", "erf">;
def Mlax_ErfInvOp : Mlax_FloatUnaryOp<"erf_inv", "erf_inv">;
def Mlax_FloorOp : Mlax_FloatUnaryOp<"floor", "floor", [Mlax_ZeroDerivative]>;
def Mlax_CeilOp : Mlax_FloatUnaryOp<"ceil", "ceil", [Mlax_ZeroDerivative]>;

def Mlax_RoundOp : Mlax_Op<"round",
    [Pure, Elementwise, SameOperandsAndResultType, Mlax_ZeroDerivative]> {
  let summary = "lax.round with a rounding method";
  let arguments = (ins Mlax_FloatTensor:$operand,
                   Mlax_RoundingMethod:$rounding_method);
  let results = (outs Mlax_FloatTensor:$result);
  let assemblyFormat = "$rounding_method `,` $operand attr-dict `:` type($result)";
}

def Mlax_IntegerPowOp : Mlax_Op<"integer_pow",
    [Pure, Elementwise, SameOperandsAndResultType]> {
  let summary = "lax.integer_pow: x ** y for a constant integer y";
  let arguments = (ins Mlax_NumberTensor:$operand, I64Attr:$exponent);
  let results = (outs Mlax_NumberTensor:$result);
  let assemblyFormat = "$operand `,` $exponent attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mlax_IsFiniteOp : Mlax_Op<"is_finite",
    [Pure, Elementwise, SameOperandsAndResultShape, Mlax_ZeroDerivative,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.is_finite";
  let arguments = (ins Mlax_FloatTensor:$operand);
  let results = (outs Mlax_BoolTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
}

//===----------------------------------------------------------------------===//
// Binary elementwise
//===----------------------------------------------------------------------===//

class Mlax_BinaryOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Mlax_Op<mnemonic, traits # [Pure, Elementwise, SameOperandsAndResultType]> {
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Mlax_AddOp : Mlax_BinaryOp<"add", Mlax_AnyTensor, [Commutative]> {
  let summary = "lax.add (or for bool)"; let hasFolder = 1; }
def Mlax_SubOp : Mlax_BinaryOp<"sub", Mlax_NumberTensor> {
  let summary = "lax.sub"; let hasFolder = 1; }
def Mlax_MulOp : Mlax_BinaryOp<"mul", Mlax_AnyTensor, [Commutative]> {
  let summary = "lax.mul (and for bool)"; let hasFolder = 1; }
def Mlax_DivOp : Mlax_BinaryOp<"div", Mlax_NumberTensor> {
  let summary = "lax.div (integer division rounds toward zero)"; }
def Mlax_RemOp : Mlax_BinaryOp<"rem", Mlax_NumericTensor> {
  let summary = "lax.rem (sign of the dividend)"; }
def Mlax_PowOp : Mlax_BinaryOp<"pow", Mlax_InexactTensor> { let summary = "lax.pow"; }
def Mlax_MaxOp : Mlax_BinaryOp<"max", Mlax_Tensor, [Commutative]> {
  let summary = "lax.max (propagates NaN)"; let hasFolder = 1; }
def Mlax_MinOp : Mlax_BinaryOp<"min", Mlax_Tensor, [Commutative]> {
  let summary = "lax.min (propagates NaN)"; let hasFolder = 1; }
def Mlax_Atan2Op : Mlax_BinaryOp<"atan2", Mlax_FloatTensor> { let summary = "lax.atan2"; }
def Mlax_AndOp : Mlax_BinaryOp<"and", Mlax_IntOrBoolTensor, [Commutative, Mlax_ZeroDerivative]> {
  let summary = "lax.bitwise_and"; }
def Mlax_OrOp : Mlax_BinaryOp<"or", Mlax_IntOrBoolTensor, [Commutative, Mlax_ZeroDerivative]> {
  let summary = "lax.bitwise_or"; }
def Mlax_XorOp : Mlax_BinaryOp<"xor", Mlax_IntOrBoolTensor, [Commutative, Mlax_ZeroDerivative]> {
  let summary = "lax.bitwise_xor"; }
def Mlax_ShiftLeftOp : Mlax_BinaryOp<"shift_left", Mlax_IntTensor, [Mlax_ZeroDerivative]> {
  let summary = "lax.shift_left (amounts >= bit width give 0)"; }
def Mlax_ShiftRightLogicalOp : Mlax_BinaryOp<"shift_right_logical", Mlax_IntTensor, [Mlax_ZeroDerivative]> {
  let summary = "lax.shift_right_logical (amounts >= bit width give 0)"; }
def Mlax_ShiftRightArithmeticOp : Mlax_BinaryOp<"shift_right_arithmetic", Mlax_IntTensor, [Mlax_ZeroDerivative]> {
  let summary = "lax.shift_right_arithmetic (amounts >= bit width fill the sign)"; }

//===----------------------------------------------------------------------===//
// Complex numbers
//===----------------------------------------------------------------------===//

def Mlax_ComplexOp : Mlax_Op<"complex",
    [Pure, Elementwise, SameTypeOperands, SameOperandsAndResultShape,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.complex: real and imaginary parts to a complex tensor";
  let arguments = (ins Mlax_FloatTensor:$real, Mlax_FloatTensor:$imag);
  let results = (outs Mlax_ComplexTensor:$result);
  let assemblyFormat = "$real `,` $imag attr-dict `:` functional-type(operands, $result)";
}

class Mlax_ComplexPartOp<string mnemonic, string part>
    : Mlax_Op<mnemonic, [Pure, Elementwise, SameOperandsAndResultShape,
                         DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax." # mnemonic # ": the " # part # " part of a complex tensor";
  let arguments = (ins Mlax_ComplexTensor:$operand);
  let results = (outs Mlax_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
}
def Mlax_RealOp : Mlax_ComplexPartOp<"real", "real">;
def Mlax_ImagOp : Mlax_ComplexPartOp<"imag", "imaginary">;
def Mlax_ConjOp : Mlax_UnaryOp<"conj", Mlax_ComplexTensor> {
  let summary = "lax.conj: the complex conjugate";
}

//===----------------------------------------------------------------------===//
// Comparison and selection
//===----------------------------------------------------------------------===//

def Mlax_CompareOp : Mlax_Op<"compare",
    [Pure, Elementwise, SameTypeOperands, SameOperandsAndResultShape, Mlax_ZeroDerivative,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.eq/ne/lt/le/gt/ge";
  let arguments = (ins Mlax_AnyTensor:$lhs, Mlax_AnyTensor:$rhs,
                   Mlax_ComparisonDirection:$comparison_direction);
  let results = (outs Mlax_BoolTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $comparison_direction `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, $result)
  }];
}

def Mlax_SelectOp : Mlax_Op<"select",
    [Pure, AllTypesMatch<["on_true", "on_false", "result"]>]> {
  let summary = "lax.select(pred, on_true, on_false)";
  let arguments = (ins Mlax_BoolTensor:$pred, Mlax_AnyTensor:$on_true,
                   Mlax_AnyTensor:$on_false);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $pred `,` $on_true `,` $on_false attr-dict `:` type($pred) `,` type($result)
  }];
  let hasVerifier = 1;
}

def Mlax_ClampOp : Mlax_Op<"clamp",
    [Pure, AllTypesMatch<["operand", "result"]>]> {
  let summary = "lax.clamp(min, operand, max)";
  let arguments = (ins Mlax_NumericTensor:$min, Mlax_NumericTensor:$operand,
                   Mlax_NumericTensor:$max);
  let results = (outs Mlax_NumericTensor:$result);
  let assemblyFormat = [{
    $min `,` $operand `,` $max attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_ELEMENTWISE_OPS_TD
