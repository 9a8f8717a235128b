#!/bin/sh
# Wall time of bin/stowage volume ls and bin/dvdcli path on the fake driver, median of N runs,
# next to java -version. Run after ./mvnw package, as root (loop devices) or not (simulated).
set -eu
N=${N:-10}
DIST=$(CDPATH= cd -- "$(dirname -- "$0")/../../target/stowage" && pwd -P)
WORK=$(mktemp -d)
OPTS="--set=stowage.storageDrivers=fake --set=fake.root=$WORK/fake --set=fake.devices=simulated
 --simulated-host=$WORK/host --set=stowage.state.directory=$WORK/state
 --set=stowage.volume.mount.root=$WORK/mnt"
median() {
  # $@: command; prints the median wall time in ms of N runs
  i=0; : > "$WORK/times"
  while [ $i -lt "$N" ]; do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 )) >> "$WORK/times"; i=$((i + 1))
  done
  sort -n "$WORK/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# shellcheck disable=SC2086
"$DIST/bin/stowage" $OPTS service start --name bench --socket-dir "$WORK/plugins" --run-dir "$WORK/run" >/dev/null
# shellcheck disable=SC2086
"$DIST/bin/stowage" $OPTS volume create v1 --opt size=1 >/dev/null
export DVDCLI_PLUGIN_DIRS="$WORK/plugins"
echo "java -version:          $(median java -version) ms"
# shellcheck disable=SC2086
echo "bin/stowage volume ls:  $(median "$DIST/bin/stowage" $OPTS volume ls) ms"
echo "bin/dvdcli path:        $(median "$DIST/bin/dvdcli" --volumedriver=bench path --volumename=v1) ms"
"$DIST/bin/stowage" service stop --name bench --socket-dir "$WORK/plugins" --run-dir "$WORK/run" >/dev/null
rm -rf "$WORK"
