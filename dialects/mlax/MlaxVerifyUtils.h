//===- MlaxVerifyUtils.h - shared checks for op verifiers -------*- C++ -*-===//
//
// Checks shared by verify() and inferReturnTypes of several op families.
// They return a message (empty when the check passes) so that both
// emitOpError and emitOptionalError can report it.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_VERIFY_UTILS_H
#define MLAX_VERIFY_UTILS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include <string>

namespace mlax {

/// Checks every entry of `dims` is in [0, rank) and appears once.
inline std::string checkDimensionList(llvm::ArrayRef<int64_t> dims,
                                      int64_t rank, llvm::StringRef what) {
  llvm::SmallVector<bool> seen(rank, false);
  for (int64_t d : dims) {
    if (d < 0 || d >= rank)
      return (what + " " + llvm::Twine(d) + " is out of range [0, " +
              llvm::Twine(rank) + ")")
          .str();
    if (seen[d])
      return (what + " " + llvm::Twine(d) + " appears more than once").str();
    seen[d] = true;
  }
  return {};
}

} // namespace mlax

#endif // MLAX_VERIFY_UTILS_H
