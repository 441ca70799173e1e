#include <boost/dll/shared_library.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <system_error>

#include <dlfcn.h>
#include <fcntl.h>
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
  if (!in) return error(errc::cannot_open, "cannot open plugin file " + file.string() + ": " + std::strerror(errno));
  bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return error(errc::cannot_open, "cannot read plugin file " + file.string());
  return data;
}

// The default folder for private copies: made once per process with mkdtemp (mode 0700, a
// fresh name), so no other user can plant a file or a link where a copy is about to go.
result<fs::path> default_private_dir() {
  static std::mutex m;
  static fs::path made;
  std::lock_guard lock(m);
  if (!made.empty()) return made;
  std::string pattern = (fs::temp_directory_path() / "synod-plugins-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return error(errc::cannot_open, "cannot create a private folder for plugin copies (" + pattern +
                                        "): " + std::strerror(errno));
  made = pattern;
  return made;
}

// A fresh name in `dir` per load: dlopen keys its cache on the path, so reusing a name would
// hand back the version already loaded. O_EXCL | O_NOFOLLOW: never an existing file or link.
result<fs::path> write_private_copy(const fs::path& dir, const hash32& hash, const bytes& data) {
  static std::atomic<std::uint64_t> counter{0};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return error(errc::cannot_open, "cannot create " + dir.string() + ": " + ec.message());
  const fs::path copy = dir / (hash.hex().substr(0, 16) + "-" + std::to_string(::getpid()) + "-" +
                               std::to_string(counter.fetch_add(1)) + ".so");
  const int fd = ::open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return error(errc::cannot_open, "cannot create the private copy " + copy.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      fs::remove(copy, ec);
      return error(errc::cannot_open, "cannot write the private copy " + copy.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
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
  std::vector<std::uint64_t> storage;
  const byte_view buf = detail::aligned_reply(r, storage);
  flatbuffers::Verifier v(buf.data(), buf.size());
  if (buf.empty() || !v.VerifyBuffer<sdk::msg::Manifest>(nullptr))
    return error(errc::bad_manifest, "the manifest is not a valid Manifest message");
  const auto* m = flatbuffers::GetRoot<sdk::msg::Manifest>(buf.data());
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

// The shared objects loaded in this process, by name. dl_iterate_phdr holds the loader's
// lock while it walks, so a library unloaded by another thread at that moment is never read.
std::set<std::string> loaded_objects() {
  std::set<std::string> out;
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0')
          static_cast<std::set<std::string>*>(data)->insert(info->dlpi_name);
        return 0;
      },
      &out);
  return out;
}

// Marks the libraries that came in with a plugin (oneDNN, its OpenMP runtime, ...) as never
// to be unloaded: a runtime whose worker threads outlive the plugin would crash the host if
// unloading the plugin unloaded it too. The plugin's own image stays unloadable (hot swap).
// What is loaded after the dlopen and was not before came in with it; plugins loaded at the
// same moment by other threads lie in `dir` and are skipped.
void pin_dependencies(const std::set<std::string>& before, const fs::path& dir) {
  const std::string plugin_dir = dir.string();
  for (const auto& name : loaded_objects())
    if (!before.count(name) && !name.starts_with(plugin_dir))
      ::dlopen(name.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);  // no dlclose: pinned for good
}

}  // namespace

namespace detail {

reply_guard::~reply_guard() {
  if (r_.release != nullptr) r_.release(&r_);
}

std::string reply_text(const synod_reply& r) { return plugin_text(r); }

byte_view aligned_reply(const synod_reply& r, std::vector<std::uint64_t>& storage) {
  if (r.data == nullptr) return {};
  if (reinterpret_cast<std::uintptr_t>(r.data) % alignof(std::uint64_t) == 0) return {r.data, r.size};
  storage.resize((r.size + 7) / 8);
  std::memcpy(storage.data(), r.data, r.size);
  return {reinterpret_cast<const std::uint8_t*>(storage.data()), r.size};
}

}  // namespace detail

result<sdk::options> parse_options(const std::vector<std::string>& pairs) {
  sdk::options out;
  for (const auto& kv : pairs) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return error(errc::bad_request, "option wants KEY=VALUE, got '" + kv + "'");
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

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
  auto dir = opts.private_dir.empty() ? default_private_dir() : result<fs::path>(opts.private_dir);
  if (!dir) return std::move(dir).error();
  auto copy = write_private_copy(*dir, i->hash, *data);
  if (!copy) return std::move(copy).error();
  const std::set<std::string> before = loaded_objects();
  try {
    i->library = std::make_unique<boost::dll::shared_library>(
        *copy, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove(*copy, ec);
    return error(errc::cannot_open, "cannot load plugin " + file.string() + ": " + e.what());
  }
  pin_dependencies(before, *dir);
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
