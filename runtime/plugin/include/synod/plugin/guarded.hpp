#pragma once
/// Calls that cannot hang their caller. A plugin call made directly runs on the caller's
/// thread: one that overruns its deadline is reported (deadline_exceeded) only once it
/// returns, and one that never returns never does. call_guarded runs the call on a thread of
/// its own and waits at most the plugin's deadline (plus `grace`): past that, the caller gets
/// deadline_exceeded and goes on, and the stuck thread is left to finish on its own, holding
/// its plugin version (which stays loaded until it does). Actors that serve many peers use
/// this; a thread start costs tens of microseconds, so tight loops call directly.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include "synod/plugin/errc.hpp"
#include "synod/plugin/plugin.hpp"

namespace synod::plugin {

/// `fn(const plugin&)` returns a result<T>; so does call_guarded.
template <class Fn>
auto call_guarded(std::shared_ptr<const plugin> p, Fn fn,
                  std::chrono::milliseconds grace = std::chrono::milliseconds(50))
    -> std::invoke_result_t<Fn, const plugin&> {
  using result_type = std::invoke_result_t<Fn, const plugin&>;
  struct shared {
    std::mutex m;
    std::condition_variable done;
    std::optional<result_type> out;
  };
  auto state = std::make_shared<shared>();
  const auto deadline = std::chrono::milliseconds(p->manifest().limits.deadline_ms) + grace;
  const std::string who = "plugin " + p->manifest().name + " " + p->manifest().version;
  // The thread owns copies of everything it touches: the caller may be gone when it ends.
  std::thread([state, p = std::move(p), fn = std::move(fn)]() mutable {
    result_type r = fn(*p);
    std::lock_guard lock(state->m);
    state->out.emplace(std::move(r));
    state->done.notify_all();
  }).detach();
  std::unique_lock lock(state->m);
  if (!state->done.wait_for(lock, deadline, [&] { return state->out.has_value(); }))
    return error(errc::deadline_exceeded, who + ": no answer within " + std::to_string(deadline.count()) +
                                              " ms; the call is abandoned");
  return std::move(*state->out);
}

}  // namespace synod::plugin
