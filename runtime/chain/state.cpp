#include "synod/chain/state.hpp"

#include "synod/base/int128.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::chain {
namespace {

hash32 entry_hash(byte_view key, byte_view value) noexcept {
  crypto::hasher h;
  std::uint8_t len[4];
  for (int i = 0; i < 4; ++i) len[i] = static_cast<std::uint8_t>(key.size() >> (8 * i));
  return h.update(len).update(key).update(value).finish();
}

void load_limbs(const hash32& h, std::uint64_t out[4]) noexcept {
  for (int l = 0; l < 4; ++l) {
    out[l] = 0;
    for (int b = 7; b >= 0; --b) out[l] = out[l] << 8 | h.data[8 * l + b];
  }
}

// limbs += x and limbs -= x, mod 2^256.
void add_limbs(std::uint64_t limbs[4], const std::uint64_t x[4]) noexcept {
  u128 carry = 0;
  for (int l = 0; l < 4; ++l) {
    carry += static_cast<u128>(limbs[l]) + x[l];
    limbs[l] = static_cast<std::uint64_t>(carry);
    carry >>= 64;
  }
}

void sub_limbs(std::uint64_t limbs[4], const std::uint64_t x[4]) noexcept {
  std::uint64_t borrow = 0;
  for (int l = 0; l < 4; ++l) {
    std::uint64_t sub = x[l] + borrow;
    std::uint64_t next_borrow = (sub < borrow) || (limbs[l] < sub) ? 1 : 0;
    limbs[l] -= sub;
    borrow = next_borrow;
  }
}

}  // namespace

state_digest::state_digest(const hash32& value) noexcept { load_limbs(value, limbs_); }

void state_digest::add(byte_view key, byte_view value) noexcept {
  std::uint64_t x[4];
  load_limbs(entry_hash(key, value), x);
  add_limbs(limbs_, x);
}

void state_digest::remove(byte_view key, byte_view value) noexcept {
  std::uint64_t x[4];
  load_limbs(entry_hash(key, value), x);
  sub_limbs(limbs_, x);
}

hash32 state_digest::delta(const hash32& after, const hash32& before) noexcept {
  state_digest d(after);
  std::uint64_t x[4];
  load_limbs(before, x);
  sub_limbs(d.limbs_, x);
  return d.value();
}

void state_digest::add_delta(const hash32& delta) noexcept {
  std::uint64_t x[4];
  load_limbs(delta, x);
  add_limbs(limbs_, x);
}

hash32 state_digest::value() const noexcept {
  hash32 out;
  for (int l = 0; l < 4; ++l)
    for (int b = 0; b < 8; ++b) out.data[8 * l + b] = static_cast<std::uint8_t>(limbs_[l] >> (8 * b));
  return out;
}

overlay::overlay(const state_view& base, bool track_digest)
    : base_(base),
      track_digest_(track_digest),
      remember_reads_(true),
      digest_(track_digest ? base.digest() : hash32{}) {}

overlay::overlay(const overlay& parent, child_tag)
    : base_(parent), track_digest_(false), remember_reads_(false) {}

std::optional<bytes> overlay::get(byte_view key) const {
  if (auto it = diff_.find(key); it != diff_.end()) return it->second;
  if (!remember_reads_) return base_.get(key);
  if (auto it = reads_.find(key); it != reads_.end()) return it->second;
  auto value = base_.get(key);
  reads_.emplace(bytes(key.begin(), key.end()), value);
  return value;
}

hash32 overlay::digest() const {
  settle();
  return digest_.value();
}

void overlay::settle() const {
  for (const auto& [key, counted] : unsettled_) {
    if (counted) digest_.remove(key, *counted);
    if (auto now = get(key)) digest_.add(key, *now);
  }
  unsettled_.clear();
}

void overlay::replace(byte_view key, std::optional<bytes> value) {
  if (track_digest_ && unsettled_.find(key) == unsettled_.end())
    unsettled_.emplace(bytes(key.begin(), key.end()), get(key));
  // One walk of the tree: the position found is the hint for a new key.
  auto it = diff_.lower_bound(key);
  if (it != diff_.end() && !bytes_less{}(key, it->first))
    it->second = std::move(value);
  else
    diff_.emplace_hint(it, bytes(key.begin(), key.end()), std::move(value));
}

void overlay::put(byte_view key, byte_view value) {
  replace(key, bytes(value.begin(), value.end()));
}

void overlay::erase(byte_view key) { replace(key, std::nullopt); }

void overlay::discard(byte_view key) {
  auto it = diff_.find(key);
  if (it == diff_.end()) return;
  if (track_digest_ && unsettled_.find(key) == unsettled_.end())
    unsettled_.emplace(it->first, it->second);
  diff_.erase(it);
}

bool overlay::absorb(const state_diff& writes, const hash32& digest_delta) {
  for (const auto& entry : writes)
    if (diff_.count(entry.first)) return false;
  // The delta counts the absorbed keys from their base values: nothing unsettled may be
  // counted from another value.
  if (track_digest_) settle();
  for (const auto& [key, value] : writes) diff_.emplace(key, value);
  if (track_digest_) digest_.add_delta(digest_delta);
  return true;
}

void overlay::merge(const overlay& child) {
  for (const auto& [key, value] : child.diff_) replace(key, value);
}

state_diff overlay::take_diff() noexcept {
  unsettled_.clear();
  return std::move(diff_);
}

std::optional<bytes> diff_view::get(byte_view key) const {
  auto it = diff_.find(key);
  return it == diff_.end() ? std::nullopt : it->second;
}

std::optional<bytes> memory_state::get(byte_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void memory_state::apply(const state_diff& diff) {
  for (const auto& [key, value] : diff) {
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      digest_.remove(key, it->second);
      if (!value) { entries_.erase(it); continue; }
      it->second = *value;
    } else if (value) {
      entries_.emplace(key, *value);
    }
    if (value) digest_.add(key, *value);
  }
}

}  // namespace synod::chain
