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
// Objects compiled with threads (mlax-compile's default) call five OpenMP
// entry points (__kmpc_fork_call, ...). This header defines them as weak
// symbols over a small thread pool (MLAX_NUM_THREADS or OMP_NUM_THREADS
// threads, default: the hardware's), so no OpenMP library is needed; linking
// LLVM's libomp instead overrides them. Define MLAX_NO_OPENMP_RUNTIME before
// including this header to leave them out.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_EMBED_H
#define MLAX_EMBED_H

#include <condition_variable>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
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

#if !defined(MLAX_NO_OPENMP_RUNTIME) &&                                        \
    (defined(__GNUC__) || defined(__clang__))
namespace mlax {
namespace detail {

/// The team a thread works in during a parallel region.
class Barrier {
public:
  explicit Barrier(int count) : count_(count) {}
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    unsigned generation = generation_;
    if (++waiting_ == count_) {
      waiting_ = 0;
      ++generation_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation != generation_; });
    }
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_, waiting_ = 0;
  unsigned generation_ = 0;
};

struct Team {
  int id = 0, size = 1;
  Barrier *barrier = nullptr;
};
inline thread_local Team team;

inline int thread_count() {
  for (const char *name : {"MLAX_NUM_THREADS", "OMP_NUM_THREADS"})
    if (const char *value = std::getenv(name))
      if (int n = std::atoi(value); n > 0)
        return n;
  unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 1;
}

using Job = std::function<void(int id, int size, Barrier *barrier)>;

/// Persistent workers; run(fn) calls fn(i, size, barrier) for every i on its
/// own thread (i = 0 on the caller). A region started while another runs (a
/// second caller thread, or nesting) runs on its caller alone.
class Pool {
public:
  Pool() : size_(thread_count()) {
    for (int i = 1; i < size_; ++i)
      workers_.emplace_back([this, i] { loop(i); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }
  void run(const Job &fn) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock() || size_ == 1 || team.size > 1) {
      Barrier alone(1);
      fn(0, 1, &alone);
      return;
    }
    Barrier barrier(size_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      barrier_ = &barrier;
      pending_ = size_ - 1;
      ++generation_;
    }
    cv_.notify_all();
    fn(0, size_, &barrier);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
  }

private:
  void loop(int i) {
    unsigned seen = 0;
    for (;;) {
      const Job *job;
      Barrier *barrier;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_)
          return;
        seen = generation_;
        job = job_;
        barrier = barrier_;
      }
      (*job)(i, size_, barrier);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0)
        done_.notify_one();
    }
  }
  int size_;
  std::vector<std::thread> workers_;
  std::mutex mutex_, busy_;
  std::condition_variable cv_, done_;
  const Job *job_ = nullptr;
  Barrier *barrier_ = nullptr;
  unsigned generation_ = 0;
  int pending_ = 0;
  bool stop_ = false;
};

inline Pool &pool() {
  static Pool p;
  return p;
}

/// OpenMP's static schedule: iteration block `team.id` of `team.size`.
template <class T, class S>
void static_init(int32_t *last, T *lower, T *upper, S *stride, S incr) {
  T trip = static_cast<T>((*upper - *lower) / incr + 1);
  T per = (trip + team.size - 1) / team.size;
  T begin = per * team.id;
  if (begin >= trip) {
    *lower = 1; // an empty range: upper < lower
    *upper = 0;
    *last = 0;
    return;
  }
  T end = begin + per < trip ? begin + per : trip;
  *last = end == trip;
  *upper = *lower + static_cast<T>((end - 1) * incr);
  *lower = *lower + static_cast<T>(begin * incr);
  *stride = static_cast<S>(trip * incr);
}

} // namespace detail
} // namespace mlax

extern "C" {
typedef void (*mlax_kmpc_micro)(int32_t *, int32_t *, ...);

__attribute__((weak)) int32_t __kmpc_global_thread_num(void *) {
  return mlax::detail::team.id;
}

__attribute__((weak)) void __kmpc_fork_call(void *, int32_t argc,
                                            mlax_kmpc_micro micro, ...) {
  void *args[8] = {};
  va_list ap;
  va_start(ap, micro);
  for (int32_t i = 0; i < argc && i < 8; ++i)
    args[i] = va_arg(ap, void *);
  va_end(ap);
  using P = void *;
  using I = int32_t *;
  mlax::detail::Job body = [&](int id, int size,
                               mlax::detail::Barrier *barrier) {
    mlax::detail::Team saved = mlax::detail::team;
    mlax::detail::team = {id, size, barrier};
    int32_t gtid = id, btid = 0;
    auto f = reinterpret_cast<void *>(micro);
    switch (argc) { // the outlined body is not variadic: call it as it is
    case 0:
      reinterpret_cast<void (*)(I, I)>(f)(&gtid, &btid);
      break;
    case 1:
      reinterpret_cast<void (*)(I, I, P)>(f)(&gtid, &btid, args[0]);
      break;
    case 2:
      reinterpret_cast<void (*)(I, I, P, P)>(f)(&gtid, &btid, args[0], args[1]);
      break;
    case 3:
      reinterpret_cast<void (*)(I, I, P, P, P)>(f)(&gtid, &btid, args[0],
                                                   args[1], args[2]);
      break;
    default:
      reinterpret_cast<void (*)(I, I, P, P, P, P)>(f)(
          &gtid, &btid, args[0], args[1], args[2], args[3]);
      break;
    }
    mlax::detail::team = saved;
  };
  mlax::detail::pool().run(body);
}

__attribute__((weak)) void
__kmpc_for_static_init_8u(void *, int32_t, int32_t, int32_t *last,
                          uint64_t *lower, uint64_t *upper, int64_t *stride,
                          int64_t incr, int64_t) {
  mlax::detail::static_init(last, lower, upper, stride, incr);
}
__attribute__((weak)) void
__kmpc_for_static_init_8(void *, int32_t, int32_t, int32_t *last,
                         int64_t *lower, int64_t *upper, int64_t *stride,
                         int64_t incr, int64_t) {
  mlax::detail::static_init(last, lower, upper, stride, incr);
}
__attribute__((weak)) void
__kmpc_for_static_init_4u(void *, int32_t, int32_t, int32_t *last,
                          uint32_t *lower, uint32_t *upper, int32_t *stride,
                          int32_t incr, int32_t) {
  mlax::detail::static_init(last, lower, upper, stride, incr);
}
__attribute__((weak)) void
__kmpc_for_static_init_4(void *, int32_t, int32_t, int32_t *last,
                         int32_t *lower, int32_t *upper, int32_t *stride,
                         int32_t incr, int32_t) {
  mlax::detail::static_init(last, lower, upper, stride, incr);
}
__attribute__((weak)) void __kmpc_for_static_fini(void *, int32_t) {}

__attribute__((weak)) void __kmpc_barrier(void *, int32_t) {
  if (mlax::detail::team.barrier)
    mlax::detail::team.barrier->wait();
}
} // extern "C"
#endif // MLAX_NO_OPENMP_RUNTIME

#endif // MLAX_EMBED_H
