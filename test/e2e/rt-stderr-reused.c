// A program that closes stderr and opens a data file (which takes fd 2):
// the runtime's warning at exit does not land in the data file.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: rm -f %t.data
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=/nonexistent-dir/x.tmd %t %t.data 2>%t.err
// RUN: FileCheck %s --check-prefix=DATA --input-file=%t.data
// RUN: count 1 < %t.data
// RUN: count 0 < %t.err
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *keep;

int main(int argc, char **argv) {
  (void)argc;
  keep = malloc(100);
  close(2);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd != 2) return 1;
  const char line[] = "program data\n";
  if (write(fd, line, strlen(line)) < 0) return 1;
  return 0;
}
// DATA: program data
