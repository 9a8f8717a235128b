package io.stowage.tck;

import io.stowage.exception.CommandFailedException;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated host for the kit's own tests, which cannot use the fake driver's: file systems
 * and mounts are entries in two tables. A device must exist to be formatted or mounted, and a
 * mount point must be a directory that holds no other mount.
 */
final class TableHost implements HostOs {
  private final Object lock = new Object();
  private final Map<Path, String> fileSystems = new HashMap<>();
  private final List<MountEntry> mounts = new ArrayList<>();
  private int nextMountId = 1;

  @Override
  public Kind kind() {
    return Kind.SIMULATED;
  }

  @Override
  public Optional<String> fileSystemType(Path device) {
    synchronized (lock) {
      return Optional.ofNullable(fileSystems.get(device));
    }
  }

  @Override
  public Set<FsType> formattableTypes() {
    return Set.of(FsType.EXT4, FsType.XFS);
  }

  @Override
  public void format(Path device, FsType type) {
    synchronized (lock) {
      requireThat(Files.exists(device), List.of("mkfs." + type.name(), device.toString()));
      fileSystems.put(device, type.name());
    }
  }

  @Override
  public void mount(Path device, Path mountPoint, FsType type, MountOptions options) {
    synchronized (lock) {
      List<String> argv = List.of("mount", device.toString(), mountPoint.toString());
      requireThat(Files.exists(device) && Files.isDirectory(mountPoint)
          && mountsAt(mountPoint).isEmpty(), argv);
      mounts.add(new MountEntry(nextMountId++, device.toString(), mountPoint, type.name(),
          List.of(options.readOnlyOrFalse() ? "ro" : "rw")));
    }
  }

  @Override
  public void unmount(Path mountPoint) {
    synchronized (lock) {
      mounts.removeIf(m -> m.mountPoint().equals(mountPoint));
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
}
