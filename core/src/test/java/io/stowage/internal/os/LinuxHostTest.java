package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.CommandFailedException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.internal.os.exec.Executables;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LinuxHost against stand-in binaries that record their arguments, and a mount table file:
 * checks the exact commands without root.
 */
class LinuxHostTest {
  @TempDir
  Path dir;

  private Path bin;
  private Path calls;
  private Path mountInfo;

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectory(dir.resolve("bin"));
    calls = dir.resolve("calls.txt");
    mountInfo = dir.resolve("mountinfo");
    Files.writeString(mountInfo, "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
  }

  private void stub(String name, int exitCode) throws IOException {
    Path script = bin.resolve(name);
    Files.writeString(script, "#!/bin/sh\n"
        + "{ printf '%s' \"$(basename \"$0\")\"; for a in \"$@\"; do printf ' [%s]' \"$a\"; done;"
        + " echo; } >> '" + calls + "'\n"
        + "echo 'stub " + name + " failing' >&2\n"
        + "exit " + exitCode + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private LinuxHost host() {
    return new LinuxHost(new CommandRunner(), HostTimeouts.defaults(),
        new Executables(List.of(bin)), mountInfo);
  }

  private List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  @Test
  void formattableTypesAreThoseWhoseMkfsIsInstalled() throws IOException {
    assertEquals(Set.of(), host().formattableTypes());
    stub("mkfs.ext4", 0);
    stub("mkfs.xfs", 0);
    assertEquals(Set.of(FsType.EXT4, FsType.XFS), host().formattableTypes());
  }

  @Test
  void formatRefusesATypeWhoseMkfsIsMissing() throws IOException {
    stub("mkfs.ext4", 0);
    UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
        () -> host().format(Path.of("/dev/loop9"), FsType.XFS));
    assertTrue(e.getMessage().contains("mkfs.xfs"), e.getMessage());
    assertEquals(List.of(), calls());
  }

  @Test
  void formatRunsForcedQuietMkfsOfTheType() throws IOException {
    stub("mkfs.ext4", 0);
    stub("mkfs.xfs", 0);
    stub("mkfs.btrfs", 0);
    stub("mkfs.ext3", 0);
    LinuxHost host = host();
    host.format(Path.of("/dev/loop9"), FsType.EXT4);
    host.format(Path.of("/dev/loop9"), FsType.XFS);
    host.format(Path.of("/dev/loop9"), FsType.of("btrfs"));
    host.format(Path.of("/dev/loop9"), FsType.of("ext3"));
    assertEquals(List.of(
        "mkfs.ext4 [-F] [-q] [/dev/loop9]",
        "mkfs.xfs [-f] [-q] [/dev/loop9]",
        "mkfs.btrfs [-f] [-q] [/dev/loop9]",
        "mkfs.ext3 [-F] [-q] [/dev/loop9]"), calls());
  }

  @Test
  void formatReportsAFailingMkfs() throws IOException {
    stub("mkfs.ext4", 1);
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> host().format(Path.of("/dev/loop9"), FsType.EXT4));
    assertEquals(1, e.exitCode());
    assertEquals("stub mkfs.ext4 failing", e.stderrTail());
  }

  @Test
  void mountPassesTheTypeAndNouuidForXfs() throws IOException {
    stub("mount", 0);
    LinuxHost host = host();
    host.mount(Path.of("/dev/loop9"), Path.of("/mnt/my volume"), FsType.EXT4);
    host.mount(Path.of("/dev/loop8"), Path.of("/mnt/x"), FsType.XFS);
    assertEquals(List.of(
        "mount [-t] [ext4] [/dev/loop9] [/mnt/my volume]",
        "mount [-t] [xfs] [-o] [nouuid] [/dev/loop8] [/mnt/x]"), calls());
  }

  @Test
  void mountJoinsReadOnlyAndTheCheckedOptionsIntoOneArgument() throws IOException {
    stub("mount", 0);
    LinuxHost host = host();
    host.mount(Path.of("/dev/loop9"), Path.of("/mnt/a"), FsType.EXT4,
        MountOptions.parseJoined("ro+nodev+data=journal"));
    host.mount(Path.of("/dev/loop8"), Path.of("/mnt/b"), FsType.XFS,
        MountOptions.parseJoined("noatime+rw"));
    assertEquals(List.of(
        "mount [-t] [ext4] [-o] [ro,data=journal,nodev] [/dev/loop9] [/mnt/a]",
        "mount [-t] [xfs] [-o] [noatime,nouuid] [/dev/loop8] [/mnt/b]"), calls());
  }

  @Test
  void mountRefusesAnOptionTheFileSystemDoesNotTakeWithoutRunningMount() throws IOException {
    stub("mount", 0);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> host().mount(Path.of("/dev/loop8"), Path.of("/mnt/b"), FsType.XFS,
            MountOptions.parseJoined("data=ordered")));
    assertTrue(e.getMessage().contains("data=ordered"), e.getMessage());
    assertEquals(List.of(), calls());
  }

  @Test
  void unmountOfADirectoryThatIsNotAMountPointDoesNothing() throws IOException {
    stub("umount", 0);
    host().unmount(dir.resolve("not mounted"));
    assertEquals(List.of(), calls());
  }

  @Test
  void unmountRunsUmountForEachMountStackedOnTheDirectory() throws IOException {
    stub("umount", 0);
    Path target = Files.createDirectory(dir.resolve("my volume")).toRealPath();
    String escaped = target.toString().replace(" ", "\\040");
    Files.writeString(mountInfo, "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        + "41 27 7:3 / " + escaped + " rw shared:3 - ext4 /dev/loop3 rw\n"
        + "42 41 7:4 / " + escaped + " rw - xfs /dev/loop4 rw\n");
    host().unmount(target);
    assertEquals(List.of("umount [" + target + "]", "umount [" + target + "]"), calls());
  }

  @Test
  void unmountReportsAFailingUmount() throws IOException {
    stub("umount", 32);
    Files.writeString(mountInfo, "41 27 7:3 / /mnt/busy rw - ext4 /dev/loop3 rw\n");
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> host().unmount(Path.of("/mnt/busy")));
    assertEquals(32, e.exitCode());
  }

  @Test
  void mountsReadsTheMountTable() throws IOException {
    Files.writeString(mountInfo, "41 27 7:3 / /mnt/a\\040b rw - ext4 /dev/loop3 rw\n");
    List<MountEntry> mounts = host().mounts();
    assertEquals(1, mounts.size());
    assertEquals(Path.of("/mnt/a b"), mounts.get(0).mountPoint());
  }

  @Test
  void mountsReportsAnUnreadableTable() throws IOException {
    Files.delete(mountInfo);
    StowageException e = assertThrows(StowageException.class, () -> host().mounts());
    assertTrue(e.getMessage().contains(mountInfo.toString()), e.getMessage());
  }

  @Test
  void fileSystemTypeReadsMagicWithoutAnyBinary() throws IOException {
    Path image = dir.resolve("xfs.img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(1 << 20);
      raf.write("XFSB".getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals(Optional.of("xfs"), host().fileSystemType(image));
    assertEquals(List.of(), calls());
  }

  @Test
  void fileSystemTypeIsEmptyForZeroesWhenBlkidIsMissing() throws IOException {
    Path image = dir.resolve("zero.img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(1 << 20);
    }
    assertEquals(Optional.empty(), host().fileSystemType(image));
  }

  @Test
  void fileSystemTypeAsksBlkidForOtherTypesAndTreatsExitTwoAsNone() throws IOException {
    Path image = dir.resolve("zero.img");
    try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
      raf.setLength(1 << 20);
    }
    stub("blkid", 2);
    assertEquals(Optional.empty(), host().fileSystemType(image));
    assertEquals(List.of("blkid [-p] [-o] [value] [-s] [TYPE] [" + image + "]"), calls());

    Path script = bin.resolve("blkid");
    Files.writeString(script, "#!/bin/sh\necho vfat\n");
    assertEquals(Optional.of("vfat"), host().fileSystemType(image));
  }

  @Test
  void fileSystemTypeReportsAnUnreadableDevice() {
    Path missing = dir.resolve("no-such-device");
    CommandFailedException e = assertThrows(CommandFailedException.class,
        () -> host().fileSystemType(missing));
    assertEquals(-1, e.exitCode());
    assertFalse(e.argv().isEmpty());
  }
}
