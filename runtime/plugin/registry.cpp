#include "synod/plugin/registry.hpp"

#include <chrono>

#include "synod/plugin/errc.hpp"

namespace synod::plugin {

result<installed> registry::install(const std::string& name, const std::filesystem::path& file,
                                    std::optional<hash32> hash) {
  if (!sdk::valid_name(name))
    return error(errc::bad_request, "plugin slot name '" + name + "' must be 1 to 64 of a-z, 0-9, '_', '-'");
  load_options o = defaults_;
  o.expect.content_hash = hash;
  if (auto now = current(name)) o.expect.name = now->manifest().name;  // a slot keeps its plugin
  const auto start = std::chrono::steady_clock::now();
  auto loaded = plugin::load(file, o);  // the slow part, outside the lock
  if (!loaded) return std::move(loaded).error().with_context("plugin slot " + name);
  installed out;
  out.load_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  std::shared_ptr<const plugin> old;  // unloaded, if this was its last user, after the lock
  {
    std::lock_guard lock(m_);
    auto& s = slots_[name];
    if (!s) {
      s = std::make_unique<slot>(std::move(*loaded));
    } else {
      // Checked again here: another install may have filled the slot since the check above.
      if (s->current()->manifest().name != (*loaded)->manifest().name)
        return error(errc::bad_manifest, "plugin slot " + name + " holds '" + s->current()->manifest().name +
                                             "', not '" + (*loaded)->manifest().name + "'");
      old = s->swap(std::move(*loaded));
      out.old_version = old->manifest().version;
    }
  }
  return out;
}

std::shared_ptr<const plugin> registry::current(const std::string& name) const {
  std::lock_guard lock(m_);
  auto it = slots_.find(name);
  return it == slots_.end() ? nullptr : it->second->current();
}

std::vector<slot_view> registry::list() const {
  std::lock_guard lock(m_);
  std::vector<slot_view> out;
  for (const auto& [name, s] : slots_) out.push_back({name, s->current(), s->swaps()});
  return out;
}

}  // namespace synod::plugin
