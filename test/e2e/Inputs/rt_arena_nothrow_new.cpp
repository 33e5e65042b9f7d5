// Built WITHOUT the plugin: replaces only the nothrow operator new (and its
// delete), with an arena whose first object follows a PROT_NONE page.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <new>

static char *cursor, *arena_end;

void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  if (!cursor) {
    const size_t page = static_cast<size_t>(getpagesize());
    char *pages = static_cast<char *>(
        mmap(nullptr, 9 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (pages == MAP_FAILED) return nullptr;
    mprotect(pages, page, PROT_NONE);  // unreadable bytes in front of the first object
    cursor = pages + page;
    arena_end = cursor + 8 * page;
  }
  size = (size + 15) & ~static_cast<std::size_t>(15);
  if (cursor + size > arena_end) return nullptr;
  void *block = cursor;
  cursor += size;
  return block;
}
void operator delete(void *, const std::nothrow_t &) noexcept {}
