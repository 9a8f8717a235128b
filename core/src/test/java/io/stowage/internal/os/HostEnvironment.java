package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.internal.os.exec.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tests that touch the real host need. Under {@code CI=true} a missing requirement fails
 * the test; elsewhere the test is skipped.
 */
final class HostEnvironment {
  private HostEnvironment() {
  }

  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static void require(boolean condition, String what) {
    if (onCi()) {
      assertTrue(condition, "CI=true needs " + what);
    } else {
      assumeTrue(condition, "needs " + what);
    }
  }

  static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Requires root, {@code /dev/loop-control} and {@code losetup}. */
  static void requireLoopDevices() {
    require(isRoot(), "root");
    require(Files.exists(Path.of("/dev/loop-control")), "/dev/loop-control");
    requireBinary("losetup");
  }

  /** Requires an executable on the search path. */
  static void requireBinary(String name) {
    require(Executables.fromEnvironment().find(name).isPresent(), name + " installed");
  }
}
