#!/bin/sh
# Instructions executed by java -version and by the JVM of bin/stowage volume ls on the fake
# driver's simulated host (all threads, valgrind's callgrind; median of RUNS runs), for the
# runtime of JAVA_HOME or java on PATH. Unlike wall time, the count hardly depends on what else
# the machine runs; the compiler thread's share varies by a few percent from run to run. Runs
# the JVM with the options bin/stowage gives it, after one run that makes its class-data
# archive in a cache directory of its own; ARCHIVE=no runs it without one, and JVM_EXTRA adds
# options to both commands (JVM_EXTRA=-Xint: the interpreter only, the same count every run).
# Needs valgrind; run after ./mvnw package.
set -eu
DIST=$(CDPATH= cd -- "$(dirname -- "$0")/../../target/stowage" && pwd -P)
WORK=$(mktemp -d)
export XDG_CACHE_HOME="$WORK/cache"
OPTS="--set=stowage.storageDrivers=fake --set=fake.root=$WORK/fake --set=fake.devices=simulated
 --simulated-host=$WORK/host --set=stowage.state.directory=$WORK/state
 --set=stowage.volume.mount.root=$WORK/mnt"
# shellcheck disable=SC2086
"$DIST/bin/stowage" $OPTS volume create v1 --opt size=1 >/dev/null
NAME=stowage
TRAINING=io.stowage.cli.ArchiveTraining
. "$DIST/lib/launcher.sh"
if [ "${ARCHIVE:-yes}" = no ]; then
  JVM_OPTS=$(printf '%s\n' $JVM_OPTS | grep -v SharedArchiveFile | tr '\n' ' ')
fi
# A JVM under valgrind crashes now and then (its report goes to $WORK); that run is left out.
cd "$WORK"
count() {
  i=0
  while [ $i -lt "${RUNS:-3}" ]; do
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
      | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    i=$((i + 1))
  done | sort -n | awk '{a[NR] = $1} END {printf "%d million\n", a[int((NR + 1) / 2)] / 1e6}'
}
echo "$("$JAVA" -version 2>&1 | head -n 1)"
# shellcheck disable=SC2086
echo "java -version:          $(count "$JAVA" ${JVM_EXTRA:-} -version)"
# shellcheck disable=SC2086
echo "bin/stowage volume ls:  $(count "$JAVA" $JVM_OPTS -XX:-UsePerfData ${JVM_EXTRA:-} \
  -cp "$JAR" io.stowage.cli.Main $OPTS volume ls)"
cd /
rm -rf "$WORK"
