#!/bin/sh
# Wall time of bin/stowage volume ls and bin/dvdcli path on the fake driver, median of N runs,
# after WARMUP uncounted rounds, next to java -version of the same runtime (JAVA_HOME, else
# java on PATH), runs interleaved so that load on the machine hits all three alike; then each
# command's ratio to java -version. The first warm-up round makes the launchers' class-data
# archives for that runtime, in a cache directory of its own. Run after ./mvnw package, as
# root (loop devices) or not (simulated).
set -eu
N=${N:-11}
WARMUP=${WARMUP:-3}
DIST=$(CDPATH= cd -- "$(dirname -- "$0")/../../target/stowage" && pwd -P)
WORK=$(mktemp -d)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export XDG_CACHE_HOME="$WORK/cache"
OPTS="--set=stowage.storageDrivers=fake --set=fake.root=$WORK/fake --set=fake.devices=simulated
 --simulated-host=$WORK/host --set=stowage.state.directory=$WORK/state
 --set=stowage.volume.mount.root=$WORK/mnt"
ms() {
  # $1: file to append to; the rest: command. Appends its wall time in ms.
  f=$1; shift
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  echo $(( (e - s) / 1000000 )) >> "$f"
}
median() {
  sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# shellcheck disable=SC2086
"$DIST/bin/stowage" $OPTS service start --name bench --socket-dir "$WORK/plugins" --run-dir "$WORK/run" >/dev/null
# shellcheck disable=SC2086
"$DIST/bin/stowage" $OPTS volume create v1 --opt size=1 >/dev/null
export DVDCLI_PLUGIN_DIRS="$WORK/plugins"
: > "$WORK/java"; : > "$WORK/ls"; : > "$WORK/path"
# The first rounds warm the page cache and the service's JIT; they are not counted.
i=$((-WARMUP))
while [ $i -lt "$N" ]; do
  if [ $i -eq 0 ]; then
    : > "$WORK/java"; : > "$WORK/ls"; : > "$WORK/path"
  fi
  ms "$WORK/java" "$JAVA" -version
  # shellcheck disable=SC2086
  ms "$WORK/ls" "$DIST/bin/stowage" $OPTS volume ls
  ms "$WORK/path" "$DIST/bin/dvdcli" --volumedriver=bench path --volumename=v1
  i=$((i + 1))
done
j=$(median "$WORK/java"); l=$(median "$WORK/ls"); p=$(median "$WORK/path")
echo "$("$JAVA" -version 2>&1 | head -n 1)"
echo "java -version:          $j ms"
echo "bin/stowage volume ls:  $l ms  ($(awk -v a="$l" -v b="$j" 'BEGIN {printf "%.1f", a / b}')x java -version)"
echo "bin/dvdcli path:        $p ms  ($(awk -v a="$p" -v b="$j" 'BEGIN {printf "%.1f", a / b}')x java -version)"
"$DIST/bin/stowage" service stop --name bench --socket-dir "$WORK/plugins" --run-dir "$WORK/run" >/dev/null
rm -rf "$WORK"
