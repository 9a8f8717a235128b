package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.CommandFailedException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.Attachment;
import io.stowage.model.FsType;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated host: file systems, mounts as directories, waiting for devices, faults. */
class SimulatedHostTest {
  private static final Path DEV = Path.of("/dev/fake/fake-0000000000000001");
  private static final Path DEV2 = Path.of("/dev/fake/fake-0000000000000002");

  @TempDir
  Path dir;

  private Path hostRoot;
  private Path mountPoint;
  private SimulatedHost host;

  @BeforeEach
  void setUp() throws IOException {
    hostRoot = dir.resolve("host");
    mountPoint = Files.createDirectories(dir.resolve("mnt/pgdata"));
    host = new SimulatedHost(hostRoot);
  }

  @Test
  void aNewDeviceHoldsNoFileSystemUntilFormatted() {
    assertEquals(Optional.empty(), host.fileSystemType(DEV));
    host.format(DEV, FsType.XFS);
    assertEquals(Optional.of("xfs"), host.fileSystemType(DEV));
    assertEquals(Optional.empty(), host.fileSystemType(DEV2));
    assertEquals(Set.of(FsType.EXT4, FsType.XFS), host.formattableTypes());
    assertThrows(UnsupportedCapabilityException.class,
        () -> host.format(DEV, FsType.of("btrfs")));
  }

  @Test
  void mountShowsTheDevicesContentAndUnmountKeepsItWithTheDevice() throws IOException {
    Files.writeString(mountPoint.resolve("hidden.txt"), "under the mount");
    host.format(DEV, FsType.EXT4);
    host.mount(DEV, mountPoint, FsType.EXT4);

    assertFalse(Files.exists(mountPoint.resolve("hidden.txt")), "a mount hides what was there");
    Files.createDirectories(mountPoint.resolve("data"));
    Files.writeString(mountPoint.resolve("data/table"), "rows");
    assertEquals(List.of(new MountEntry(100, DEV.toString(), mountPoint, "ext4",
        List.of("rw", "relatime"))), host.mounts());

    host.unmount(mountPoint);
    assertTrue(host.mounts().isEmpty());
    assertFalse(Files.exists(mountPoint.resolve("data")), "the content left with the device");
    assertEquals("under the mount", Files.readString(mountPoint.resolve("hidden.txt")));

    Path other = Files.createDirectories(dir.resolve("elsewhere"));
    host.mount(DEV, other, FsType.EXT4);
    assertEquals("rows", Files.readString(other.resolve("data/table")));
    host.unmount(other);
  }

  @Test
  void formattingWipesTheContent() throws IOException {
    host.format(DEV, FsType.EXT4);
    host.mount(DEV, mountPoint, FsType.EXT4);
    Files.writeString(mountPoint.resolve("f"), "x");
    CommandFailedException busy = assertThrows(CommandFailedException.class,
        () -> host.format(DEV, FsType.EXT4));
    assertEquals(List.of("mkfs.ext4", DEV.toString()), busy.argv());
    host.unmount(mountPoint);
    host.format(DEV, FsType.EXT4);
    host.mount(DEV, mountPoint, FsType.EXT4);
    try (Stream<Path> files = Files.list(mountPoint)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void mountFailuresAreCommandFailures() throws IOException {
    CommandFailedException noFs = assertThrows(CommandFailedException.class,
        () -> host.mount(DEV, mountPoint, FsType.EXT4));
    assertEquals(32, noFs.exitCode());
    host.format(DEV, FsType.EXT4);
    assertThrows(CommandFailedException.class, () -> host.mount(DEV, mountPoint, FsType.XFS));
    assertThrows(CommandFailedException.class,
        () -> host.mount(DEV, dir.resolve("missing"), FsType.EXT4));
    host.mount(DEV, mountPoint, FsType.EXT4);
    host.format(DEV2, FsType.EXT4);
    assertThrows(CommandFailedException.class, () -> host.mount(DEV2, mountPoint, FsType.EXT4),
        "a directory holds one mount");
    assertEquals(1, host.mounts().size());
  }

  @Test
  void mountingADeviceElsewhereTakesItOverAndLeavesTheOldMountStale() throws IOException {
    host.format(DEV, FsType.EXT4);
    host.mount(DEV, mountPoint, FsType.EXT4);
    Files.writeString(mountPoint.resolve("file"), "written before the takeover");
    Path other = Files.createDirectories(dir.resolve("other"));

    host.mount(DEV, other, FsType.EXT4);

    assertEquals("written before the takeover", Files.readString(other.resolve("file")));
    assertFalse(Files.exists(mountPoint.resolve("file")), "the stale mount sees nothing");
    assertEquals(2, host.mounts().size(), "the stale mount stays in the table");
    Files.writeString(mountPoint.resolve("lost"), "written to the stale mount");
    host.unmount(mountPoint);
    assertEquals(1, host.mounts().size());
    host.unmount(other);
    host.mount(DEV, mountPoint, FsType.EXT4);
    assertEquals("written before the takeover", Files.readString(mountPoint.resolve("file")));
    assertFalse(Files.exists(mountPoint.resolve("lost")));
  }

  @Test
  void unmountingADirectoryThatIsNotAMountPointChangesNothing() throws IOException {
    Files.writeString(mountPoint.resolve("keep"), "k");
    host.unmount(mountPoint);
    assertEquals("k", Files.readString(mountPoint.resolve("keep")));
    assertTrue(host.mounts().isEmpty());
  }

  @Test
  void aNewHostOverTheSameRootSeesDevicesAndMounts() throws IOException {
    host.format(DEV, FsType.EXT4);
    host.mount(DEV, mountPoint, FsType.EXT4);
    Files.writeString(mountPoint.resolve("f"), "persisted");

    SimulatedHost restarted = new SimulatedHost(hostRoot);
    assertEquals(host.mounts(), restarted.mounts());
    assertEquals(Optional.of("ext4"), restarted.fileSystemType(DEV));
    assertEquals(List.of(new SimulatedHost.SimulatedDevice(DEV, Optional.of("ext4"),
        Optional.of(mountPoint))), restarted.devices());
    restarted.unmount(mountPoint);
    restarted.mount(DEV, mountPoint, FsType.EXT4);
    assertEquals("persisted", Files.readString(mountPoint.resolve("f")));
  }

  @Test
  void injectedFaultsFailTheNthFormatAndMount() {
    host.faults().failNth(Operation.FORMAT, 2).failNth(Operation.MOUNT, 1);
    host.format(DEV, FsType.EXT4);
    CommandFailedException f = assertThrows(CommandFailedException.class,
        () -> host.format(DEV2, FsType.EXT4));
    assertEquals(Optional.empty(), host.fileSystemType(DEV2));
    assertEquals("mkfs.ext4", f.argv().get(0));
    CommandFailedException m = assertThrows(CommandFailedException.class,
        () -> host.mount(DEV, mountPoint, FsType.EXT4));
    assertEquals("mount", m.argv().get(0));
    assertTrue(host.mounts().isEmpty());
    host.mount(DEV, mountPoint, FsType.EXT4);
    assertEquals(1, host.mounts().size());
  }
}
