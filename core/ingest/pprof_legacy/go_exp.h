// math.Exp as Go computes it on amd64 (src/math/exp_amd64.s, Go 1.19: a
// Shibata-style argument reduction, a degree-8 Taylor polynomial and four
// squarings), bit for bit. google/pprof scales sampled heap profiles with
// math.Exp and truncates to int64, so a libm exp() that differs by one ulp
// can change a total; this reproduces `go tool pprof` exactly.
//
// Go uses fused multiply-adds when the CPU has AVX and FMA (every x86-64
// since 2013), which rounds differently; GoExp follows that path and
// GoExpWithoutFma the other one.
#ifndef KILN_INGEST_PPROF_LEGACY_GO_EXP_H_
#define KILN_INGEST_PPROF_LEGACY_GO_EXP_H_

namespace kiln::pprof_legacy {

double GoExp(double x);
double GoExpWithoutFma(double x);

}  // namespace kiln::pprof_legacy

#endif  // KILN_INGEST_PPROF_LEGACY_GO_EXP_H_
