#!/usr/bin/env bash
# Fuzzes each Jazzer target of gateway/server in turn (docs/fuzzing.md): JAZZER_FUZZ=1 makes
# @FuzzTest generate inputs instead of replaying the committed seeds, for SECONDS per target.
# Jazzer fuzzes one target per JVM, so each target is one Maven run; -am makes the reactor use
# this checkout's modules, never the SNAPSHOT jars in ~/.m2.
# A finding is saved by Jazzer as crash-<sha1> beside the seeds (src/test/resources/.../Inputs/)
# and fails the run; the new corpus goes to .cifuzz-corpus/ (not committed).
# Usage: loadtests/fuzz.sh [SECONDS] [Class#method ...]   (default 60 s, every target)
# Env: MVN_OPTS (extra Maven flags, e.g. -o), FUZZ_HEAP (-Xmx of the fuzzing JVM, default 1g),
#      KEEP_GOING (distinct findings before a target stops, default 1),
#      OUT (where the logs and the summary go, default target/fuzz).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"; shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(RestRequestFuzzTest#restRequest BinaryRequestFuzzTest#binaryRequest
    KServeV1FuzzTest#v1Request YamlConfigFuzzTest#serverConfig YamlConfigFuzzTest#modelConfig
    AdminJsonFuzzTest#adminBody RepositoryPathFuzzTest#loadByName)
fi
out="${OUT:-$root/target/fuzz}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
status=0
cd "$root"
# Compile once; each target then skips main compilation (the generated gRPC sources would make
# every run recompile the whole module).
mvn -B -q ${MVN_OPTS:-} -pl gateway/server -am test-compile > "$out/compile.log" 2>&1 \
  || { echo "compile failed: $out/compile.log" >&2; exit 2; }
for target in "${targets[@]}"; do
  log="$out/${target/\#/.}.log"
  echo "fuzzing $target for ${seconds}s (log: $log)"
  JAZZER_FUZZ=1 mvn -B ${MVN_OPTS:-} -pl gateway/server -am test -DskipITs \
    -Dmaven.main.skip=true -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.keep_going="${KEEP_GOING:-1}" -DargLine="-Xmx${FUZZ_HEAP:-1g}" > "$log" 2>&1
  rc=$?
  runs="$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)"
  cov="$(grep -oE '#[0-9]+[[:space:]]+(DONE|pulse|REDUCE|NEW)[[:space:]]+cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)"
  finding="$(grep -m 1 -E '== Java Exception|FuzzTestFindingException|Caused by' "$log" || true)"
  line="$target rc=$rc ${runs:-no libFuzzer summary} | ${cov:-} | ${finding:-no finding}"
  echo "$line" | tee -a "$summary"
  [[ $rc -eq 0 ]] || status=1
done
echo "crash files:" | tee -a "$summary"
find "$root/gateway/server/src/test/resources" -name 'crash-*' | tee -a "$summary"
exit $status
