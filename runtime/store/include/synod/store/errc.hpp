#pragma once
/// Error codes of the store. These are *faults* (disk, I/O, a damaged database), never
/// rejections: a node that gets one stops rather than let its state diverge.

#include "synod/base/error.hpp"

namespace synod::store {

enum class errc {
  io_error = 1,    ///< RocksDB reported an I/O or internal error (message carries its status)
  corrupt,         ///< a stored record has the wrong size or the database lacks what it must hold
  wrong_chain,     ///< the database belongs to another chain id
  not_initialised, ///< the database holds no genesis yet
  already_initialised,  ///< genesis committed twice
  not_next,        ///< a block that does not extend the stored head
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::store
