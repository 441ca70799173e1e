#include "synod/consensus/epoch.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <tuple>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"
#include "synod/consensus/errc.hpp"

namespace synod::consensus {
namespace {

status check_length(std::size_t got, std::size_t n, const char* what) {
  if (got == n) return ok();
  return error(errc::bad_input, std::string(what) + " has " + std::to_string(got) +
                                    " entries, stake has " + std::to_string(n));
}

// A row whose uids do not ascend names a uid twice when its sorted uids repeat one. `uids` is
// scratch.
status check_unordered(const u16_row& row, const char* what, std::size_t i, std::vector<std::uint16_t>& uids) {
  uids.clear();
  for (const u16_entry& e : row) uids.push_back(e.uid);
  std::sort(uids.begin(), uids.end());
  if (std::adjacent_find(uids.begin(), uids.end()) != uids.end())
    return error(errc::bad_input, std::string(what) + " row " + std::to_string(i) + " names a uid twice");
  return ok();
}

// The sparse steps assume a uid appears at most once per row. `ascending` receives per row
// whether its uids strictly ascend (how storage keeps them), so later steps need not check, or
// detail::unchecked for the rows `defer` names: a later pass over them checks them (the dense
// path, which reads them anyway) or finish_row_checks does. `nonempty`, when given, receives
// the rows that hold entries (few bond rows of a sparse subnet do).
template <class Defer>
status check_rows(const std::vector<u16_row>& rows, const char* what, std::vector<char>& ascending, Defer defer,
                  std::vector<std::uint32_t>* nonempty = nullptr) {
  // An empty row is in order: every flag starts so, and the pass below skips those rows (most
  // rows of a sparse subnet) on one comparison each.
  ascending.assign(rows.size(), 1);
  if (nonempty) nonempty->clear();
  bool all_ascending = true;  // one tight pass first: most rows are empty or short, all in order
  // Local pointers: a char store may alias the vectors' own, which would be reloaded every row.
  const u16_row* row = rows.data();
  char* row_ascending = ascending.data();
  for (std::size_t i = 0, n = rows.size(); i < n; ++i) {
    if (row[i].empty()) continue;
    const u16_entry* first = row[i].data();
    const std::size_t size = row[i].size();
    if (nonempty) nonempty->push_back(static_cast<std::uint32_t>(i));
    if (defer(size)) {
      row_ascending[i] = detail::unchecked;
      continue;
    }
    const bool in_order = detail::strictly_ascending(first, first + size);
    row_ascending[i] = in_order;
    all_ascending = all_ascending && in_order;
  }
  if (all_ascending) return ok();
  std::vector<std::uint16_t> uids;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!ascending[i]) SYNOD_TRY(check_unordered(rows[i], what, i, uids));  // deferred rows are not 0
  return ok();
}

// The rows check_input left unchecked (and the dense path did not read), checked now. Found
// with memchr over the flags: few rows of a sparse subnet are unchecked, and a loop testing
// every flag was 2 x 65,536 steps (0.06 ms) at n = 65,536.
status finish_row_checks(const epoch_input& in, detail::epoch_state& st) {
  std::vector<std::uint16_t> uids;
  for (auto [rows, what, ascending] : {std::tuple{&in.weights, "weights", &st.weights_ascending},
                                       std::tuple{&in.bonds, "bonds", &st.bonds_ascending}}) {
    char* const first = ascending->data();
    char* const last = first + ascending->size();
    for (char* at = first; at != last; ++at) {
      at = static_cast<char*>(std::memchr(at, detail::unchecked, static_cast<std::size_t>(last - at)));
      if (at == nullptr) break;
      const std::size_t i = static_cast<std::size_t>(at - first);
      char& flag = *at;
      const u16_row& row = (*rows)[i];
      flag = detail::strictly_ascending(row.data(), row.data() + row.size());
      if (!flag) SYNOD_TRY(check_unordered(row, what, i, uids));
    }
  }
  return ok();
}

status check_input(const epoch_input& in, detail::epoch_state& st) {
  const std::size_t n = in.stake.size();
  SYNOD_TRY(check_length(in.registered_at.size(), n, "registered_at"));
  SYNOD_TRY(check_length(in.last_update.size(), n, "last_update"));
  SYNOD_TRY(check_length(in.validator_permit.size(), n, "validator_permit"));
  SYNOD_TRY(check_length(in.weights.size(), n, "weights"));
  SYNOD_TRY(check_length(in.bonds.size(), n, "bonds"));
  if (!in.first_commit_block.empty())
    SYNOD_TRY(check_length(in.first_commit_block.size(), n, "first_commit_block"));
  // Where the dense path may run, rows it reads whole are left to it: a weight row naming every
  // uid, and every bond row. It checks them as it reads them.
  const bool dense = n > 1;
  st.deferred_weight_rows = 0;
  SYNOD_TRY(check_rows(in.weights, "weights", st.weights_ascending, [&](std::size_t size) {
    const bool defer = dense && size == n;
    st.deferred_weight_rows += defer;
    return defer;
  }));
  return check_rows(in.bonds, "bonds", st.bonds_ascending, [&](std::size_t size) { return dense && size > 1; },
                    &st.bond_rows);
}

void to_rao(const detail::fixed_vector& shares, std::uint64_t amount, std::vector<std::uint64_t>& out) {
  out.resize(shares.size());
  for (std::size_t i = 0; i < shares.size(); ++i) out[i] = share_of(shares[i], amount);
}

// §2.11: server and validator shares of the combined I + D; with nothing earned, validators
// are paid by active stake, or by stake when no stake is active. Written straight into the
// output's amounts: the shares themselves are not stored.
// `non_negative`: no incentive or dividend is below 0 (found by assemble_output's pass), which
// also listed in st.earning the uids whose I or D is not 0 and set every amount to 0.
void emission_split(const detail::epoch_state& st, std::uint64_t amount, i32f32 total, bool non_negative,
                    epoch_output& out) {
  if (total == i32f32{} && non_negative) {
    // Nothing earned, every I and D 0 (a subnet nobody has weighted yet): the servers' amounts
    // stay 0 and validators are paid by stake. S and A are 0 outside the staked uids, so those
    // alone are visited (the same sum: adding a 0 changes no saturating sum).
    i32f32 active;
    for (std::uint32_t i : st.staked) active = active + st.active_stake[i];
    const detail::fixed_vector& validator = active == i32f32{} ? st.stake : st.active_stake;
    for (std::uint32_t i : st.staked) out.validator_emission[i] = out.emission[i] = share_of(validator[i], amount);
    return;
  }
  if (total == i32f32{}) {  // the same with negative I or D summing to 0 (never on chain): every uid
    const bool none_active = detail::sum(st.active_stake) == i32f32{};
    const detail::fixed_vector& validator = none_active ? st.stake : st.active_stake;
    to_rao(st.incentive, amount, out.server_emission);
    to_rao(validator, amount, out.validator_emission);
    to_rao(validator, amount, out.emission);
    return;
  }
  // normalize(combined) divides by the same saturating sum as the two shares do. I and D are
  // normalized, so on chain their sum is at most 2.0 and every dividend at most it.
  const bool shares =
      total > i32f32{} && detail::share_divider::fits(static_cast<std::uint64_t>(total.raw())) && non_negative;
  if (shares) {
    const detail::share_divider by(static_cast<std::uint64_t>(total.raw()));
    auto part = [&](i32f32 x) { return i32f32::from_raw(static_cast<std::int64_t>(by.div(static_cast<std::uint64_t>(x.raw())))); };
    for (std::uint32_t i : st.earning) {  // the others' shares are of 0
      out.server_emission[i] = share_of(part(st.incentive[i]), amount);
      out.validator_emission[i] = share_of(part(st.dividends[i]), amount);
      out.emission[i] = share_of(part(st.incentive[i] + st.dividends[i]), amount);
    }
    return;
  }
  const detail::divider by_total(total);
  for (std::size_t i = 0; i < st.n; ++i) {
    out.server_emission[i] = share_of(by_total.div(st.incentive[i]), amount);
    out.validator_emission[i] = share_of(by_total.div(st.dividends[i]), amount);
    out.emission[i] = share_of(by_total.div(st.incentive[i] + st.dividends[i]), amount);
  }
}

}  // namespace

std::uint64_t activity_cutoff_blocks(std::uint64_t factor_milli, std::uint64_t tempo) noexcept {
  const u128 blocks = static_cast<u128>(factor_milli) * tempo / 1000;  // no overflow
  if (blocks > ~std::uint64_t{0}) return ~std::uint64_t{0};
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(blocks));
}

namespace detail {

bool strictly_ascending(const u16_entry* first, const u16_entry* last) noexcept {
  if (last - first >= 8) return dense::kernels().ascending(first, last);  // this CPU's widest vectors
  // Rows shorter than a vector (most at n = 256) without the call into the kernels.
  bool in_order = true;
  for (const u16_entry* p = first + (first != last); p < last; ++p) in_order = in_order && p[-1].uid < p->uid;
  return in_order;
}

namespace {

// The stored rows of new permit holders from st.new_bonds, each divided by its column's
// bond_scale when that is not empty (Yuma 2's col_max_upscale).
void write_new_bonds(epoch_state& st, epoch_output& out) {
  const csr& b = st.new_bonds;
  const std::vector<divider> scale = dividers(st.bond_scale);  // empty: stored as they are
  for (std::size_t i = 0; i < st.n; ++i) {
    if (!st.permit_new[i]) continue;
    u16_row& row = out.bonds[i];
    const std::size_t first = b.begin(i);
    row.resize(b.end(i) - first);
    for (std::size_t k = first; k < b.end(i); ++k) {
      const i32f32 v = scale.empty() ? b.value[k] : scale[b.uid[k]].div_or_keep(b.value[k]);
      row[k - first] = {b.uid[k], v.to_u16_proportion()};
    }
  }
}

}  // namespace

void assemble_output(const epoch_input& in, epoch_state& st, epoch_output& out) {
  for (auto* v : {&out.consensus, &out.incentive, &out.dividends, &out.validator_trust, &out.stake_weight})
    v->resize(st.n);
  for (auto* v : {&out.server_emission, &out.validator_emission, &out.emission}) v->resize(st.n);
  i32f32 total;  // of I + D, for the emission split
  std::int64_t signs = 0;  // negative when an I or D is: checked here rather than in two more passes
  const i32f32 *consensus = st.consensus.data(), *incentive = st.incentive.data(), *dividends = st.dividends.data(),
               *trust = st.trust.data(), *stake = st.stake.data();
  std::uint16_t *consensus_to = out.consensus.data(), *incentive_to = out.incentive.data(),
                *dividends_to = out.dividends.data(), *trust_to = out.validator_trust.data(),
                *stake_to = out.stake_weight.data();
  std::uint64_t *server = out.server_emission.data(), *validator = out.validator_emission.data(),
                *emission = out.emission.data();
  // Outputs that may be other than 0 belong to the uids of four short lists: S to the staked,
  // C and I to the columns the medians gathered (I needs C above 0: weights are never
  // negative), trust to the rows of W, D to those and the stored bond rows. The outputs are
  // cleared in bulk, and those uids visited in ascending order, as the total's fold runs.
  for (std::uint16_t* v : {consensus_to, incentive_to, dividends_to, trust_to, stake_to}) std::fill_n(v, st.n, 0);
  for (std::uint64_t* v : {server, validator, emission}) std::fill_n(v, st.n, 0);  // emission_split pays the earning
  std::vector<std::uint64_t>& marked = st.output_uids;
  if (st.dense_outputs) {  // the dense path: every uid may hold any output
    marked.assign((st.n + 63) / 64, ~std::uint64_t{0});
    if (st.n % 64 != 0) marked.back() = (std::uint64_t{1} << (st.n % 64)) - 1;
  } else {
    marked.assign((st.n + 63) / 64, 0);
    // The lists ascend: a word's bits are gathered in a register and stored once, where an OR
    // into memory per uid waited on the one before whenever two shared a word.
    for (const std::vector<std::uint32_t>* list : {&st.staked, &st.median.gathered, &st.weight_rows, &st.bond_rows}) {
      std::size_t word = 0;
      std::uint64_t bits = 0;
      for (std::uint32_t i : *list) {
        if (i >> 6 != word) {
          marked[word] |= bits;
          word = i >> 6;
          bits = 0;
        }
        bits |= std::uint64_t{1} << (i & 63);
      }
      if (bits != 0) marked[word] |= bits;
    }
  }
  st.earning.clear();
  for (std::size_t word = 0; word < marked.size(); ++word) {
    for (std::uint64_t bits = marked[word]; bits != 0; bits &= bits - 1) {
      const std::size_t i = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      const std::int64_t x = incentive[i].raw(), d = dividends[i].raw();
      if ((x | d) != 0) st.earning.push_back(static_cast<std::uint32_t>(i));
      consensus_to[i] = consensus[i].to_u16_proportion();
      incentive_to[i] = incentive[i].to_u16_proportion();
      dividends_to[i] = dividends[i].to_u16_proportion();
      trust_to[i] = trust[i].to_u16_proportion();
      stake_to[i] = stake[i].to_u16_proportion();
      total = total + (incentive[i] + dividends[i]);
      signs |= x | d;
    }
  }
  // Filled a word at a time, then the exceptions bit by bit: most uids are active, few hold a
  // permit, and vector<bool> has no cheaper way in. The flags are read eight at a time.
  out.active.assign(st.n, true);
  out.validator_permit.assign(st.n, false);
  const char* inactive = st.inactive.data();
  const char* permit = st.permit_new.data();
  for (std::size_t i0 = 0; i0 < st.n; i0 += 8) {
    if (i0 + 8 <= st.n) {
      std::uint64_t flags = 0, permits = 0;
      std::memcpy(&flags, inactive + i0, 8);
      std::memcpy(&permits, permit + i0, 8);
      if ((flags | permits) == 0) continue;
    }
    for (std::size_t i = i0; i < std::min(st.n, i0 + 8); ++i) {
      if (inactive[i]) out.active[i] = false;
      if (permit[i]) out.validator_permit[i] = true;
    }
  }
  emission_split(st, in.emission, total, signs >= 0, out);
  out.bonds.resize(st.n);
  if (!st.bonds_written) write_new_bonds(st, out);
  const char* permit_old = st.permit_old.data();
  const u16_row* stored = in.bonds.data();
  u16_row* bonds = out.bonds.data();
  // Rows without a new permit are cleared (a uid that lost its permit loses its bonds), then
  // those that held neither permit and store bonds are kept as stored: those are among the
  // listed non-empty stored rows, so the pass over every uid reads no stored row.
  for (std::size_t i = 0; i < st.n; ++i)
    if (!bonds[i].empty() && !permit[i]) bonds[i].clear();  // read first: most rows hold none, and stay clean
  for (std::uint32_t i : st.bond_rows)
    if (!permit[i] && !permit_old[i]) bonds[i].assign(stored[i].begin(), stored[i].end());
}

}  // namespace detail

epoch_workspace::epoch_workspace() : state_(std::make_unique<detail::epoch_state>()) {}
epoch_workspace::~epoch_workspace() = default;
epoch_workspace::epoch_workspace(epoch_workspace&&) noexcept = default;
epoch_workspace& epoch_workspace::operator=(epoch_workspace&&) noexcept = default;

result<epoch_output> run_epoch(const epoch_input& in) {
  epoch_workspace ws;
  return run_epoch(in, ws);
}

result<epoch_output> run_epoch(const epoch_input& in, epoch_workspace& ws) {
  epoch_output out;
  SYNOD_TRY(run_epoch(in, ws, out));
  return out;
}

status run_epoch(const epoch_input& in, epoch_workspace& ws, epoch_output& out) {
  if (!ws.state_) ws.state_ = std::make_unique<detail::epoch_state>();  // moved from
  detail::epoch_state& st = *ws.state_;
  ++st.epochs;
  SYNOD_TRY(check_input(in, st));
  st.n = in.stake.size();
  detail::compute_stake(in, st);
  st.dense_outputs = detail::dense_epoch(in, st, out);
  if (!st.dense_outputs) {
    SYNOD_TRY(finish_row_checks(in, st));
    detail::compute_weights(in, st);
    detail::compute_consensus(in, st);
    detail::compute_bonds(in, st, out);
  }
  detail::assemble_output(in, st, out);
  return ok();
}

}  // namespace synod::consensus
