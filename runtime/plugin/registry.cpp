#include "synod/plugin/registry.hpp"

#include <chrono>

#include "synod/plugin/errc.hpp"
#include "synod/plugin/guarded.hpp"

namespace synod::plugin {

result<installed> registry::install(const std::string& name, const std::filesystem::path& file,
                                    std::optional<hash32> hash) {
  if (!sdk::valid_name(name))
    return error(errc::bad_request, "plugin slot name '" + name + "' must be 1 to 64 of a-z, 0-9, '_', '-'");
  load_options o = defaults_;
  o.expect.content_hash = hash;
  if (auto now = current(name)) o.expect.name = now->manifest().name;  // a slot keeps its plugin
  const auto start = std::chrono::steady_clock::now();
  auto loaded = load_bounded(file, o);  // the slow part, outside the lock
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

result<std::shared_ptr<const plugin>> registry::load_bounded(const std::filesystem::path& file,
                                                             const load_options& o) const {
  if (load_deadline_.count() <= 0) return plugin::load(file, o);
  // Whatever a load that outlives the wait ends with is dropped on its thread (a version
  // that loads late unloads again, never reaching the slot).
  auto out = detail::run_abandonable("loading " + file.string(), load_deadline_,
                                     [file, o] { return plugin::load(file, o); });
  if (!out)
    return error(errc::deadline_exceeded, "loading " + file.string() + " took over " +
                                              std::to_string(load_deadline_.count()) +
                                              " ms (its factory or manifest did not return)");
  return std::move(*out);
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
