// core/dtype.hpp — element types and their storage cost.
#pragma once
#include <optional>
#include <string_view>

namespace llmcalc {

// Element types of matmul inputs (and of the GPU profile's GEMM grids). fp4 is Blackwell's E2M1
// tensor-core type; int4 stands for weight-only 4-bit formats, multiplied in 16-bit.
enum class DType { fp32, fp16, bf16, fp8, int8, int4, fp4 };
inline constexpr DType kAllDTypes[] = {DType::fp32, DType::fp16, DType::bf16, DType::fp8,
                                       DType::int8, DType::int4, DType::fp4};

// Bytes per element of the raw values, before any quantisation scales (DESIGN.md: fp32 4,
// fp16/bf16 2, fp8/int8 1, int4 0.5).
double dtype_bytes(DType t);
std::string_view dtype_name(DType t);               // "bf16"
const char* dtype_label(DType t);                   // the same, as a C string (a literal)
std::optional<DType> parse_dtype(std::string_view);  // nullopt when unknown

}  // namespace llmcalc
