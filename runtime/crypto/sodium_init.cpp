#include "sodium_init.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace synod::crypto::detail {

void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("synod: libsodium failed to initialise (no entropy source?)\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace synod::crypto::detail
