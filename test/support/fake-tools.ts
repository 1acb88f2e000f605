// Fake tools for the set-up scripts' fresh-machine paths: they answer what the scripts ask, in seconds, and "build"
// or "install" fakes, so a test can take the path that only an empty cache takes on every run.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * A `go` that answers what the script asks: its version, `go get` (FAKE_GO_MODULES "go: downloading" lines, 300 by
 * default, as a first download chatters; optionally failing like an unreachable proxy) and `go build -v -o <out>` (a
 * package name per line; FAKE_GO_BUILD_FAILS fails like a compile error), which writes a fake pulumi reporting
 * v3.259.0 after FAKE_GO_BUILD_SECONDS.
 */
export function fakeGo(dir: string, goVersion = "go1.26.8"): string {
  mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, "go");
  writeFileSync(
    bin,
    `#!/bin/sh
case "$1" in
  version) echo "go version ${goVersion} linux/amd64" ;;
  env) [ "$2" = GOVERSION ] && echo ${goVersion}; [ "$2" = GOPROXY ] && echo https://proxy.golang.org; exit 0 ;;
  get)
    i=0; while [ $i -lt "\${FAKE_GO_MODULES:-300}" ]; do i=$((i + 1)); echo "go: downloading example.com/mod$i v1.0.$i" >&2; done
    if [ -n "$FAKE_GO_GET_FAILS" ]; then echo "fake go: proxy refused" >&2; exit 7; fi; echo "go: added fake" >&2 ;;
  build)
    out=""; pkg=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; pkg="$1"; shift; done
    # A command of our own is built as package "."; its sources must have been copied in.
    if [ "$pkg" = . ] && ! ls ./*.go >/dev/null 2>&1; then echo "fake go: no Go files in ." >&2; exit 9; fi
    i=0; while [ $i -lt 40 ]; do i=$((i + 1)); echo "example.com/mod$i/pkg" >&2; done
    if [ -n "$FAKE_GO_BUILD_FAILS" ]; then echo "./main.go:3:2: undefined: fakeSymbol" >&2; exit 1; fi
    sleep "\${FAKE_GO_BUILD_SECONDS:-0}"
    printf '#!/bin/sh\n[ "$1" = version ] && echo v3.259.0\n' > "$out"; chmod +x "$out" ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return dir;
}

/**
 * A `python3` that answers what ensure-python-env.sh asks: its version check (`-c`), `-m venv DIR` (which makes
 * DIR/bin/python a copy of this fake) and `-m pip install` (pip's "Collecting …" chatter; failing with exit 3 when
 * FAKE_PIP_FAILS is set).
 * Every pip call is appended to $FAKE_PIP_LOG.
 */
export function fakePython(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, "python3");
  writeFileSync(
    bin,
    `#!/bin/sh
self="$0"
case "$1" in
  -c) exit 0 ;;
  --version) echo "Python 3.11.7" ;;
  -m)
    case "$2" in
      venv) mkdir -p "$3/bin" && cp "$self" "$3/bin/python" ;;
      pip)
        echo "$*" >> "\${FAKE_PIP_LOG:-/dev/null}"
        for p in pulumi grpcio protobuf dill semver parver pyyaml debugpy; do echo "Collecting $p"; echo "  Downloading $p-1.0-py3-none-any.whl (100 kB)"; done
        if [ -n "$FAKE_PIP_FAILS" ]; then echo "fake pip: index refused" >&2; exit 3; fi ;;
    esac ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return dir;
}

/**
 * A `java` (its `-version` says FAKE_JAVA_VERSION, 17.0.15 by default) and an `mvn` that answer what
 * ensure-java-env.sh asks: `-v` (Apache Maven FAKE_MVN_VERSION, 3.8.7 by default) and any build, which prints
 * Maven's download chatter (five artifacts), fails like an unreachable Maven Central when FAKE_MVN_FAILS is set,
 * and otherwise writes target/ where it runs. Every build is appended to $FAKE_MVN_LOG as "<cwd> <args>".
 */
export function fakeJavaAndMaven(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "java"),
    `#!/bin/sh\necho "openjdk version \\"\${FAKE_JAVA_VERSION:-17.0.15}\\" 2025-04-15" >&2\n`,
  );
  writeFileSync(
    path.join(dir, "mvn"),
    `#!/bin/sh
case " $* " in *" -v "*) echo "Apache Maven \${FAKE_MVN_VERSION:-3.8.7} (fake)"; exit 0 ;; esac
echo "$PWD $*" >> "\${FAKE_MVN_LOG:-/dev/null}"
for a in 1 2 3 4 5; do echo "[INFO] Downloaded from central: https://repo.example/a$a.jar (1 kB at 1 kB/s)"; done
if [ -n "$FAKE_MVN_FAILS" ]; then echo "[ERROR] fake mvn: Could not transfer artifact from central"; exit 1; fi
mkdir -p target
`,
  );
  chmodSync(path.join(dir, "java"), 0o755);
  chmodSync(path.join(dir, "mvn"), 0o755);
  return dir;
}
