#!/usr/bin/env bash
# JMH: the cost of recording one request's metrics (MetricsOverheadBenchmark), with and without.
# Extra arguments go to JMH; the default is 1 fork, 3 warm-up and 5 measured iterations of 1 s.
# BENCH picks another benchmark, e.g. allocation per request on the relay path:
#   BENCH=RelayPathBenchmark loadtests/bench/jmh.sh -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- -f 1 -wi 3 -i 5 -w 1s -r 1s
mvn -B -q install -DskipTests -pl gateway/server -am >/dev/null
mvn -B -q -pl loadtests compile dependency:build-classpath -Dmdep.includeScope=compile \
    -Dmdep.outputFile="$PWD/loadtests/target/jmh.classpath" >/dev/null
java -cp "loadtests/target/classes:$(cat loadtests/target/jmh.classpath)" org.openjdk.jmh.Main \
    "${BENCH:-MetricsOverheadBenchmark}" "$@"
