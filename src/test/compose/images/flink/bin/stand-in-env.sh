# shellcheck shell=bash
# Sourced by the stand-in image's bin scripts: what flink-dist's config.sh sets up for them.
FLINK_HOME=${FLINK_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export FLINK_CONF_DIR=${FLINK_CONF_DIR:-$FLINK_HOME/conf}
export FLINK_BIN_DIR=$FLINK_HOME/bin
export FLINK_LIB_DIR=$FLINK_HOME/lib
export FLINK_PLUGINS_DIR=${FLINK_PLUGINS_DIR:-$FLINK_HOME/plugins}
export FLINK_LOG_DIR=${FLINK_LOG_DIR:-$FLINK_HOME/log}
FLINK_CLASSPATH="$FLINK_LIB_DIR/*"
# flink-dist's default env.java.opts.all for Java 17 (its scripts add it to every JVM they start)
FLINK_JAVA17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

# runs BashJavaUtils COMMAND on the configuration (plus dynamic -D arguments) and prints its result
# lines without their prefix
bash_java_utils() {
  local cmd=$1 out
  shift
  if ! out=$(java -cp "$FLINK_CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" \
      --configDir "$FLINK_CONF_DIR" "$@" 2>&1); then
    echo "[ERROR] Cannot run BashJavaUtils to execute command $cmd." >&2
    echo "$out" >&2
    return 1
  fi
  if ! echo "$out" | grep -q '^BASH_JAVA_UTILS_EXEC_RESULT:'; then
    echo "[ERROR] Could not parse the output of BashJavaUtils $cmd:" >&2
    echo "$out" >&2
    return 1
  fi
  echo "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# starts a Flink process in the foreground with the memory flags flink-dist's scripts compute
start_foreground() {
  local resource_cmd=$1 main_class=$2 name=$3 params jvm dynamic
  shift 3
  params=$(bash_java_utils "$resource_cmd" "$@") || exit 1
  jvm=$(echo "$params" | head -n 1)
  dynamic=$(echo "$params" | tail -n 1)
  mkdir -p "$FLINK_LOG_DIR"
  # shellcheck disable=SC2086 # jvm and dynamic hold several options
  exec java $jvm $FLINK_JAVA17_OPTS ${FLINK_ENV_JAVA_OPTS:-} \
    -Dlog.file="$FLINK_LOG_DIR/flink-$name-$(hostname).log" \
    -Dlog4j.configuration="file:$FLINK_CONF_DIR/log4j-console.properties" \
    -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-console.properties" \
    -cp "$FLINK_CLASSPATH" "$main_class" --configDir "$FLINK_CONF_DIR" $dynamic "$@"
}
