#include "core/ingest/pprof_legacy/go_exp.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

// Every operation below must round exactly once, as the SSE instructions do:
// the build compiles this file with -ffp-contract=off so that the compiler
// does not fuse the separate multiply and add of the non-FMA path.

namespace kiln::pprof_legacy {
namespace {

constexpr double kLog2E = 1.4426950408889634073599246810018920;
constexpr double kLn2Upper = 0.69314718055966295651160180568695068359375;
constexpr double kLn2Lower = 0.28235290563031577122588448175013436025525412068e-12;
constexpr double kOverflow = 7.09782712893384e+02;
// 1/k! for k = 7 down to 2, then 1/2 and 1, as the polynomial uses them.
constexpr double kT7 = 2.4801587301587301587e-5;
constexpr double kT6 = 1.9841269841269841270e-4;
constexpr double kT5 = 1.3888888888888888889e-3;
constexpr double kT4 = 8.3333333333333333333e-3;
constexpr double kT3 = 4.1666666666666666667e-2;
constexpr double kT2 = 1.6666666666666666667e-1;

// CVTSD2SL: round to nearest even; NaN and out-of-range give INT32_MIN.
int32_t ConvertToInt32(double t) {
  if (std::isnan(t)) return std::numeric_limits<int32_t>::min();
  const double r = std::nearbyint(t);
  if (r < -2147483648.0 || r > 2147483647.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(r);
}

template <bool kFma>
double Exp(double x) {
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  constexpr uint64_t kPosInf = 0x7FF0000000000000ull;
  constexpr uint64_t kNegInf = 0xFFF0000000000000ull;
  if ((bits & ~(uint64_t{1} << 63)) >= kPosInf) {
    return bits == kNegInf ? 0.0 : x;  // -Inf -> 0; NaN and +Inf unchanged
  }
  if (x > kOverflow) return std::numeric_limits<double>::infinity();
  const int32_t k = ConvertToInt32(kLog2E * x);
  const double kd = static_cast<double>(k);
  double r;
  if constexpr (kFma) {
    r = std::fma(-kd, kLn2Upper, x);
    r = std::fma(-kd, kLn2Lower, r);
  } else {
    r = x - kd * kLn2Upper;
    r = r - kd * kLn2Lower;
  }
  r = r * 0.0625;
  double p = kT7;
  if constexpr (kFma) {
    for (double c : {kT6, kT5, kT4, kT3, kT2, 0.5, 1.0}) p = std::fma(p, r, c);
  } else {
    for (double c : {kT6, kT5, kT4, kT3, kT2, 0.5, 1.0}) {
      p = p * r;
      p = p + c;
    }
  }
  r = r * p;  // e^r' - 1 for the reduced argument r' = r/16
  // (e^y - 1)(e^y - 1 + 2) = e^2y - 1, four times undoes the 1/16.
  if constexpr (kFma) {
    for (int i = 0; i < 3; ++i) r = r * (r + 2.0);
    r = std::fma(r, r + 2.0, 1.0);
  } else {
    for (int i = 0; i < 4; ++i) r = r * (r + 2.0);
    r = r + 1.0;
  }
  auto power_of_two = [](int32_t biased_exponent) {
    return std::bit_cast<double>(static_cast<uint64_t>(biased_exponent) << 52);
  };
  const int32_t biased = k + 0x3FF;  // k >= INT32_MIN, so no overflow
  if (biased <= 0) {
    // Subnormal result: Go scales in two steps, by 2^(biased-1) and then
    // by 2^-1022, rounding twice.
    if (biased < -52) return 0.0;
    r = r * power_of_two(biased + 0x3FE);
    return r * power_of_two(1);
  }
  if (biased >= 0x7FF) return std::numeric_limits<double>::infinity();
  return r * power_of_two(biased);
}

}  // namespace

double GoExp(double x) { return Exp<true>(x); }
double GoExpWithoutFma(double x) { return Exp<false>(x); }

}  // namespace kiln::pprof_legacy
