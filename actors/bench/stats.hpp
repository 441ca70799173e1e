#pragma once
// What the benchmarks report of repeated timings.

#include <algorithm>
#include <vector>

namespace synod::actors {

/// The middle value (the upper one of an even count); 0 for none.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace synod::actors
