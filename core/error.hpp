// core/error.hpp — the one table of error codes and the Result type every fallible core call
// returns. No exceptions cross core or the WASM boundary (CONVENTIONS.md §5).
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace llmcalc {

// Every error the core can report. Messages are built by the caller with the offending key and
// value; the code says which family it belongs to (for tests and for the UI's status line).
enum class ErrorCode {
  bad_value,        // a key's value is not one of the allowed values / out of range
  missing_value,    // a required key or field is absent
  unknown_preset,   // a model or GPU id that no preset has
  inconsistent,     // values that are each fine but contradict each other
  unsupported_version,  // a format version this build cannot read
  malformed,        // text that is not the expected syntax (URL, JSON)
  too_large,        // input over a size cap
  io,               // a file could not be read or written
};

struct Error {
  ErrorCode code;
  std::string message;  // human text naming the problem, e.g. "batch: must be >= 1, got -1"
};

// A tiny std::expected stand-in (C++20 and Emscripten's libc++ 14 have none).
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}        // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T* operator->() const { return &std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace llmcalc
