#!/usr/bin/env python3
"""kill_during_dump.py PROGRAM DIR TM_REPORT TRIES

Runs PROGRAM (which dumps DIR/snap.N.tmd on an interval) TRIES times, each
time kills it with SIGKILL while one of its file descriptors is open in DIR
(a dump being written), then checks what is left in DIR: no temporary
(a name starting with "."), and every dump complete (tm-report reads it).
Prints one line per try and a summary.
"""
import os
import signal
import subprocess
import sys
import time


def open_in(pid, directory):
    """The targets of pid's file descriptors inside directory."""
    found = []
    fd_dir = "/proc/%d/fd" % pid
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return found
    for fd in fds:
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith(directory + "/"):
            found.append(target)
    return found


def one_try(program, directory, tm_report):
    for name in os.listdir(directory):
        os.unlink(os.path.join(directory, name))
    env = dict(os.environ, TRACEMALLOC="1", TRACEMALLOC_DUMP=directory + "/snap.tmd",
               TRACEMALLOC_DUMP_INTERVAL="0.02", TRACEMALLOC_TIMELINE="0")
    child = subprocess.Popen([program], env=env)
    deadline = time.monotonic() + 60
    writing = []
    # Past the first dump, so a complete one must survive the kill.
    while time.monotonic() < deadline and not os.path.exists(directory + "/snap.1.tmd"):
        time.sleep(0.001)
    while time.monotonic() < deadline and not writing:
        writing = open_in(child.pid, directory)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = sorted(os.listdir(directory))
    temporaries = [n for n in left if n.startswith(".")]
    dumps = [n for n in left if n.startswith("snap.")]
    unreadable = [n for n in dumps
                  if subprocess.run([tm_report, "top", "--limit", "1", os.path.join(directory, n)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0]
    print("killed while writing: %s; dumps: %d; temporaries: %s; unreadable: %s" %
          ("yes" if writing else "no", len(dumps), temporaries or "none", unreadable or "none"))
    return bool(writing) and not temporaries and not unreadable and dumps


def main():
    program, directory, tm_report, tries = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    good = sum(1 for _ in range(tries) if one_try(program, directory, tm_report))
    print("clean after %d of %d kills" % (good, tries))


if __name__ == "__main__":
    main()
