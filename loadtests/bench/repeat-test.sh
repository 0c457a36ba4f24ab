#!/usr/bin/env bash
# Runs one gateway/server test method N times in a row in one JVM, from the repository root:
#   loadtests/bench/repeat-test.sh 'dev.modelgate.server.remote.GrpcRemoteIT#aKilledReplicasRequestsGoToTheOther' 20
# Compiles this checkout's modules (never the SNAPSHOT jars in ~/.m2: they may be another build's),
# then runs loadtests/bench/RepeatRuns.java with the JUnit launcher. Exit code 0 only if every run passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
test="$1"; runs="${2:-20}"
out="$root/target/bench/repeat"; mkdir -p "$out"
mvn -B -q -o -pl gateway/server -am test-compile >&2
mvn -B -q -o -pl gateway/server -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/maven.cp" >&2
# Reactor modules appear as ~/.m2 jars in the class path Maven writes: swap in this checkout's classes.
cp=$(python3 - "$root" "$out/maven.cp" <<'PY'
import glob, os, re, sys, xml.etree.ElementTree as ET
root, cpfile = sys.argv[1], sys.argv[2]
modules = {}
for pom in glob.glob(f"{root}/**/pom.xml", recursive=True):
    if "/target/" in pom: continue
    a = ET.parse(pom).getroot().find("{http://maven.apache.org/POM/4.0.0}artifactId")
    if a is not None: modules[a.text] = os.path.dirname(pom)
out = [f"{root}/gateway/server/target/test-classes", f"{root}/gateway/server/target/classes"]
for entry in open(cpfile).read().strip().split(":"):
    m = re.search(r"/dev/modelgate/([^/]+)/[^/]+/[^/]+\.jar$", entry)
    if m and m.group(1) in modules:
        out.append(f"{modules[m.group(1)]}/target/{'test-classes' if entry.endswith('-tests.jar') else 'classes'}")
    else:
        out.append(entry)
print(":".join(out))
PY
)
engine=$(tr ':' '\n' <<< "$cp" | grep -m1 'junit-platform-engine/')
version=$(basename "$(dirname "$engine")")
launcher="$HOME/.m2/repository/org/junit/platform/junit-platform-launcher/$version/junit-platform-launcher-$version.jar"
[[ -f "$launcher" ]] || mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-launcher:$version" >&2
cd gateway/server
java -cp "$cp:$launcher" "$root/loadtests/bench/RepeatRuns.java" "$test" "$runs" | tee "$out/runs.txt"
