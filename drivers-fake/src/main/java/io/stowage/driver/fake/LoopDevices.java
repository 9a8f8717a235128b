package io.stowage.driver.fake;

import io.stowage.exception.CommandFailedException;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The fake's loop devices: {@code losetup} to bind an image and release a device, and the
 * kernel's {@code /sys/block/loop*&#47;loop/backing_file} to tell which device serves which
 * image, so that the fake never releases a loop device that now serves another image. Needs
 * root. Thread-safe ({@code losetup --find} picks a free device atomically).
 */
final class LoopDevices {
  private static final int TYPE_MASK = 0170000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final String DELETED = " (deleted)";
  private static final Path SYS_BLOCK = Path.of("/sys/block");

  private final Commands commands;
  private final Duration timeout;

  LoopDevices(Commands commands, Duration timeout) {
    this.commands = Objects.requireNonNull(commands, "commands");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Binds an image file to the first free loop device. */
  Path attach(Path image) {
    List<String> argv = List.of("losetup", "--find", "--show",
        image.toAbsolutePath().toString());
    String out = commands.run(argv, timeout).stdout().strip();
    if (out.isEmpty() || out.contains("\n")) {
      throw new CommandFailedException(argv, 0, "expected one device on stdout, got: " + out,
          null);
    }
    return Path.of(out);
  }

  /** Releases the device only while it still serves this image. */
  void detach(Path device, Path image) {
    if (serves(device, image)) {
      release(device);
    }
  }

  /** Releases every loop device that serves this image. */
  void detachAll(Path image) {
    try (DirectoryStream<Path> devices = Files.newDirectoryStream(SYS_BLOCK, "loop*")) {
      for (Path sys : devices) {
        if (backingFileIs(sys, image)) {
          release(Path.of("/dev").resolve(sys.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new CommandFailedException(List.of("list", SYS_BLOCK.toString()), -1,
          "cannot list the loop devices: " + e.getMessage(), e);
    }
  }

  /** Whether a path is a loop block device that serves this image now. */
  boolean serves(Path device, Path image) {
    return isBlockDevice(device)
        && backingFileIs(SYS_BLOCK.resolve(device.getFileName().toString()), image);
  }

  /** Tells a loop device that its image's size changed ({@code losetup -c}). */
  void refreshCapacity(Path device) {
    commands.run(List.of("losetup", "-c", device.toString()), timeout);
  }

  /**
   * Writes what the kernel holds for a loop device to its image, so that a copy of the image
   * holds everything written to the device.
   */
  void flush(Path device) {
    try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new CommandFailedException(List.of("fsync", device.toString()), -1,
          "cannot flush " + device + ": " + e.getMessage(), e);
    }
  }

  private void release(Path device) {
    commands.run(List.of("losetup", "-d", device.toString()), timeout);
  }

  static boolean isBlockDevice(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode");
      return mode instanceof Integer m && (m & TYPE_MASK) == BLOCK_DEVICE;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the loop device of this sysfs directory is bound to the image. */
  private static boolean backingFileIs(Path sysDevice, Path image) {
    Path file = sysDevice.resolve("loop").resolve("backing_file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return false; // not bound to any file
    }
    Path backing = Path.of(text.endsWith(DELETED)
        ? text.substring(0, text.length() - DELETED.length()) : text);
    try {
      return Files.isSameFile(backing, image);
    } catch (IOException e) {
      return backing.equals(image);
    }
  }
}
