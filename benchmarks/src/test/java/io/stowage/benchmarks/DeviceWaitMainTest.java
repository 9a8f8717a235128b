package io.stowage.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device-wait benchmark's body: each trial sees its node and leaves nothing behind. */
class DeviceWaitMainTest {
  @TempDir
  Path work;

  @Test
  void everyTrialEndsWithTheNodeFoundAndRemoved() throws Exception {
    DeviceWaitMain.Result watched = DeviceWaitMain.run("watched", 5, work, true);
    assertEquals(5, watched.micros().size());
    assertTrue(watched.micros().stream().allMatch(m -> m >= 0), watched.micros().toString());
    assertTrue(watched.line().startsWith("watched    trials 5  median"), watched.line());
    try (var left = Files.list(work.resolve("watched"))) {
      assertEquals(0, left.count());
    }
    DeviceWaitMain.clean(work);
    try (var left = Files.list(work)) {
      assertEquals(0, left.count());
    }
  }
}
