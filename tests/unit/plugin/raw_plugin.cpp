// Misbehaving plugins for the host's tests, written against the bare C ABI (abi.h), not the
// C++ layer, so they can break its rules. RAW_MODE picks the fault:
//   1 garbage      every call replies with bytes that are no message at all
//   2 oversize     challenge replies with a valid message over the manifest's limit
//   3 wrong_abi    the struct says ABI version 2
//   4 no_factory   exports no synod_plugin_create
//   5 bad_manifest the manifest's name breaks the rules
//   6 null_create  the factory refuses, with a reason
//   7 missing_call the call table has no score
//   8 marker       a static constructor writes RAW_MARKER_FILE when the library loads
//   9 slow_create  the factory takes 3 s (a plugin stuck starting up)

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <string>
#include <vector>

#include "synod/schemas/plugin_generated.h"
#include "synod/sdk/abi.h"

namespace {

using namespace synod::sdk;

struct owned {
  std::vector<std::uint8_t> data;
};

void release(synod_reply* r) {
  delete static_cast<owned*>(r->context);
  *r = synod_reply{nullptr, 0, nullptr, nullptr};
}

synod_status reply(synod_reply* r, std::vector<std::uint8_t> data) {
  auto* o = new owned{std::move(data)};
  *r = synod_reply{o->data.data(), o->data.size(), &release, o};
  return SYNOD_OK;
}

synod_status manifest(synod_plugin*, synod_reply* r) {
  flatbuffers::FlatBufferBuilder fbb;
  auto limits = msg::CreateLimits(fbb, 4096, 1024, 500);
  const char* name = RAW_MODE == 5 ? "Bad Name!" : "raw";
  fbb.Finish(msg::CreateManifestDirect(fbb, name, "0.1.0", SYNOD_PLUGIN_ABI_VERSION, "", "", "", limits));
  return reply(r, {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()});
}

synod_status garbage(synod_plugin*, const std::uint8_t*, std::size_t, synod_reply* r) {
  return reply(r, {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03});
}

synod_status oversize(synod_plugin*, const std::uint8_t*, std::size_t, synod_reply* r) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<std::uint8_t> big(1 << 21, 1);
  auto task = fbb.CreateVector(big);
  auto reference = fbb.CreateVector(big);
  fbb.Finish(msg::CreateChallenge(fbb, task, reference));
  return reply(r, {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()});
}

void destroy(synod_plugin* p) { delete p; }

#if RAW_MODE == 8
// Runs at dlopen, before any call: proof of whether the host let this file's code run.
__attribute__((constructor)) void leave_marker() {
  if (FILE* f = std::fopen(RAW_MARKER_FILE, "w")) std::fclose(f);
}
#endif

}  // namespace

#if RAW_MODE != 4
extern "C" __attribute__((visibility("default"))) synod_plugin* synod_plugin_create(
    const std::uint8_t*, std::size_t, synod_reply* error) {
  if (RAW_MODE == 9) std::this_thread::sleep_for(std::chrono::seconds(3));
  if (RAW_MODE == 6) {
    static const char reason[] = "no GPU here\n(and none expected)";
    *error = synod_reply{reinterpret_cast<const std::uint8_t*>(reason), sizeof reason - 1, nullptr, nullptr};
    return nullptr;
  }
  auto* p = new synod_plugin{SYNOD_PLUGIN_ABI_VERSION, sizeof(synod_plugin), &manifest, &garbage,
                             &garbage, &garbage, nullptr, &destroy};
  if (RAW_MODE == 2) p->challenge = &oversize;
  if (RAW_MODE == 3) p->abi_version = 2;
  if (RAW_MODE == 7) p->score = nullptr;
  return p;
}
#else
extern "C" __attribute__((visibility("default"))) int synod_plugin_make() { return 0; }
#endif
