// Built WITHOUT the plugin: a global operator new handing out memory of its
// own, an arena in pages it maps, the first object at the very start of a
// mapping with an unmapped page before it; delete frees nothing.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <new>

static char *arena, *arena_end, *cursor;

static void map_arena() {
  const size_t page = static_cast<size_t>(getpagesize());
  char *pages = static_cast<char *>(
      mmap(nullptr, 17 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (pages == MAP_FAILED) std::abort();
  munmap(pages, page);  // nothing readable in front of the first object
  arena = cursor = pages + page;
  arena_end = arena + 16 * page;
}

void *operator new(std::size_t size) {
  if (!arena) map_arena();
  size = (size + 15) & ~static_cast<std::size_t>(15);
  if (cursor + size > arena_end) throw std::bad_alloc();
  void *block = cursor;
  cursor += size;
  return block;
}
void operator delete(void *) noexcept {}
void operator delete(void *, std::size_t) noexcept {}
