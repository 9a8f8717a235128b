package io.stowage.driver.ebs;

import io.stowage.Hosts;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local instance's block devices in a temporary sysfs and {@code /dev} tree, driven by the
 * EC2 double: when EC2 attaches a volume to the local instance its device appears, when EC2
 * takes the detach it goes. On a Nitro-style tree a volume is an NVMe namespace
 * ({@code sys/block/nvmeNn1/device/serial} holds the volume ID without its dash, and
 * {@code dev/nvmeNn1} is the device); on a Xen-style tree it is {@code dev/xvdXX} under the
 * attachment's name. With loop backing the device is a link to a real loop device over a
 * sparse image file kept per volume, so a real file system can be made, mounted and found
 * again after the next attach; without it, an empty file. A snapshot, a copy of one and a
 * volume created from one copy the image (sparse), as EBS copies the blocks.
 */
final class LocalDisks implements Ec2Double.AttachmentListener, Ec2Double.DataListener,
    AutoCloseable {
  /** How the instance names its EBS devices. */
  enum Style {
    /** Nitro: NVMe namespaces identified by their serial. */
    NVME,
    /** Xen: the attachment's own device name. */
    XEN
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long IMAGE_BYTES = 128L << 20;

  private final Path root;
  private final String instanceId;
  private final Style style;
  private final boolean loopBacked;
  private final Commands commands = Hosts.commands();
  private final Object lock = new Object();
  private final Map<String, Disk> disks = new LinkedHashMap<>();
  private int nextNamespace = 1;

  /** One attached volume's entries and loop device. */
  private record Disk(List<Path> entries, Path loopDevice) {}

  LocalDisks(Path root, String instanceId, Style style, boolean loopBacked) {
    this.root = root;
    this.instanceId = instanceId;
    this.style = style;
    this.loopBacked = loopBacked;
    try {
      Files.createDirectories(sysRoot().resolve("block"));
      Files.createDirectories(devRoot());
      Files.createDirectories(root.resolve("images"));
      // The root disk every instance has; on Nitro an EBS volume of its own.
      Path rootDisk = devRoot().resolve(style == Style.NVME ? "nvme0n1" : "xvda");
      if (!Files.exists(rootDisk)) {
        Files.createFile(rootDisk);
      }
      if (style == Style.NVME) {
        Path serial = sysRoot().resolve("block/nvme0n1/device/serial");
        Files.createDirectories(serial.getParent());
        Files.writeString(serial, "vol00000000000000000\n", StandardCharsets.US_ASCII);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path sysRoot() {
    return root.resolve("sys");
  }

  Path devRoot() {
    return root.resolve("dev");
  }

  /** The loop devices attached volumes hold now. */
  List<Path> loopDevices() {
    synchronized (lock) {
      return disks.values().stream().map(Disk::loopDevice).filter(d -> d != null).toList();
    }
  }

  /** The volumes whose devices are present now. */
  List<String> present() {
    synchronized (lock) {
      return List.copyOf(disks.keySet());
    }
  }

  @Override
  public void attached(String volumeId, String instance, String device) {
    if (!instance.equals(instanceId)) {
      return;
    }
    synchronized (lock) {
      Path loop = loopBacked ? setUpLoop(volumeId) : null;
      List<Path> entries = new ArrayList<>();
      try {
        Path node;
        if (style == Style.NVME) {
          String namespace = "nvme" + nextNamespace++ + "n1";
          Path block = sysRoot().resolve("block").resolve(namespace);
          Files.createDirectories(block.resolve("device"));
          entries.add(block);
          Files.writeString(block.resolve("device/serial"), volumeId.replace("-", "") + "\n",
              StandardCharsets.US_ASCII);
          node = devRoot().resolve(namespace);
        } else {
          node = devRoot().resolve(device.substring("/dev/".length()));
        }
        if (loop != null) {
          Files.createSymbolicLink(node, loop);
        } else {
          Files.createFile(node);
        }
        entries.add(node);
      } catch (IOException e) {
        entries.forEach(LocalDisks::delete);
        if (loop != null) {
          detachLoop(loop);
        }
        throw new UncheckedIOException(e);
      }
      disks.put(volumeId, new Disk(entries, loop));
    }
  }

  @Override
  public void detached(String volumeId, String instance, String device) {
    if (!instance.equals(instanceId)) {
      return;
    }
    synchronized (lock) {
      Disk disk = disks.remove(volumeId);
      if (disk != null) {
        disk.entries().forEach(LocalDisks::delete);
        if (disk.loopDevice() != null) {
          detachLoop(disk.loopDevice());
        }
      }
    }
  }

  @Override
  public void snapshotTaken(String volumeId, String snapshotId) {
    synchronized (lock) {
      Disk disk = disks.get(volumeId);
      if (disk != null && disk.loopDevice() != null) {
        commands.run(List.of("blockdev", "--flushbufs", disk.loopDevice().toString()), TIMEOUT);
      }
      copyImage(volumeId, snapshotId);
    }
  }

  @Override
  public void snapshotCopied(String sourceSnapshotId, String snapshotId) {
    synchronized (lock) {
      copyImage(sourceSnapshotId, snapshotId);
    }
  }

  @Override
  public void volumeRestored(String snapshotId, String volumeId) {
    synchronized (lock) {
      copyImage(snapshotId, volumeId);
    }
  }

  /** Copies the image of one volume or snapshot to another's, if it has one. */
  private void copyImage(String from, String to) {
    Path source = image(from);
    if (Files.exists(source)) {
      commands.run(List.of("cp", "--sparse=always", source.toString(), image(to).toString()),
          TIMEOUT);
    }
  }

  private Path image(String id) {
    return root.resolve("images").resolve(id + ".img");
  }

  /** Releases every loop device still held, and reports which there were. */
  @Override
  public void close() {
    synchronized (lock) {
      for (String volumeId : List.copyOf(disks.keySet())) {
        detached(volumeId, instanceId, "");
      }
    }
  }

  private Path setUpLoop(String volumeId) {
    Path image = image(volumeId);
    try {
      if (!Files.exists(image)) {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
          file.setLength(IMAGE_BYTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String device = commands.run(List.of("losetup", "--find", "--show", image.toString()),
        TIMEOUT).stdout().strip();
    return Path.of(device);
  }

  private void detachLoop(Path loop) {
    commands.run(List.of("losetup", "-d", loop.toString()), TIMEOUT);
  }

  private static void delete(Path path) {
    try (Stream<Path> walk = Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        ? Files.walk(path) : Stream.of(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
