#pragma once
/// A POSIX file descriptor closed on scope exit, so no error path leaks it.

#include <unistd.h>

namespace synod {

class unique_fd {
 public:
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] int get() const noexcept { return fd_; }
  /// Closes now and reports the result (close can reveal a failed delayed write).
  int close() noexcept {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace synod
