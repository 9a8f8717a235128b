package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedVolumesTest {
  @TempDir
  Path work;

  @Test
  void aSharedVolumeStaysMountedUntilItsLastTaskStopsAcrossARestart() throws Exception {
    boolean loopDevices = RootCheck.isRoot() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String read = new SharedVolumes(new PrintStream(printed, true, StandardCharsets.UTF_8),
        work).run();

    assertEquals("written by task-1", read);
    String output = printed.toString(StandardCharsets.UTF_8);
    Path cache = work.resolve("volumes/cache/data");
    assertTrue(output.contains("task-1 stopped: cache mounted at " + cache
        + ", scratch unmounted"), output);
    assertTrue(output.contains("after the restart: cache mounted at " + cache), output);
    assertTrue(output.contains("task-2 stopped: cache unmounted"), output);
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(work.toString()),
        "the example left a mount");
  }
}
