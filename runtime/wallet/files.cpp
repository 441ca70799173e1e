#include "files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

#include "synod/base/unique_fd.hpp"
#include "synod/wallet/errc.hpp"

namespace synod::wallet::detail {
namespace {

status write_all(int fd, byte_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path, errno);
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return ok();
}

status fsync_dir(const fs::path& dir) {
  unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync directory", dir, errno);
  return ok();
}

// link() refuses to replace an existing name, atomically; the temporary name is then dropped.
status move_into_place(const fs::path& tmp, const fs::path& path, write_mode mode) {
  if (mode == write_mode::replace) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot rename onto", path, errno);
    return ok();
  }
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST)
      return error(errc::already_exists, path.string() + " already exists; it was left as it is");
    return io_error("cannot create", path, errno);
  }
  ::unlink(tmp.c_str());
  return ok();
}

status write_temp(const fs::path& path, byte_view data, fs::path& tmp) {
  std::string name = path.parent_path() / ("." + path.filename().string() + "+XXXXXX");
  unique_fd fd(::mkstemp(name.data()));
  if (fd.get() < 0) return io_error("cannot create a temporary file beside", path, errno);
  tmp = name;
  // mkstemp asks for 0600 but the umask may take bits away; key files are exactly 0600.
  if (::fchmod(fd.get(), 0600) != 0) return io_error("cannot chmod", tmp, errno);
  SYNOD_TRY(write_all(fd.get(), data, tmp));
  if (::fsync(fd.get()) != 0) return io_error("cannot sync", tmp, errno);
  if (fd.close() != 0) return io_error("cannot close", tmp, errno);
  return ok();
}

}  // namespace

error io_error(std::string_view what, const fs::path& path, int err) {
  std::string msg(what);
  msg.append(" ").append(path.string()).append(": ");
  msg.append(std::generic_category().message(err));
  return error(errc::io_error, std::move(msg));
}

bool exists(const fs::path& path) noexcept {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

result<bytes> read_file(const fs::path& path) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 && errno == ENOENT) return error(errc::not_found, path.string() + " is missing");
  if (fd.get() < 0) return io_error("cannot open", path, errno);
  bytes out;
  std::uint8_t chunk[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path, errno);
    if (n == 0) return out;
    out.insert(out.end(), chunk, chunk + n);
    if (out.size() > max_key_file_size)
      return error(errc::corrupt_file, path.string() + ": larger than " +
                                           std::to_string(max_key_file_size) +
                                           " bytes, so not a key file");
  }
}

status write_file(const fs::path& path, byte_view data, write_mode mode) {
  fs::path tmp;
  status written = write_temp(path, data, tmp);
  if (written) written = move_into_place(tmp, path, mode);
  if (!written) {
    if (!tmp.empty()) ::unlink(tmp.c_str());
    return written;
  }
  return fsync_dir(path.parent_path());
}

status make_private_dir(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) == 0) {
    // The umask may have taken bits away but never adds any; chmod makes it exact.
    if (::chmod(path.c_str(), 0700) != 0) return io_error("cannot chmod", path, errno);
    return ok();
  }
  if (errno == EEXIST) return error(errc::already_exists, path.string() + " already exists");
  return io_error("cannot create directory", path, errno);
}

status ensure_dirs(const fs::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return ok();
    return io_error("cannot use", path, ENOTDIR);
  }
  if (path.has_parent_path() && path.parent_path() != path)
    SYNOD_TRY(ensure_dirs(path.parent_path()));
  auto made = make_private_dir(path);
  if (!made && made.error().is(errc::already_exists)) return ok();  // made by someone else
  return made;
}

result<fs::path> make_temp_dir(const fs::path& parent, std::string_view stem) {
  std::string name = parent / ("." + std::string(stem) + "+XXXXXX");
  if (::mkdtemp(name.data()) == nullptr)
    return io_error("cannot create a temporary directory in", parent, errno);
  if (::chmod(name.c_str(), 0700) != 0) return io_error("cannot chmod", name, errno);  // umask
  return fs::path(name);
}

status publish_dir(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY)
      return error(errc::already_exists, to.string() + " already exists; it was left as it is");
    return io_error("cannot rename a new directory to", to, errno);
  }
  return fsync_dir(to.parent_path());
}

}  // namespace synod::wallet::detail
