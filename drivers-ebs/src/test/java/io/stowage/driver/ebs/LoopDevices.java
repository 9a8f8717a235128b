package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests with real loop devices need: root and {@code /dev/loop-control}. */
final class LoopDevices {
  private LoopDevices() {}

  /** Asserts (under CI=true) or assumes root and {@code /dev/loop-control}. */
  static void require() {
    boolean root;
    try {
      root = Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8).stream()
          .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean control = Files.exists(Path.of("/dev/loop-control"));
    String why = "loop devices need root (uid 0: " + root + ") and /dev/loop-control (exists: "
        + control + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertTrue(root && control, why);
    } else {
      assumeTrue(root && control, why);
    }
  }
}
