// spinlock.h - the lock of every runtime table.
//
// Critical sections on the allocation path are a few dozen instructions, so a
// spinlock beats a mutex; it also never allocates and can be released in a
// forked child by the thread that took it, which pthread_atfork needs.
#ifndef TRACEMALLOC_RUNTIME_SPINLOCK_H
#define TRACEMALLOC_RUNTIME_SPINLOCK_H

#include <sched.h>

#include <atomic>

namespace tm_rt {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class SpinLock {
 public:
  void lock() {
    // The uncontended case inline; the waiting loop out of line, so callers
    // on the allocation path keep their registers.
    if (__builtin_expect(!locked_.exchange(true, std::memory_order_acquire), 1)) return;
    lock_contended();
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  __attribute__((noinline)) void lock_contended() {
    for (unsigned spins = 0; locked_.exchange(true, std::memory_order_acquire); ++spins) {
      // Wait on a plain load so waiters do not bounce the cache line; yield
      // early: on a machine with few cores the holder may be waiting for ours.
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > 64) {
          sched_yield();
        } else {
          cpu_relax();
        }
      }
    }
  }

  std::atomic<bool> locked_{false};
};

class SpinLockHolder {
 public:
  explicit SpinLockHolder(SpinLock &lock) : lock_(lock) { lock_.lock(); }
  ~SpinLockHolder() { lock_.unlock(); }
  SpinLockHolder(const SpinLockHolder &) = delete;
  SpinLockHolder &operator=(const SpinLockHolder &) = delete;

 private:
  SpinLock &lock_;
};

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SPINLOCK_H
