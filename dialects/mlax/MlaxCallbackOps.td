//===- MlaxCallbackOps.td - calls back into the host -----------*- tablegen -*-===//
//
// host_callback: a call of a Python function while the compiled program
// runs (JAX's debug.callback / debug.print, pure_callback, io_callback).
// It lowers to a call of an imported function that the runtime serves
// (mlax-lower-to-linalg); its rules are in docs/status.md.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_CALLBACK_OPS_TD
#define MLAX_CALLBACK_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_CallbackKind : I32EnumAttr<"CallbackKind",
    "which of JAX's callbacks a host_callback is", [
      // debug.callback / debug.print: no results, always runs, transparent
      // to differentiation.
      I32EnumAttrCase<"debug", 0>,
      // pure_callback: no side effects (unused results may be dropped), no
      // derivative.
      I32EnumAttrCase<"pure", 1>,
      // io_callback: side effects, no derivative.
      I32EnumAttrCase<"io", 2>]> {
  let cppNamespace = "::mlax";
}

def Mlax_VmapMethod : I32EnumAttr<"VmapMethod",
    "how a batched pure_callback calls its function (JAX's vmap_method)", [
      I32EnumAttrCase<"none", 0>,           // batching it is an error
      I32EnumAttrCase<"sequential", 1>,     // once per example
      I32EnumAttrCase<"expand_dims", 2>,    // once; unbatched operands get a size-1 batch dim
      I32EnumAttrCase<"broadcast_all", 3>]> { // once; every operand broadcast to the batch
  let cppNamespace = "::mlax";
}

def Mlax_HostCallbackOp : Mlax_Op<"host_callback",
    [DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "a call of a host (Python) function from the compiled program";
  let description = [{
    `%r:N = mlax.host_callback pure 7 (%a, %b) vmap = sequential` calls the
    host function registered as callback 7 with the operands' values and
    returns what it returns, converted to the result types. `debug` and `io`
    callbacks have a side effect (they are never dropped or reordered with
    other side effects); `pure` ones have none. `ordered` (io, debug) asks
    that the callback run in program order with the other ordered ones.
    (C1) a debug callback has no results; (C2) vmap_method is `none`
    unless the kind is `pure`; (C3) a pure callback is not ordered; (C4)
    callback_id >= 0.
  }];
  let arguments = (ins Variadic<Mlax_AnyTensor>:$inputs, I64Attr:$callback_id,
                   Mlax_CallbackKind:$kind, Mlax_VmapMethod:$vmap_method,
                   UnitAttr:$ordered);
  let results = (outs Variadic<Mlax_AnyTensor>:$results);
  let assemblyFormat = [{
    $kind $callback_id ` ` `(` $inputs `)` `vmap` `=` $vmap_method attr-dict `:` functional-type($inputs, $results)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_CALLBACK_OPS_TD
