// operator_new.cpp - whether the process's global operator new and delete
// are libstdc++'s, whose blocks come from malloc; decided once.
#include "runtime/intercept/operator_new.h"

#include <link.h>
#include <string.h>

#include <new>

#include "runtime/support/guard.h"
#include "runtime/traces/block_header.h"

namespace tm_rt {

int g_new_blocks_from_malloc = -1;

namespace {

// The address ranges of libstdc++.so's loaded segments, found once with
// dl_iterate_phdr (cheaper than a dladdr symbol search per operator).
struct LoadedRanges {
  uintptr_t begin[8];
  uintptr_t end[8];
  int count;
};

int collect_libstdcxx(dl_phdr_info *info, size_t, void *data) {
  const char *name = info->dlpi_name ? info->dlpi_name : "";
  const char *slash = strrchr(name, '/');
  if (strncmp(slash ? slash + 1 : name, "libstdc++.so", 12) != 0) return 0;
  auto *ranges = static_cast<LoadedRanges *>(data);
  for (int i = 0; i < info->dlpi_phnum && ranges->count < 8; ++i) {
    const ElfW(Phdr) &segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD) continue;
    ranges->begin[ranges->count] = info->dlpi_addr + segment.p_vaddr;
    ranges->end[ranges->count] = info->dlpi_addr + segment.p_vaddr + segment.p_memsz;
    ++ranges->count;
  }
  return 1;
}

template <typename F>
bool in_ranges(const LoadedRanges &ranges, F *resolved) {
  F *volatile seen = resolved;  // never folded: the program may replace it
  const uintptr_t address = reinterpret_cast<uintptr_t>(seen);
  for (int i = 0; i < ranges.count; ++i) {
    if (address >= ranges.begin[i] && address < ranges.end[i]) return true;
  }
  return false;
}

}  // namespace

// dl_iterate_phdr takes the loader's lock: the initialiser (config/initialise.cpp) decides
// before main, where no other thread can hold it; an entry called earlier
// (another constructor) decides then.
__attribute__((noinline)) bool decide_new_blocks_from_malloc() {
  ReentrancyGuard guard;
  // Every replaceable variant the entries call: each may be replaced alone.
  using New = void *(size_t);
  using NewNothrow = void *(size_t, const std::nothrow_t &) noexcept;
  using NewAligned = void *(size_t, std::align_val_t);
  using NewAlignedNothrow = void *(size_t, std::align_val_t, const std::nothrow_t &) noexcept;
  using Delete = void(void *) noexcept;
  using DeleteNothrow = void(void *, const std::nothrow_t &) noexcept;
  using DeleteSized = void(void *, size_t) noexcept;
  using DeleteAligned = void(void *, std::align_val_t) noexcept;
  using DeleteAlignedNothrow = void(void *, std::align_val_t, const std::nothrow_t &) noexcept;
  using DeleteSizedAligned = void(void *, size_t, std::align_val_t) noexcept;
  LoadedRanges ranges{};
  if (block_headers_enabled()) dl_iterate_phdr(collect_libstdcxx, &ranges);
  const bool from_malloc = ranges.count > 0 && in_ranges<New>(ranges, &::operator new) &&
                           in_ranges<New>(ranges, &::operator new[]) &&
                           in_ranges<NewNothrow>(ranges, &::operator new) &&
                           in_ranges<NewNothrow>(ranges, &::operator new[]) &&
                           in_ranges<NewAligned>(ranges, &::operator new) &&
                           in_ranges<NewAligned>(ranges, &::operator new[]) &&
                           in_ranges<NewAlignedNothrow>(ranges, &::operator new) &&
                           in_ranges<NewAlignedNothrow>(ranges, &::operator new[]) &&
                           in_ranges<Delete>(ranges, &::operator delete) &&
                           in_ranges<Delete>(ranges, &::operator delete[]) &&
                           in_ranges<DeleteNothrow>(ranges, &::operator delete) &&
                           in_ranges<DeleteNothrow>(ranges, &::operator delete[]) &&
                           in_ranges<DeleteSized>(ranges, &::operator delete) &&
                           in_ranges<DeleteSized>(ranges, &::operator delete[]) &&
                           in_ranges<DeleteAligned>(ranges, &::operator delete) &&
                           in_ranges<DeleteAligned>(ranges, &::operator delete[]) &&
                           in_ranges<DeleteAlignedNothrow>(ranges, &::operator delete) &&
                           in_ranges<DeleteAlignedNothrow>(ranges, &::operator delete[]) &&
                           in_ranges<DeleteSizedAligned>(ranges, &::operator delete) &&
                           in_ranges<DeleteSizedAligned>(ranges, &::operator delete[]);
  __atomic_store_n(&g_new_blocks_from_malloc, from_malloc ? 1 : 0, __ATOMIC_RELAXED);
  return from_malloc;
}

}  // namespace tm_rt
