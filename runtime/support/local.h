// local.h - how the runtime declares the globals its hot paths read.
//
// The runtime is compiled with hidden visibility, but that covers
// definitions only: a global merely declared in a header is assumed to
// possibly live in another module, so every access first loads its address
// from the GOT (an extra instruction on each check of every malloc and free,
// even once the linker relaxes the load).  Declared hidden, it is one
// PC-relative access.  Thread-locals keep the initial-exec model: one TLS
// load, no __tls_get_addr call.
#ifndef TRACEMALLOC_RUNTIME_LOCAL_H
#define TRACEMALLOC_RUNTIME_LOCAL_H

#define TM_RUNTIME_LOCAL __attribute__((visibility("hidden")))
#define TM_RUNTIME_LOCAL_TLS __attribute__((visibility("hidden"), tls_model("initial-exec")))

#endif  // TRACEMALLOC_RUNTIME_LOCAL_H
