// thread_page.cpp - the per-thread page of thread_page.h and its release at
// thread exit (a pthread key destructor: it runs for every thread whose value
// is set, before its TLS goes away).
#include "runtime/support/thread_page.h"

#include <pthread.h>

#include "runtime/support/internal_alloc.h"

namespace tm_rt {

__thread unsigned char *t_thread_page __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

// 1: no page for this thread (exiting, or none could be had).
unsigned char *const kNoPage = reinterpret_cast<unsigned char *>(1);

pthread_key_t g_page_key;
pthread_once_t g_page_key_once = PTHREAD_ONCE_INIT;
bool g_page_key_made = false;

void release_thread_page(void *page) {
  t_thread_page = kNoPage;
  internal_free(page, kThreadPageBytes);
}

void make_page_key() {
  g_page_key_made = pthread_key_create(&g_page_key, release_thread_page) == 0;
}

// Made before the program's constructors run: a low key number, which glibc
// keeps in the thread itself, so that pthread_setspecific on an allocation
// path never allocates (the trace counters' exit key is made alike).
__attribute__((constructor(101))) void make_page_key_early() {
  pthread_once(&g_page_key_once, make_page_key);
}

}  // namespace

unsigned char *make_thread_page() {
  // Until it exists: a nested request (none is expected) and a failure get
  // no page, and a failure is not retried on every allocation.
  t_thread_page = kNoPage;
  pthread_once(&g_page_key_once, make_page_key);
  if (!g_page_key_made) return nullptr;
  auto *page = static_cast<unsigned char *>(internal_alloc(kThreadPageBytes));
  if (!page) return nullptr;
  if (pthread_setspecific(g_page_key, page) != 0) {
    internal_free(page, kThreadPageBytes);
    return nullptr;
  }
  t_thread_page = page;
  return page;
}

}  // namespace tm_rt
