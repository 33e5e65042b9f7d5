// guard.cpp - the per-thread flags of guard.h: the reentrancy guard and the
// forking thread's "holds every trace lock".
#include "runtime/support/guard.h"

namespace tm_rt {

__thread bool t_inside_runtime __attribute__((tls_model("initial-exec"))) = false;
__thread bool t_holds_trace_locks __attribute__((tls_model("initial-exec"))) = false;

}  // namespace tm_rt
