// The site records a compiled program holds, read back as abi.h's struct
// tm_site: the section is whole records, every record's strings and parent
// (offsets read through abi.h's accessors) lead where they should, and the
// records of known calls hold their line, column, function, flags and parent.
// Fails on a record of another size, field order or encoding than read here.
// The same with the offsets resolved by a static link and by the link-time
// optimiser (each a 32-bit PC-relative relocation the static linker fills).
// RUN: %tmcc -O0 -g %s -o %t
// RUN: %t | FileCheck %s
// RUN: %tmcc -O0 -g -static %s -o %t.static
// RUN: %t.static | FileCheck %s
// RUN: %tmcc -O0 -g -flto=thin %s -o %t.thin
// RUN: %t.thin | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracemalloc/abi.h"

// Defined by the linker around the section (its name is a C identifier).
extern const struct tm_site __start___tm_sites[];
extern const struct tm_site __stop___tm_sites[];

static const unsigned char *section_begin(void) { return (const unsigned char *)__start___tm_sites; }
static const unsigned char *section_end(void) { return (const unsigned char *)__stop___tm_sites; }

static int is_record(const struct tm_site *site) {
  const unsigned char *at = (const unsigned char *)site;
  return at >= section_begin() && at < section_end() &&
         (size_t)(at - section_begin()) % sizeof(struct tm_site) == 0;
}

void *keep[2];

void *allocate(size_t n) {
  return malloc(n);   // line 36, column 10
}

static inline __attribute__((always_inline)) void *inlined(size_t n) {
  return calloc(n, 1);   // line 40, column 10
}

void *outer(size_t n) {
  return inlined(n);   // line 44, column 10
}

static const struct tm_site *find(const char *function, unsigned line) {
  for (const struct tm_site *site = __start___tm_sites; site < __stop___tm_sites; ++site)
    if (strcmp(tm_site_function(site), function) == 0 && site->line == line) return site;
  return NULL;
}

int main(void) {
  // Unbuffered: what was printed stays visible if a bad record crashes us.
  setvbuf(stdout, NULL, _IONBF, 0);
  keep[0] = allocate(8);
  keep[1] = outer(8);
  // CHECK: record: 24 bytes, aligned to 4
  printf("record: %zu bytes, aligned to %zu\n", sizeof(struct tm_site), _Alignof(struct tm_site));
  size_t bytes = (size_t)(section_end() - section_begin());
  // CHECK-NEXT: whole records: yes
  printf("whole records: %s\n", bytes > 0 && bytes % sizeof(struct tm_site) == 0 ? "yes" : "no");
  int valid = 1;
  for (const struct tm_site *site = __start___tm_sites; site < __stop___tm_sites; ++site) {
    if (!tm_site_file(site) || !tm_site_directory(site) || !tm_site_function(site)) valid = 0;
    else if (strlen(tm_site_file(site)) > 4096 || strlen(tm_site_function(site)) > 4096) valid = 0;
    if (tm_site_parent(site) && !is_record(tm_site_parent(site))) valid = 0;
    if (site->flags & ~TM_SITE_OWN_SHADOW_FRAME) valid = 0;
  }
  // CHECK-NEXT: every record valid: yes
  printf("every record valid: %s\n", valid ? "yes" : "no");

  const struct tm_site *site = find("allocate", 36);
  // CHECK-NEXT: allocate: site-record-layout.c:36:10 flags=0 parent=none
  if (site) {
    const char *file = tm_site_file(site);
    printf("allocate: %s:%u:%u flags=%u parent=%s\n", strrchr(file, '/') ? strrchr(file, '/') + 1 : file, site->line,
           site->column, site->flags, tm_site_parent(site) ? tm_site_function(tm_site_parent(site)) : "none");
  }

  site = find("inlined", 40);
  // CHECK-NEXT: inlined: line 40:10 flags=0, parent outer:44:10 flags=0
  const struct tm_site *parent = site ? tm_site_parent(site) : NULL;
  if (parent)
    printf("inlined: line %u:%u flags=%u, parent %s:%u:%u flags=%u\n", site->line, site->column, site->flags,
           tm_site_function(parent), parent->line, parent->column, parent->flags);
  free(keep[0]);
  free(keep[1]);
  return 0;
}
