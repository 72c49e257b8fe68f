#!/bin/sh
# Builds stand-ins for the images docker-compose.yml names (flink, apache/kafka, prom/prometheus) on a
# machine that cannot pull them: from Debian packages (debootstrap) and Maven Central jars, following
# the official images (see each Dockerfile under images/). On a machine with Docker Hub you do not
# need this: `docker compose up` pulls the official images.
#
#   sh src/test/compose/build-images.sh          (from the repository root; debootstrap needs root)
#
# The tags are the ones docker-compose.yml names, so the compose file runs unchanged. A tag that
# already exists and is not a stand-in (an official image you pulled) is left alone. Every stand-in
# carries the label dev.streamgrad.stand-in=true.
#   DEBIAN_MIRROR   the Debian mirror for debootstrap (default: the first one apt uses, else deb.debian.org)
#   REBUILD=1       rebuild the stand-ins (the base image is kept; remove local/streamgrad-compose-base to redo it)
set -eu
cd "$(dirname "$0")/../../.."
root=$(pwd)
here=src/test/compose
base=local/streamgrad-compose-base:bookworm
out=$root/target/compose-images
mkdir -p "$out"

prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1; }
image_of() { sed -n "s|^ *image: *\($1[^ ]*\) *\$|\1|p" docker-compose.yml | head -n 1; }
flink_image=$(image_of flink:)
kafka_image=$(image_of apache/kafka:)
prometheus_image=$(image_of prom/prometheus:)
flink_version=$(prop flink.version)
kafka_version=$(prop kafka.version)
log4j_version=$(prop log4j.version)
dependency_plugin=org.apache.maven.plugins:maven-dependency-plugin:$(prop dependency.plugin.version)
[ -n "$flink_image" ] && [ -n "$kafka_image" ] && [ -n "$prometheus_image" ] \
  || { echo "build-images.sh: docker-compose.yml lacks a flink, apache/kafka or prom/prometheus image" >&2; exit 1; }

# --- base: Debian bookworm with Java 17, the tools the images' scripts use, and prometheus
if ! docker image inspect "$base" >/dev/null 2>&1; then
  mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)\( .*\)\{0,1\}$/\1/p; s/^deb \(\[[^]]*\] \)\{0,1\}\(http[^ ]*debian\) .*/\2/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1)}
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$(mktemp -d "${TMPDIR:-/tmp}/streamgrad-rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  echo "build-images.sh: debootstrap bookworm from $mirror (about 2 minutes) ..."
  debootstrap --variant=minbase \
    --include=openjdk-17-jre-headless,procps,netcat-openbsd,curl,gettext-base,prometheus \
    bookworm "$rootfs" "$mirror" >"$out.debootstrap.log" 2>&1 \
    || { cat "$out.debootstrap.log" >&2; exit 1; }
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
  echo "build-images.sh: imported $base"
  rm -rf "$rootfs"
  trap - EXIT
fi

# builds image tag $1 from the folder $2, unless that tag is an image that is not a stand-in (an
# official image pulled before) or a stand-in already (REBUILD=1 rebuilds those)
build() {
  label=$(docker image inspect -f '{{index .Config.Labels "dev.streamgrad.stand-in"}}' "$1" 2>/dev/null) || label=absent
  if [ "$label" != absent ] && [ "$label" != true ]; then
    echo "build-images.sh: $1 exists and is not a stand-in: kept"
    return
  fi
  if [ "$label" = true ] && [ -z "${REBUILD:-}" ]; then
    echo "build-images.sh: $1 is a stand-in already (REBUILD=1 rebuilds it)"
    return
  fi
  if ! docker build --label dev.streamgrad.stand-in=true --build-arg BASE="$base" -t "$1" "$2" >"$2.build.log" 2>&1; then
    cat "$2.build.log" >&2
    exit 1
  fi
  echo "build-images.sh: built $1"
}

mvn_copy() { # POM OUTPUT-DIR ARGS...
  pom=$1 dir=$2
  shift 2
  rm -rf "$dir"
  mvn -B -q -f "$pom" "$dependency_plugin:copy-dependencies" -DoutputDirectory="$dir" "$@" >"$out/mvn.log" 2>&1 \
    || { cat "$out/mvn.log" >&2; exit 1; }
}

rm -rf "$out/flink" "$out/kafka" "$out/prometheus"
cp -r "$here/images/flink" "$here/images/kafka" "$here/images/prometheus" "$out/"
# flink: lib/ as the real-cluster test's cluster (src/test/cluster-libs/flink), the Prometheus reporter as a plugin
mvn_copy src/test/cluster-libs/flink/pom.xml "$out/flink/lib" -Dflink.version="$flink_version" -Dlog4j.version="$log4j_version"
mvn_copy "$here/images/flink/pom.xml" "$out/flink/plugins/metrics-prometheus" -DexcludeTransitive=true \
  -Dflink.version="$flink_version"
mvn_copy "$here/images/kafka/pom.xml" "$out/kafka/libs" -Dkafka.version="$kafka_version" -Dlog4j.version="$log4j_version"
rm -f "$out"/*/pom.xml

build "$flink_image" "$out/flink"
build "$kafka_image" "$out/kafka"
build "$prometheus_image" "$out/prometheus"
