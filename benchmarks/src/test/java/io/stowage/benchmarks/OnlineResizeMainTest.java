package io.stowage.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs two trials of {@code run-online-resize}: needs root and loop devices. */
class OnlineResizeMainTest {
  @TempDir
  Path work;

  @Test
  void twoTrialsGrowTheMountedFileSystemAndLeaveNothingBehind() throws Exception {
    LoopDevices.require();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<OnlineResizeMain.Trial> trials = OnlineResizeMain.run(work, 2,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(2, trials.size());
    assertTrue(trials.stream().allMatch(t -> t.reportToStatfsMicros() > 0 && t.callMicros() > 0),
        trials.toString());
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("trial 2: 1536 MiB"),
        printed.toString(StandardCharsets.UTF_8));
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(mounts.contains(work.toString()), "the run left a mount:\n" + mounts);
    try (var images = Files.list(work.resolve("store").resolve("images"))) {
      assertEquals(0, images.count(), "the run left an image");
    }
  }
}
