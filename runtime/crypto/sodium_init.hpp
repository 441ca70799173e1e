#pragma once
// Private to the crypto component: libsodium must be initialised once before use.

namespace synod::crypto::detail {

/// Idempotent and thread-safe; aborts the process if libsodium cannot start (no entropy),
/// since nothing in Synod can run safely without it.
void ensure_sodium();

}  // namespace synod::crypto::detail
