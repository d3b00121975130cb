//===- EmitHeader.h - the C/C++ header of a compiled module -----*- C++ -*-===//

#ifndef MLAX_COMPILE_EMITHEADER_H
#define MLAX_COMPILE_EMITHEADER_H

#include "mlir/IR/Types.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlax {

/// One function of the object: its MLIR name, its C symbol, and its tensor
/// signature before lowering (unsigned element types still unsigned).
struct EntryPoint {
  std::string mlirName;
  std::string cName;
  std::vector<mlir::Type> inputs;
  std::vector<mlir::Type> results;
};

/// Writes the header: C declarations (`void NAME(const T *in0, ...,
/// T *out0, ...)`) and, for C++, checked and allocating wrappers in
/// namespace mlax::generated built on <mlax/embed.h>.
void emitHeader(llvm::StringRef moduleName, llvm::ArrayRef<EntryPoint> entries,
                llvm::raw_ostream &os);

} // namespace mlax

#endif // MLAX_COMPILE_EMITHEADER_H
