//===- MlaxBase.td - mlax dialect, enums and type constraints -*- tablegen -*-===//
//
// The mlax dialect mirrors JAX's lax primitives on builtin ranked tensors.
// Every op's spec (with labelled constraints) is in docs/ops.md; verifier
// messages cite those labels.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_BASE_TD
#define MLAX_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Mlax_Dialect : Dialect {
  let name = "mlax";
  let cppNamespace = "::mlax";
  let summary = "JAX's lax primitives as an MLIR dialect";
  let description = [{
    Ops on builtin ranked tensors that mirror JAX's `lax` primitives. No
    implicit broadcasting or type promotion: the Python frontend inserts
    explicit `broadcast_in_dim` and `convert` ops, as JAX does.
  }];
  let hasConstantMaterializer = 1;
}

class Mlax_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mlax_Dialect, mnemonic, traits>;

// The op's results have a zero derivative with respect to its operands
// (floor, sign, stop_gradient, bitcast_convert, ...) or are not
// differentiable (integer and boolean results). The one list that the JVP
// rules, the VJP rules and mlax-autodiff's dependence analysis all read.
def Mlax_ZeroDerivative : NativeOpTrait<"ZeroDerivative"> {
  let cppNamespace = "::mlax::trait";
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

def Mlax_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Mlax_Bool : I<1>;
def Mlax_SignedInt : AnyTypeOf<[I8, I16, I32, I64]>;
def Mlax_UnsignedInt : AnyTypeOf<[UI8, UI16, UI32, UI64]>;
def Mlax_Int : AnyTypeOf<[Mlax_SignedInt, Mlax_UnsignedInt]>;
def Mlax_IntOrBool : AnyTypeOf<[Mlax_Int, Mlax_Bool]>;
def Mlax_IntOrFloat : AnyTypeOf<[Mlax_Int, Mlax_Float]>;
def Mlax_Element : AnyTypeOf<[Mlax_Float, Mlax_Int, Mlax_Bool]>;
// complex64 / complex128. Only the ops that list them take them: layout
// ops, arithmetic and the transcendental functions JAX defines on them.
def Mlax_Complex : AnyTypeOf<[Complex<F32>, Complex<F64>]>;
def Mlax_Inexact : AnyTypeOf<[Mlax_Float, Mlax_Complex]>;
def Mlax_Number : AnyTypeOf<[Mlax_IntOrFloat, Mlax_Complex]>;
def Mlax_AnyElement : AnyTypeOf<[Mlax_Element, Mlax_Complex]>;

// Shapes are static, as in JAX: dynamic dimensions are rejected.
def Mlax_Tensor : StaticShapeTensorOf<[Mlax_Element]>;
def Mlax_FloatTensor : StaticShapeTensorOf<[Mlax_Float]>;
def Mlax_IntTensor : StaticShapeTensorOf<[Mlax_Int]>;
def Mlax_IntOrBoolTensor : StaticShapeTensorOf<[Mlax_IntOrBool]>;
def Mlax_NumericTensor : StaticShapeTensorOf<[Mlax_IntOrFloat]>;
def Mlax_BoolTensor : StaticShapeTensorOf<[Mlax_Bool]>;
def Mlax_ComplexTensor : StaticShapeTensorOf<[Mlax_Complex]>;
def Mlax_InexactTensor : StaticShapeTensorOf<[Mlax_Inexact]>;
def Mlax_NumberTensor : StaticShapeTensorOf<[Mlax_Number]>;
def Mlax_AnyTensor : StaticShapeTensorOf<[Mlax_AnyElement]>;
def Mlax_IndexScalar : 0DTensorOf<[Mlax_Int]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Mlax_ComparisonDirection : I32EnumAttr<"ComparisonDirection",
    "comparison direction (NaN compares unequal, as in lax)", [
      I32EnumAttrCase<"EQ", 0>, I32EnumAttrCase<"NE", 1>,
      I32EnumAttrCase<"LT", 2>, I32EnumAttrCase<"LE", 3>,
      I32EnumAttrCase<"GT", 4>, I32EnumAttrCase<"GE", 5>]> {
  let cppNamespace = "::mlax";
}

def Mlax_RoundingMethod : I32EnumAttr<"RoundingMethod",
    "lax.RoundingMethod", [
      I32EnumAttrCase<"AWAY_FROM_ZERO", 0>,
      I32EnumAttrCase<"TO_NEAREST_EVEN", 1>]> {
  let cppNamespace = "::mlax";
}

#endif // MLAX_BASE_TD
