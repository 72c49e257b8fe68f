#!/bin/sh
# Signal-kernel benchmarks: JMH (dev.streamgrad.bench.Signal*) and numpy/scipy on the same sizes,
# on this machine, then the comparison table (docs/signal-benchmarks.md explains it).
#   sh src/test/bench/run-signal-benchmarks.sh            # everything, about 5 minutes
#   sh src/test/bench/run-signal-benchmarks.sh -p n=1024   # extra arguments go to JMH
set -e
cd "$(dirname "$0")/../../.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# OMP/MKL/OpenBLAS limits keep numpy single-threaded like the Java kernels' default
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
java -Djmh.ignoreLock=true -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.openjdk.jmh.Main 'dev\.streamgrad\.bench\.Signal.*' -rf json -rff target/signal-jmh.json "$@"
/usr/bin/python3 src/test/python/time_signal_reference.py --jmh target/signal-jmh.json | tee target/signal-benchmarks.md
