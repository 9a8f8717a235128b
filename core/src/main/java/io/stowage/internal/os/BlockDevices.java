package io.stowage.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the host's block devices from {@code /sys/class/block}, without udev. Reads only; cheap
 * enough for a device locator to call on every change of {@code /dev}. Immutable and
 * thread-safe.
 */
public final class BlockDevices {
  private static final Logger LOG = LoggerFactory.getLogger(BlockDevices.class);

  private final Path sysClassBlock;
  private final Path dev;

  /**
   * Reads the running kernel's devices: {@code /sys/class/block}, nodes under {@code /dev}.
   */
  public BlockDevices() {
    this(Path.of("/sys/class/block"), Path.of("/dev"));
  }

  /**
   * Reads devices from other directories, for tests or a chroot.
   *
   * @param sysClassBlock the directory laid out as {@code /sys/class/block}
   * @param dev the directory holding the device nodes
   */
  public BlockDevices(Path sysClassBlock, Path dev) {
    this.sysClassBlock = sysClassBlock;
    this.dev = dev;
  }

  /**
   * Lists every block device, partitions included, sorted by name.
   *
   * @return the devices; empty when the directory does not exist
   */
  public List<BlockDevice> list() {
    List<BlockDevice> devices = new ArrayList<>();
    if (!Files.isDirectory(sysClassBlock)) {
      return List.of();
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysClassBlock)) {
      for (Path entry : entries) {
        devices.add(describe(entry.getFileName().toString()));
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", sysClassBlock, e.toString());
    }
    devices.sort(Comparator.comparing(BlockDevice::name));
    return List.copyOf(devices);
  }

  /**
   * Describes one device by its kernel name.
   *
   * @param name the kernel name, such as {@code loop0}
   * @return the device, if the kernel knows it
   */
  public Optional<BlockDevice> find(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      return Optional.empty();
    }
    if (!Files.isDirectory(sysClassBlock.resolve(name))) {
      return Optional.empty();
    }
    return Optional.of(describe(name));
  }

  private BlockDevice describe(String name) {
    Path dir = sysClassBlock.resolve(name);
    long sectors = read(dir.resolve("size")).map(BlockDevices::parseLong).orElse(0L);
    Optional<String> serial = read(dir.resolve("device").resolve("serial"))
        .or(() -> read(dir.resolve("serial")));
    Optional<Path> backing = read(dir.resolve("loop").resolve("backing_file")).map(Path::of);
    boolean partition = Files.exists(dir.resolve("partition"));
    return new BlockDevice(name, dev.resolve(name), Math.max(0, sectors) * 512, serial, backing,
        partition);
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Optional<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
