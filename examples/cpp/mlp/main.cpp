// Runs the MLP exported by export_model.py: prints one prediction per line
// (as Python's expected.txt), then checks the weights-as-arguments variant
// against it.
#include "predict.h"
#include "predict_params.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

static std::vector<float> read_floats(const std::string &path, size_t n) {
  std::vector<float> v(n);
  std::ifstream f(path, std::ios::binary);
  if (!f.read(reinterpret_cast<char *>(v.data()), n * sizeof(float)))
    throw std::runtime_error("cannot read " + std::to_string(n) + " floats from " + path);
  return v;
}

int main(int argc, char **argv) {
  std::string dir = argc > 1 ? argv[1] : "model";
  std::vector<float> x = read_floats(dir + "/inputs.bin", 64 * 2);
  mlax::Tensor<float> y = mlax::generated::predict(mlax::View<const float>(x, {64, 2}));
  for (int64_t i = 0; i < y.size(); ++i)
    std::printf("%.6e\n", y[i]);

  // The same network with the weights passed in.
  std::vector<float> p = read_floats(dir + "/params.bin", 2 * 32 + 32 + 32 * 32 + 32 + 32 + 1);
  const float *w = p.data();
  mlax::View<const float> w1(w, {2, 32}), b1(w + 64, {32}), w2(w + 96, {32, 32}),
      b2(w + 1120, {32}), w3(w + 1152, {32, 1}), b3(w + 1184, {1});
  mlax::Tensor<float> y2 = mlax::generated::predict_params(w1, b1, w2, b2, w3, b3,
                                                           mlax::View<const float>(x, {64, 2}));
  double diff = 0;
  for (int64_t i = 0; i < y.size(); ++i)
    diff = std::fmax(diff, std::fabs(y[i] - y2[i]));
  std::fprintf(stderr, "max |predict - predict_params| = %g\n", diff);

  // A wrong shape is reported before anything is read.
  try {
    mlax::generated::predict(mlax::View<const float>(x, {32, 4}));
    std::fprintf(stderr, "no ShapeError\n");
    return 1;
  } catch (const mlax::ShapeError &e) {
    std::fprintf(stderr, "ShapeError: %s\n", e.what());
  }
  return diff < 1e-5 ? 0 : 1;
}
