#include "synod/chain/parallel.hpp"

#include <random>
#include <set>

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

constexpr rao tao = rao_per_tao;

// Records every key read through it.
class read_audit final : public state_view {
 public:
  explicit read_audit(const state_view& base) : base_(base) {}
  [[nodiscard]] std::optional<bytes> get(byte_view key) const override {
    reads.emplace(key.begin(), key.end());
    return base_.get(key);
  }
  [[nodiscard]] hash32 digest() const override { return base_.digest(); }
  mutable std::set<bytes, bytes_less> reads;

 private:
  const state_view& base_;
};

std::vector<const slice_outcome*> pointers(const std::vector<slice_outcome>& v) {
  std::vector<const slice_outcome*> out;
  for (const auto& s : v) out.push_back(&s);
  return out;
}

class Parallel : public ChainFixture {
 public:
  // Sixteen funded people in four circles (i mod 4); each circle has its own hotkey, and
  // people transact only within their circle, so a block has (at least) four groups.
  Parallel() {
    for (std::uint8_t i = 0; i < 16; ++i) people.push_back(key(static_cast<std::uint8_t>(30 + i)));
    for (std::uint8_t c = 0; c < circles; ++c) hotkeys.push_back(key(static_cast<std::uint8_t>(50 + c)));
    std::vector<bytes> setup;
    for (const auto& p : people) setup.push_back(next(alice, transfer_call{p.public_key(), 50 * tao}));
    for (std::size_t c = 0; c < circles; ++c) {
      setup.push_back(next(people[c], registration(people[c], hotkeys[c])));
      setup.push_back(next(people[c], add_stake_call{hotkeys[c].public_key(), 5 * tao}));
    }
    auto built = produce(setup);
    EXPECT_EQ(built.header.tx_count, setup.size());
  }

  bytes next(const crypto::keypair& who, const call& c) { return sign(who, nonces[who.public_key()]++, c); }

  // A random mix within circles: transfers (to each other and to outsiders), stakes,
  // unstakes, registrations, and invalid ones (replayed and skipped nonces, overspends).
  std::vector<bytes> random_txs(std::mt19937& rng, std::size_t n) {
    std::vector<bytes> out;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& who = people[rng() % people.size()];
      std::size_t me = static_cast<std::size_t>(&who - people.data());
      std::size_t c = me % circles;
      auto peer = people[c + circles * (rng() % (people.size() / circles))].public_key();
      auto outsider = key(static_cast<std::uint8_t>(100 + 30 * c + rng() % 30)).public_key();
      const auto& hk = hotkeys[c];
      call x;
      switch (rng() % 7) {
        case 0: x = add_stake_call{hk.public_key(), 1 + rng() % (2 * tao)}; break;
        case 1: x = remove_stake_call{hk.public_key(), 1 + rng() % tao}; break;
        case 2: x = registration(who, key(static_cast<std::uint8_t>(60 + c))); break;
        case 3: x = transfer_call{outsider, 60 * tao}; break;  // overspend
        case 4: x = transfer_call{peer, 1 + rng() % (3 * tao)}; break;
        default: x = transfer_call{outsider, 1 + rng() % (3 * tao)}; break;
      }
      auto& nonce = nonces[who.public_key()];
      switch (rng() % 12) {
        case 0: out.push_back(sign(who, nonce + 1, x)); break;  // skips ahead
        case 1: if (nonce > 0) { out.push_back(sign(who, nonce - 1, x)); break; } [[fallthrough]];
        default: out.push_back(sign(who, nonce++, x)); break;
      }
    }
    return out;
  }

  std::vector<decoded_tx> decode_all(const std::vector<bytes>& envelopes) const {
    std::vector<decoded_tx> out;
    for (const auto& e : envelopes) out.push_back(decode(e));
    return out;
  }

  std::vector<slice_outcome> slices(std::span<const decoded_tx> txs, std::size_t k, slice_mode mode,
                                    std::uint64_t height) const {
    std::vector<slice_outcome> out;
    for (const auto& plan : plan_slices(txs, k))
      out.push_back(apply_slice(state, ctx, txs, plan, height, mode));
    return out;
  }

  static constexpr std::size_t circles = 4;
  std::vector<crypto::keypair> people, hotkeys;
  std::map<public_key, std::uint64_t> nonces;
};

TEST_F(Parallel, SlicedBlocksEqualPlainSerialApplicationForAnyK) {
  std::mt19937 rng(11);
  auto envelopes = random_txs(rng, 400);
  auto txs = decode_all(envelopes);

  // The reference, written out here: one transaction after another on one overlay.
  overlay serial(state);
  std::vector<hash32> applied, dropped;
  for (const auto& tx : txs) {
    auto r = apply_tx(serial, tx, ctx.params, parent.height + 1);
    (r ? applied : dropped).push_back(tx.id);
  }
  end_block(serial, parent.height + 1, ctx.params);
  ASSERT_GT(dropped.size(), 10u);
  ASSERT_GT(applied.size(), 200u);

  for (std::size_t k : {1, 2, 3, 4, 7, 16}) {
    auto parts = slices(txs, k, slice_mode::build, parent.height + 1);
    EXPECT_EQ(parts.size(), std::min(k, circles)) << "k = " << k;
    auto built = build_block(state, ctx, parent, parent.slot + 1, authority, envelopes, txs,
                             pointers(parts));
    ASSERT_TRUE(built) << built.error().to_string();
    EXPECT_EQ(built->outcome.digest, serial.digest()) << "k = " << k;
    EXPECT_EQ(built->outcome.diff, serial.diff()) << "k = " << k;
    std::vector<hash32> got;
    for (const auto& r : built->outcome.receipts) got.push_back(r.tx_id);
    EXPECT_EQ(got, applied) << "k = " << k;
    std::set<hash32> got_dropped, want_dropped(dropped.begin(), dropped.end());
    for (const auto& d : built->dropped) got_dropped.insert(d.first);
    EXPECT_EQ(got_dropped, want_dropped) << "k = " << k;

    // A follower importing the block in k slices reaches the same state.
    auto blk = decode_block(built->raw, ctx.params);
    ASSERT_TRUE(blk);
    std::vector<decoded_tx> block_txs;
    for (auto v : blk->txs) block_txs.push_back(decode(bytes(v.begin(), v.end())));
    auto imported_parts = slices(block_txs, k, slice_mode::import, parent.height + 1);
    auto imported = apply_block(state, ctx, parent, *blk, block_txs, pointers(imported_parts));
    ASSERT_TRUE(imported) << imported.error().to_string();
    EXPECT_EQ(imported->digest, serial.digest());
    EXPECT_EQ(imported->diff, serial.diff());
  }
}

TEST_F(Parallel, TransactionsSharingAKeyShareASliceInBlockOrder) {
  std::mt19937 rng(5);
  auto txs = decode_all(random_txs(rng, 200));
  auto plan = plan_slices(txs, 4);
  std::map<std::uint32_t, std::size_t> slice_of;
  for (std::size_t s = 0; s < plan.size(); ++s) {
    EXPECT_TRUE(std::is_sorted(plan[s].begin(), plan[s].end()));
    for (auto i : plan[s]) EXPECT_TRUE(slice_of.emplace(i, s).second) << i << " is in two slices";
  }
  EXPECT_EQ(slice_of.size(), txs.size());
  std::map<bytes, std::size_t, bytes_less> owner;
  for (std::uint32_t i = 0; i < txs.size(); ++i) {
    std::vector<bytes> keys;
    ASSERT_TRUE(conflict_keys(txs[i], keys));
    for (const auto& k : keys) {
      auto [it, fresh] = owner.emplace(k, slice_of[i]);
      EXPECT_EQ(it->second, slice_of[i]) << "a key is touched from two slices";
    }
  }
}

// The grouping is only sound if every key a call reads or writes is among its conflict keys.
TEST_F(Parallel, ConflictKeysCoverEveryKeyACallReadsOrWrites) {
  std::mt19937 rng(3);
  for (const auto& envelope : random_txs(rng, 300)) {
    auto tx = decode(envelope);
    std::vector<bytes> keys;
    ASSERT_TRUE(conflict_keys(tx, keys));
    std::set<bytes, bytes_less> declared(keys.begin(), keys.end());
    declared.insert(totals_key());
    read_audit audit(state);
    overlay o(audit);
    auto r = apply_tx(o, tx, ctx.params, parent.height + 1);
    for (const auto& k : audit.reads) EXPECT_TRUE(declared.count(k)) << "reads " << to_hex(k);
    for (const auto& [k, v] : o.diff()) EXPECT_TRUE(declared.count(k)) << "writes " << to_hex(k);
    if (r) state.apply(o.diff());
  }
}

TEST_F(Parallel, ImportNamesTheFirstBadSignatureBeforeAnyInvalidCallForAnyK) {
  std::vector<bytes> envelopes = {
      next(people[0], transfer_call{bob.public_key(), tao}),
      sign(people[1], 7, transfer_call{bob.public_key(), tao}),  // skips ahead: invalid
      next(people[2], transfer_call{bob.public_key(), tao}),
      next(people[3], transfer_call{bob.public_key(), tao}),  // its signature is broken below
      next(people[4], transfer_call{bob.public_key(), tao}),
  };
  auto txs = decode_all(envelopes);
  std::vector<hash32> ids;
  for (const auto& t : txs) ids.push_back(t.id);
  block_header h{parent.height + 1, parent.hash, parent.slot + 1, authority.public_key(),
                 tx_root(ids), hash32{}, static_cast<std::uint32_t>(txs.size())};
  auto raw = encode_block(h, envelopes, authority);
  auto blk = decode_block(raw, ctx.params);
  ASSERT_TRUE(blk);
  for (std::size_t k : {1, 2, 5}) {
    auto parts = slices(txs, k, slice_mode::import, h.height);
    auto r = apply_block(state, ctx, parent, *blk, txs, pointers(parts));
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().is(errc::nonce_too_high)) << r.error().to_string();
    EXPECT_NE(r.error().to_string().find("transaction 1"), std::string::npos) << r.error().to_string();

    auto forged = txs;
    forged[3].sig.data[0] ^= 1;
    parts = slices(forged, k, slice_mode::import, h.height);
    r = apply_block(state, ctx, parent, *blk, forged, pointers(parts));
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().is(errc::bad_signature)) << r.error().to_string();
    EXPECT_NE(r.error().to_string().find("transaction 3"), std::string::npos) << r.error().to_string();
  }
}

TEST_F(Parallel, SlicesThatDoNotFitAreRefused) {
  std::mt19937 rng(9);
  auto envelopes = random_txs(rng, 60);
  auto txs = decode_all(envelopes);
  auto parts = slices(txs, 3, slice_mode::build, parent.height + 1);
  ASSERT_EQ(parts.size(), 3u);
  auto build = [&](std::vector<const slice_outcome*> p, const state_view& over) {
    return build_block(over, ctx, parent, parent.slot + 1, authority, envelopes, txs, p);
  };
  auto gap = build({&parts[0], &parts[1]}, state);
  ASSERT_FALSE(gap);
  EXPECT_TRUE(gap.error().is(errc::bad_block));
  EXPECT_NE(gap.error().message().find("in no slice"), std::string::npos) << gap.error().to_string();
  auto twice = build({&parts[0], &parts[1], &parts[2], &parts[2]}, state);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message().find("overlap"), std::string::npos) << twice.error().to_string();
  // Applied over the state before a block that has since been committed.
  produce({next(alice, transfer_call{bob.public_key(), tao})});
  auto stale = build({&parts[0], &parts[1], &parts[2]}, state);
  ASSERT_FALSE(stale);
  EXPECT_NE(stale.error().message().find("another state"), std::string::npos) << stale.error().to_string();
}

}  // namespace
}  // namespace synod::chain::testing
