// initialise.cpp - the runtime initialiser: reads flags.inc's variables once,
// before main, registers the fork handlers and the at-exit dump, and starts
// the on-demand dump thread.
//
// Entries called before it ran (allocations in earlier constructors) are
// simply not traced: tracing is off until it starts it.
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/config/flags.h"
#include "runtime/intercept/operator_new.h"
#include "runtime/snapshots/dump.h"
#include "runtime/support/fork.h"
#include "runtime/support/guard.h"
#include "runtime/support/report.h"
#include "runtime/traces/session.h"

// Referenced from entries.cpp so that linking any entry from the static
// archive also links this initialiser.
extern "C" const char __tm_env_anchor = 0;

namespace tm_rt {
namespace {

const char *secure_lookup(const char *name) { return secure_getenv(name); }

// Priority 101: before the program's own constructors, so their allocations
// are traced when TRACEMALLOC is set, and atexit() registered first runs last.
__attribute__((constructor(101))) void initialise_runtime() {
  ReentrancyGuard guard;
  capture_stderr();
  pthread_atfork(fork_prepare, fork_unlock, fork_child);
  decide_new_blocks_from_malloc();
  bool help = false;
  const char *problem = "";
  parse_bool_setting(secure_lookup("TRACEMALLOC_HELP"), &help, &problem);
  if (help) print_flag_table(STDERR_FILENO);
  apply_environment(secure_lookup);
  if (dump_path_setting()[0]) atexit(dump_at_exit);
  if (dump_signal_setting() || dump_interval_setting_ms()) {
    start_dump_thread(dump_signal_setting(), dump_interval_setting_ms());
  }
}

}  // namespace
}  // namespace tm_rt
