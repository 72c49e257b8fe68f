#!/usr/bin/env bash
# Entrypoint of the stand-in flink image. It does what apache/flink-docker's 2.x docker-entrypoint.sh
# does, so that a compose file that works here works with the official image:
# - jobmanager.rpc.address is JOB_MANAGER_RPC_ADDRESS or the container's host name, blob.server.port
#   6124, query.server.port 6125, taskmanager.numberOfTaskSlots from TASK_MANAGER_NUMBER_OF_TASK_SLOTS;
# - every "key: value" line of FLINK_PROPERTIES is applied after that, with ALL whitespace removed
#   from the line (so values cannot hold spaces) and environment variables substituted (envsubst);
# - ENABLE_BUILT_IN_PLUGINS links jars from opt/ into plugins/;
# - commands: jobmanager, taskmanager (in the foreground), help; anything else runs as given.

JOB_MANAGER_RPC_ADDRESS=${JOB_MANAGER_RPC_ADDRESS:-$(hostname -f)}

if [ "$(id -u)" = 0 ]; then
  echo "WARNING: Running as root user is not recommended. Please use a non-root user to run Flink."
fi

if [ -n "$ENABLE_BUILT_IN_PLUGINS" ]; then
  echo "Enabling required built-in plugins"
  for jar in $(echo "$ENABLE_BUILT_IN_PLUGINS" | tr ';' ' '); do
    dir="$FLINK_HOME/plugins/${jar%.jar}"
    mkdir -p "$dir"
    if [ ! -e "$FLINK_HOME/opt/$jar" ]; then
      echo "Plugin $jar does not exist. Exiting."
      exit 1
    fi
    ln -fs "$FLINK_HOME/opt/$jar" "$dir"
    echo "Successfully enabled $jar"
  done
fi

# writes key/value pairs into conf/config.yaml (as flink-dist's config-parser-utils.sh)
apply_options() {
  local args=()
  while [ $# -gt 0 ]; do
    args+=("-D$1=$2")
    shift 2
  done
  if [ ${#args[@]} -gt 0 ]; then
    "$FLINK_HOME/bin/config-parser-utils.sh" "$FLINK_HOME/conf" "$FLINK_HOME/bin" "$FLINK_HOME/lib" "${args[@]}" || exit 1
  fi
}

options=(jobmanager.rpc.address "$JOB_MANAGER_RPC_ADDRESS" blob.server.port 6124 query.server.port 6125)
if [ -n "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS" ]; then
  options+=(taskmanager.numberOfTaskSlots "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS")
fi
apply_options "${options[@]}"

if [ -n "$FLINK_PROPERTIES" ]; then
  options=()
  old_ifs=$IFS
  IFS=$'\n'
  for line in $FLINK_PROPERTIES; do
    line=$(echo "$line" | tr -d '[:space:]')
    [ -z "$line" ] && continue
    IFS=':' read -r key value <<< "$line"
    options+=("$key" "$(echo "$value" | envsubst)")
  done
  IFS=$old_ifs
  apply_options "${options[@]}"
fi

case "$1" in
  help)
    echo "Usage: $(basename "$0") (jobmanager|taskmanager)"
    echo "    Or $(basename "$0") help"
    exit 0
    ;;
  jobmanager)
    shift
    echo "Starting Job Manager"
    exec "$FLINK_HOME/bin/jobmanager.sh" start-foreground "$@"
    ;;
  taskmanager)
    shift
    echo "Starting Task Manager"
    exec "$FLINK_HOME/bin/taskmanager.sh" start-foreground "$@"
    ;;
esac
exec "$@"
