#!/usr/bin/env bash
# Stand-in for flink-dist's bin/jobmanager.sh; the image's entrypoint runs `jobmanager.sh start-foreground`.
# shellcheck source=stand-in-env.sh
. "$(dirname "$0")/stand-in-env.sh"
if [ "$1" != start-foreground ]; then
  echo "Usage: jobmanager.sh start-foreground [args] (this image runs Flink in the foreground only)" >&2
  exit 1
fi
shift
start_foreground GET_JM_RESOURCE_PARAMS org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  standalonesession "$@"
