#pragma once
/// Calls that cannot hang their caller. A plugin call made directly runs on the caller's
/// thread: one that overruns its deadline is reported (deadline_exceeded) only once it
/// returns, and one that never returns never does. call_guarded runs the call on a thread of
/// its own and waits at most the plugin's deadline (plus `grace`): past that, the caller gets
/// deadline_exceeded and goes on, and the stuck thread is left to finish on its own, holding
/// its plugin version (which stays loaded until it does). For callers that must not block for
/// long (actors serving many peers); a thread start costs tens of microseconds, so tight
/// loops call directly.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>

#include "synod/plugin/errc.hpp"
#include "synod/plugin/plugin.hpp"

namespace synod::plugin {

namespace detail {
/// Guarded calls running now, abandoned ones included; past guarded_limit a new call is
/// refused rather than start yet another thread.
inline std::atomic<unsigned> guarded_running{0};
inline constexpr unsigned guarded_limit = 256;
}  // namespace detail

namespace detail {

/// The mechanism under call_guarded, for any plugin work that must not hang its caller (a
/// call, a load): runs `fn()` (returning a result<T>) on a thread of its own and waits at most
/// `deadline`. nullopt: the deadline passed and the work is abandoned, left to finish on its
/// own (so `fn` must own what it reads). `who` names the work in the errors of its own:
/// call_failed when too many guarded threads run already or none can start.
template <class Fn>
auto run_abandonable(const std::string& who, std::chrono::milliseconds deadline, Fn fn)
    -> std::optional<std::invoke_result_t<Fn>> {
  using result_type = std::invoke_result_t<Fn>;
  struct shared {
    std::mutex m;
    std::condition_variable done;
    std::optional<result_type> out;
  };
  auto state = std::make_shared<shared>();
  if (guarded_running.fetch_add(1) >= guarded_limit) {
    guarded_running.fetch_sub(1);
    return result_type(error(errc::call_failed, who + ": " + std::to_string(guarded_limit) +
                                                    " guarded calls are running already (hung ones among them?)"));
  }
  try {
    std::thread([state, fn = std::move(fn)]() mutable {
      result_type r = fn();
      guarded_running.fetch_sub(1);
      std::lock_guard lock(state->m);
      state->out.emplace(std::move(r));
      state->done.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    guarded_running.fetch_sub(1);
    return result_type(error(errc::call_failed, who + ": cannot start a thread for the call: " + e.what()));
  }
  std::unique_lock lock(state->m);
  if (!state->done.wait_for(lock, deadline, [&] { return state->out.has_value(); })) return std::nullopt;
  return std::move(state->out);
}

}  // namespace detail

/// `fn(const plugin&)` returns a result<T>; so does call_guarded. `fn` is moved to the call's
/// thread and may outlive the caller when the call is abandoned: it must own what it reads
/// (capture buffers by value, never by reference). Errors beyond the call's own:
/// deadline_exceeded (abandoned), call_failed (too many guarded calls running, or no thread).
template <class Fn>
auto call_guarded(std::shared_ptr<const plugin> p, Fn fn,
                  std::chrono::milliseconds grace = std::chrono::milliseconds(50))
    -> std::invoke_result_t<Fn, const plugin&> {
  const auto deadline = std::chrono::milliseconds(p->manifest().limits.deadline_ms) + grace;
  const std::string who = p->label();
  // The thread owns copies of everything it touches: the caller may be gone when it ends.
  auto out = detail::run_abandonable(who, deadline, [p = std::move(p), fn = std::move(fn)]() mutable { return fn(*p); });
  if (!out)
    return error(errc::deadline_exceeded, who + ": no answer within " + std::to_string(deadline.count()) +
                                              " ms; the call is abandoned");
  return std::move(*out);
}

}  // namespace synod::plugin
