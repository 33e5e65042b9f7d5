// An instrumented program runs in a sandbox that kills the process on
// process_vm_readv (a seccomp allow-list that never expected it): the
// runtime makes no such call at start-up or on the allocation paths, traced
// or not.  The same file is the launcher (plain clang) and the program.
// RUN: %clang -O1 -DLAUNCHER %s -o %t.launch
// RUN: %tmcc -O1 -g %s -o %t
// RUN: %t.launch %t | FileCheck %s
// RUN: env TRACEMALLOC=1 %t.launch %t | FileCheck %s --check-prefix=TRACED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LAUNCHER
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_process_vm_readv, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog program = {sizeof filter / sizeof filter[0], filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
    perror("seccomp");
    return 2;
  }
  execv(argv[1], argv + 1);
  perror("execv");
  return 2;
}
#else
#include <tracemalloc/tracemalloc.h>

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  char *blocks[100];
  for (int i = 0; i < 100; i++) blocks[i] = malloc(16 + (size_t)i);
  for (int i = 0; i < 100; i += 2) blocks[i] = realloc(blocks[i], 500);
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  for (int i = 0; i < 100; i++) free(blocks[i]);
  printf("sandboxed: traced %zu\n", now);
  return 0;
}
// CHECK: sandboxed: traced 0
// TRACED: sandboxed: traced {{[1-9][0-9]*}}
#endif
