// Status and StatusOr: every fallible public call returns one of these; no
// exception ever escapes the library.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace rnnlite {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // caller passed something wrong (shape, index, name)
  kInvalidModel,       // the model file or graph is malformed
  kUnsupported,        // well-formed, but an op/attribute/type we do not run
  kNotFound,           // a file, tensor, plugin or entry point is absent
  kFailedPrecondition, // call order (e.g. Invoke before AllocateTensors)
  kResourceExhausted,  // allocation cap or device memory exceeded
  kUnavailable,        // a device or driver is missing
  kInternal,           // a bug or an unexpected backend failure
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidModel: tensor 3 ('x'): buffer 9 out of range"
  std::string ToString() const;

  // Prepends context ("node 4 ADD: ") to the message; keeps the code.
  Status WithContext(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status InvalidModel(std::string m) { return {StatusCode::kInvalidModel, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  StatusOr(T value) : value_(std::move(value)) {}          // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace rnnlite

#define RNNLITE_CONCAT_INNER(a, b) a##b
#define RNNLITE_CONCAT(a, b) RNNLITE_CONCAT_INNER(a, b)

// Returns early from the enclosing function if `expr` yields a non-OK Status.
#define RNNLITE_RETURN_IF_ERROR(expr)                       \
  do {                                                      \
    ::rnnlite::Status rnnlite_status_ = (expr);             \
    if (!rnnlite_status_.ok()) return rnnlite_status_;      \
  } while (0)

#define RNNLITE_ASSIGN_OR_RETURN_IMPL(var, lhs, expr) \
  auto var = (expr);                                  \
  if (!var.ok()) return var.status();                 \
  lhs = std::move(var).value()

// `RNNLITE_ASSIGN_OR_RETURN(auto x, FunctionReturningStatusOr());`
#define RNNLITE_ASSIGN_OR_RETURN(lhs, expr) \
  RNNLITE_ASSIGN_OR_RETURN_IMPL(RNNLITE_CONCAT(rnnlite_so_, __LINE__), lhs, expr)
