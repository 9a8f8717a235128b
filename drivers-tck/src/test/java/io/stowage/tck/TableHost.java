package io.stowage.tck;

import io.stowage.exception.CommandFailedException;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A simulated host for the kit's own tests, which cannot use the fake driver's: mounts are
 * entries in a table, and what a device {@code D} holds is the directory {@code D.data} next to
 * it ({@link #dataOf}), so that the driver keeps a volume's data while its device comes and
 * goes. Formatting writes the type to {@code D.data/fstype} and empties {@code D.data/content};
 * mounting moves the content onto the mount point and unmounting moves it back. A device must
 * exist to be formatted or mounted, a mounted device must hold a file system, and a mount point
 * must be an empty directory that holds no other mount.
 */
final class TableHost implements HostOs {
  private final Object lock = new Object();
  private final List<MountEntry> mounts = new ArrayList<>();
  private int nextMountId = 1;

  /**
   * Returns where a device's file system is kept.
   *
   * @param device the device
   * @return the directory {@code <device>.data}
   */
  static Path dataOf(Path device) {
    return device.resolveSibling(device.getFileName() + ".data");
  }

  @Override
  public Kind kind() {
    return Kind.SIMULATED;
  }

  @Override
  public Optional<String> fileSystemType(Path device) {
    Path type = dataOf(device).resolve("fstype");
    try {
      return Files.exists(type) ? Optional.of(Files.readString(type, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new CommandFailedException(List.of("blkid", device.toString()), 2, e.toString(), e);
    }
  }

  @Override
  public Set<FsType> formattableTypes() {
    return Set.of(FsType.EXT4, FsType.XFS);
  }

  @Override
  public void format(Path device, FsType type) {
    synchronized (lock) {
      List<String> argv = List.of("mkfs." + type.name(), device.toString());
      requireThat(Files.exists(device) && mountsOf(device).isEmpty(), argv);
      Path data = dataOf(device);
      run(argv, () -> {
        deleteTree(data);
        Files.createDirectories(data.resolve("content"));
        Files.writeString(data.resolve("fstype"), type.name(), StandardCharsets.UTF_8);
      });
    }
  }

  @Override
  public void mount(Path device, Path mountPoint, FsType type, MountOptions options) {
    synchronized (lock) {
      List<String> argv = List.of("mount", device.toString(), mountPoint.toString());
      Path content = dataOf(device).resolve("content");
      requireThat(Files.exists(device) && Files.isDirectory(content)
          && Files.isDirectory(mountPoint) && mountsAt(mountPoint).isEmpty(), argv);
      run(argv, () -> {
        Files.delete(mountPoint);
        Files.move(content, mountPoint);
      });
      mounts.add(new MountEntry(nextMountId++, device.toString(), mountPoint, type.name(),
          List.of(options.readOnlyOrFalse() ? "ro" : "rw")));
    }
  }

  @Override
  public void unmount(Path mountPoint) {
    synchronized (lock) {
      Optional<MountEntry> mount = mounts.stream()
          .filter(m -> m.mountPoint().equals(mountPoint)).findFirst();
      if (mount.isEmpty()) {
        return;
      }
      Path content = dataOf(Path.of(mount.get().source())).resolve("content");
      run(List.of("umount", mountPoint.toString()), () -> {
        Files.move(mountPoint, content);
        Files.createDirectory(mountPoint);
      });
      mounts.remove(mount.get());
    }
  }

  @Override
  public List<MountEntry> mounts() {
    synchronized (lock) {
      return List.copyOf(mounts);
    }
  }

  private static void requireThat(boolean condition, List<String> argv) {
    if (!condition) {
      throw new CommandFailedException(argv, 32, "refused by the table host", null);
    }
  }

  /** A step of a command, whose I/O failure is the command's. */
  private interface Step {
    void run() throws IOException;
  }

  private static void run(List<String> argv, Step step) {
    try {
      step.run();
    } catch (IOException | UncheckedIOException e) {
      throw new CommandFailedException(argv, 32, e.toString(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
