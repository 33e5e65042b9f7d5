# lit configuration for TraceMalloc.  Every tool is resolved from the build
# tree or from the LLVM this tree was built against, never from PATH: a
# plugin built for LLVM 19 loaded into clang 14 fails with a symbol error.
import os
import shutil
import lit.formats

config.name = "TraceMalloc"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".ll", ".c", ".cpp", ".test"]
# fuzz: libFuzzer harnesses, built and run by scripts/fuzz (docs/fuzzing.md).
config.excludes = ["Inputs", "unit", "fuzz", "CMakeLists.txt"]
config.test_source_root = config.tm_test_src
config.test_exec_root = config.tm_test_obj

bindir = config.llvm_bindir
libdir = os.path.join(config.tm_obj_root, "lib")
tooldir = os.path.join(config.tm_obj_root, "bin")

# FileCheck, not, count, split-file come from the LLVM bin dir.
config.environment["PATH"] = os.pathsep.join([bindir, tooldir, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Tests set TRACEMALLOC* themselves; never inherit them from the caller.
for var in list(os.environ):
    if var.startswith("TRACEMALLOC") or var.startswith("TM_CLANG"):
        config.environment.pop(var, None)

plugin = os.path.join(libdir, "TraceMallocPass.so")
config.substitutions.append(("%clangxx", os.path.join(bindir, "clang++")))
config.substitutions.append(("%clang", os.path.join(bindir, "clang")))
config.substitutions.append(("%opt", os.path.join(bindir, "opt")))
config.substitutions.append(("%plugin", plugin))
# Load the plugin into opt and run only the TraceMalloc pass.  -load= as well
# as -load-pass-plugin=: opt 14 knows the pass's options only then.
config.substitutions.append(("%tmopt", "%s -load=%s -load-pass-plugin=%s -passes=tracemalloc" % (os.path.join(bindir, "opt"), plugin, plugin)))
config.substitutions.append(("%tmcxx", os.path.join(tooldir, "tm-clang++")))
config.substitutions.append(("%tmcc", os.path.join(tooldir, "tm-clang")))
config.substitutions.append(("%tm-report", os.path.join(tooldir, "tm-report")))
config.substitutions.append(("%tmlibdir", libdir))
config.substitutions.append(("%tminclude", os.path.join(config.tm_src_root, "include")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%testsrc", config.tm_test_src))

config.available_features.add("llvm-%s" % config.llvm_version_major)

# The install tree and its users (test/install): cmake and cpack of this
# build, the tree to install, and the clang of the other supported LLVM
# major, whose compiler tracemalloc_instrument must refuse.
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cpack", config.cpack_command))
config.substitutions.append(("%tmbuild", config.tm_obj_root))
other_major = "14" if config.llvm_version_major == "19" else "19"
other_clangxx = "/usr/lib/llvm-%s/bin/clang++" % other_major
if os.path.isfile(other_clangxx):
    config.available_features.add("other-clang")
    config.substitutions.append(("%otherclangxx", other_clangxx))
    config.substitutions.append(("%otherclang", other_clangxx[:-2]))
    config.substitutions.append(("%othermajor", other_major))
config.substitutions.append(("%llvmmajor", config.llvm_version_major))
if shutil.which("dpkg-deb"):
    config.available_features.add("dpkg-deb")

# GoogleTest programs with the memory limits (test/gtest): what a program
# linking TraceMalloc::gtest and GTest::gtest_main gets, after its sources.
config.substitutions.append(("%tmgtest", "-L%s -Wl,--undefined=tracemalloc_gtest_anchor -ltracemalloc_gtest -lgtest_main -lgtest -lpthread" % libdir))

# lld of the same LLVM (Debian's lld-NN, installed by scripts/lib.sh): the
# wrappers' -fuse-ld=lld tests.
if os.path.exists(os.path.join(bindir, "ld.lld")):
    config.available_features.add("lld")

# ccache (Debian's ccache, installed by scripts/lib.sh): CC="ccache tm-clang".
if shutil.which("ccache"):
    config.available_features.add("ccache")

# valgrind (scripts/lib.sh installs it): instrumented programs must run clean under it.
if shutil.which("valgrind"):
    config.available_features.add("valgrind")

# The browser test of `tm-report html`: node with the playwright-core that the
# build of the page installed, and Chromium.  Both are there wherever the
# page was built and scripts/lib.sh ran; without them the test is UNSUPPORTED.
node = config.tm_node
modules = config.tm_html_node_modules
if os.path.isfile(node) and modules and os.path.isdir(os.path.join(modules, "playwright-core")):
    config.available_features.add("html-page")
    config.substitutions.append(("%node", node))
    config.environment["NODE_PATH"] = modules
if os.path.isfile(config.tm_chromium):
    config.available_features.add("chromium")
    config.environment["CHROMIUM"] = config.tm_chromium

# A real pprof reader for `tm-report pprof` (Debian's golang-go, installed by
# scripts/lib.sh): `go tool pprof`.  It wants a home and a build cache.
if shutil.which("go"):
    config.available_features.add("go-pprof")
    config.environment["HOME"] = os.environ.get("HOME", "/tmp")
    config.environment["GOCACHE"] = os.path.join(config.test_exec_root, ".gocache")
