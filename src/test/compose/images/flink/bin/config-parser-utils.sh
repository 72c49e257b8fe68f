#!/usr/bin/env bash
# Stand-in for flink-dist's bin/config-parser-utils.sh:
#   config-parser-utils.sh CONF_DIR BIN_DIR LIB_DIR [-Dkey=value | -repKV key,old,new | -rmKV key=value]...
# applies the changes to CONF_DIR/config.yaml (through Flink's own BashJavaUtils).
if [ "$#" -lt 3 ]; then
  echo "Usage: config-parser-utils.sh FLINK_CONF_DIR FLINK_BIN_DIR FLINK_LIB_DIR [dynamic args...]"
  exit 1
fi
export FLINK_CONF_DIR=$1
FLINK_HOME=$(cd "$2/.." && pwd)
export FLINK_HOME
# shellcheck source=stand-in-env.sh
. "$2/stand-in-env.sh"
# shellcheck disable=SC2034 # read by bash_java_utils
FLINK_CLASSPATH="$3/*"
shift 3
if ! result=$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION "$@"); then
  echo "[ERROR] Could not get configurations properly, the result is :"
  echo "$result"
  exit 1
fi
echo "$result" > "$FLINK_CONF_DIR/config.yaml"
