package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start: it is FirstMount, whole, and it runs. */
class FirstMountTest {
  @TempDir
  Path work;

  @Test
  void theReadmeQuickStartRunsOnLoopDevicesAndKeepsTheFile() throws Exception {
    boolean loopDevices = RootCheck.isRoot() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
    FirstMount.main(new String[] {work.toString()});
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(work.toString()),
        "unmounted");
    try (Stowage stowage = Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", work.resolve("fake"))
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .build()) {
      VolumeService volumes = stowage.volumes();
      Mount again = volumes.mount("pgdata", MountRequest.builder().caller("check").build());
      assertEquals(work.resolve("volumes/pgdata/data"), again.path());
      assertEquals("hello", Files.readString(again.path().resolve("hello.txt")));
      volumes.unmount("pgdata", UnmountRequest.caller("check"));
      volumes.remove("pgdata", false);
    }
  }

  @Test
  void theReadmeShowsTheWholeCompiledQuickStart() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    String source = Files.readString(
        module.resolve("src/main/java/io/stowage/examples/FirstMount.java"));
    String snippet = source.substring(source.indexOf("// tag::readme[]\n") + 17,
        source.indexOf("// end::readme[]"));
    assertTrue(snippet.contains("import io.stowage.Stowage;")
        && snippet.contains("public static void main"), "the snippet is a whole program");
    String readme = Files.readString(module.resolveSibling("README.md"));
    assertTrue(readme.contains("```java\n" + snippet + "```"),
        "README.md must show the quick start exactly as FirstMount compiles it:\n" + snippet);
  }
}
