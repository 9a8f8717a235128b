package io.stowage.driver.fake.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that loop devices can be used: asserted under CI=true, assumed otherwise. */
final class LoopEnvironment {
  private LoopEnvironment() {}

  static void require() {
    boolean root = HostView.run("id", "-u").equals("exit 0 0");
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
