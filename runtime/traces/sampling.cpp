// sampling.cpp - the sampled mode's per-thread countdowns and their random
// source (session.h: sample_allocation()).
//
// Sample points form a Poisson process over the allocated bytes of each
// thread: the bytes from one to the next are exponential with mean
// sample_bytes, so a block of s bytes holds at least one with probability
// 1 - exp(-s / sample_bytes), whatever the blocks before it, and its unbiased
// weight is the inverse (the snapshot model scales by it at read time).
// Being memoryless, a countdown is simply drawn anew after each sample.
//
// Everything here runs inside malloc: no libm (its log may not be linked),
// no system call, no lock; only initial-exec TLS and relaxed atomics.
#include <time.h>
#include <unistd.h>

#include <cstdint>

#include "runtime/traces/session.h"
#include "tracemalloc/snapshot.hpp"

namespace tm_rt {

__thread uint64_t t_sample_countdown __attribute__((tls_model("initial-exec"))) = 0;
__thread bool t_sampled __attribute__((tls_model("initial-exec"))) = false;
uint8_t g_sampled_direct = 0;

namespace {

__thread uint64_t t_sample_state __attribute__((tls_model("initial-exec"))) = 0;
__thread uint64_t t_sample_generation __attribute__((tls_model("initial-exec"))) = 0;

std::atomic<uint64_t> g_sample_seed{0};
std::atomic<uint64_t> g_sample_threads{0};

uint64_t mix(uint64_t x) {  // splitmix64's finaliser: distinct inputs, unrelated outputs
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t next_random() {  // xorshift64*: the state is never 0
  uint64_t x = t_sample_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  t_sample_state = x;
  return x * 0x2545f4914f6cdd1dULL;
}

// -ln(u) for u uniform in (0, 1], from 53 random bits: u = m * 2^-e with m
// in [1, 2), ln m = 2 atanh((m - 1) / (m + 1)) by its series (|t| <= 1/3:
// five terms leave a relative error below 1e-6, far under the sampling
// noise).
double exponential_unit() {
  const uint64_t bits = (next_random() >> 11) + 1;  // [1, 2^53]
  const int top = 63 - __builtin_clzll(bits);       // bits = m * 2^top
  const double m = static_cast<double>(bits) / static_cast<double>(uint64_t{1} << top);
  const double t = (m - 1) / (m + 1);
  const double t2 = t * t;
  const double ln_m = 2 * t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 / 9))));
  constexpr double kLn2 = 0.69314718055994530942;
  return (53 - top) * kLn2 - ln_m;  // -ln(bits / 2^53)
}

uint64_t draw_countdown(uint64_t mean) {
  const double bytes = exponential_unit() * static_cast<double>(mean);
  if (bytes < 1) return 1;
  if (bytes > 9.0e18) return uint64_t{9000000000000000000ULL};
  return static_cast<uint64_t>(bytes);
}

}  // namespace

size_t sampled_estimate(size_t size, uint64_t mean) {
  // Pure arithmetic, safe inside malloc.
  return static_cast<size_t>(static_cast<double>(size) * tracemalloc::sample_weight(size, mean) +
                             0.5);
}

bool sample_crossing(size_t size) {
  RuntimeState &st = g_runtime_state;
  const uint64_t mean = st.sample_bytes.load(std::memory_order_relaxed);
  const uint64_t generation = st.sample_generation.load(std::memory_order_relaxed);
  if (t_sample_generation != generation) {
    // A thread's first allocation in this generation: its own generator, and
    // a first countdown, which this allocation then counts against.
    t_sample_generation = generation;
    const uint64_t ordinal = g_sample_threads.fetch_add(1, std::memory_order_relaxed);
    t_sample_state =
        mix(g_sample_seed.load(std::memory_order_relaxed) ^ mix(ordinal ^ (generation << 32))) | 1;
    t_sample_countdown = draw_countdown(mean);
    if (size < t_sample_countdown) {
      t_sample_countdown -= size;
      return false;
    }
  }
  t_sample_countdown = draw_countdown(mean);
  return true;
}

void set_sample_seed(int64_t seed) {
  uint64_t value = static_cast<uint64_t>(seed);
  if (seed < 0) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    value = mix(static_cast<uint64_t>(now.tv_nsec) ^ (static_cast<uint64_t>(now.tv_sec) << 30) ^
                (static_cast<uint64_t>(getpid()) << 8));
  }
  g_sample_seed.store(value, std::memory_order_relaxed);
  new_sample_generation();
}

void new_sample_generation() {
  g_sample_threads.store(0, std::memory_order_relaxed);
  g_runtime_state.sample_generation.fetch_add(1, std::memory_order_relaxed);
}

void reseed_samples_after_fork() {
  g_sample_seed.store(
      mix(g_sample_seed.load(std::memory_order_relaxed) ^ (static_cast<uint64_t>(getpid()) << 32)),
      std::memory_order_relaxed);
  new_sample_generation();
}

}  // namespace tm_rt
