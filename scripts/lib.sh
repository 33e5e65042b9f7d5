# Shared by scripts/quickstart and scripts/check: the Debian packages the
# project needs, installed only when missing, and the build of one tree.

# Everything comes from Debian 12's own archive.
TM_PACKAGES="cmake make g++ python3 file pkg-config dpkg-dev
  clang-14 llvm-14-dev llvm-14-tools libclang-rt-14-dev
  clang-19 llvm-19-dev llvm-19-tools libclang-rt-19-dev lld-19 clang-format-19
  lld-14 ccache
  libzstd-dev zlib1g-dev
  libgtest-dev nlohmann-json3-dev libcli11-dev gnuplot-nox valgrind
  protobuf-compiler libprotobuf-dev golang-github-google-pprof-dev golang-go
  chromium"

tm_install_packages() {
  missing=""
  for p in $TM_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "Installing:$missing"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# tm_build BUILD_DIR LLVM_MAJOR [CMAKE_ARGS...]
tm_build() {
  build_dir=$1 llvm=$2
  shift 2
  cmake -S "$TM_ROOT" -B "$build_dir" -DLLVM_DIR="/usr/lib/llvm-$llvm/lib/cmake/llvm" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
}

# tm_build_sanitized BUILD_DIR SANITIZER: runtime, model and unit tests only
# (no pass plugin, no tools, hence no lit suite), compiled by clang 19 with
# -fsanitize=SANITIZER (docs/design-runtime.md).
tm_build_sanitized() {
  CC=/usr/lib/llvm-19/bin/clang CXX=/usr/lib/llvm-19/bin/clang++ \
    cmake -S "$TM_ROOT" -B "$1" -DLLVM_DIR=/usr/lib/llvm-19/lib/cmake/llvm \
          -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTM_BUILD_PASS=OFF -DTM_BUILD_TOOLS=OFF \
          -DTM_SANITIZE="$2" >/dev/null
  cmake --build "$1" -j "$(nproc)"
}

# tm_check_format: every C/C++ source formatted as .clang-format says
# (clang-format 19); prints the files that are not and returns 1.
tm_check_format() {
  bad=""
  for f in $(cd "$TM_ROOT" && git ls-files '*.c' '*.cpp' '*.h' '*.hpp'); do
    clang-format-19 --dry-run --Werror "$TM_ROOT/$f" >/dev/null 2>&1 || bad="$bad $f"
  done
  [ -z "$bad" ] && return 0
  echo "not formatted (run scripts/format):$bad"
  return 1
}

# tm_build_fuzzers BUILD_DIR: the libFuzzer harnesses of test/fuzz/ (a CMake
# tree of their own: clang 19, the model and tm-report's sources only).
tm_build_fuzzers() {
  CC=/usr/lib/llvm-19/bin/clang CXX=/usr/lib/llvm-19/bin/clang++ \
    cmake -S "$TM_ROOT/test/fuzz" -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$1" -j "$(nproc)"
}

# tm_run_fuzzers BUILD_DIR SECONDS: each harness for SECONDS from its seed
# corpus (test/fuzz/corpus/NAME, read only) plus what earlier runs added
# (BUILD_DIR/corpus/NAME); returns 1 when a harness found something (the
# input is in BUILD_DIR/findings/).
tm_run_fuzzers() {
  failed=""
  mkdir -p "$1/findings"
  for name in binary_reader json_reader tm_report; do
    mkdir -p "$1/corpus/$name"
    echo "--- fuzz_$name: $2 s"
    # -rss_limit_mb and -timeout: an input that takes more than 2 GB or 10 s
    # is a finding (the readers' time and memory are bounded by the input).
    if ! "$1/fuzz_$name" -max_total_time="$2" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
         -print_final_stats=1 -artifact_prefix="$1/findings/$name-" \
         "$1/corpus/$name" "$TM_ROOT/test/fuzz/corpus/$name" >"$1/fuzz_$name.log" 2>&1; then
      failed="$failed fuzz_$name"
      tail -n 40 "$1/fuzz_$name.log"
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$1/fuzz_$name.log" || true
  done
  [ -z "$failed" ] && return 0
  echo "fuzzing found inputs that fail:$failed (see $1/findings/)"
  return 1
}
