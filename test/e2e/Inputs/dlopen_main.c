// Built WITHOUT the plugin: loads a library with dlopen (mode "lazy" or
// "now") and uses it, with blocks crossing between the two sides.
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *kept;

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int mode = strcmp(argv[2], "now") == 0 ? RTLD_NOW : RTLD_LAZY;
  void *lib = dlopen(argv[1], mode);
  if (!lib) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  char *(*lib_copy)(const char *) = (char *(*)(const char *))dlsym(lib, "lib_copy");
  unsigned long (*lib_work)(unsigned) = (unsigned long (*)(unsigned))dlsym(lib, "lib_work");
  void *(*lib_alloc)(size_t) = (void *(*)(size_t))dlsym(lib, "lib_alloc");
  void (*lib_free)(void *) = (void (*)(void *))dlsym(lib, "lib_free");
  if (!lib_copy || !lib_work || !lib_alloc || !lib_free) return 3;
  char *copy = lib_copy("copied by the library");
  printf("copy: %s\n", copy);
  free(copy); // a library block freed here
  printf("work: %lu\n", lib_work(200));
  char *ours = malloc(100);
  strcpy(ours, "ours");
  lib_free(ours); // a block of ours freed there
  unsigned char *zeroed = lib_alloc(1000);
  unsigned zeros = 0;
  for (int i = 0; i < 1000; ++i) zeros += zeroed[i] == 0;
  printf("zeroed: %u\n", zeros);
  zeroed = realloc(zeroed, 5000); // grown and freed here
  free(zeroed);
  kept = lib_copy("kept until exit");
  printf("done\n");
  return 0;
}
