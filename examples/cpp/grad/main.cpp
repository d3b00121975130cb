// Calls the exported jit(grad(loss)) and prints dw then db, one value per
// line (as Python's expected.txt); then takes one gradient-descent step and
// prints the loss-gradient norm before and after.
#include "loss_grad.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char **argv) {
  std::string dir = argc > 1 ? argv[1] : "model";
  const size_t n = 8 * 4 + 4 + 32 * 8 + 32 * 4;
  std::vector<float> in(n);
  std::ifstream f(dir + "/inputs.bin", std::ios::binary);
  if (!f.read(reinterpret_cast<char *>(in.data()), n * sizeof(float))) {
    std::fprintf(stderr, "cannot read %s/inputs.bin\n", dir.c_str());
    return 1;
  }
  mlax::Tensor<float> w({8, 4}, std::vector<float>(in.begin(), in.begin() + 32));
  mlax::Tensor<float> b({4}, std::vector<float>(in.begin() + 32, in.begin() + 36));
  mlax::View<const float> x(in.data() + 36, {32, 8});
  mlax::View<const float> y(in.data() + 36 + 256, {32, 4});

  mlax::Tensor<float> dw({8, 4}), db({4});
  mlax::generated::loss_grad(w, b, x, y, dw, db);  // caller-provided outputs
  for (int64_t i = 0; i < dw.size(); ++i)
    std::printf("%.6e\n", dw[i]);
  for (int64_t i = 0; i < db.size(); ++i)
    std::printf("%.6e\n", db[i]);

  auto norm = [](const mlax::Tensor<float> &a, const mlax::Tensor<float> &c) {
    double s = 0;
    for (int64_t i = 0; i < a.size(); ++i) s += a[i] * a[i];
    for (int64_t i = 0; i < c.size(); ++i) s += c[i] * c[i];
    return std::sqrt(s);
  };
  double before = norm(dw, db);
  for (int step = 0; step < 100; ++step) {
    for (int64_t i = 0; i < w.size(); ++i) w[i] -= 0.5f * dw[i];
    for (int64_t i = 0; i < b.size(); ++i) b[i] -= 0.5f * db[i];
    auto [gw, gb] = mlax::generated::loss_grad(w, b, x, y);  // allocating form
    dw = std::move(gw);
    db = std::move(gb);
  }
  std::fprintf(stderr, "gradient norm %g -> %g after 100 steps\n", before, norm(dw, db));
  return norm(dw, db) < before ? 0 : 1;
}
