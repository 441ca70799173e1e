#include "synod/chain/tx.hpp"

#include "chain_fixture.hpp"
#include "synod/schemas/tx_generated.h"

namespace synod::chain::testing {
namespace {

using TxDecode = ChainFixture;

result<decoded_tx> decode_raw(const ChainFixture& f, byte_view raw) {
  return decode_tx(raw, f.ctx.chain_id, f.ctx.params);
}

TEST_F(TxDecode, RoundTripsEveryCall) {
  std::vector<call> calls = {transfer_call{bob.public_key(), 5}, add_stake_call{hot.public_key(), 6},
                             remove_stake_call{hot.public_key(), 7}, registration(alice, hot),
                             register_subnet_call{hot.public_key()},
                             set_subnet_hyperparams_call{1, {{hyperparam::tempo, 99}}},
                             burned_register_call{1, hot.public_key()},
                             serve_call{1, {}, 4, 80, 0, 1},
                             set_weights_call{1, {0, 1}, {5, 6}, 2},
                             commit_weights_call{1, crypto::blake2b_256(as_bytes("w"))},
                             reveal_weights_call{1, {0}, {1}, {7, 7}, 3},
                             set_delegate_take_call{hot.public_key(), 9},
                             set_root_weights_call{{1}, {1}}};
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto env = sign(alice, 9, calls[i]);
    auto tx = decode_raw(*this, env);
    ASSERT_TRUE(tx) << tx.error().to_string();
    EXPECT_EQ(tx->signer, alice.public_key());
    EXPECT_EQ(tx->nonce, 9u);
    EXPECT_EQ(tx->call.index(), i);
    EXPECT_EQ(tx->size, env.size());
    EXPECT_EQ(tx->id, crypto::blake2b_256(env));
    EXPECT_TRUE(check_signatures(*tx, ctx.chain_id));
  }
  auto w = decode_raw(*this, sign(alice, 0, calls[8]));
  const auto& sw = std::get<set_weights_call>(w->call);
  EXPECT_EQ(sw.uids, (std::vector<std::uint16_t>{0, 1}));
  EXPECT_EQ(sw.values, (std::vector<std::uint16_t>{5, 6}));
  EXPECT_EQ(sw.version_key, 2u);
  auto r = decode_raw(*this, sign(alice, 0, calls[10]));
  EXPECT_EQ(std::get<reveal_weights_call>(r->call).salt, (bytes{7, 7}));
  auto h = decode_raw(*this, sign(alice, 0, calls[5]));
  EXPECT_EQ(std::get<set_subnet_hyperparams_call>(h->call).changes,
            (std::vector<hyperparam_change>{{hyperparam::tempo, 99}}));
  auto tx = decode_raw(*this, sign(alice, 0, transfer_call{bob.public_key(), 123}));
  EXPECT_EQ(std::get<transfer_call>(tx->call).amount, 123u);
  EXPECT_EQ(std::get<transfer_call>(tx->call).dest, bob.public_key());
}

TEST_F(TxDecode, RejectsEveryTruncationAsMalformed) {
  auto env = sign(alice, 0, transfer_call{bob.public_key(), 5});
  for (std::size_t n = 0; n < env.size(); ++n) {
    auto tx = decode_raw(*this, byte_view(env).first(n));
    ASSERT_FALSE(tx) << n;
    EXPECT_TRUE(tx.error().is(errc::malformed)) << n << ": " << tx.error().to_string();
  }
}

TEST_F(TxDecode, RejectsGarbageAsMalformed) {
  bytes junk(200, 0xab);
  EXPECT_TRUE(decode_raw(*this, junk).error().is(errc::malformed));
  EXPECT_TRUE(decode_raw(*this, {}).error().is(errc::malformed));
}

TEST_F(TxDecode, RejectsOversize) {
  ctx.params.max_tx_bytes = 256;
  bytes big(300, 0);
  auto tx = decode_raw(*this, big);
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(errc::oversize));
  EXPECT_NE(tx.error().message().find("limit is 256"), std::string::npos);
}

TEST_F(TxDecode, RejectsAnotherChainsTransaction) {
  hash32 other = ctx.chain_id;
  other.data[0] ^= 1;
  auto env = encode_tx(other, alice, 0, transfer_call{bob.public_key(), 5});
  auto tx = decode_raw(*this, env);
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(errc::wrong_chain)) << tx.error().to_string();
}

TEST_F(TxDecode, RejectsUnknownCallType) {
  // A call whose union tag this chain does not know (a newer client, or a forgery).
  flatbuffers::FlatBufferBuilder cb;
  auto dest = fb::Bytes32();
  auto body = fb::CreateTransfer(cb, &dest, 1).Union();
  cb.Finish(fb::CreateCall(cb, static_cast<fb::CallBody>(99), body));
  flatbuffers::FlatBufferBuilder b;
  auto chain = fb::Bytes32(flatbuffers::span<const std::uint8_t, 32>(ctx.chain_id.data.data(), 32));
  auto who = fb::Bytes32();
  auto sig = fb::Bytes64();
  b.Finish(fb::CreateTransaction(b, &chain, &who, 0, b.CreateVector(cb.GetBufferPointer(), cb.GetSize()), &sig),
           fb::TransactionIdentifier());
  auto tx = decode_raw(*this, byte_view(b.GetBufferPointer(), b.GetSize()));
  ASSERT_FALSE(tx);
  EXPECT_TRUE(tx.error().is(errc::unknown_call)) << tx.error().to_string();
  EXPECT_NE(tx.error().message().find("99"), std::string::npos);
}

TEST_F(TxDecode, RejectsBadSignatureAndTamperedCall) {
  auto env = sign(alice, 0, transfer_call{bob.public_key(), 5});
  auto tx = decode_raw(*this, env);
  ASSERT_TRUE(tx);
  auto forged = *tx;
  forged.sig.data[3] ^= 1;
  EXPECT_TRUE(check_signatures(forged, ctx.chain_id).error().is(errc::bad_signature));
  auto other_signer = *tx;
  other_signer.signer = bob.public_key();
  EXPECT_TRUE(check_signatures(other_signer, ctx.chain_id).error().is(errc::bad_signature));
  // Change the amount inside a signed envelope: it still decodes, the signature fails.
  auto env2 = sign(alice, 0, transfer_call{bob.public_key(), 0x0102030405060708});
  const std::uint8_t le[] = {8, 7, 6, 5, 4, 3, 2, 1};
  auto amount_at = std::search(env2.begin(), env2.end(), std::begin(le), std::end(le));
  ASSERT_NE(amount_at, env2.end());
  *amount_at = 9;
  env = env2;
  auto tampered = decode_raw(*this, env);
  ASSERT_TRUE(tampered) << tampered.error().to_string();
  EXPECT_TRUE(check_signatures(*tampered, ctx.chain_id).error().is(errc::bad_signature));
}

TEST_F(TxDecode, RejectsRegistrationWithoutProofOfPossession) {
  auto reg = registration(alice, hot);
  reg.proof = hot.sign(as_bytes("something else"));
  auto tx = decode_raw(*this, sign(alice, 0, reg));
  ASSERT_TRUE(tx);
  EXPECT_TRUE(check_signatures(*tx, ctx.chain_id).error().is(errc::bad_proof));
  // A proof made for another coldkey does not transfer.
  auto stolen = registration(bob, hot);
  auto tx2 = decode_raw(*this, sign(alice, 0, stolen));
  EXPECT_TRUE(check_signatures(*tx2, ctx.chain_id).error().is(errc::bad_proof));
}

}  // namespace
}  // namespace synod::chain::testing
