// core/dtype.cpp — element sizes and names.
#include "dtype.hpp"

namespace llmcalc {

double dtype_bytes(DType t) {
  switch (t) {
    case DType::fp32: return 4.0;
    case DType::fp16:
    case DType::bf16: return 2.0;
    case DType::fp8:
    case DType::int8: return 1.0;
    case DType::int4:
    case DType::fp4: return 0.5;
  }
  return 2.0;
}

std::string_view dtype_name(DType t) { return dtype_label(t); }

const char* dtype_label(DType t) {
  switch (t) {
    case DType::fp32: return "fp32";
    case DType::fp16: return "fp16";
    case DType::bf16: return "bf16";
    case DType::fp8: return "fp8";
    case DType::int8: return "int8";
    case DType::int4: return "int4";
    case DType::fp4: return "fp4";
  }
  return "?";
}

std::optional<DType> parse_dtype(std::string_view s) {
  for (DType t : kAllDTypes)
    if (dtype_name(t) == s) return t;
  return std::nullopt;
}

}  // namespace llmcalc
