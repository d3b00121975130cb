//===- MlaxControlFlowOps.td - structured control flow ---------*- tablegen -*-===//
//
// Control flow calls function symbols, as mlax's transformation requests
// do: a branch, a loop condition or a loop body is a private func.func.
// The rules of mlax-autodiff and mlax-batch then build the transformed op
// from requests on those functions (a cond of JVP requests, a scan of a
// batch request), and the lowering inlines calls into scf regions.
// docs/control_flow.md explains the choice.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_CONTROL_FLOW_OPS_TD
#define MLAX_CONTROL_FLOW_OPS_TD

include "dialects/mlax/MlaxBase.td"
include "mlir/IR/SymbolInterfaces.td"

def Mlax_CondOp : Mlax_Op<"cond",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "lax.switch / lax.cond: call the branch an index picks";
  let description = [{
    `mlax.cond [@b0, @b1, ...][%index](args...)` calls branch number
    `%index` (a 0-d i32 tensor, already clamped to [0, N) by the caller) on
    `args` and returns its results. Every branch has the type
    `(args...) -> (results...)`. `lax.cond(pred, t, f)` is
    `[@f, @t][pred]`.
  }];
  let arguments = (ins TensorOf<[I32]>:$index,
                   SymbolRefArrayAttr:$branches,
                   Variadic<AnyRankedTensor>:$inputs);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $branches `[` $index `]` `(` $inputs `)` attr-dict `:` type($index) `,` functional-type($inputs, $outputs)
  }];
}

def Mlax_WhileOp : Mlax_Op<"while",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "lax.while_loop: repeat a body while a condition holds";
  let description = [{
    `mlax.while @cond, @body(carry..., consts...) num_consts = k` calls
    `@body(carry, consts) -> carry` while `@cond(carry, consts)` (a 0-d
    i1 tensor) is true, and returns the final carry. The last `num_consts`
    operands are passed to both functions unchanged (values the functions
    close over).
  }];
  let arguments = (ins FlatSymbolRefAttr:$cond,
                   FlatSymbolRefAttr:$body,
                   Variadic<AnyRankedTensor>:$inputs,
                   I64Attr:$num_consts);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $cond `,` $body `(` $inputs `)` `num_consts` `=` $num_consts attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def Mlax_ScanOp : Mlax_Op<"scan",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "lax.scan: a loop over the leading axis of xs with a carry";
  let description = [{
    `mlax.scan @body(carry..., xs..., consts...) num_carry = c num_consts = k
    length = L reverse = r` runs `@body(carry, x_i, consts) -> (carry, y_i)`
    for i = 0 .. L-1 (L-1 .. 0 when reversed), where `x_i` is row i of each
    `xs` operand (leading dimension L), and returns the final carry then
    each `ys` with the `y_i` stacked along a new leading dimension L.
    `unroll = u` (an attribute, 1 when absent) runs u iterations per trip of
    the lowered loop, as JAX's `unroll`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$body,
                   Variadic<AnyRankedTensor>:$inputs,
                   I64Attr:$num_carry,
                   I64Attr:$num_consts,
                   I64Attr:$length,
                   BoolAttr:$reverse,
                   DefaultValuedAttr<I64Attr, "1">:$unroll);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $body `(` $inputs `)` `num_carry` `=` $num_carry `num_consts` `=` $num_consts `length` `=` $length `reverse` `=` $reverse attr-dict `:` functional-type($inputs, $outputs)
  }];
  let extraClassDeclaration = [{
    unsigned numXs() {
      return getInputs().size() - getNumCarry() - getNumConsts();
    }
  }];
}

#endif // MLAX_CONTROL_FLOW_OPS_TD
