//===- mlax/embed.h - calling mlax-compiled functions from C++ --*- C++ -*-===//
//
// Header-only, standard library only. A function compiled by mlax-compile
// takes pointers to contiguous row-major elements; the generated header's
// C++ wrappers take the types below and check every shape first, throwing
// mlax::ShapeError (nothing is read or written on a mismatch).
//
//   mlax::Tensor<float> x({128, 784});         // owning, zero-filled
//   mlax::View<const float> v(ptr, {128, 784});  // non-owning
//   mlax::Tensor<float> y = mlax::generated::model(x);
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_EMBED_H
#define MLAX_EMBED_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mlax {

using Shape = std::vector<int64_t>;

/// A tensor of the wrong shape was passed to a compiled function.
class ShapeError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

inline std::string shape_string(const Shape &shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

inline int64_t num_elements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      throw ShapeError("mlax: negative dimension in shape " +
                       shape_string(shape));
    n *= d;
  }
  return n;
}

/// Throws ShapeError naming the function, the argument, and both shapes.
inline void check_shape(const Shape &got, std::initializer_list<int64_t> want,
                        const char *function, const char *what) {
  Shape expected(want);
  if (got != expected)
    throw ShapeError(std::string(function) + ": " + what + " has shape " +
                     shape_string(got) + ", expected " +
                     shape_string(expected));
}

/// An owning, contiguous, row-major tensor (zero-initialized).
template <class T> class Tensor {
  static_assert(!std::is_const<T>::value, "Tensor<const T>: use View");

public:
  Tensor() = default;
  explicit Tensor(Shape shape)
      : shape_(std::move(shape)), size_(num_elements(shape_)),
        data_(new T[static_cast<size_t>(size_)]()) {}
  Tensor(Shape shape, const std::vector<T> &values) : Tensor(std::move(shape)) {
    if (static_cast<int64_t>(values.size()) != size_)
      throw ShapeError("mlax::Tensor: " + std::to_string(values.size()) +
                       " values for shape " + shape_string(shape_));
    for (int64_t i = 0; i < size_; ++i)
      data_[i] = values[i];
  }
  Tensor(const Tensor &other) : Tensor(other.shape_) {
    for (int64_t i = 0; i < size_; ++i)
      data_[i] = other.data_[i];
  }
  Tensor(Tensor &&) noexcept = default;
  Tensor &operator=(Tensor other) noexcept {
    std::swap(shape_, other.shape_);
    std::swap(size_, other.size_);
    std::swap(data_, other.data_);
    return *this;
  }

  T *data() { return data_.get(); }
  const T *data() const { return data_.get(); }
  const Shape &shape() const { return shape_; }
  int64_t size() const { return size_; }
  T &operator[](int64_t i) { return data_[i]; }
  const T &operator[](int64_t i) const { return data_[i]; }

private:
  Shape shape_;
  int64_t size_ = 0;
  std::unique_ptr<T[]> data_;
};

/// A non-owning view of contiguous row-major elements with a shape.
template <class T> class View {
  using Mutable = typename std::remove_const<T>::type;

public:
  View(T *data, Shape shape) : data_(data), shape_(std::move(shape)) {
    num_elements(shape_);
  }
  View(std::vector<Mutable> &values, Shape shape)
      : View(values.data(), std::move(shape)) {
    check_size(values.size());
  }
  template <class U = T,
            class = typename std::enable_if<std::is_const<U>::value>::type>
  View(const std::vector<Mutable> &values, Shape shape)
      : View(values.data(), std::move(shape)) {
    check_size(values.size());
  }
  View(Tensor<Mutable> &t) : data_(t.data()), shape_(t.shape()) {}
  template <class U = T,
            class = typename std::enable_if<std::is_const<U>::value>::type>
  View(const Tensor<Mutable> &t) : data_(t.data()), shape_(t.shape()) {}

  T *data() const { return data_; }
  const Shape &shape() const { return shape_; }
  int64_t size() const { return num_elements(shape_); }

private:
  void check_size(size_t n) const {
    if (static_cast<int64_t>(n) != num_elements(shape_))
      throw ShapeError("mlax::View: " + std::to_string(n) +
                       " values for shape " + shape_string(shape_));
  }
  T *data_;
  Shape shape_;
};

} // namespace mlax

#endif // MLAX_EMBED_H
