package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that loop devices can be used: asserted under CI=true, assumed otherwise. */
public final class LoopEnvironment {
  private LoopEnvironment() {}

  /** Asserts (under CI=true) or assumes root and {@code /dev/loop-control}. */
  public static void require() {
    boolean root = FakeDriver.runningAsRoot();
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
