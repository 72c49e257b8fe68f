#!/usr/bin/env bash
# The compose smoke test: runs the README's docker compose steps for real and checks what a user
# would look at. Opt-in (not part of `mvn -B verify`); from anywhere in the checkout:
#
#   bash src/test/compose/smoke-test.sh
#
# Needs a Docker engine, `docker compose` (v2) or `docker-compose` (1.29), Java 17 + Maven (for the
# job jar and the `streamgrad` command), curl and python3. It uses whatever images the machine has
# (pulled official ones, or the stand-ins of src/test/compose/build-images.sh) and ports 8081, 9094
# and 9090 on 127.0.0.1, which must be free. Under its own compose project name (streamgrad-smoke),
# so a stack you started yourself is left alone. Steps:
#   1. mvn -B package -DskipTests; docker compose up -d; the one-shot services (topics, producer,
#      submitter) must exit 0
#   2. snapshots through `streamgrad inspect --kafka localhost:9094`: versions 1000..10000 of both
#      models, none missing or duplicated, the last within 1e-3 of the producer's hidden filter
#   3. web UI: the page, one TaskManager, one running job; web submission off and a jar upload refused
#   4. ports published on 127.0.0.1 only: not reachable on this machine's other addresses
#   5. Prometheus: streamgrad's metrics of the trainer (records in/out/dead, loss, model version)
#      and the example queries of docs/cluster.md
#   6. more input from the host while the job runs, then stop-with-savepoint
#   7. broker restart (docker compose stop/start kafka): the topics survive on the kafka-data volume
#   8. resume from the savepoint (flink run -s through the submitter service); versions up to 20000
#   9. an uninterrupted run of the same job on the embedded cluster, reading the same topic: its
#      snapshots must equal the compose run's bit for bit
#  10. docker compose down -v; nothing of the project is left
# Environment: COMPOSE (the compose command, default `docker compose` if it works, else
# docker-compose), SMOKE_PROJECT (default streamgrad-smoke), SMOKE_SKIP_PACKAGE=1 (use the existing
# target/streamgrad-job.jar), SMOKE_LIMIT_SECONDS (fail when the whole test takes longer; default
# 900). Logs: target/compose-smoke/.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$(pwd)
out=$root/target/compose-smoke
rm -rf "$out"
mkdir -p "$out"
checks="python3 $root/src/test/compose/smoke_checks.py"
project=${SMOKE_PROJECT:-streamgrad-smoke}
if [ -n "${COMPOSE:-}" ]; then
  read -r -a compose_cmd <<< "$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
else
  compose_cmd=(docker-compose)
fi
dc() { "${compose_cmd[@]}" -p "$project" "$@"; }
rest=http://127.0.0.1:8081
prom=http://127.0.0.1:9090
models=model-a,model-b
start=$(date +%s)
limit=${SMOKE_LIMIT_SECONDS:-900} # the whole test, from the start: 15 minutes
step() { echo "[$(($(date +%s) - start)) s] $*"; }
fail() {
  echo "SMOKE TEST FAILED: $*"
  exit 1
}
in_time() { [ $(($(date +%s) - start)) -lt "$limit" ] || fail "over $limit s in all"; }
# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 2 s until it succeeds
wait_for() {
  local seconds=$1 what=$2 t0
  shift 2
  t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    [ $(($(date +%s) - t0)) -lt "$seconds" ] || fail "$what: not within $seconds s"
    in_time
    sleep 2
  done
}
container() { # the container of a service (not one-off runs), by the labels both compose versions set
  docker ps -a -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" --filter "label=com.docker.compose.oneoff=False"
}
exited_ok() {
  local c
  c=$(container "$1")
  [ -n "$c" ] && [ "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c")" = "exited 0" ]
}
exited_failed() { # failed for good (the submitter restarts on failure, up to 5 times: its wait times out instead)
  local c
  c=$(container "$1")
  [ -n "$c" ] && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c" | grep -q '^exited [1-9]' \
    && [ "$(docker inspect -f '{{.State.Restarting}}' "$c")" = false ] && [ "$1" != submitter ]
}
snapshots() { # snapshots TOPIC FILE: every committed record, as the README shows
  ./streamgrad inspect --kafka localhost:9094 "$1" > "$2" 2> "$2.err"
}
has_version() { # has_version TOPIC VERSION: every model has reached VERSION
  snapshots "$1" "$out/poll.jsonl" || return 1
  for m in ${models//,/ }; do
    grep -q "\"model\":\"$m\",\"version\":$2," "$out/poll.jsonl" || return 1
  done
}
prom_query() { # prom_query QUERY: the single value of an instant query, or "none"
  curl -fsS "$prom/api/v1/query" --data-urlencode "query=$1" > "$out/prom.json" && $checks prom-value "$out/prom.json"
}
prom_equals() { [ "$(prom_query "$1")" = "$2" ]; }
running_job() { curl -fsS "$rest/jobs/overview" | python3 -c '
import json, sys
jobs = [j["jid"] for j in json.load(sys.stdin)["jobs"] if j["state"] == "RUNNING"]
print(jobs[0] if len(jobs) == 1 else "")'; }
job_running() { [ -n "$(running_job)" ]; }

cleanup() {
  local status=$?
  set +e
  [ -n "${producer2_pid:-}" ] && kill "$producer2_pid" 2>/dev/null
  if [ -n "$(docker ps -a -q --filter "label=com.docker.compose.project=$project")" ]; then
    dc logs --no-color > "$out/compose.log" 2>&1
    dc down -v --remove-orphans > "$out/down.log" 2>&1
  fi
  if [ $status -ne 0 ]; then
    echo "logs: $out (compose.log holds every service's output)"
  fi
}
trap cleanup EXIT

step "compose: $("${compose_cmd[@]}" version 2>/dev/null | head -n 1); engine: $(docker version -f '{{.Server.Version}}')"
[ -z "$(docker ps -a -q --filter "label=com.docker.compose.project=$project")" ] \
  || fail "compose project $project exists already: docker compose -p $project down -v"
for port in 8081 9094 9090; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    fail "port $port on 127.0.0.1 is taken (another stack running?)"
  fi
done

# 1. the README's steps
if [ -z "${SMOKE_SKIP_PACKAGE:-}" ]; then
  step "mvn -B package -DskipTests"
  mvn -B -q package -DskipTests > "$out/package.log" 2>&1 || { cat "$out/package.log"; fail "mvn package"; }
fi
[ -f target/streamgrad-job.jar ] || fail "no target/streamgrad-job.jar"
step "docker compose up -d"
dc up -d > "$out/up.log" 2>&1 || { cat "$out/up.log"; fail "docker compose up -d"; }
for s in topics producer submitter; do
  step "waiting for the one-shot service $s"
  t0=$(date +%s)
  until exited_ok "$s"; do
    ! exited_failed "$s" || { dc logs --no-color "$s"; fail "$s failed"; }
    [ $(($(date +%s) - t0)) -lt 300 ] || { dc logs --no-color "$s"; fail "$s did not finish within 300 s"; }
    in_time
    sleep 2
  done
done
dc logs --no-color producer > "$out/producer.log" 2>&1
dc logs --no-color submitter > "$out/submitter.log" 2>&1
grep -q "sent 20000 labeled records" "$out/producer.log" || fail "the producer did not send 20000 records"
job=$(running_job)
[ -n "$job" ] || fail "no running job after the submitter"
step "job $job running"

# 2. snapshots, as the README reads them
step "waiting for the snapshots of version 10000 (checkpoints every 10 s)"
wait_for 300 "snapshots of version 10000" has_version streamgrad.snapshots 10000
snapshots streamgrad.snapshots "$out/snapshots-1.jsonl"
$checks snapshots "$out/snapshots-1.jsonl" --models "$models" --every 1000 --last 10000 \
  --hidden-from "$out/producer.log" || fail "snapshots"

# 3. web UI
step "web UI"
[ "$(curl -s -o "$out/index.html" -w '%{http_code}' "$rest/")" = 200 ] && grep -qi "<html" "$out/index.html" \
  || fail "the web UI page at $rest/"
curl -fsS "$rest/overview" > "$out/overview.json"
[ "$($checks json taskmanagers < "$out/overview.json")" -ge 1 ] \
  && [ "$($checks json jobs-running < "$out/overview.json")" = 1 ] || fail "overview: $(cat "$out/overview.json")"
[ "$(curl -fsS "$rest/config" | $checks json features.web-submit)" = False ] || fail "web submission is on"
echo "streamgrad smoke test" > "$out/upload.jar"
code=$(curl -s -o "$out/upload.txt" -w '%{http_code}' -X POST -H "Expect:" -F "jarfile=@$out/upload.jar" "$rest/jars/upload")
[ "$code" != 200 ] || fail "a jar upload was accepted: $(cat "$out/upload.txt")"
echo "web UI answers; overview $(cat "$out/overview.json"); jar upload refused: HTTP $code $(cat "$out/upload.txt")"

# 4. loopback only
step "published ports"
bindings=$(for c in $(docker ps -q --filter "label=com.docker.compose.project=$project"); do
  docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{$p}}={{.HostIp}}:{{.HostPort}} {{end}}{{end}}' "$c"
done | xargs -n 1 | sort)
echo "$bindings"
[ "$(echo "$bindings" | grep -c .)" = 3 ] || fail "expected 3 published ports (8081, 9094, 9090): $bindings"
! echo "$bindings" | grep -v '=127\.0\.0\.1:' || fail "a port is published beyond 127.0.0.1"
# this machine's other addresses (IPv6 ones in brackets; link-local ones need a zone and are skipped)
others=$( (hostname -I 2>/dev/null || true) | xargs -n 1 | grep -v '^127\.' | grep -iv '^fe80:' \
  | sed 's/^\(.*:.*\)$/[\1]/' | xargs || true)
for ip in $others; do
  for port in 8081 9094 9090; do
    if curl -s -o /dev/null --max-time 3 "http://$ip:$port/"; then
      fail "port $port answers on $ip"
    fi
  done
done
echo "8081, 9094 and 9090 answer on 127.0.0.1 only (not on: ${others:-no other address found})"

# 5. metrics in Prometheus
step "metrics in Prometheus"
train='operator_name=~"train.*"'
wait_for 90 "Prometheus: the trainer's recordsIn reaching 20000" \
  prom_equals "sum(flink_taskmanager_job_task_operator_recordsIn{$train})" 20000
for q in "sum(flink_taskmanager_job_task_operator_recordsOut{$train})=20000" \
    "sum(flink_taskmanager_job_task_operator_recordsDead{$train})=0" \
    "max(flink_taskmanager_job_task_operator_modelVersion{$train})=10000"; do
  wait_for 30 "Prometheus: ${q%=*} = ${q##*=}" prom_equals "${q%=*}" "${q##*=}"
done
# per model (the trainer's model group: the model is a label)
# (Flink's Prometheus reporter turns characters other than letters, digits and _ into _: model-a is model_a)
for m in ${models//,/ }; do
  label=${m//-/_}
  for q in "sum(flink_taskmanager_job_task_operator_model_recordsIn{$train,model=\"$label\"})=10000" \
      "sum(flink_taskmanager_job_task_operator_model_recordsDead{$train,model=\"$label\"} or vector(0))=0" \
      "max(flink_taskmanager_job_task_operator_model_modelVersion{$train,model=\"$label\"})=10000"; do
    wait_for 30 "Prometheus: ${q%=*} = ${q##*=}" prom_equals "${q%=*}" "${q##*=}"
  done
done
loss=$(prom_query "max(flink_taskmanager_job_task_operator_loss{$train} >= 0)")
python3 -c "import sys; v = float(sys.argv[1]); sys.exit(0 if v < 1e-3 else 1)" "$loss" || fail "loss gauge: $loss"
rate=$(prom_query "sum(rate(flink_taskmanager_job_task_operator_recordsIn{$train}[1m]))")
dead=$(prom_query "sum(increase(flink_taskmanager_job_task_operator_recordsDead[1m]))")
[ "$rate" != none ] && [ "$dead" != none ] || fail "the example queries of docs/cluster.md gave no value"
echo "trainer: 20000 records in and out, 0 dead, model version 10000, loss $loss;" \
  "records/s over the last minute $rate, dead letters in the last minute $dead"

# 6. more input while the job runs, then stop-with-savepoint
step "20000 more records from the host (streamgrad generate --kafka localhost:9094), then stop with a savepoint"
./streamgrad generate --kafka localhost:9094 --labeled 20000 --unlabeled 0 --keys "$models" --shape 16x16 \
  --seed 142 --true-filter-seed 43 > "$out/producer-2.log" 2>&1 &
producer2_pid=$!
t0=$(date +%s)
until [ "$(prom_query "sum(flink_taskmanager_job_task_operator_recordsIn{$train})")" != 20000 ] \
    || ! kill -0 "$producer2_pid" 2>/dev/null || [ $(($(date +%s) - t0)) -gt 120 ]; do
  in_time
  sleep 1
done
trained=$(prom_query "sum(flink_taskmanager_job_task_operator_recordsIn{$train})")
request=$(curl -fsS -X POST -H 'Content-Type: application/json' "$rest/jobs/$job/stop" \
  -d '{"targetDirectory": "file:///flink-data/savepoints", "drain": false, "formatType": "CANONICAL"}' \
  | $checks json request-id)
savepoint_done() {
  curl -fsS "$rest/jobs/$job/savepoints/$request" > "$out/savepoint.json" \
    && [ "$($checks json status.id < "$out/savepoint.json")" = COMPLETED ]
}
wait_for 120 "stop-with-savepoint" savepoint_done
savepoint=$($checks json operation.location < "$out/savepoint.json")
[ -n "$savepoint" ] || fail "stop-with-savepoint failed: $(cat "$out/savepoint.json")"
wait "$producer2_pid" || { cat "$out/producer-2.log"; fail "the second producer"; }
producer2_pid=
$checks same-filter "$out/producer.log" "$out/producer-2.log" || fail "hidden filters"
snapshots streamgrad.snapshots "$out/snapshots-stopped.jsonl"
echo "stopped with savepoint $savepoint (trainer had about $trained records in when the stop was asked;" \
  "newest snapshot version $($checks max-version "$out/snapshots-stopped.jsonl"))"

# 7. broker restart: topics on the kafka-data volume
step "broker restart: docker compose stop kafka; docker compose start kafka"
dc stop kafka > "$out/kafka-stop.log" 2>&1
dc start kafka > "$out/kafka-start.log" 2>&1
kafka_healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$(container kafka)")" = healthy ]; }
wait_for 120 "kafka healthy after the restart" kafka_healthy
wait_for 60 "snapshots readable after the restart" snapshots streamgrad.snapshots "$out/snapshots-restarted.jsonl"
cmp -s "$out/snapshots-stopped.jsonl" "$out/snapshots-restarted.jsonl" \
  || fail "the snapshots changed over the broker restart (diff $out/snapshots-stopped.jsonl $out/snapshots-restarted.jsonl)"
./streamgrad inspect --kafka localhost:9094 --count streamgrad.labeled > "$out/labeled-count.txt"
grep -q ": 40000 records" "$out/labeled-count.txt" || fail "labeled topic after the restart: $(cat "$out/labeled-count.txt")"
echo "after the restart: the same $(grep -c . "$out/snapshots-restarted.jsonl") snapshots;" \
  "$(cat "$out/labeled-count.txt")"

# 8. resume
step "resume from the savepoint (flink run -s through the submitter service)"
dc run --rm -T submitter flink run -d -m jobmanager:8081 -s "$savepoint" /opt/streamgrad/streamgrad-job.jar \
  run /opt/streamgrad/jobs/kafka-train.yaml > "$out/resume.log" 2>&1 || { cat "$out/resume.log"; fail "resume"; }
wait_for 60 "the resumed job running" job_running
step "resumed as job $(running_job); waiting for version 20000"
wait_for 300 "snapshots of version 20000" has_version streamgrad.snapshots 20000
snapshots streamgrad.snapshots "$out/snapshots-final.jsonl"
$checks snapshots "$out/snapshots-final.jsonl" --models "$models" --every 1000 --last 20000 \
  --hidden-from "$out/producer.log" || fail "snapshots after the resume"

# 9. the uninterrupted reference: the same job spec on the embedded cluster over the same topic
step "uninterrupted reference run (streamgrad run, embedded cluster, bounded)"
./streamgrad run jobs/kafka-train.yaml --set source.bootstrapServers=localhost:9094 --set source.bounded=true \
  --set source.groupId=streamgrad-smoke-reference \
  --set sink.bootstrapServers=localhost:9094 --set sink.topic=streamgrad.smoke-reference \
  --set sink.transactionalIdPrefix=smoke-reference \
  --set deadLetters.bootstrapServers=localhost:9094 --set deadLetters.topic=streamgrad.smoke-reference-dead-letters \
  --set deadLetters.transactionalIdPrefix=smoke-reference-dead-letters \
  --set checkpoints.dir="file://$out/reference-checkpoints" > "$out/reference.log" 2>&1 \
  || { cat "$out/reference.log"; fail "the reference run"; }
snapshots streamgrad.smoke-reference "$out/snapshots-reference.jsonl"
$checks equal "$out/snapshots-final.jsonl" "$out/snapshots-reference.jsonl" || fail "stop-and-resume vs uninterrupted"

# 10. down -v
step "docker compose down -v"
dc logs --no-color > "$out/compose.log" 2>&1
dc down -v --remove-orphans > "$out/down.log" 2>&1 || { cat "$out/down.log"; fail "docker compose down -v"; }
left=$(docker ps -a -q --filter "label=com.docker.compose.project=$project"; \
  docker volume ls -q --filter "label=com.docker.compose.project=$project"; \
  docker network ls -q --filter "label=com.docker.compose.project=$project")
[ -z "$left" ] || fail "left behind: $left"
in_time
step "PASSED: no container, volume or network of $project left"
