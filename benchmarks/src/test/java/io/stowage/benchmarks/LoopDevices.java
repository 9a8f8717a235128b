package io.stowage.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmarks' tests on real loop devices: root and loop devices, asserted under CI=true. */
final class LoopDevices {
  private LoopDevices() {}

  static void require() throws IOException {
    boolean loopDevices = Integer.valueOf(0).equals(
        Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
  }
}
