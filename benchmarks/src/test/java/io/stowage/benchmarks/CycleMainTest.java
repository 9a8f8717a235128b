package io.stowage.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stowage.Stowage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs one whole cycle of the SDK side of {@code run-cycles}: needs root and loop devices. */
class CycleMainTest {
  @TempDir
  Path work;

  @Test
  void oneCycleLeavesNothingBehind() throws Exception {
    LoopDevices.require();
    try (Stowage stowage = CycleMain.open(work)) {
      CycleMain.cycle(stowage.volumes(), "cycle-1");
      assertEquals(0, stowage.volumes().list().size(), "the cycle left a volume");
    }
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mounts.contains(work.toString()), "the cycle left a mount:\n" + mounts);
    try (var images = Files.list(work.resolve("store").resolve("images"))) {
      assertEquals(0, images.count(), "the cycle left an image");
    }
  }
}
