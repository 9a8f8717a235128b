package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstMountTest {
  @TempDir
  Path work;

  @Test
  void theReadmeQuickStartRunsOnLoopDevices() throws Exception {
    boolean loopDevices = RootCheck.isRoot() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
    assertEquals(work.resolve("volumes/pgdata/data"), FirstMount.run(work));
    assertTrue(!Files.readString(Path.of("/proc/self/mountinfo")).contains(work.toString()));
  }

  @Test
  void theReadmeShowsTheCompiledQuickStart() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    String source = Files.readString(
        module.resolve("src/main/java/io/stowage/examples/FirstMount.java"));
    String snippet = source.substring(source.indexOf("// tag::readme[]\n") + 17,
        source.indexOf("      // end::readme[]"));
    List<String> lines = Arrays.stream(snippet.split("\n")).map(l -> l.substring(4)).toList();
    String readme = Files.readString(module.resolveSibling("README.md"));
    assertTrue(readme.contains(String.join("\n", lines)),
        "README.md must show the quick start exactly as FirstMount compiles it:\n"
            + String.join("\n", lines));
  }
}
