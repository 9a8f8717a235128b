package io.stowage.driver.virtualbox;

import io.stowage.Hosts;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disks the guest of a VirtualBox VM sees, in a temporary tree shaped like a Linux guest's:
 * for each disk the {@link VboxWebServiceDouble} plugs into the VM, a block device and udev's
 * link {@code dev/disk/by-id/ata-VBOX_HARDDISK_<serial>} to it, removed again when the disk is
 * pulled out; and SCSI host {@code sys/class/scsi_host/host0}, whose {@code scan} file takes
 * the rescans the driver asks for. {@code sys/block} is empty, so that the sysfs search finds
 * nothing of the real host's.
 *
 * <p>With loop devices (root), a disk is a loop device over a sparse image of the disk's size
 * that lives as long as this object, so a real file system made on it is there again when the
 * disk is plugged in again; without, an empty file {@code dev/sd<letter>} stands in for it.
 * {@link #close()} detaches every loop device and deletes the images.
 */
final class GuestDisks implements VboxWebServiceDouble.Guest, AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final Path root;
  private final boolean loopDevices;
  private final Commands commands = Hosts.commands();
  private final Map<String, Path> devices = new LinkedHashMap<>();
  private final List<Path> images = new ArrayList<>();
  private char nextLetter = 'b';

  /**
   * Creates the tree under a directory.
   *
   * @param root the directory
   * @param loopDevices whether disks are loop devices (needs root) or stand-in files
   */
  GuestDisks(Path root, boolean loopDevices) {
    this.root = root;
    this.loopDevices = loopDevices;
    try {
      Files.createDirectories(diskIdPath());
      Files.createDirectories(sysBlockPath());
      Files.createDirectories(root.resolve("images"));
      Path host = Files.createDirectories(scsiHostPath().resolve("host0"));
      Files.write(host.resolve("scan"), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns whether this process can set up loop devices: root, and the loop driver. */
  static boolean loopDevicesAvailable() {
    try {
      boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .anyMatch(line -> line.substring(4).strip().split("\\s+")[0].equals("0"));
      return root && Files.exists(Path.of("/dev/loop-control"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns udev's link directory, {@code virtualbox.diskIDPath}. */
  Path diskIdPath() {
    return root.resolve("dev/disk/by-id");
  }

  /** Returns the SCSI host directory, {@code virtualbox.scsiHostPath}. */
  Path scsiHostPath() {
    return root.resolve("sys/class/scsi_host");
  }

  /** Returns the sysfs block device directory, {@code virtualbox.sysBlockPath}. */
  Path sysBlockPath() {
    return root.resolve("sys/block");
  }

  /** Returns the device directory, {@code virtualbox.devPath}. */
  Path devPath() {
    return root.resolve("dev");
  }

  /** Returns what was last written to the SCSI host's scan file. */
  String lastScan() {
    try {
      return Files.readString(scsiHostPath().resolve("host0/scan"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the device of a disk the guest sees now. */
  synchronized Optional<Path> deviceOf(String mediumUuid) {
    return Optional.ofNullable(devices.get(mediumUuid));
  }

  /** Returns the medium UUIDs of the disks the guest sees now. */
  synchronized List<String> disks() {
    return List.copyOf(devices.keySet());
  }

  @Override
  public synchronized void plugged(String mediumUuid, long logicalSize) {
    Path device = loopDevices ? loopDevice(mediumUuid, logicalSize) : standIn();
    devices.put(mediumUuid, device);
    try {
      Files.createSymbolicLink(link(mediumUuid), device);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void unplugged(String mediumUuid) {
    Path device = devices.remove(mediumUuid);
    try {
      Files.deleteIfExists(link(mediumUuid));
      if (device == null) {
        return;
      }
      if (loopDevices) {
        commands.run(List.of("losetup", "--detach", device.toString()), COMMAND_TIMEOUT);
      } else {
        Files.deleteIfExists(device);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pulls out every disk, detaching its loop device, and deletes the images. */
  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    for (String disk : List.copyOf(devices.keySet())) {
      try {
        unplugged(disk);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    for (Path image : images) {
      try {
        Files.deleteIfExists(image);
      } catch (IOException e) {
        failure = failure == null ? new UncheckedIOException(e) : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Path link(String mediumUuid) {
    return diskIdPath().resolve(VirtualBoxDeviceLocator.BY_ID_PREFIX
        + new MediumUuid(mediumUuid).serial());
  }

  private Path loopDevice(String mediumUuid, long logicalSize) {
    Path image = root.resolve("images").resolve(mediumUuid + ".img");
    try {
      if (!Files.exists(image)) {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
          file.setLength(logicalSize);
        }
        images.add(image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String device = commands.run(List.of("losetup", "--find", "--show", image.toString()),
        COMMAND_TIMEOUT).stdout().strip();
    return Path.of(device);
  }

  private Path standIn() {
    try {
      return Files.createFile(devPath().resolve("sd" + nextLetter++));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
