package io.stowage.driver.fake;

import io.stowage.internal.os.BlockDevice;
import io.stowage.internal.os.BlockDevices;
import io.stowage.spi.MountEntry;
import io.stowage.internal.os.MountInfo;
import io.stowage.internal.os.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The fake's view of loop devices: the core's {@code losetup} wrapper, plus the checks that
 * keep the fake from releasing a loop device that now serves another image.
 */
final class LoopDevices {
  private static final int TYPE_MASK = 0170000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final String DELETED = " (deleted)";

  private final io.stowage.internal.os.LoopDevices losetup;
  private final BlockDevices blockDevices = new BlockDevices();

  LoopDevices(Duration timeout) {
    this.losetup = new io.stowage.internal.os.LoopDevices(new CommandRunner(), timeout);
  }

  Path attach(Path image) {
    return losetup.attach(image);
  }

  /** Releases the device only while it still serves this image. */
  void detach(Path device, Path image) {
    if (serves(device, image)) {
      losetup.detach(device);
    }
  }

  /** Releases every loop device that serves this image. */
  void detachAll(Path image) {
    for (BlockDevice device : blockDevices.list()) {
      boolean over = device.loopBackingFile().map(file -> sameFile(file, image)).orElse(false);
      if (over) {
        losetup.detach(device.path());
      }
    }
  }

  boolean serves(Path device, Path image) {
    return isBlockDevice(device)
        && blockDevices.find(device.getFileName().toString())
            .flatMap(BlockDevice::loopBackingFile)
            .map(file -> sameFile(file, image))
            .orElse(false);
  }

  static List<String> mountPoints(Path device) {
    try {
      String table = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
      return MountInfo.parse(table).stream()
          .filter(m -> m.source().equals(device.toString()))
          .map(MountEntry::mountPoint).map(Path::toString).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static boolean isBlockDevice(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode");
      return mode instanceof Integer m && (m & TYPE_MASK) == BLOCK_DEVICE;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean sameFile(Path backing, Path image) {
    String text = backing.toString();
    Path file = text.endsWith(DELETED)
        ? Path.of(text.substring(0, text.length() - DELETED.length())) : backing;
    try {
      return Files.isSameFile(file, image);
    } catch (IOException e) {
      return file.equals(image);
    }
  }
}
