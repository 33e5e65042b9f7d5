// block_headers.cpp - whether blocks of the process's malloc carry headers,
// decided once, and the one-test shortcut to glibc while not tracing.
#include "runtime/support/report.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/session.h"

namespace tm_rt {

// Constant-initialised, read before constructors run.  Every thread that
// decides computes the same answer, so the race on the first calls is benign.
int g_block_headers = -1;
extern "C" bool tm_interposers_use_headers() __attribute__((weak));
uint8_t g_glibc_direct = 0;
extern "C" const char *tm_interposers_bypassed() __attribute__((weak));

// g_glibc_direct = headers && !tracing.  Sequentially consistent, so that a
// 1 stored by a thread deciding about headers while another starts tracing
// is either seen by start_tracing()'s own clearing or sees its `tracing`:
// decide stores 1 then reads `tracing`; start stores `tracing` then 0.
void publish_glibc_direct() {
  const bool direct = __atomic_load_n(&g_block_headers, __ATOMIC_SEQ_CST) == 1 &&
                      !g_runtime_state.tracing.load(std::memory_order_seq_cst);
  __atomic_store_n(&g_glibc_direct, direct ? 1 : 0, __ATOMIC_SEQ_CST);
  if (direct && g_runtime_state.tracing.load(std::memory_order_seq_cst)) {
    __atomic_store_n(&g_glibc_direct, 0, __ATOMIC_SEQ_CST);
  }
}

bool decide_block_headers() {
  // One thread decides; "no headers" until it has: the check allocates, and
  // a nested free() must neither decide again nor look for headers, of which
  // none exist before the first answer.  Once 1, the answer never changes.
  int known = -1;
  if (!__atomic_compare_exchange_n(&g_block_headers, &known, 0, false, __ATOMIC_SEQ_CST,
                                   __ATOMIC_SEQ_CST)) {
    return known == 1;
  }
  const bool enabled = &tm_interposers_use_headers && tm_interposers_use_headers();
  __atomic_store_n(&g_block_headers, enabled ? 1 : 0, __ATOMIC_SEQ_CST);
  publish_glibc_direct();
  return enabled;
}

void warn_if_interposers_bypassed() {
  static bool asked = false;
  if (__atomic_exchange_n(&asked, true, __ATOMIC_RELAXED)) return;
  const char *runtime = &tm_interposers_bypassed ? tm_interposers_bypassed() : nullptr;
  if (!runtime) return;
  warn(
      "the program's malloc and free are libc's, not the runtime's (it was not linked with "
      "the runtime): blocks freed by code built without the pass keep their traces; build the "
      "executable with tm-clang, or run it with LD_PRELOAD=%s",
      runtime);
}

}  // namespace tm_rt
