package io.stowage.driver.fake.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.driver.fake.LoopEnvironment;
import io.stowage.internal.state.Intent;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.ByteSize;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL between the back end's grow of a mounted volume and the grow
 * of its file system: the state keeps the intent, and opening Stowage again finishes the grow
 * with the volume still mounted.
 */
class InterruptedResizeTest {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private Path work;
  private HostView host;
  private ChildProcess child;

  @BeforeEach
  void open() throws IOException {
    LoopEnvironment.require();
    work = Files.createDirectories(temp.resolve("work"));
    host = new HostView(temp);
  }

  @AfterEach
  void cleanUp() {
    if (child != null) {
      child.close();
    }
    if (host != null) {
      host.forceCleanUp();
    }
  }

  @Test
  void aKillBetweenTheBackEndsGrowAndTheFileSystemsIsFinishedOnTheNextOpen() throws Exception {
    Path log = Files.createDirectories(Path.of("target", "crash-test"))
        .resolve("interrupted-resize.log");
    child = ChildProcess.start(log, ResizeMain.class, work.toString());
    assertTrue(child.awaitLine(ResizeMain.MOUNTED, STEP_TIMEOUT), child.logTail(40));
    assertTrue(child.awaitLine(ResizeMain.GROWING, STEP_TIMEOUT), child.logTail(40));
    assertTrue(child.kill(false), "SIGKILL ended the child");

    Path mountPoint = work.resolve("mnt").resolve(ResizeMain.VOLUME);
    long before = Files.getFileStore(mountPoint).getTotalSpace();
    assertTrue(before < ByteSize.GIB, "the file system was not grown before the kill: " + before);
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      Optional<Intent> intent = state.get("fake", VolumeName.of(ResizeMain.VOLUME))
          .flatMap(VolumeRecord::intent);
      assertEquals(Optional.of(Intent.Step.GROWING), intent.map(Intent::step));
      assertEquals(Optional.of(ByteSize.ofGiB(2)), intent.flatMap(Intent::size));
    }

    try (Stowage stowage = MountLoopMain.open(work)) {
      long after = Files.getFileStore(mountPoint).getTotalSpace();
      assertTrue(after > before + ByteSize.GIB * 9 / 10, "statfs after reopening: " + after);
      assertEquals(ByteSize.ofGiB(2), stowage.volumes().find(ResizeMain.VOLUME).orElseThrow()
          .size());
      assertEquals(Optional.of(mountPoint.resolve("data")),
          stowage.volumes().path(ResizeMain.VOLUME), "still mounted, for its caller");
      try (StateStore state = StateStore.open(work.resolve("state"))) {
        VolumeRecord record = state.get("fake", VolumeName.of(ResizeMain.VOLUME)).orElseThrow();
        assertEquals(Optional.empty(), record.intent());
        assertEquals(List.of(ResizeMain.CALLER), record.callers().stream()
            .map(c -> c.value()).toList());
      }
      stowage.volumes().unmount(ResizeMain.VOLUME, UnmountRequest.caller(ResizeMain.CALLER));
    }
    assertEquals(List.of(), host.mounts());
    assertEquals(List.of(), host.loops());
  }
}
