# Sourced by bin/stowage and bin/dvdcli (POSIX sh). Finds the Java runtime and sets the JVM
# options of a short command, with a class-data archive made for that runtime.
#
# In:  DIST (the distribution directory), NAME (stowage or dvdcli), TRAINING (the main class
#      that runs the command's everyday paths once, to record the classes they load).
# Out: JAVA (the java command), JAR (the class path), JVM_OPTS.
#
# The archive (-XX:ArchiveClassesAtExit, then -XX:SharedArchiveFile) is made by a training run
# on the first run with a runtime, into ${XDG_CACHE_HOME:-$HOME/.cache}/stowage, named after the
# runtime (its release, vendor and path) and this distribution's jar. A run writes it to a
# file of its own and renames it into place, so concurrent first runs never see a partial
# archive. Where the directory is not ours or cannot be written, or the training fails (a
# marker file then stops further tries for that runtime and jar), the command runs without an
# archive, quietly. JAVA_OPTS comes after these options, so it can override them.
# See docs/adr/0016-class-data-archives-per-java-runtime.md.

JAR=$DIST/lib/stowage-cli.jar
if [ -n "${JAVA_HOME:-}" ]; then
  JAVA=$JAVA_HOME/bin/java
  JDK=$JAVA_HOME
else
  JAVA=java
  JDK=$(readlink -f -- "$(command -v java)" 2>/dev/null) || JDK=
  JDK=${JDK%/bin/java}
fi

# The runtime's identity from its release file; no JVM is started for it.
jdk_version= jdk_runtime= jdk_vendor=
if [ -n "$JDK" ] && [ -r "$JDK/release" ]; then
  while IFS='=' read -r key value; do
    value=${value#\"}
    value=${value%\"}
    case $key in
      JAVA_VERSION) jdk_version=$value ;;
      JAVA_RUNTIME_VERSION) jdk_runtime=$value ;;
      IMPLEMENTOR) jdk_vendor=$value ;;
    esac
  done < "$JDK/release"
fi
jdk_feature=${jdk_version%%[.+-]*}
case $jdk_feature in
  '' | *[!0-9]*) jdk_feature=0 ;;
esac

# C1 only, and the serial collector unless JAVA_OPTS picks one: a short command neither runs
# long enough for C2 nor has the heap for a parallel collector to pay off.
JVM_OPTS=-XX:TieredStopAtLevel=1
case " ${JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) JVM_OPTS="$JVM_OPTS -XX:+UseSerialGC" ;;
esac
# Process start by vfork is about 1 ms faster per external command (losetup, mkfs, mount)
# than JDK 17's default; Java 25 deprecated it (JDK-8357179) and prints a warning for it.
if [ "$jdk_feature" -ge 17 ] && [ "$jdk_feature" -lt 25 ]; then
  JVM_OPTS="$JVM_OPTS -Djdk.lang.Process.launchMechanism=VFORK"
fi

archive_dir=
if [ -n "${XDG_CACHE_HOME:-}" ]; then
  archive_dir=$XDG_CACHE_HOME/stowage
elif [ -n "${HOME:-}" ]; then
  archive_dir=$HOME/.cache/stowage
fi
if [ "$jdk_feature" -ge 17 ] && [ -n "$archive_dir" ]; then
  # The JVM falls back to no archive by itself where one cannot be used; it need not say so.
  archive_quiet="-Xlog:cds=off -Xlog:cds+dynamic=off"
  archive_sum=$(printf '%s\n' "$JDK" "$jdk_runtime" "$jdk_vendor" "$JAR" | cksum)
  archive=$archive_dir/$NAME-$jdk_feature-${archive_sum%% *}.jsa
  # An archive, and a failed try's marker, carry the jar's modification time: another jar at
  # the same path makes a new one.
  if [ -f "$archive" ] && [ -O "$archive_dir" ] && [ ! "$JAR" -nt "$archive" ] \
      && [ ! "$JAR" -ot "$archive" ]; then
    JVM_OPTS="$JVM_OPTS $archive_quiet -XX:SharedArchiveFile=$archive"
  elif { [ ! -e "$archive.failed" ] || [ "$JAR" -nt "$archive.failed" ] \
      || [ "$JAR" -ot "$archive.failed" ]; } \
      && { [ -d "$archive_dir" ] || (umask 077 && mkdir -p -- "$archive_dir") 2>/dev/null; } \
      && [ -O "$archive_dir" ] && [ -w "$archive_dir" ]; then
    archive_tmp=$archive.$$.tmp
    if "$JAVA" $JVM_OPTS -XX:ArchiveClassesAtExit="$archive_tmp" -cp "$JAR" "$TRAINING" \
        </dev/null >/dev/null 2>&1 && [ -s "$archive_tmp" ] \
        && touch -r "$JAR" -- "$archive_tmp" && mv -f -- "$archive_tmp" "$archive"; then
      JVM_OPTS="$JVM_OPTS $archive_quiet -XX:SharedArchiveFile=$archive"
    else
      rm -f -- "$archive_tmp"
      true > "$archive.failed" && touch -r "$JAR" -- "$archive.failed"
    fi 2>/dev/null
  fi
fi
