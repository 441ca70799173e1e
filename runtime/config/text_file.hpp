#pragma once
// Private to the config component: reading a whole config file, with errors that name it.

#include <cstddef>
#include <filesystem>
#include <string>

#include "synod/base/result.hpp"

namespace synod::config::detail {

/// The whole file at `path`. Errors: not_found (nothing there), io_error (cannot open or
/// read it, with the OS's reason), too_large (more than `max_size` bytes).
result<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_size);

}  // namespace synod::config::detail
