#!/usr/bin/env bash
# Fuzzes each Jazzer target of gateway/server in turn (docs/fuzzing.md): JAZZER_FUZZ=1 makes
# @FuzzTest generate inputs instead of replaying the committed seeds, for SECONDS per target.
# Jazzer fuzzes one target per JVM, so each target is one Maven run; -am makes the reactor use
# this checkout's modules, never the SNAPSHOT jars in ~/.m2.
# A finding is saved by Jazzer as crash-<sha1> beside the seeds and fails that target's run; this
# script then moves it to gateway/server/src/test/fuzz-findings/<Class>.<method>/. The corpus
# Jazzer grows goes to gateway/server/.cifuzz-corpus/ (not committed).
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
    AdminJsonFuzzTest#adminBody RepositoryPathFuzzTest#loadByName GrpcRequestFuzzTest#inferRequest
    ReplicaAnswerFuzzTest#httpAnswer ReplicaAnswerFuzzTest#relayedAnswer ReplicaAnswerFuzzTest#grpcAnswer)
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
# Only crash files written from here on are new findings: the committed crash-* beside the seeds
# are fixed findings kept as regression inputs and stay where they are.
stamp="$out/.started"
touch "$stamp"
for target in "${targets[@]}"; do
  log="$out/${target/\#/.}.log"
  echo "fuzzing $target for ${seconds}s (log: $log)"
  JAZZER_FUZZ=1 mvn -B ${MVN_OPTS:-} -pl gateway/server -am test -DskipITs \
    -Dmaven.main.skip=true -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.keep_going="${KEEP_GOING:-1}" -DargLine="-Xmx${FUZZ_HEAP:-1g}" > "$log" 2>&1
  rc=$?
  runs="$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)"
  cov="$(grep -aoE '#[0-9]+[[:space:]]+(DONE|pulse|REDUCE|NEW)[[:space:]]+cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)"
  finding="$(grep -a -m 1 -E '== Java Exception|FuzzTestFindingException|Caused by' "$log" || true)"
  line="$target rc=$rc ${runs:-no libFuzzer summary} | ${cov:-} | ${finding:-no finding}"
  echo "$line" | tee -a "$summary"
  [[ $rc -eq 0 ]] || status=1
done
# Findings leave the seed directories (and their copies in target/test-classes), so the regression
# run in mvn verify stays green until each is fixed; the fix moves the file back beside the seeds.
server="$root/gateway/server"
found=0
while IFS= read -r crash; do
  rel="${crash#"$server/src/test/resources/"}"
  dest="$server/src/test/fuzz-findings/$(basename "$(dirname "$(dirname "$rel")")" | sed 's/Inputs$//').$(basename "$(dirname "$rel")")"
  mkdir -p "$dest" && mv "$crash" "$dest/" && rm -f "$server/target/test-classes/$rel"
  echo "finding: $dest/$(basename "$crash")" | tee -a "$summary"
  found=$((found + 1))
done < <(find "$server/src/test/resources" -name 'crash-*' -newer "$stamp")
echo "findings: $found" | tee -a "$summary"
exit $status
