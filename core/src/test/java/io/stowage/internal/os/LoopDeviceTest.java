package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.model.Attachment;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LinuxHost on real loop devices: needs root and {@code /dev/loop-control} (and mkfs.xfs for
 * the xfs test). Every loop device and mount is released after each test, also when it fails.
 */
class LoopDeviceTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoopDeviceTest.class);
  private static final long MIB = 1024 * 1024;

  private final CommandRunner runner = new CommandRunner();
  private final LinuxHost host =
      new LinuxHost(runner, HostTimeouts.defaults());
  private final LoopDevices loops = new LoopDevices(runner, Duration.ofSeconds(30));
  private final Deque<Path> mountPoints = new ArrayDeque<>();
  private final Deque<Path> devices = new ArrayDeque<>();
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    HostEnvironment.requireLoopDevices();
    work = Files.createTempDirectory("stowage os test ");
  }

  @AfterEach
  void cleanUp() throws IOException {
    List<Throwable> problems = new ArrayList<>();
    while (!mountPoints.isEmpty()) {
      Path mountPoint = mountPoints.pop();
      try {
        host.unmount(mountPoint);
      } catch (RuntimeException e) {
        problems.add(e);
        try {
          runner.run(List.of("umount", "-l", mountPoint.toString()), Duration.ofSeconds(30));
        } catch (RuntimeException again) {
          problems.add(again);
        }
      }
    }
    while (!devices.isEmpty()) {
      Path device = devices.pop();
      try {
        loops.detach(device);
      } catch (RuntimeException e) {
        problems.add(e);
      }
    }
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    for (Throwable problem : problems) {
      LOG.warn("cleanup problem: {}", problem.toString());
    }
    assertTrue(problems.isEmpty(), "cleanup failed: " + problems);
  }

  private Path loopDevice(long sizeBytes) throws IOException {
    Path image = work.resolve("volume " + devices.size() + ".img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(sizeBytes);
    }
    Path device = loops.attach(image);
    devices.push(device);
    return device;
  }

  private Path mountPoint(String name) throws IOException {
    Path dir = Files.createDirectory(work.resolve(name));
    mountPoints.push(dir);
    return dir;
  }

  private boolean mounted(Path mountPoint) throws IOException {
    Path real = mountPoint.toRealPath();
    return host.mounts().stream().anyMatch(m -> m.mountPoint().equals(real));
  }

  private void formatMountWriteRemountRead(FsType type, long sizeBytes) throws IOException {
    Path device = loopDevice(sizeBytes);
    assertEquals(Optional.empty(), host.fileSystemType(device), "fresh device is empty");

    host.format(device, type);
    assertEquals(Optional.of(type.name()), host.fileSystemType(device));

    Path mountPoint = mountPoint(type.name() + " mount point");
    host.mount(device, mountPoint, type);
    assertTrue(mounted(mountPoint), "mounted per mountinfo");
    MountEntry entry = entryAt(mountPoint);
    assertEquals(type.name(), entry.fsType());
    assertEquals(device.toString(), entry.source());
    Files.writeString(mountPoint.resolve("hello.txt"), "kept on " + type);

    host.unmount(mountPoint);
    assertFalse(mounted(mountPoint), "unmounted per mountinfo");
    assertFalse(Files.exists(mountPoint.resolve("hello.txt")), "content stays with the device");
    host.unmount(mountPoint);

    host.mount(device, mountPoint, type);
    assertEquals("kept on " + type, Files.readString(mountPoint.resolve("hello.txt")));
    host.unmount(mountPoint);
    assertFalse(mounted(mountPoint));
  }

  @Test
  void aReadOnlyMountRefusesWritesWithErofs() throws IOException {
    HostEnvironment.requireBinary("mkfs.ext4");
    Path device = loopDevice(64 * MIB);
    host.format(device, FsType.EXT4);
    Path mountPoint = mountPoint("read-only mount point");
    host.mount(device, mountPoint, FsType.EXT4);
    Files.writeString(mountPoint.resolve("kept.txt"), "written read-write");
    host.unmount(mountPoint);

    host.mount(device, mountPoint, FsType.EXT4, MountOptions.parseJoined("ro"));
    assertTrue(entryAt(mountPoint).options().contains("ro"), entryAt(mountPoint).toString());
    assertEquals("written read-write", Files.readString(mountPoint.resolve("kept.txt")));
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> Files.writeString(mountPoint.resolve("new.txt"), "refused"));
    assertEquals("Read-only file system", e.getReason(), e.toString());
    assertThrows(FileSystemException.class,
        () -> Files.writeString(mountPoint.resolve("kept.txt"), "refused"));
    host.unmount(mountPoint);
    assertFalse(mounted(mountPoint));
  }

  @Test
  void allowedOptionsReachTheMountTable() throws IOException {
    HostEnvironment.requireBinary("mkfs.ext4");
    Path device = loopDevice(64 * MIB);
    host.format(device, FsType.EXT4);
    Path mountPoint = mountPoint("options mount point");
    host.mount(device, mountPoint, FsType.EXT4,
        MountOptions.parseJoined("noatime+nodev+noexec+nosuid"));
    List<String> options = entryAt(mountPoint).options();
    assertTrue(options.containsAll(List.of("rw", "noatime", "nodev", "noexec", "nosuid")),
        options.toString());
    host.unmount(mountPoint);
    host.mount(device, mountPoint, FsType.EXT4);
    assertFalse(entryAt(mountPoint).options().contains("noexec"),
        entryAt(mountPoint).toString());
    host.unmount(mountPoint);
  }

  private MountEntry entryAt(Path mountPoint) throws IOException {
    Path real = mountPoint.toRealPath();
    return host.mounts().stream().filter(m -> m.mountPoint().equals(real)).findFirst()
        .orElseThrow(() -> new AssertionError(real + " is not in the mount table"));
  }

  @Test
  void ext4FormatMountUnmountRemountKeepsData() throws IOException {
    HostEnvironment.requireBinary("mkfs.ext4");
    formatMountWriteRemountRead(FsType.EXT4, 64 * MIB);
  }

  @Test
  void xfsFormatMountUnmountRemountKeepsData() throws IOException {
    HostEnvironment.requireBinary("mkfs.xfs");
    formatMountWriteRemountRead(FsType.XFS, 320 * MIB);
  }

  @Test
  void mountsListsAMountPointWithASpaceUnescaped() throws IOException {
    HostEnvironment.requireBinary("mkfs.ext4");
    Path device = loopDevice(32 * MIB);
    host.format(device, FsType.EXT4);
    Path mountPoint = mountPoint("with space\tand tab");
    host.mount(device, mountPoint, FsType.EXT4);
    Path real = mountPoint.toRealPath();
    assertTrue(real.toString().contains(" "), real.toString());
    assertTrue(host.mounts().stream().anyMatch(m -> m.mountPoint().equals(real)
        && m.source().equals(device.toString())), "mountinfo lists " + real);
  }

  @Test
  void blockDevicesShowsTheLoopDeviceAndItsBackingFile() throws IOException {
    Path device = loopDevice(16 * MIB);
    BlockDevice found = new BlockDevices().find(device.getFileName().toString()).orElseThrow();
    assertEquals(device, found.path());
    assertEquals(16 * MIB, found.sizeBytes());
    assertTrue(found.loopBackingFile().orElseThrow().toString().endsWith("volume 0.img"),
        found.toString());
    assertTrue(new BlockDevices().list().contains(found));
  }

  @Test
  void awaitDeviceFindsABoundLoopDevice() throws IOException {
    Path device = loopDevice(16 * MIB);
    Attachment attachment = new Attachment(VolumeId.of("vol-loop"), InstanceId.of("local"),
        device.toString());
    DeviceLocator locator = a -> Optional.of(Path.of(a.device()));
    assertEquals(device, locator.await(attachment, Duration.ofSeconds(5)));
  }
}
