// core/error.cpp — names of the error codes (the single table).
#include "error.hpp"

namespace llmcalc {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_value: return "bad_value";
    case ErrorCode::missing_value: return "missing_value";
    case ErrorCode::unknown_preset: return "unknown_preset";
    case ErrorCode::inconsistent: return "inconsistent";
    case ErrorCode::unsupported_version: return "unsupported_version";
    case ErrorCode::malformed: return "malformed";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::io: return "io";
  }
  return "unknown";
}

}  // namespace llmcalc
