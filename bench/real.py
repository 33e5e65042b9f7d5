"""The `real` workload group of bench/run.py: real projects' own tools on generated input.

The projects are those of scripts/real-projects (docs/real-projects.md), from the same Debian
source trees (WORK/src/, fetched there by scripts/real-projects) and built by the same commands
(scripts/real_projects.py), without their test programs: once with the clang the wrappers run
(`base`), once with tm-clang / tm-clang++ (`inst`), under BUILD/bench/real/PROJECT/KIND/.  A
build is kept while its sources, commands and compilers are unchanged (the instrumented one
also while the pass plugin and the wrappers are byte for byte the same); the runtime is not
linked in but loaded at run time from BUILD/lib, which is checked before the first run.

Each workload runs one of the project's programs on a file generated here (deterministic: the
same bytes for a given size), and what it writes (stdout or a file) is hashed: every variant must
write the very bytes the plain build writes.
"""
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_DIR, "scripts"))
import real_projects  # noqa: E402

# The projects' flags, with DWARF 4: valgrind 3.19 (cachegrind, for --instructions) gives up on
# these projects' DWARF 5.  The code is the same; heaptrack reads either.
FLAGS = real_projects.FLAGS + " -gdwarf-4"

# Bump when a generator changes what it writes, so that kept inputs are made anew.
GENERATOR_VERSION = 1

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
         "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu memory "
         "allocation traceback snapshot statistic peak current domain frame filter").split()


def _sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate_text(path, size):
    """Log-like lines, about `size` KiB: compressible as real text is, not trivially."""
    rng = random.Random(1)
    limit = size * 1024
    with open(path, "w") as f:
        written = 0
        line = 0
        while written < limit:
            text = "%08d %s level=%d value=%d.%03d %s\n" % (
                line, rng.choice(("INFO", "WARN", "DEBUG", "ERROR")), rng.randrange(8),
                rng.randrange(100000), rng.randrange(1000), _sentence(rng, rng.randrange(4, 16)))
            f.write(text)
            written += len(text)
            line += 1


def _record(rng, i):
    return {"id": i, "name": "user-%d-%s" % (i, rng.choice(WORDS)),
            "email": "%s.%d@example.org" % (rng.choice(WORDS), rng.randrange(10**6)),
            "active": rng.random() < 0.7, "score": round(rng.random() * 100, 3),
            "tags": [rng.choice(WORDS) for _ in range(rng.randrange(1, 6))],
            "items": [{"sku": "%s-%04d" % (rng.choice(WORDS)[:3].upper(), rng.randrange(10000)),
                       "price": round(rng.random() * 200, 2), "qty": rng.randrange(1, 9)}
                      for _ in range(rng.randrange(0, 6))],
            "note": _sentence(rng, rng.randrange(3, 12))}


def generate_json(path, size):
    """An array of `size` hundred records (nested objects, arrays, strings, numbers)."""
    rng = random.Random(2)
    with open(path, "w") as f:
        f.write("[\n")
        for i in range(size * 100):
            f.write((",\n" if i else "") + json.dumps(_record(rng, i)))
        f.write("\n]\n")


def _xml_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;")


def generate_xml(path, size):
    """A catalogue of `size` hundred items: attributes, nested elements, text, entities."""
    rng = random.Random(3)
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<catalog>\n')
        for i in range(size * 100):
            r = _record(rng, i)
            f.write('<item id="%d" active="%s" score="%s">\n <name>%s</name>\n <email>%s</email>\n'
                    % (r["id"], "yes" if r["active"] else "no", r["score"], r["name"], r["email"]))
            f.write(" <tags>%s</tags>\n" % "".join("<tag>%s</tag>" % t for t in r["tags"]))
            for item in r["items"]:
                f.write(' <line sku="%s" qty="%d"><price currency="EUR">%s</price></line>\n'
                        % (item["sku"], item["qty"], item["price"]))
            f.write(" <note>%s &amp; %s</note>\n</item>\n" % (_xml_text(r["note"]), rng.choice(WORDS)))
        f.write("</catalog>\n")


def generate_yaml(path, size):
    """A sequence of `size` hundred mappings in block style, with nested sequences and flows."""
    rng = random.Random(4)
    with open(path, "w") as f:
        for i in range(size * 100):
            r = _record(rng, i)
            f.write("- id: %d\n  name: %s\n  email: %s\n  active: %s\n  score: %s\n"
                    % (r["id"], r["name"], r["email"], "true" if r["active"] else "false", r["score"]))
            f.write("  tags: [%s]\n" % ", ".join(r["tags"]))
            if r["items"]:
                f.write("  items:\n")
                for item in r["items"]:
                    f.write("    - {sku: %s, price: %s, qty: %d}\n" % (item["sku"], item["price"], item["qty"]))
            else:
                f.write("  items: []\n")
            f.write('  note: "%s"\n' % r["note"])


GENERATORS = {"text": (generate_text, "txt"), "json": (generate_json, "json"), "xml": (generate_xml, "xml"),
              "yaml": (generate_yaml, "yaml")}


class RealWorkload:
    """One program of a project run on one generated input.  `args` may name {input} (the
    generated file) and {out} (an empty directory); `output` is "stdout" or a file under {out}
    that is hashed.  Sizes (full, count for --instructions, quick) are the generator's units."""

    def __init__(self, label, project, program, args, generator, sizes, output="stdout", libdirs=(),
                 own_libraries=(), note=""):
        self.name = label             # what --only selects
        self.label = label            # the row in the tables
        self.source = None            # no program of bench/workloads/
        self.project = project
        self.program = program        # relative to the build's tree
        self.args = args
        self.generator = generator
        self.full_args, self.count_args, self.quick_args = ([str(s)] for s in sizes)
        self.output = output
        self.libdirs = libdirs        # the tree's shared libraries, found through LD_LIBRARY_PATH
        self.own_libraries = own_libraries
        self.note = note
        self.variants = []


# The XPath result depends on every element, attribute value and text node of the document.
XPATH_ALL = "concat(count(//*), ' ', sum(//line/@qty), ' ', string-length(string(/)))"

REAL_WORKLOADS = [
    RealWorkload("real-zstd", "zstd", "programs/zstd", ["-q", "-c", "-15", "{input}"], "text",
                 (6144, 128, 16), note="compresses a generated log (C: few, large buffers)"),
    RealWorkload("real-jq", "jq", ".libs/jq",
                 ["-c", "[.[] | select(.active) | {id, name: (.name | ascii_upcase), "
                        "total: ([.items[] | .price * .qty] | add), tags: (.tags | sort | unique)}] "
                        "| group_by(.tags | length) | map({n: length, total: (map(.total // 0) | add)})",
                  "{input}"], "json", (900, 20, 2), libdirs=[".libs"], own_libraries=["libjq.so"],
                 note="filters, sorts and groups a generated JSON array (C: many small blocks)"),
    # --repeat: the document parsed into a tree and queried 100 times.
    RealWorkload("real-xmllint", "libxml2", ".libs/xmllint", ["--repeat", "--xpath", XPATH_ALL, "{input}"], "xml",
                 (20, 1, 1), libdirs=[".libs"], own_libraries=["libxml2.so"],
                 note="parses a generated XML document into a tree, 100 times, and queries it (C)"),
    # A larger document of the same kind given 8 times (heaptrack's record of the command line
    # holds a few hundred names at most); -d writes its canonical form under OUT.
    RealWorkload("real-xmlwf", "expat", "expat/xmlwf/.libs/xmlwf", ["-d", "{out}"] + ["{input}"] * 8, "xml",
                 (400, 20, 1), output="{input-name}", libdirs=["expat/lib/.libs"], own_libraries=["libexpat.so"],
                 note="parses a generated XML document 8 times, streaming, and writes its canonical form (C)"),
    RealWorkload("real-yaml-cpp", "yaml-cpp", "_build/util/parse", ["{input}"], "yaml", (130, 5, 1),
                 note="loads a generated YAML sequence into nodes and emits it (call-heavy C++)"),
]


def input_path(data_dir, workload, size):
    generate, ext = GENERATORS[workload.generator]
    return os.path.join(data_dir, "%s-%s-v%d.%s" % (workload.generator, size, GENERATOR_VERSION, ext))


def make_input(data_dir, workload, size):
    """The generated input of this size, made once and kept."""
    path = input_path(data_dir, workload, size)
    if not os.path.exists(path):
        os.makedirs(data_dir, exist_ok=True)
        partial = path + ".partial"
        GENERATORS[workload.generator][0](partial, int(size))
        os.replace(partial, path)
    return path


def argv_of(workload, tree, input_file, out_dir):
    program = os.path.join(tree, workload.program)
    return [program] + [a.replace("{input}", input_file).replace("{out}", out_dir) for a in workload.args]


def env_of(workload, tree):
    if not workload.libdirs:
        return {}
    return {"LD_LIBRARY_PATH": ":".join(os.path.join(tree, d) for d in workload.libdirs)}


# What the heaptrack script itself prints on standard output, which its program shares: three
# lines before the program starts, and after it has exited, how to read the data.
HEAPTRACK_HEAD = re.compile(rb'heaptrack output will be written to "[^"\n]*"\n[^\n]*\n'
                            rb'starting application, this might take some time\.\.\.\n')
HEAPTRACK_TAIL = re.compile(rb'Heaptrack finished! Now run the following to investigate the data:\n\n'
                            rb'  heaptrack --analyze "[^"\n]*"\n\Z')


def without_heaptrack_lines(data):
    """The program's own output from what `heaptrack PROGRAM` wrote, or None."""
    head = HEAPTRACK_HEAD.match(data)
    tail = HEAPTRACK_TAIL.search(data)
    if not head or not tail or tail.start() < head.end():
        return None
    return data[head.end():tail.start()]


def output_digest(workload, input_file, stdout_path, out_dir, under_heaptrack=False):
    """A line naming the hash and size of what the workload wrote, or (None, the error)."""
    if workload.output == "stdout":
        path = stdout_path
    else:
        path = os.path.join(out_dir, workload.output.replace("{input-name}", os.path.basename(input_file)))
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        return None, "no output %s (%s)" % (path, error.strerror)
    if under_heaptrack and workload.output == "stdout":
        data = without_heaptrack_lines(data)
        if data is None:
            return None, "heaptrack's own lines not found around the output in %s" % path
    if not data:
        return None, "empty output %s" % path
    return "%s sha256=%s bytes=%d" % (workload.label, hashlib.sha256(data).hexdigest()[:16], len(data)), None


def display_args(workload, size):
    """The command as the tables show it: program name, arguments, the input by its generator
    and size (a repeated input once, with its count)."""
    words = [os.path.basename(workload.program)]
    name = "%s-%s.%s" % (workload.generator, size, GENERATORS[workload.generator][1])
    repeats = workload.args.count("{input}")
    for a in workload.args:
        if a == "{input}":
            if words[-1].startswith(name):
                continue
            words.append(name + (" (%d times)" % repeats if repeats > 1 else ""))
        elif a == "{out}":
            words.append("OUT")
        else:
            words.append("'%s'" % a if " " in a else a)
    return words


# ---------------------------------------------------------------------------
# Building

def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_identity(project, source, kind, tools):
    """What a kept build must have been made from to be reused."""
    identity = {"source": source, "commands": real_projects.build_commands(project, with_tests=False),
                "flags": FLAGS, "kind": kind}
    if kind == "base":
        identity["compilers"] = [tools.clang, tools.clangxx, tools.llvm_version]
    else:
        # The pass and the wrappers decide what the instrumented objects contain; the runtime,
        # a shared library, is found at run time (checked by check_runtime).
        plugin = os.path.join(tools.build_dir, "lib", "TraceMallocPass.so")
        identity["compilers"] = [tools.tm_clang, tools.tm_clangxx, tools.llvm_version]
        identity["inputs"] = {path: _file_digest(path) for path in (plugin, tools.tm_clang, tools.tm_clangxx)}
    return identity


def build_project(project, source, root, kind, tools, env_scrubbed, log):
    """Builds (or keeps) one copy of the project; returns its tree."""
    tree = os.path.join(root, "tree")
    stamp = os.path.join(root, "build.json")
    identity = build_identity(project, source, kind, tools)
    try:
        with open(stamp) as f:
            if json.load(f) == identity:
                return tree, None
    except (OSError, ValueError):
        pass
    log("real: building %s (%s) in %s" % (project["name"], kind, root))
    if os.path.exists(stamp):
        os.unlink(stamp)
    real_projects.fresh_copy(source, tree)
    cc, cxx = (tools.clang, tools.clangxx) if kind == "base" else (tools.tm_clang, tools.tm_clangxx)
    env = real_projects.build_env(cc, cxx, 2, env_scrubbed, FLAGS)
    build_log = os.path.join(root, "build.log")
    rc, seconds = real_projects.run_stage(identity["commands"], tree, env, build_log)
    if rc != 0:
        return None, "building %s (%s) failed (exit %d): see %s" % (project["name"], kind, rc, build_log)
    log("real: built %s (%s) in %.0f s" % (project["name"], kind, seconds))
    with open(stamp, "w") as f:
        json.dump(identity, f, indent=1)
    return tree, None


def resolved_libraries(program, env):
    """{soname: path} as the dynamic loader resolves them for this program and environment."""
    result = subprocess.run(["ldd", program], capture_output=True, text=True, env=dict(os.environ, **env))
    libraries = {}
    for line in result.stdout.splitlines():
        match = re.match(r"\s*(\S+) => (\S+)", line)
        if match:
            libraries[match.group(1)] = os.path.realpath(match.group(2))
    return libraries


def check_libraries(workload, tree, kind, tools):
    """None when the program loads the tree's own libraries and, instrumented, the build tree's
    runtime; otherwise what it loads instead."""
    program = os.path.join(tree, workload.program)
    if not os.access(program, os.X_OK):
        return "%s was not built" % program
    libraries = resolved_libraries(program, env_of(workload, tree))
    for name in workload.own_libraries:
        found = [path for soname, path in libraries.items() if soname.startswith(name)]
        if not found or not all(path.startswith(os.path.realpath(tree) + os.sep) for path in found):
            return "%s loads %s from %s, not from its own tree" % (program, name, found or "nowhere")
    runtime = os.path.realpath(os.path.join(tools.build_dir, "lib", "libtracemalloc.so"))
    loaded = libraries.get("libtracemalloc.so")
    if kind == "inst" and loaded != runtime:
        return "%s loads the runtime from %s, not %s" % (program, loaded, runtime)
    if kind == "base" and loaded:
        return "%s (plain build) loads the runtime %s" % (program, loaded)
    return None


def check_tracing(workload, tree, input_file, tools, clean_env):
    """None when the instrumented program, run with TRACEMALLOC=16 and a dump, traced something
    (its peak view names a line); otherwise what went wrong."""
    scratch = tempfile.mkdtemp(prefix="tm-bench-real-")
    try:
        dump = os.path.join(scratch, "trace.tmd")
        env = dict(clean_env, TRACEMALLOC="16", TRACEMALLOC_DUMP=dump, **env_of(workload, tree))
        with open(os.path.join(scratch, "stdout"), "wb") as out:
            run = subprocess.run(argv_of(workload, tree, input_file, scratch), stdout=out,
                                 stderr=subprocess.PIPE, env=env, timeout=900)
        if run.returncode != 0:
            return "%s with TRACEMALLOC=16 exited with %d: %s" % (workload.label, run.returncode,
                                                                  run.stderr.decode(errors="replace")[-500:])
        top = subprocess.run([tools.tm_report, "top", "--peak", "--limit", "1", dump], capture_output=True,
                             text=True)
        if top.returncode != 0 or "size=" not in top.stdout:
            return "%s with TRACEMALLOC=16 traced nothing: tm-report top --peak says %s" % (
                workload.label, (top.stdout + top.stderr).strip()[-500:])
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def prepare(workloads, tools, work, kinds, sizes_of, env_scrubbed, log, clean_env):
    """Builds what the real workloads need and generates their inputs.  Returns the workloads
    that can run, each with .trees[kind] and .inputs[size]; logs one line for those that cannot."""
    build_root = os.path.join(tools.build_dir, "bench", "real")
    missing = [w for w in workloads if real_projects.source_tree(real_projects.BY_NAME[w.project], work) is None]
    if missing:
        log("real: no source tree of %s under %s/src (scripts/real-projects --fetch-only fetches them): "
            "skipping %s" % (", ".join(sorted({w.project for w in missing})), work,
                             ", ".join(w.label for w in missing)))
    ready = []
    trees = {}
    for w in workloads:
        if w in missing:
            continue
        project = real_projects.BY_NAME[w.project]
        source = real_projects.source_tree(project, work)
        w.trees = {}
        for kind in sorted(kinds):
            if (w.project, kind) not in trees:
                trees[(w.project, kind)] = build_project(project, source, os.path.join(build_root, w.project, kind),
                                                         kind, tools, env_scrubbed, log)
            tree, error = trees[(w.project, kind)]
            if error is None:
                error = check_libraries(w, tree, kind, tools)
            if error:
                raise RuntimeError(error)
            w.trees[kind] = tree
        w.inputs = {size: make_input(os.path.join(build_root, "inputs"), w, size) for size in sizes_of(w)}
        if "inst" in w.trees:
            error = check_tracing(w, w.trees["inst"], w.inputs[sizes_of(w)[0]], tools, clean_env)
            if error:
                raise RuntimeError(error)
        ready.append(w)
    return ready
