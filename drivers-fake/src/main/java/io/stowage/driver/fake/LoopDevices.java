package io.stowage.driver.fake;

import io.stowage.exception.CommandFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Loop devices over image files, through {@code losetup}. */
final class LoopDevices {
  private static final Pattern LOOP = Pattern.compile("/dev/loop[0-9]+");
  private static final int TYPE_MASK = 0170000;
  private static final int BLOCK_DEVICE = 0060000;

  private final CommandRunner commands;

  LoopDevices(CommandRunner commands) {
    this.commands = commands;
  }

  /** Sets up a loop device over an image: {@code losetup --find --show <image>}. */
  Path attach(Path image) {
    List<String> argv = List.of("losetup", "--find", "--show", image.toString());
    String device = commands.run(argv).strip();
    if (!LOOP.matcher(device).matches()) {
      throw new CommandFailedException(argv, 0, "unexpected output: " + device, null);
    }
    return Path.of(device);
  }

  /**
   * Releases a loop device, {@code losetup -d <device>}, if it still serves the image. A
   * device that is gone, or that now serves another file, is left alone. On a device that is
   * still mounted the kernel only sets auto-clear, and releases it at the last unmount.
   */
  void detach(Path device, Path image) {
    if (serves(device, image)) {
      commands.run(List.of("losetup", "-d", device.toString()));
    }
  }

  /** Returns whether a loop device exists, is a block device and serves the image. */
  boolean serves(Path device, Path image) {
    return isBlockDevice(device) && backingFile(device).map(f -> sameFile(f, image))
        .orElse(false);
  }

  /** Returns where a device is mounted, from {@code /proc/self/mounts}. */
  static List<String> mountPoints(Path device) {
    List<String> points = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mounts"),
          StandardCharsets.UTF_8)) {
        String[] fields = line.split(" ");
        if (fields.length > 1 && fields[0].equals(device.toString())) {
          points.add(fields[1]);
        }
      }
    } catch (IOException e) {
      return points;
    }
    return points;
  }

  static boolean isBlockDevice(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode");
      return mode instanceof Integer m && (m & TYPE_MASK) == BLOCK_DEVICE;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Optional<Path> backingFile(Path device) {
    Path sys = Path.of("/sys/block", device.getFileName().toString(), "loop", "backing_file");
    try {
      String text = Files.readString(sys, StandardCharsets.UTF_8).strip();
      if (text.endsWith(" (deleted)")) {
        text = text.substring(0, text.length() - " (deleted)".length());
      }
      return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.equals(b);
    }
  }
}
