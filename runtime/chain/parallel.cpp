#include "synod/chain/parallel.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

#include "synod/chain/block.hpp"
#include "synod/chain/subnet.hpp"

namespace synod::chain {
namespace {

template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

// Union-find over transaction indexes, smallest index as the root of each group.
struct groups {
  std::vector<std::uint32_t> parent;

  explicit groups(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }

  std::uint32_t root(std::uint32_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }

  void join(std::uint32_t a, std::uint32_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

i128 signed_change(rao after, rao before) {
  return static_cast<i128>(after) - static_cast<i128>(before);
}

totals_delta change_of(const totals& after, const totals& before) {
  return {signed_change(after.issuance, before.issuance),
          signed_change(after.pending_emission, before.pending_emission),
          signed_change(after.total_stake, before.total_stake),
          signed_change(after.burned, before.burned),
          signed_change(after.locked, before.locked)};
}

std::optional<rao> moved(rao base, i128 delta) {
  i128 v = static_cast<i128>(base) + delta;
  if (v < 0 || v > static_cast<i128>(std::numeric_limits<rao>::max())) return std::nullopt;
  return static_cast<rao>(v);
}

}  // namespace

std::optional<totals> add_deltas(const totals& base, std::span<const slice_outcome* const> slices) {
  totals_delta sum;
  for (const auto* sl : slices) {
    sum.issuance += sl->totals.issuance;
    sum.pending_emission += sl->totals.pending_emission;
    sum.total_stake += sl->totals.total_stake;
    sum.burned += sl->totals.burned;
    sum.locked += sl->totals.locked;
  }
  auto issuance = moved(base.issuance, sum.issuance);
  auto pending = moved(base.pending_emission, sum.pending_emission);
  auto stake = moved(base.total_stake, sum.total_stake);
  auto burned = moved(base.burned, sum.burned);
  auto locked = moved(base.locked, sum.locked);
  if (!issuance || !pending || !stake || !burned || !locked) return std::nullopt;
  return totals{*issuance, *pending, *stake, *burned, *locked};
}

bool conflict_keys(const decoded_tx& tx, std::vector<bytes>& out) {
  out.push_back(account_key(tx.signer));  // fee and nonce
  return std::visit(
      overloaded{
          [&](const transfer_call& c) {
            out.push_back(account_key(c.dest));
            return true;
          },
          [&](const add_stake_call& c) {
            out.push_back(hotkey_key(c.hotkey));
            out.push_back(stake_key(c.hotkey, tx.signer));
            out.push_back(hotkey_stake_key(c.hotkey));
            out.push_back(stakers_key(c.hotkey));
            return true;
          },
          [&](const remove_stake_call& c) {
            out.push_back(stake_key(c.hotkey, tx.signer));
            out.push_back(hotkey_stake_key(c.hotkey));
            out.push_back(stakers_key(c.hotkey));
            return true;
          },
          [&](const register_hotkey_call& c) {
            out.push_back(hotkey_key(c.hotkey));
            return true;
          },
          // A call not listed here is applied as if it touched everything: correct, serial.
          [](const auto&) { return false; },
      },
      tx.call);
}

std::vector<std::vector<std::uint32_t>> plan_slices(std::span<const decoded_tx> txs, std::size_t k) {
  const auto n = static_cast<std::uint32_t>(txs.size());
  if (n == 0) return {};
  k = std::max<std::size_t>(1, std::min<std::size_t>(k, n));
  groups g(n);
  std::unordered_map<std::string, std::uint32_t> first_toucher;
  first_toucher.reserve(2 * n);
  std::vector<bytes> keys;
  std::optional<std::uint32_t> first_global;
  for (std::uint32_t i = 0; i < n; ++i) {
    keys.clear();
    if (!conflict_keys(txs[i], keys)) {
      if (first_global) g.join(*first_global, i);
      first_global = i;
    }
    for (const auto& key : keys) {
      auto [it, fresh] = first_toucher.try_emplace(std::string(key.begin(), key.end()), i);
      if (!fresh) g.join(it->second, i);
    }
  }
  if (first_global)  // one call that may touch anything: the whole block is one group
    for (std::uint32_t i = 0; i < n; ++i) g.join(*first_global, i);

  std::vector<std::vector<std::uint32_t>> members(n);
  for (std::uint32_t i = 0; i < n; ++i) members[g.root(i)].push_back(i);
  std::vector<std::uint32_t> roots;
  for (std::uint32_t i = 0; i < n; ++i)
    if (!members[i].empty()) roots.push_back(i);
  // Largest groups first, each to the lightest slice so far (ties: lowest root, lowest slice).
  std::stable_sort(roots.begin(), roots.end(), [&](std::uint32_t a, std::uint32_t b) {
    return members[a].size() > members[b].size();
  });
  std::vector<std::vector<std::uint32_t>> slices(k);
  for (auto r : roots) {
    auto lightest = std::min_element(slices.begin(), slices.end(), [](const auto& a, const auto& b) {
      return a.size() < b.size();
    });
    lightest->insert(lightest->end(), members[r].begin(), members[r].end());
  }
  std::erase_if(slices, [](const auto& s) { return s.empty(); });
  for (auto& s : slices) std::sort(s.begin(), s.end());
  return slices;
}

slice_outcome apply_slice(const state_view& parent, const chain_context& ctx,
                          std::span<const decoded_tx> txs, std::span<const std::uint32_t> indexes,
                          std::uint64_t height, slice_mode mode) {
  slice_outcome out;
  out.base_digest = parent.digest();
  if (mode == slice_mode::import) {
    for (auto i : indexes)
      if (auto st = check_signatures(txs[i], ctx.chain_id); !st) {
        out.bad_signature.emplace(i, std::move(st).error());
        return out;
      }
  }
  overlay s(parent);
  out.receipts.reserve(indexes.size());
  for (auto i : indexes) {
    auto r = apply_tx(s, txs[i], ctx.params, height);
    if (r) {
      out.receipts.emplace_back(i, std::move(*r));
    } else if (mode == slice_mode::build) {
      out.dropped.emplace_back(i, std::move(r).error());
    } else {
      out.invalid.emplace(i, std::move(r).error());
      return out;
    }
  }
  auto before = get_totals(parent);
  out.totals = change_of(get_totals(s), before);
  s.discard(totals_key());
  out.digest_delta = state_digest::delta(s.digest(), out.base_digest);
  out.writes = s.take_diff();
  return out;
}

}  // namespace synod::chain
