#include "synod/store/database.hpp"

#include <rocksdb/db.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "codec.hpp"
#include "state_cache.hpp"
#include "synod/chain/errc.hpp"
#include "synod/store/errc.hpp"

namespace synod::store {
namespace {

enum cf : std::size_t { cf_default, cf_state, cf_blocks, cf_hashes, cf_txs, cf_meta, cf_count };
const char* const cf_names[cf_count] = {"default", "state", "blocks", "hashes", "txs", "meta"};

rocksdb::Slice slice(byte_view v) { return {reinterpret_cast<const char*>(v.data()), v.size()}; }
byte_view view(const rocksdb::Slice& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
bytes to_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }

error io(const rocksdb::Status& st, std::string_view what) {
  return error(errc::io_error, std::string(what) + ": " + st.ToString());
}

// A family read only by whole key (no range scans but the full scan that recomputes the state
// digest): its memtable is a hash table of short skiplists. A block writes thousands of
// accounts and transaction ids scattered over the key space, and one memtable skiplist pays
// a cache miss per level for each.
rocksdb::ColumnFamilyOptions hashed_family() {
  rocksdb::ColumnFamilyOptions o;
  o.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(8));
  o.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory(1 << 18));
  return o;
}

// State keys the cache holds at most (a few tens of MiB of accounts and records).
constexpr std::size_t cache_entries = 1 << 18;

using shared_snapshot = std::shared_ptr<const rocksdb::Snapshot>;

shared_snapshot take_snapshot(rocksdb::DB* db) {
  return shared_snapshot(db->GetSnapshot(), [db](const rocksdb::Snapshot* s) { db->ReleaseSnapshot(s); });
}

// The state family as of head `height` (the database's snapshot of that head), read through
// the state cache. Reads that fail are faults: stop (see database.hpp).
class snapshot_view final : public chain::state_view {
 public:
  snapshot_view(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, detail::state_cache& cache,
                shared_snapshot snap, std::uint64_t height, hash32 digest)
      : db_(db), cf_(cf), cache_(cache), snap_(std::move(snap)), height_(height), digest_(digest) {}

  std::optional<bytes> get(byte_view key) const override {
    if (auto cached = cache_.find(key, height_)) return std::move(*cached);
    rocksdb::ReadOptions ro;
    ro.snapshot = snap_.get();
    std::string value;
    auto st = db_->Get(ro, cf_, slice(key), &value);
    std::optional<bytes> out;
    if (st.ok()) {
      out = to_bytes(value);
    } else if (!st.IsNotFound()) {
      std::fprintf(stderr, "synod: fatal: state read failed: %s\n", st.ToString().c_str());
      std::abort();
    }
    cache_.remember(key, height_, out);
    return out;
  }
  hash32 digest() const override { return digest_; }

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  detail::state_cache& cache_;
  shared_snapshot snap_;
  std::uint64_t height_;
  hash32 digest_;
};

class rocks_database final : public database {
 public:
  rocks_database(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> cfs,
                 const hash32& chain_id, bool sync, std::optional<head_info> head)
      : db_(std::move(db)), cfs_(std::move(cfs)), chain_id_(chain_id), sync_(sync),
        head_(std::move(head)), head_snapshot_(take_snapshot(db_.get())),
        cache_(head_ ? head_->height : 0, cache_entries) {}

  ~rocks_database() override {
    for (auto* h : cfs_) db_->DestroyColumnFamilyHandle(h);
  }

  bool empty() const override {
    std::lock_guard lock(mu_);
    return !head_;
  }

  status commit_genesis(const chain::state_diff& diff, const hash32& digest) override {
    if (!empty()) return error(errc::already_initialised, "database already holds a genesis");
    rocksdb::WriteBatch batch;
    put_state(batch, diff);
    head_info h{0, chain_id_, 0, digest};
    batch.Put(cfs_[cf_meta], "head", slice(detail::encode_head(h)));
    return write(batch, h, diff, "commit genesis");
  }

  status commit_block(const chain::block_header& header, const hash32& hash, byte_view raw,
                      const chain::block_outcome& outcome) override {
    if (empty()) return error(errc::not_initialised, "commit genesis before blocks");
    auto current = head();
    if (header.height != current.height + 1 || header.parent != current.hash)
      return error(errc::not_next, "block " + std::to_string(header.height) +
                                       " does not extend head " + std::to_string(current.height));
    rocksdb::WriteBatch batch;
    put_state(batch, outcome.diff);
    auto hk = detail::height_key(header.height);
    batch.Put(cfs_[cf_blocks], slice(hk), slice(raw));
    batch.Put(cfs_[cf_hashes], slice(hash.view()), slice(hk));
    put_locations(batch, header.height, outcome.receipts);
    head_info h{header.height, hash, header.slot, outcome.digest};
    batch.Put(cfs_[cf_meta], "head", slice(detail::encode_head(h)));
    return write(batch, h, outcome.diff, "commit block " + std::to_string(header.height));
  }

  head_info head() const override {
    std::lock_guard lock(mu_);
    return head_ ? *head_ : head_info{0, chain_id_, 0, {}};
  }

  std::unique_ptr<chain::state_view> state() const override {
    // Head and snapshot must agree: take both under the lock commits hold while writing.
    std::lock_guard lock(mu_);
    return std::make_unique<snapshot_view>(db_.get(), cfs_[cf_state], cache_, head_snapshot_,
                                           head_ ? head_->height : 0, head_ ? head_->digest : hash32{});
  }

  result<std::optional<bytes>> block_at(std::uint64_t height) const override {
    return get(cf_blocks, detail::height_key(height));
  }

  result<std::optional<std::uint64_t>> height_of(const hash32& block_hash) const override {
    auto raw = get(cf_hashes, block_hash.view());
    if (!raw) return std::move(raw).error();
    if (!*raw) return std::optional<std::uint64_t>{};
    if ((*raw)->size() != 8) return error(errc::corrupt, "hash index entry is not 8 bytes");
    std::uint64_t h = 0;
    for (auto b : **raw) h = h << 8 | b;
    return std::optional<std::uint64_t>{h};
  }

  result<std::optional<tx_location>> find_tx(const hash32& tx_id) const override {
    auto raw = get(cf_txs, tx_id.view());
    if (!raw) return std::move(raw).error();
    if (!*raw) return std::optional<tx_location>{};
    auto loc = detail::decode_location(**raw);
    if (!loc) return error(errc::corrupt, "transaction index entry for " + tx_id.hex() + " is damaged");
    return std::optional<tx_location>{*loc};
  }

  result<hash32> recompute_digest() const override {
    rocksdb::ReadOptions all;
    all.total_order_seek = true;  // every key, whatever the prefix extractor
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(all, cfs_[cf_state]));
    chain::state_digest d;
    for (it->SeekToFirst(); it->Valid(); it->Next()) d.add(view(it->key()), view(it->value()));
    if (!it->status().ok()) return io(it->status(), "scan state");
    return d.value();
  }

 private:
  void put_state(rocksdb::WriteBatch& batch, const chain::state_diff& diff) const {
    for (const auto& [k, v] : diff) {
      if (v)
        batch.Put(cfs_[cf_state], slice(k), slice(*v));
      else
        batch.Delete(cfs_[cf_state], slice(k));
    }
  }

  // In id order: the memtable inserts a sorted run next to where the last one went instead of
  // searching its whole height for each random id.
  void put_locations(rocksdb::WriteBatch& batch, std::uint64_t height,
                     const std::vector<chain::receipt>& receipts) const {
    std::vector<std::uint32_t> order(receipts.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return receipts[a].tx_id < receipts[b].tx_id; });
    for (auto i : order) {
      const auto& r = receipts[i];
      tx_location loc{height, i, r.failure.has_value(),
                      static_cast<std::uint16_t>(r.failure ? r.failure->code() : 0), r.fee};
      batch.Put(cfs_[cf_txs], slice(r.tx_id.view()), slice(detail::encode_location(loc)));
    }
  }

  // The write (and its fsync) holds only the writers' lock, so head() and state() go on
  // answering with the previous head meanwhile. Then, with no other write possible, the new
  // head, its snapshot and the cache's knowledge of its writes change together.
  status write(rocksdb::WriteBatch& batch, const head_info& h, const chain::state_diff& diff,
               std::string_view what) {
    rocksdb::WriteOptions wo;
    wo.sync = sync_;
    std::lock_guard writing(write_mu_);
    auto st = db_->Write(wo, &batch);
    if (!st.ok()) return io(st, what);
    auto snap = take_snapshot(db_.get());
    std::lock_guard lock(mu_);
    cache_.commit(diff, h.height);
    head_ = h;
    head_snapshot_ = std::move(snap);
    return ok();
  }

  result<std::optional<bytes>> get(cf family, byte_view key) const {
    std::string value;
    auto st = db_->Get(rocksdb::ReadOptions(), cfs_[family], slice(key), &value);
    if (st.IsNotFound()) return std::optional<bytes>{};
    if (!st.ok()) return io(st, std::string("read ") + cf_names[family]);
    return std::optional<bytes>{to_bytes(value)};
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  hash32 chain_id_;
  bool sync_;
  std::mutex write_mu_;     // one write at a time
  mutable std::mutex mu_;  // head_, head_snapshot_ and the cache's head change together
  std::optional<head_info> head_;
  shared_snapshot head_snapshot_;  // the state as of head_
  mutable detail::state_cache cache_;
};

}  // namespace

result<std::unique_ptr<database>> database::open(const options& opts, const hash32& chain_id) {
  rocksdb::Options ro;
  ro.create_if_missing = true;
  ro.create_missing_column_families = true;
  ro.max_background_jobs = 2;
  ro.allow_concurrent_memtable_write = false;  // one writer, and hashed memtables need it
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (std::size_t f = 0; f < cf_count; ++f)
    descs.emplace_back(cf_names[f], f == cf_state || f == cf_txs || f == cf_hashes ? hashed_family()
                                                                                   : rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  std::error_code ec;
  std::filesystem::create_directories(opts.dir, ec);
  auto st = rocksdb::DB::Open(ro, opts.dir.string(), descs, &handles, &raw);
  if (!st.ok()) return io(st, "open " + opts.dir.string());
  std::unique_ptr<rocksdb::DB> db(raw);

  auto fail = [&](error e) -> result<std::unique_ptr<database>> {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    return e;
  };
  std::string stored_id;
  st = db->Get(rocksdb::ReadOptions(), handles[cf_meta], "chain_id", &stored_id);
  if (st.IsNotFound()) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    st = db->Put(wo, handles[cf_meta], "chain_id", slice(chain_id.view()));
    if (!st.ok()) return fail(io(st, "write chain id"));
  } else if (!st.ok()) {
    return fail(io(st, "read chain id"));
  } else if (to_bytes(stored_id) != bytes(chain_id.data.begin(), chain_id.data.end())) {
    return fail(error(errc::wrong_chain, opts.dir.string() + " holds chain " +
                                             to_hex(as_bytes(stored_id)).substr(0, 16) +
                                             "..., not " + chain_id.hex().substr(0, 16) + "..."));
  }
  std::optional<head_info> head;
  std::string head_raw;
  st = db->Get(rocksdb::ReadOptions(), handles[cf_meta], "head", &head_raw);
  if (st.ok()) {
    head = detail::decode_head(as_bytes(head_raw));
    if (!head) return fail(error(errc::corrupt, "head record in " + opts.dir.string() + " is damaged"));
  } else if (!st.IsNotFound()) {
    return fail(io(st, "read head"));
  }
  return std::unique_ptr<database>(std::make_unique<rocks_database>(
      std::move(db), std::move(handles), chain_id, opts.sync, head));
}

}  // namespace synod::store
