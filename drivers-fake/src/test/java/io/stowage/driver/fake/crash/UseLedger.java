package io.stowage.driver.fake.crash;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the children acknowledged: per (volume, caller), whether the use is mounted, unmounted,
 * or unknown because the operation on it was in flight when the child was killed.
 *
 * <p>The child prints {@code BEGIN} before a call and {@code ACK} after it returned, so the
 * operation in flight at a kill is the last {@code BEGIN} without its {@code ACK}. Its effect
 * may or may not have been recorded before the kill, so its uses become {@link Use#UNKNOWN}
 * until the next check learns the outcome from the repaired state. Every other use is certain:
 * an acknowledged mount must be recorded, an acknowledged unmount must not be.
 */
final class UseLedger {
  /** The state of one use. */
  enum Use { MOUNTED, UNMOUNTED, UNKNOWN }

  private final int volumes;
  private final int callers;
  private final Map<String, Use> uses = new LinkedHashMap<>();
  private Optional<String[]> inFlight = Optional.empty();
  private int acknowledged;
  private final List<String> failures = new ArrayList<>();

  UseLedger(int volumes, int callers) {
    this.volumes = volumes;
    this.callers = callers;
    for (int v = 1; v <= volumes; v++) {
      for (int c = 1; c <= callers; c++) {
        uses.put(key(MountLoopMain.volume(v), MountLoopMain.caller(c)), Use.UNMOUNTED);
      }
    }
  }

  /** Applies one line of a child's output, in order. */
  void apply(String line) {
    String[] words = line.split(" ", 5);
    switch (words[0]) {
      case "BEGIN" -> inFlight = Optional.of(words);
      case "ACK" -> {
        String volume = words[2];
        String caller = words[3];
        switch (words[1]) {
          case "mount" -> uses.put(key(volume, caller), Use.MOUNTED);
          case "unmount" -> uses.put(key(volume, caller), Use.UNMOUNTED);
          case "unmountall", "remove" -> {
            for (int c = 1; c <= callers; c++) {
              uses.put(key(volume, MountLoopMain.caller(c)), Use.UNMOUNTED);
            }
          }
          default -> throw new IllegalArgumentException("unknown operation in: " + line);
        }
        inFlight = Optional.empty();
        acknowledged++;
      }
      case "FAIL" -> {
        failures.add(line);
        markUnknown(words);
        inFlight = Optional.empty();
      }
      default -> { }
    }
  }

  /** The child was killed: the operation in flight, if any, may or may not have happened. */
  void killed() {
    inFlight.ifPresent(this::markUnknown);
    inFlight = Optional.empty();
  }

  private void markUnknown(String[] words) {
    String volume = words[2];
    if (words[1].equals("unmountall") || words[1].equals("remove")) {
      for (int c = 1; c <= callers; c++) {
        uses.put(key(volume, MountLoopMain.caller(c)), Use.UNKNOWN);
      }
    } else {
      uses.put(key(volume, words[3]), Use.UNKNOWN);
    }
  }

  /**
   * Compares the repaired state with what was acknowledged, then resolves unknown uses from
   * it.
   *
   * @param recorded the callers each volume's record holds (no entry: no record)
   * @return the violations, empty when every acknowledged use is exactly as recorded
   */
  List<String> check(Map<String, Set<String>> recorded) {
    List<String> violations = new ArrayList<>();
    for (int v = 1; v <= volumes; v++) {
      String volume = MountLoopMain.volume(v);
      Set<String> callersOf = recorded.getOrDefault(volume, Set.of());
      for (String caller : callersOf) {
        if (!uses.containsKey(key(volume, caller))) {
          violations.add("volume " + volume + " records caller " + caller
              + ", which no child ever used");
        }
      }
      for (int c = 1; c <= callers; c++) {
        String caller = MountLoopMain.caller(c);
        String key = key(volume, caller);
        boolean isRecorded = callersOf.contains(caller);
        switch (uses.get(key)) {
          case MOUNTED -> {
            if (!isRecorded) {
              violations.add("acknowledged mount of " + volume + " by " + caller
                  + " is not recorded (callers " + callersOf + ")");
            }
          }
          case UNMOUNTED -> {
            if (isRecorded) {
              violations.add("acknowledged unmount of " + volume + " by " + caller
                  + " is still recorded (callers " + callersOf + ")");
            }
          }
          default -> uses.put(key, isRecorded ? Use.MOUNTED : Use.UNMOUNTED);
        }
      }
    }
    for (String name : recorded.keySet()) {
      if (!name.matches("vol-[0-9]+")
          || Integer.parseInt(name.substring(4)) > volumes) {
        violations.add("record of unexpected volume " + name);
      }
    }
    return violations;
  }

  /** Returns the FAIL lines seen. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Returns how many operations were acknowledged in all. */
  int acknowledged() {
    return acknowledged;
  }

  /** Returns how many uses are acknowledged mounted now. */
  long mounted() {
    return uses.values().stream().filter(u -> u == Use.MOUNTED).count();
  }

  private static String key(String volume, String caller) {
    return volume + "/" + caller;
  }
}
