// fork.cpp - fork safety: every runtime lock is taken before fork() and
// released in both processes after it (registered with pthread_atfork).
#include "runtime/support/fork.h"

#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/timeline/timeline.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {

namespace {
// The forking thread's guard before fork_prepare; protected by control_lock
// (held from prepare to parent/child).
bool g_guard_before_fork = false;
}  // namespace

void fork_prepare() {
  // Inside the guard until the locks are released: an atfork handler that
  // runs after ours (registered earlier) may call malloc, and recording it
  // would spin on a lock this thread holds.
  const bool was_inside = t_inside_runtime;
  t_inside_runtime = true;
  g_runtime_state.control_lock.lock();
  g_guard_before_fork = was_inside;
  lock_trace_shards();
  t_holds_trace_locks = true;
  lock_traceback_shards();
  lock_timeline();
  internal_alloc_lock();
}

void fork_unlock() {
  const bool was_inside = g_guard_before_fork;
  t_holds_trace_locks = false;
  internal_alloc_unlock();
  unlock_timeline();
  unlock_traceback_shards();
  unlock_trace_shards();
  g_runtime_state.control_lock.unlock();
  t_inside_runtime = was_inside;
}

void fork_child() {
  // Still holding every lock: the parent's other threads' deltas belong to
  // the child's traces, and no thread of the child will fold them.
  adopt_traced_after_fork();
  fork_unlock();
  // Its samples must not repeat the parent's.
  reseed_samples_after_fork();
  // The child starts its own timeline and peak (its traces are the parent's).
  if (tracing_enabled()) {
    ReentrancyGuard guard;
    restart_timeline();
    reset_peak();
  }
}

}  // namespace tm_rt
