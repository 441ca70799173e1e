#include <boost/dll/shared_library.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include "plugin_impl.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/plugin/errc.hpp"

namespace synod::plugin {
namespace {

namespace fs = std::filesystem;

result<bytes> read_whole(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    return error(errc::cannot_open, "plugin file " + file.string() + " does not exist or is not a file");
  std::ifstream in(file, std::ios::binary);
  bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return error(errc::cannot_open, "cannot read plugin file " + file.string() + ": " + std::strerror(errno));
  return data;
}

// A fresh name in `dir` per load: dlopen keys its cache on the path, so reusing a name would
// hand back the version already loaded.
result<fs::path> write_private_copy(const fs::path& dir, const hash32& hash, const bytes& data) {
  static std::atomic<std::uint64_t> counter{0};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return error(errc::cannot_open, "cannot create " + dir.string() + ": " + ec.message());
  fs::path copy = dir / (hash.hex().substr(0, 16) + "-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter.fetch_add(1)) + ".so");
  std::ofstream out(copy, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) {
    fs::remove(copy, ec);
    return error(errc::cannot_open, "cannot write the private copy " + copy.string());
  }
  return copy;
}

// A message from a plugin, made safe to print: at most 512 bytes, control characters as '?'.
std::string plugin_text(const synod_reply& r) {
  std::string out;
  if (r.data == nullptr) return out;
  const std::size_t n = std::min<std::size_t>(r.size, 512);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<char>(r.data[i]);
    out.push_back(r.data[i] < 0x20 || r.data[i] == 0x7f ? '?' : c);
  }
  if (r.size > n) out += "...";
  return out;
}

bytes config_message(const sdk::options& opts) {
  if (opts.empty()) return {};
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<sdk::msg::Option>> list;
  for (const auto& [k, v] : opts) list.push_back(sdk::msg::CreateOptionDirect(fbb, k.c_str(), v.c_str()));
  fbb.Finish(sdk::msg::CreateConfig(fbb, fbb.CreateVector(list)));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

result<sdk::manifest> read_manifest(synod_plugin* p, bool& has_aggregate) {
  synod_reply r{};
  const synod_status st = p->manifest(p, &r);
  detail::reply_guard guard(r);
  if (st != SYNOD_OK) return error(errc::bad_manifest, "manifest call failed: " + plugin_text(r));
  flatbuffers::Verifier v(r.data, r.size);
  if (r.data == nullptr || !v.VerifyBuffer<sdk::msg::Manifest>(nullptr))
    return error(errc::bad_manifest, "the manifest is not a valid Manifest message");
  const auto* m = flatbuffers::GetRoot<sdk::msg::Manifest>(r.data);
  if (m->abi_version() != SYNOD_PLUGIN_ABI_VERSION)
    return error(errc::bad_manifest, "the manifest says ABI version " + std::to_string(m->abi_version()) +
                                         ", the plugin struct " + std::to_string(SYNOD_PLUGIN_ABI_VERSION));
  auto str = [](const flatbuffers::String* s) { return s ? s->str() : std::string(); };
  sdk::manifest out{m->name()->str(), m->version()->str(), str(m->description()),
                    str(m->task_format()), str(m->answer_format()),
                    {m->limits()->max_request_bytes(), m->limits()->max_reply_bytes(),
                     m->limits()->deadline_ms()}};
  if (auto bad = sdk::check_manifest(out); !bad.empty()) return error(errc::bad_manifest, bad);
  has_aggregate = m->has_aggregate();
  return out;
}

// Marks the libraries that came in with a plugin (oneDNN, its OpenMP runtime, ...) as never
// to be unloaded: a runtime whose worker threads outlive the plugin would crash the host if
// unloading the plugin unloaded it too. The plugin's own image stays unloadable (hot swap).
// Right after dlopen, the objects after the plugin in the load list are what it brought in;
// a plugin loaded at the same moment by another thread lies in `dir` and is skipped.
void pin_dependencies(void* handle, const fs::path& dir) {
  link_map* self = nullptr;
  if (handle == nullptr || ::dlinfo(handle, RTLD_DI_LINKMAP, &self) != 0 || self == nullptr) return;
  const std::string plugin_dir = dir.string();
  for (link_map* m = self->l_next; m != nullptr; m = m->l_next) {
    const std::string_view name = m->l_name ? m->l_name : "";
    if (name.empty() || name.starts_with(plugin_dir)) continue;
    ::dlopen(m->l_name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);  // no dlclose: pinned for good
  }
}

}  // namespace

namespace detail {

reply_guard::~reply_guard() {
  if (r_.release != nullptr) r_.release(&r_);
}

std::string reply_text(const synod_reply& r) { return plugin_text(r); }

}  // namespace detail

plugin::impl::~impl() {
  if (instance != nullptr) instance->destroy(instance);
  instance = nullptr;
  // library (a member) unloads after this body: the plugin object dies first.
}

result<std::shared_ptr<const plugin>> plugin::load(const fs::path& file, const load_options& opts) {
  auto data = read_whole(file);
  if (!data) return std::move(data).error();
  auto i = std::make_unique<impl>();
  i->file = file;
  i->hash = crypto::blake2b_256(*data);
  if (opts.expect.content_hash && *opts.expect.content_hash != i->hash)
    return error(errc::hash_mismatch, "plugin file " + file.string() + " hashes to " + i->hash.hex() +
                                          ", expected " + opts.expect.content_hash->hex());
  const fs::path dir = opts.private_dir.empty() ? fs::temp_directory_path() / "synod-plugins" : opts.private_dir;
  auto copy = write_private_copy(dir, i->hash, *data);
  if (!copy) return std::move(copy).error();
  try {
    i->library = std::make_unique<boost::dll::shared_library>(
        *copy, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove(*copy, ec);
    return error(errc::cannot_open, "cannot load plugin " + file.string() + ": " + e.what());
  }
  pin_dependencies(i->library->native(), dir);
  std::error_code ec;
  fs::remove(*copy, ec);  // the mapping stays valid; nothing is left on disk
  if (!i->library->has(SYNOD_PLUGIN_FACTORY))
    return error(errc::symbol_missing, "plugin " + file.string() + " exports no " + SYNOD_PLUGIN_FACTORY +
                                           " (did it use SYNOD_PLUGIN?)");
  auto& factory = i->library->get<synod_plugin*(const std::uint8_t*, std::size_t, synod_reply*)>(
      SYNOD_PLUGIN_FACTORY);
  const bytes config = config_message(opts.options);
  synod_reply err{};
  synod_plugin* p = factory(config.data(), config.size(), &err);
  {
    detail::reply_guard guard(err);
    if (p == nullptr)
      return error(errc::creation_failed, "plugin " + file.string() + " could not be created: " + plugin_text(err));
  }
  // Read nothing past the version until it matches: another ABI may lay the struct out
  // differently, so such an instance is never touched again (leaked, not destroyed).
  if (p->abi_version != SYNOD_PLUGIN_ABI_VERSION)
    return error(errc::abi_mismatch, "plugin " + file.string() + " is built for ABI version " +
                                         std::to_string(p->abi_version) + ", this host speaks " +
                                         std::to_string(SYNOD_PLUGIN_ABI_VERSION));
  if (p->struct_size < sizeof(synod_plugin) || p->destroy == nullptr)
    return error(errc::abi_mismatch, "plugin " + file.string() + " has a call table of " +
                                         std::to_string(p->struct_size) + " bytes, ABI version 1 needs " +
                                         std::to_string(sizeof(synod_plugin)));
  i->instance = p;
  const std::pair<bool, const char*> calls[] = {{p->manifest != nullptr, "manifest"},
                                                 {p->challenge != nullptr, "challenge"},
                                                 {p->answer != nullptr, "answer"},
                                                 {p->score != nullptr, "score"}};
  for (auto [present, name] : calls)
    if (!present) return error(errc::abi_mismatch, "plugin " + file.string() + " has no " + name + " call");
  auto m = read_manifest(p, i->has_aggregate);
  if (!m) return error(errc::bad_manifest, "plugin " + file.string() + ": " + m.error().message());
  i->manifest = std::move(*m);
  if (p->aggregate == nullptr) i->has_aggregate = false;
  const auto& want = opts.expect;
  if (!want.name.empty() && want.name != i->manifest.name)
    return error(errc::bad_manifest, "plugin " + file.string() + " is '" + i->manifest.name + "', expected '" + want.name + "'");
  if (!want.version.empty() && want.version != i->manifest.version)
    return error(errc::bad_manifest, "plugin " + file.string() + " is version " + i->manifest.version +
                                         ", expected " + want.version);
  return std::shared_ptr<const plugin>(new plugin(std::move(i)));
}

plugin::plugin(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
plugin::~plugin() = default;

const sdk::manifest& plugin::manifest() const noexcept { return impl_->manifest; }
bool plugin::has_aggregate() const noexcept { return impl_->has_aggregate; }
const hash32& plugin::content_hash() const noexcept { return impl_->hash; }
const fs::path& plugin::file() const noexcept { return impl_->file; }

}  // namespace synod::plugin
