// SIGKILL while a dump is being written: the dump does not exist until it is
// complete (an unnamed file linked in whole), so nothing is left but the
// complete dumps before it.  The program traces 300,000 entries (a dump of
// several MB) and dumps every 20 ms; the driver kills it while one of its
// file descriptors is open in the dump directory, five times.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %tmcc -O1 -g %s -o %t
// RUN: %python %S/Inputs/kill_during_dump.py %t %t.dir %tm-report 5 | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <tracemalloc/tracemalloc.h>
#include <unistd.h>

int main(void) {
  // Distinct sizes: one trace entry each, no memory behind them.
  for (uintptr_t i = 1; i <= 300000; ++i) tm_track(0, i * 16, i);
  for (;;) pause();
}
// CHECK-COUNT-5: killed while writing: yes; dumps: {{[1-9][0-9]*}}; temporaries: none; unreadable: none
// CHECK: clean after 5 of 5 kills
