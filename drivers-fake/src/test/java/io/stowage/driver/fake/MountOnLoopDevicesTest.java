package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.CommandFailedException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import io.stowage.internal.os.MountInfo;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.internal.state.StateStore;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount policy on real loop devices with real ext4 and xfs file systems, through the
 * public API, with the real Linux host layer. Two simulated instances share one fake back end.
 */
class MountOnLoopDevicesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path work;

  private final List<Stowage> open = new ArrayList<>();

  @BeforeEach
  void requireLoopDevices() {
    LoopEnvironment.require();
  }

  @AfterEach
  void closeAndCheckNothingLeaked() throws IOException {
    open.forEach(Stowage::close);
    assertEquals(List.of(), new WorkTree(work).releaseLeaks(),
        "the test leaked (cleaned up now)");
  }

  @Test
  void mountWriteUnmountRemountAndReadBackOnExt4() throws IOException {
    VolumeService a = host("host-a", Map.of());
    Mount first = a.mount("data", request("task-1").options(Options.of("size", "1")).build());
    assertTrue(first.created());
    assertTrue(first.formatted());
    assertTrue(first.device().toString().startsWith("/dev/loop"), first.device().toString());
    assertEquals(work.resolve("host-a/volumes/data/data"), first.path());
    assertEquals("ext4", fsTypeOf(first.mountPoint()));
    Files.writeString(first.path().resolve("f"), "kept");

    a.unmount("data", UnmountRequest.caller("task-1"));
    assertTrue(mountsUnderWork().isEmpty());
    assertTrue(loopDevicesOverWork().isEmpty(), "the last unmount detaches");

    Mount second = a.mount("data", request("task-2").build());
    assertFalse(second.created());
    assertFalse(second.formatted(), "an existing file system is never formatted");
    assertEquals("kept", Files.readString(second.path().resolve("f")));
    assertEquals(second.path(), a.path("data").orElseThrow());
    a.unmount("data", UnmountRequest.caller("task-2"));
    assertTrue(a.path("data").isEmpty());
  }

  @Test
  void aVolumeCreatedReadOnlyIsMountedReadOnlyUnlessAMountSaysOtherwise() throws IOException {
    VolumeService a = host("host-a", Map.of());
    a.create("shared", Options.of("size", "64MiB", "ro", "true", "mountoptions",
        "noatime+nodev"));
    Mount writer = a.mount("shared", request("writer").readOnly(false).build());
    assertEquals("rw", modeOf(writer.mountPoint()));
    assertTrue(optionsOf(writer.mountPoint()).containsAll(List.of("noatime", "nodev")),
        optionsOf(writer.mountPoint()).toString());
    Files.writeString(writer.path().resolve("f"), "written once");
    VolumeInUseException refused = assertThrows(VolumeInUseException.class,
        () -> a.mount("shared", request("reader").build()));
    assertTrue(refused.getMessage().contains("read-write with [noatime, nodev] by [writer]")
        && refused.getMessage().contains("reader asks for read-only"),
        refused.getMessage());
    a.unmount("shared", UnmountRequest.caller("writer"));

    Mount reader = a.mount("shared", request("reader").build());
    assertEquals("ro", modeOf(reader.mountPoint()));
    assertEquals("written once", Files.readString(reader.path().resolve("f")));
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> Files.writeString(reader.path().resolve("g"), "refused"));
    assertEquals("Read-only file system", e.getReason());
    a.unmount("shared", UnmountRequest.caller("reader"));
  }

  @Test
  void aNewVolumeMountedReadOnlyGetsItsDataDirectoryFirst() throws IOException {
    VolumeService a = host("host-a", Map.of());
    Mount m = a.mount("fresh", request("t").options(Options.of("size", "64MiB", "ro", "true"))
        .build());
    assertTrue(m.formatted());
    assertEquals("ro", modeOf(m.mountPoint()));
    assertEquals(1, mountsUnderWork().size(), mountsUnderWork().toString());
    assertTrue(Files.isDirectory(m.path()), m.path().toString());
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(m.path())));
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> Files.writeString(m.path().resolve("g"), "refused"));
    assertEquals("Read-only file system", e.getReason());
    a.unmount("fresh", UnmountRequest.caller("t"));
  }

  @Test
  void xfsIsCreatedWhenAskedAndKeptAcrossMounts() throws IOException {
    VolumeService a = host("host-a", Map.of());
    a.create("big", Options.of("size", "320MiB"));
    Mount m = a.mount("big", request("t").options(Options.of("newfstype", "xfs")).build());
    assertEquals("xfs", fsTypeOf(m.mountPoint()));
    Files.writeString(m.path().resolve("x"), "on xfs");
    a.unmount("big", UnmountRequest.caller("t"));
    Mount again = a.mount("big", request("t").build());
    assertFalse(again.formatted());
    assertEquals("xfs", fsTypeOf(again.mountPoint()));
    assertEquals("on xfs", Files.readString(again.path().resolve("x")));
    a.unmount("big", UnmountRequest.caller("t"));
  }

  @Test
  void overwritefsReplacesAnExistingFileSystem() throws IOException {
    VolumeService a = host("host-a", Map.of());
    Mount m = a.mount("vol", request("t").options(Options.of("size", "320MiB")).build());
    Files.writeString(m.path().resolve("old"), "old");
    a.unmount("vol", UnmountRequest.caller("t"));

    Mount over = a.mount("vol", request("t")
        .options(Options.of("newfstype", "xfs", "overwritefs", "true")).build());
    assertTrue(over.formatted());
    assertEquals("xfs", fsTypeOf(over.mountPoint()));
    assertFalse(Files.exists(over.path().resolve("old")));
    a.unmount("vol", UnmountRequest.caller("t"));
  }

  @Test
  void twoCallersShareAMountAndIgnoreUsedCountUnmountsAtOnce() {
    VolumeService a = host("host-a", Map.of());
    Mount one = a.mount("shared", request("c1").build());
    Mount two = a.mount("shared", request("c2").build());
    Mount oneAgain = a.mount("shared", request("c1").build());
    assertEquals(one.path(), two.path());
    assertEquals(one.path(), oneAgain.path(), "mounting twice for one caller is idempotent");
    assertEquals(1, mountsUnderWork().size());

    a.unmount("shared", UnmountRequest.caller("c1"));
    assertEquals(1, mountsUnderWork().size(), "c2 still holds it");
    a.unmount("shared", UnmountRequest.caller("c1"));
    assertEquals(1, mountsUnderWork().size(), "c1's second unmount changes nothing");

    a.mount("shared", request("c3").build());
    a.unmount("shared", UnmountRequest.caller("c3").withIgnoreUsedCount(true));
    assertTrue(mountsUnderWork().isEmpty(), "ignoreusedcount unmounts whatever others hold");
    assertTrue(loopDevicesOverWork().isEmpty());
  }

  @Test
  void preemptionMovesAVolumeBetweenInstances() throws IOException {
    VolumeService a = host("host-a", Map.of());
    VolumeService b = host("host-b", Map.of());
    a.attach(a.create("moving", Options.of("size", "1")).name().value(), false);

    VolumeInUseException refused = assertThrows(VolumeInUseException.class,
        () -> b.mount("moving", request("t").build()));
    assertTrue(refused.getMessage().contains("host-a"), refused.getMessage());

    Mount onB = b.mount("moving", request("t").preempt(true).build());
    Files.writeString(onB.path().resolve("f"), "from b");
    assertEquals("host-b",
        b.find("moving").orElseThrow().attachments().get(0).instanceId().value());
    assertEquals(1, b.find("moving").orElseThrow().attachments().size());
    b.unmount("moving", UnmountRequest.caller("t"));
  }

  @Test
  void aFailingMkfsLeavesNoMountNoLoopDeviceAndNoState() throws IOException {
    VolumeService a = host("host-a", Map.of());
    // mkfs.xfs refuses a file system this small: the format step fails half way.
    CommandFailedException failed = assertThrows(CommandFailedException.class,
        () -> a.mount("tiny", request("t")
            .options(Options.of("size", "16MiB", "newfstype", "xfs")).build()));
    assertTrue(failed.argv().get(0).endsWith("mkfs.xfs"), failed.argv().toString());
    assertNothingLeftOf(a, "tiny");
  }

  @Test
  void aDeviceThatNeverAppearsTimesOutNamingItAndTheAttachIsUndone() throws IOException {
    VolumeService a = host("host-a", Map.of("fake.stuckAttach", "true",
        "stowage.device.attachTimeout", "1s"));
    OperationTimeoutException timeout = assertThrows(OperationTimeoutException.class,
        () -> a.mount("stuck", request("t").build()));
    assertTrue(timeout.getMessage().contains("device"), timeout.getMessage());
    assertEquals(Duration.ofSeconds(1), timeout.waited());
    assertNothingLeftOf(a, "stuck");
  }

  @Test
  void aFailingAttachLeavesTheExistingVolumeAsItWas() throws IOException {
    VolumeService a = host("host-a", Map.of("fake.failOn", "attach:1"));
    a.create("kept", Options.of("size", "1"));
    assertThrows(io.stowage.exception.BackendException.class,
        () -> a.mount("kept", request("t").build()));
    assertTrue(a.find("kept").orElseThrow().attachments().isEmpty());
    assertTrue(mountsUnderWork().isEmpty());
    assertTrue(loopDevicesOverWork().isEmpty());
    try (StateStore state = StateStore.open(work.resolve("host-a/state"))) {
      assertTrue(state.all().isEmpty(), state.all().toString());
    }
  }

  private void assertNothingLeftOf(VolumeService service, String name) throws IOException {
    assertTrue(service.find(name).isEmpty(), "the volume created by the failed mount is gone");
    assertTrue(mountsUnderWork().isEmpty(), mountsUnderWork().toString());
    assertTrue(loopDevicesOverWork().isEmpty(), loopDevicesOverWork().toString());
    try (StateStore state = StateStore.open(work.resolve("host-a/state"))) {
      assertTrue(state.all().isEmpty(), state.all().toString());
      assertTrue(state.problems().isEmpty(), state.problems().toString());
    }
  }

  private VolumeService host(String instance, Map<String, String> extra) {
    Stowage.Builder builder = Instances.builder(work, instance, DeviceMode.LOOP);
    extra.forEach(builder::setting);
    Stowage stowage = builder.build();
    open.add(stowage);
    return stowage.volumes();
  }

  private static MountRequest.Builder request(String caller) {
    return MountRequest.builder().caller(caller);
  }


  private List<MountEntry> mountsUnderWork() {
    return new WorkTree(work).mounts();
  }

  private List<String> optionsOf(Path mountPoint) {
    return mountsUnderWork().stream().filter(m -> m.mountPoint().equals(mountPoint))
        .map(MountEntry::options).findFirst().orElseThrow();
  }

  /** {@code ro} or {@code rw}, as the mount table shows the mount. */
  private String modeOf(Path mountPoint) {
    return optionsOf(mountPoint).get(0);
  }

  private String fsTypeOf(Path mountPoint) {
    return mountsUnderWork().stream().filter(m -> m.mountPoint().equals(mountPoint))
        .map(MountEntry::fsType).findFirst().orElse("not mounted");
  }

  private List<Path> loopDevicesOverWork() {
    return new WorkTree(work).loopDevices();
  }
}
