#include "text_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "synod/base/unique_fd.hpp"
#include "synod/config/errc.hpp"

namespace synod::config::detail {
namespace {

error io_error(std::string_view what, const std::filesystem::path& path, int err) {
  std::string msg(what);
  msg.append(" ").append(path.string()).append(": ");
  msg.append(std::generic_category().message(err));
  return error(errc::io_error, std::move(msg));
}

}  // namespace

// POSIX calls rather than std::ifstream: errno tells a missing file from an unreadable one.
result<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_size) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 && errno == ENOENT)
    return error(errc::not_found, path.string() + " does not exist");
  if (fd.get() < 0) return io_error("cannot open", path, errno);
  std::string out;
  char chunk[16 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path, errno);
    if (n == 0) return out;
    out.append(chunk, static_cast<std::size_t>(n));
    if (out.size() > max_size)
      return error(errc::too_large, path.string() + " is larger than " +
                                        std::to_string(max_size) + " bytes");
  }
}

}  // namespace synod::config::detail
