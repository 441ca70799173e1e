#pragma once
// Task, reference and answer payloads are the subnet's own bytes. These two classes are the
// quick way to lay them out: fixed-width little-endian numbers and length-prefixed arrays,
// written in order and read back in the same order. Every read is bounds-checked and throws
// sdk::bad_request naming what was missing, so a malformed payload from a miner is refused
// with a reason, never read past its end.

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "synod/sdk/plugin.hpp"

namespace synod::sdk {

class payload_writer {
 public:
  payload_writer& u32(std::uint32_t v) { return put(v); }
  payload_writer& u64(std::uint64_t v) { return put(v); }
  payload_writer& f32(float v) { return put(std::bit_cast<std::uint32_t>(v)); }
  payload_writer& f64(double v) { return put(std::bit_cast<std::uint64_t>(v)); }
  /// A u32 count, then the values.
  payload_writer& f32s(std::span<const float> v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (float x : v) f32(x);
    return *this;
  }
  payload_writer& f64s(std::span<const double> v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (double x : v) f64(x);
    return *this;
  }
  [[nodiscard]] bytes take() { return std::move(out_); }

 private:
  template <class U>
  payload_writer& put(U v) {
    for (std::size_t i = 0; i < sizeof(U); ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  bytes out_;
};

class payload_reader {
 public:
  /// `what` names the payload in errors ("task", "answer").
  payload_reader(byte_span in, std::string what) : in_(in), what_(std::move(what)) {}

  std::uint32_t u32() { return get<std::uint32_t>("a u32"); }
  std::uint64_t u64() { return get<std::uint64_t>("a u64"); }
  float f32() { return std::bit_cast<float>(get<std::uint32_t>("an f32")); }
  double f64() { return std::bit_cast<double>(get<std::uint64_t>("an f64")); }
  /// A u32 count (at most `max`), then the values.
  std::vector<float> f32s(std::uint32_t max) {
    std::vector<float> v(count(max));
    for (auto& x : v) x = f32();
    return v;
  }
  std::vector<double> f64s(std::uint32_t max) {
    std::vector<double> v(count(max));
    for (auto& x : v) x = f64();
    return v;
  }
  /// Throws unless every byte was read.
  void end() const {
    if (at_ != in_.size())
      throw bad_request(what_ + " has " + std::to_string(in_.size() - at_) + " bytes left over at byte " +
                        std::to_string(at_));
  }

 private:
  std::uint32_t count(std::uint32_t max) {
    const std::uint32_t n = u32();
    if (n > max)
      throw bad_request(what_ + " holds an array of " + std::to_string(n) + " values, at most " +
                        std::to_string(max) + " allowed");
    return n;
  }
  template <class U>
  U get(const char* kind) {
    if (in_.size() - at_ < sizeof(U))
      throw bad_request(what_ + " ends at byte " + std::to_string(in_.size()) + ", " + kind +
                        " was expected at byte " + std::to_string(at_));
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(in_[at_ + i]) << (8 * i);
    at_ += sizeof(U);
    return v;
  }
  byte_span in_;
  std::string what_;
  std::size_t at_ = 0;
};

}  // namespace synod::sdk
