package io.stowage.driver.fake.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.driver.fake.LoopEnvironment;
import io.stowage.model.InstanceId;
import io.stowage.model.MountRequest;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.internal.state.Intent;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state a kill in the middle of a mount leaves, made on purpose: the record still says
 * "mounting" (device and mount point named only by the intent), and the file system is
 * mounted (the kill came after {@code mount}) or only its mount point directory exists (the
 * kill came before). Opening Stowage again rolls it back completely.
 */
class InterruptedMountTest {
  private static final VolumeName NAME = VolumeName.of("half");

  @org.junit.jupiter.api.io.TempDir
  Path temp;

  private Path work;
  private HostView host;

  @BeforeEach
  void open() throws IOException {
    LoopEnvironment.require();
    work = Files.createDirectories(temp.resolve("work"));
    host = new HostView(temp);
  }

  @AfterEach
  void cleanUp() {
    if (host != null) {
      host.forceCleanUp();
    }
  }

  @ParameterizedTest(name = "mounted before the kill: {0}")
  @ValueSource(booleans = {true, false})
  void anInterruptedMountIsRolledBackWithItsMountPoint(boolean mountedBeforeTheKill) {
    Path mountPoint;
    VolumeRecord mounted;
    try (Stowage stowage = MountLoopMain.open(work)) {
      mountPoint = stowage.volumes().mount(NAME.value(), MountRequest.builder()
          .caller("task").options(VolumeOptions.parse(Map.of("size", "1"))).build())
          .mountPoint();
    }
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      mounted = state.get("fake", NAME).orElseThrow();
      state.put(VolumeRecord.of("fake", NAME, mounted.volumeId())
          .withIntent(Intent.attaching(InstanceId.of(MountLoopMain.INSTANCE), mountPoint,
              Instant.now())));
    }
    if (!mountedBeforeTheKill) {
      assertEquals("exit 0", HostView.run("umount", mountPoint.toString()));
    }
    assertTrue(Files.isDirectory(mountPoint));

    try (Stowage stowage = MountLoopMain.open(work)) {
      assertEquals(List.of(), host.mounts());
      assertFalse(Files.exists(mountPoint), "the mount point directory is removed");
      assertEquals(List.of(), host.loops(), "the volume is detached");
      assertTrue(stowage.volumes().path(NAME.value()).isEmpty());
    }
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      assertEquals(List.of(), state.all());
    }
  }
}
