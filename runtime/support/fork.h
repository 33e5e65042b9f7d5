// fork.h - fork safety: the runtime's pthread_atfork handlers, registered by
// the initialiser (config/initialise.cpp).
#ifndef TRACEMALLOC_RUNTIME_SUPPORT_FORK_H
#define TRACEMALLOC_RUNTIME_SUPPORT_FORK_H

namespace tm_rt {

// Takes every runtime lock (control, trace shards, traceback shards, the
// internal allocator) so that the child starts with none held.
void fork_prepare();
// Releases them, in the parent and in the child.
void fork_unlock();
// The child's: fork_unlock(), then a timeline and peak of its own.
void fork_child();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SUPPORT_FORK_H
