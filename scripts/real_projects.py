"""The real projects' build definitions, shared by scripts/real-projects (their test suites, plain
and traced) and bench/run.py (their workloads, timed against the plain build).

Each project comes from its Debian 12 source package, unpacked once under WORK/src/NAME/ by
scripts/real-projects (`apt-get source`).  A build copies that tree and runs the project's
commands in the copy with `sh -c`, with CC, CXX, CFLAGS, CXXFLAGS and JOBS set: `build`
configures the project and builds its library and its command-line tools (what the benchmark
runs), `build_tests` then builds its test programs, `test` runs the suite.
"""

import glob
import os
import shutil
import subprocess
import time

FLAGS = "-O2 -g"
DEFAULT_WORK = os.path.join(os.path.expanduser("~"), ".cache", "tracemalloc-real-projects")

PROJECTS = [
    {
        "name": "tinyxml2", "package": "tinyxml2", "lang": "C++", "system": "CMake",
        "packages": [],
        "build": 'cmake -S . -B _build -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER="$CC" '
                 '-DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_FLAGS="$CFLAGS" '
                 '-DCMAKE_CXX_FLAGS="$CXXFLAGS" -Dtinyxml2_BUILD_TESTING=ON '
                 '&& cmake --build _build -j "$JOBS"',
        "test": 'ctest --test-dir _build -V',
        "parse": ["ctest", "tinyxml2"],
        "small": True,
    },
    {
        "name": "libyaml", "package": "libyaml", "lang": "C", "system": "autotools",
        "packages": ["autoconf", "automake", "libtool"],
        "build": 'autoreconf -fi && ./configure --disable-dependency-tracking && make -j "$JOBS"',
        "build_tests": 'make -j "$JOBS" check TESTS=',
        "test": 'make check',
        "parse": ["automake"],
    },
    {
        "name": "zstd", "package": "zstd", "lang": "C", "system": "make",
        "packages": ["zlib1g-dev", "liblzma-dev"],
        "build": 'make -j "$JOBS" -C programs zstd CC="$CC" CFLAGS="$CFLAGS"',
        "build_tests": 'make -j "$JOBS" -C tests datagen CC="$CC" CFLAGS="$CFLAGS"',
        "test": 'cd tests && ./cli-tests/run.py --zstd=../programs/zstd --datagen=./datagen',
        "parse": ["zstd"],
    },
    {
        "name": "json-c", "package": "json-c", "lang": "C", "system": "CMake",
        "packages": [],
        "build": 'cmake -S . -B _build -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER="$CC" '
                 '-DCMAKE_C_FLAGS="$CFLAGS" -DBUILD_TESTING=ON -DDISABLE_WERROR=ON '
                 '&& cmake --build _build -j "$JOBS"',
        # Its suite runs each test under valgrind when valgrind is installed, which replaces the
        # allocator (and reports errors in this clang's untraced build too): off, both ways.
        "test": 'USE_VALGRIND=0 ctest --test-dir _build -j "$JOBS" --output-on-failure',
        "parse": ["ctest"],
    },
    {
        "name": "fribidi", "package": "fribidi", "lang": "C", "system": "meson",
        "packages": ["meson", "ninja-build"],
        "build": 'meson setup _build --buildtype=plain -Ddocs=false '
                 '&& ninja -C _build -j "$JOBS"',
        "test": 'meson test -C _build --num-processes "$JOBS"',
        "parse": ["meson"],
    },
    {
        "name": "expat", "package": "expat", "lang": "C", "system": "autotools",
        "packages": ["autoconf", "automake", "libtool"],
        # Autotools as Debian builds it: with CMake's configuration, XML_DTD is defined empty and
        # a Debian patch's `#if XML_DTD == 1` does not compile.
        "build": 'cd expat && ./buildconf.sh && ./configure --disable-dependency-tracking '
                 '--without-docbook && make -j "$JOBS"',
        "build_tests": 'cd expat && make -j "$JOBS" check TESTS=',
        # The harness keeps each program's output in its log: the check counts are there.
        "test": 'cd expat && make check; rc=$?; cat tests/runtests.log tests/runtestspp.log; '
                'exit $rc',
        "parse": ["automake", "minicheck"],
    },
    {
        "name": "libxml2", "package": "libxml2", "lang": "C", "system": "autotools",
        "packages": ["autoconf", "automake", "libtool", "zlib1g-dev", "liblzma-dev"],
        # Debian's patches touch configure.ac and Makefile.am: regenerated, as Debian builds it.
        "build": 'autoreconf -fi && ./configure --disable-dependency-tracking --without-python '
                 '&& make -j "$JOBS"',
        "build_tests": 'make -j "$JOBS" runtest testrecurse testapi testcatalog testchar '
                       'testdict runxmlconf && make -C fuzz -j "$JOBS" testFuzzer corpus',
        # `make check` runs these in a chain that stops at the first that fails (runtest does:
        # the source package lacks test/threads/): each runs here, whatever the others do.
        "test": 'rc=0; for t in runtest testrecurse testapi testchar testdict runxmlconf; do '
                './$t || rc=1; done; make -C fuzz tests || rc=1; exit $rc',
        "parse": ["libxml2"],
    },
    {
        "name": "jq", "package": "jq", "lang": "C", "system": "autotools",
        "packages": ["autoconf", "automake", "libtool", "bison", "flex", "libonig-dev"],
        "build": 'autoreconf -fi && ./configure --disable-dependency-tracking --disable-docs '
                 '--disable-valgrind --disable-maintainer-mode --with-oniguruma=yes '
                 '&& make -j "$JOBS"',
        "build_tests": 'make -j "$JOBS" check TESTS=',
        "test": 'make check',
        "parse": ["automake"],
    },
    {
        "name": "yaml-cpp", "package": "yaml-cpp", "lang": "C++", "system": "CMake",
        "packages": ["libgtest-dev", "libgmock-dev"],
        # The library and its tools (util/parse, util/read) first, the GoogleTest suite after.
        "build": 'cmake -S . -B _build -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER="$CC" '
                 '-DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_FLAGS="$CFLAGS" '
                 '-DCMAKE_CXX_FLAGS="$CXXFLAGS" -DYAML_CPP_BUILD_TESTS=ON '
                 '&& cmake --build _build -j "$JOBS" --target yaml-cpp-parse yaml-cpp-read',
        "build_tests": 'cmake --build _build -j "$JOBS"',
        "test": 'ctest --test-dir _build -V',
        "parse": ["ctest", "gtest"],
    },
]

BY_NAME = {p["name"]: p for p in PROJECTS}


def source_tree(project, work):
    """The unpacked Debian source tree of the project under WORK/src/, or None if absent."""
    trees = [d for d in glob.glob(os.path.join(work, "src", project["name"], "*/")) if os.path.isdir(d)]
    return trees[0].rstrip("/") if len(trees) == 1 else None


def build_env(cc, cxx, jobs, scrubbed=(), flags=FLAGS):
    """The environment of a project's commands: its compilers and flags, no tracing."""
    env = dict(os.environ, CC=cc, CXX=cxx, CFLAGS=flags, CXXFLAGS=flags, JOBS=str(jobs), LC_ALL="C")
    for var in [v for v in env if v.startswith("TRACEMALLOC") or v in scrubbed]:
        del env[var]
    return env


def run_stage(cmd, cwd, env, logfile, mode="w"):
    """Runs one of a project's commands, its output to logfile; (exit status, seconds)."""
    start = time.monotonic()
    with open(logfile, mode) as fh:
        r = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=env, stdout=fh,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return r.returncode, time.monotonic() - start


def fresh_copy(source, tree):
    """A new copy of the source tree to build in (whatever an earlier build left is removed)."""
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(source, tree, symlinks=True)


def build_commands(project, with_tests):
    """The commands that build the project: its library and tools, and its test programs."""
    commands = [project["build"]]
    if with_tests and project.get("build_tests"):
        commands.append(project["build_tests"])
    return " && ".join("(%s)" % c for c in commands)
