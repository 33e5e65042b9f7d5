/*
 * Workload 1: malloc/free churn.
 *
 *   churn [operations=5000000] [live_blocks=65536]
 *
 * Fills live_blocks slots with blocks of random sizes (16..1039 bytes), then
 * each operation frees a random slot's block and allocates a new one, so the
 * live set stays constant while millions of blocks pass through the
 * allocator.  Every block is touched at both ends so neither the allocation
 * nor the free can be optimised away, and so the comparison includes the
 * cache traffic a real program causes.
 */
#include "bench_common.h"

#define USAGE "churn [operations] [live_blocks]"

static unsigned char *allocate_block(uint64_t *rng, uint64_t stamp) {
  size_t size = 16 + (size_t)(bench_next_random(rng) % 1024);
  unsigned char *block = bench_checked_malloc(size);
  block[0] = (unsigned char)stamp;
  block[size - 1] = (unsigned char)(stamp >> 8);
  return block;
}

int main(int argc, char **argv) {
  uint64_t operations = bench_count_arg(argc, argv, 1, 5000000, USAGE);
  uint64_t live_blocks = bench_count_arg(argc, argv, 2, 65536, USAGE);
  uint64_t rng = 0x9E3779B97F4A7C15ULL;
  uint64_t checksum = 0;

  unsigned char **slots = bench_checked_malloc(live_blocks * sizeof *slots);
  for (uint64_t i = 0; i < live_blocks; i++) slots[i] = allocate_block(&rng, i);

  for (uint64_t i = 0; i < operations; i++) {
    uint64_t slot = bench_next_random(&rng) % live_blocks;
    checksum += slots[slot][0];
    free(slots[slot]);
    slots[slot] = allocate_block(&rng, i);
  }

  /* + 1: the slot array itself is a live block too. */
  bench_report_tracer_memory(live_blocks + 1);

  for (uint64_t i = 0; i < live_blocks; i++) {
    checksum = checksum * 31 + slots[i][0];
    free(slots[i]);
  }
  free(slots);
  printf("churn checksum=%llu\n", (unsigned long long)checksum);
  return 0;
}
