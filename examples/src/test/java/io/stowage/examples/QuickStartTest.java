package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {
  @TempDir
  Path work;

  @Test
  void hostBReadsWhatHostAWrote() throws Exception {
    boolean loopDevices = RootCheck.isRoot() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String read = new QuickStart(new PrintStream(printed, true, StandardCharsets.UTF_8), work)
        .run();
    assertEquals("hello from host-a", read);
    String output = printed.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("mounted  on host-a: /dev/loop"), output);
    assertTrue(output.contains("formatted: true"), output);
    assertTrue(output.contains("read     \"hello from host-a\""), output);
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertTrue(!mounts.contains(work.toString()), "the quick start left a mount:\n" + mounts);
  }
}
