#!/bin/sh
# The Kafka throughput benchmark: a real Kafka broker (KRaft, one node, loopback) started from the
# Maven Central jars as the real-cluster test starts it (dev.streamgrad.cluster.KafkaBrokerMain), then
#   ./streamgrad bench --source kafka --bootstrap 127.0.0.1:PORT --broker-pid PID ...
# which writes the main job's generator records to a new topic (one partition per reader,
# single-object encoding), runs jobs/train-conv2d.yaml with that topic as a bounded `kafka` source
# several times through `run`'s JobRunner, and prints records/s, CPU us/record by stage and the
# broker's CPU us/record. The broker is stopped and its data deleted at the end, also on failure or
# Ctrl-C. Not part of `mvn verify`. docs/jobs.md ("Kafka") has figures and how to read them.
#   sh src/test/bench/run-kafka-bench.sh                                  # 1,000,000 float32 records
#   sh src/test/bench/run-kafka-bench.sh --dtype float64 --records 200000  # extra arguments go to bench
#   KAFKA_BENCH_JFR=1 sh src/test/bench/run-kafka-bench.sh ...   # also a JFR recording: target/kafka-bench/bench.jfr
#   JAVA_OPTS="..." sh src/test/bench/run-kafka-bench.sh ...     # more options for the bench's JVM (as streamgrad takes them)
# Needs Java 17 and Maven; about 6 GB of free disk for 1,000,000 float32 records, 12 GB for float64.
set -eu
cd "$(dirname "$0")/../../.."
root=$(pwd)
work=$root/target/kafka-bench
rm -rf "$work"
mkdir -p "$work"

echo "building (mvn test-compile) ..." >&2
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=runtime \
  help:evaluate -Dexpression=project.properties -Doutput="$work/pom-properties.xml"
prop() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$work/pom-properties.xml"
}

broker_main=
stop_broker() {
  # the broker's own program stops it on SIGTERM; its pid file is the fallback if that program is gone
  if [ -n "$broker_main" ] && kill -0 "$broker_main" 2>/dev/null; then
    kill "$broker_main" 2>/dev/null || true
    wait "$broker_main" 2>/dev/null || true
  fi
  if [ -f "$work/broker/pid" ] && kill -0 "$(cat "$work/broker/pid")" 2>/dev/null; then
    kill "$(cat "$work/broker/pid")" 2>/dev/null || true
  fi
  rm -rf "$work/broker/data"
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

echo "starting a Kafka broker (KRaft) from the Maven Central jars ..." >&2
java -cp "$root/target/test-classes:$root/target/classes:$(cat "$work/classpath")" \
  -Dstreamgrad.kafka.version="$(prop kafka.version)" \
  -Dstreamgrad.log4j.version="$(prop log4j.version)" \
  -Dstreamgrad.dependency.plugin.version="$(prop dependency.plugin.version)" \
  dev.streamgrad.cluster.KafkaBrokerMain "$work/broker" --parent $$ --max-minutes 180 \
  >"$work/broker-main.log" 2>&1 &
broker_main=$!
waited=0
while [ ! -f "$work/broker/bootstrap" ]; do
  if ! kill -0 "$broker_main" 2>/dev/null || [ $waited -ge 600 ]; then
    cat "$work/broker-main.log" >&2
    echo "the broker did not start; see $work/broker" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
bootstrap=$(cat "$work/broker/bootstrap")
broker_pid=$(cat "$work/broker/pid")
echo "broker at $bootstrap (pid $broker_pid, log in $work/broker)"

if [ -n "${KAFKA_BENCH_JFR:-}" ]; then
  STREAMGRAD_OPTS="${STREAMGRAD_OPTS:-} -XX:StartFlightRecording=filename=$work/bench.jfr,settings=profile"
  export STREAMGRAD_OPTS
fi
set -- bench --source kafka --bootstrap "$bootstrap" --broker-pid "$broker_pid" "$@"
echo "$(date -u +"%Y-%m-%d %H:%M UTC"), load average $(cut -d' ' -f1-3 /proc/loadavg): streamgrad $*"
# the CLI exactly as a user starts it, with its JVM options (src/main/dist/conf/jvm.options)
"$root/streamgrad" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
