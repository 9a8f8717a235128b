package io.stowage.internal.policy;

import io.stowage.config.VolumeSettings;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.FsType;
import io.stowage.model.VolumeName;
import io.stowage.spi.HostOs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of mounting under Stowage's mount root: where a volume mounts, its data
 * directory, whether something is mounted, and unmounting what a record names. Thread-safe; it
 * holds no mutable state.
 */
final class MountRoot {
  private static final Logger LOG = LoggerFactory.getLogger(MountRoot.class);

  private final HostOs host;
  private final Path root;
  private final String dataDir;
  private final int dataDirMode;

  MountRoot(HostOs host, VolumeSettings config) {
    this.host = host;
    this.root = config.mountRoot();
    this.dataDir = config.dataDir();
    this.dataDirMode = config.dataDirMode();
  }

  HostOs host() {
    return host;
  }

  Path root() {
    return root;
  }

  Path mountPointOf(VolumeName name) {
    return root.resolve(name.value());
  }

  Path dataPathOf(Path mountPoint) {
    return mountPoint.resolve(dataDir);
  }

  boolean isMounted(Path mountPoint) {
    return !host.mountsAt(mountPoint).isEmpty();
  }

  /**
   * Creates the data directory and applies its mode, also when it exists already; on a
   * read-only mount, where neither can be done, checks that it is there.
   */
  Path prepareDataDirectory(Path mountPoint, boolean readOnly) {
    Path data = dataPathOf(mountPoint);
    if (readOnly) {
      if (!Files.isDirectory(data)) {
        throw new StowageException("volume mounted read-only at " + mountPoint
            + " has no data directory " + data + "; mount it read-write once to create it");
      }
      return data;
    }
    try {
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, permissions(dataDirMode));
    } catch (IOException e) {
      throw new StowageException("cannot prepare data directory " + data + ": "
          + e.getMessage(), e);
    }
    return data;
  }

  /** Checks that the host can create the requested file system before anything is changed. */
  FsType formattable(FsType type) {
    if (!host.formattableTypes().contains(type)) {
      throw new UnsupportedCapabilityException("host", "mkfs." + type.name(),
          "file system " + type + " cannot be created here (its mkfs is not installed)");
    }
    return type;
  }

  /**
   * Unmounts every mount under the root of the record's mount point (also one named only by
   * its intent, for a mount interrupted half way) or of its device, and removes the mount
   * point directory when it is empty.
   */
  void unmountAll(VolumeRecord record) {
    Optional<Path> mountPoint = StateRecords.mountPoint(record);
    Set<Path> targets = new LinkedHashSet<>();
    record.device().ifPresent(device -> host.mountsOf(device)
        .forEach(m -> targets.add(m.mountPoint())));
    // Usually the device's mounts include the mount point: one look at the table is enough.
    mountPoint.filter(mp -> !targets.contains(mp) && isMounted(mp)).ifPresent(targets::add);
    for (Path target : targets) {
      if (target.startsWith(root)) {
        host.unmount(target);
      }
    }
    mountPoint.ifPresent(this::removeEmptyDirectory);
  }

  void removeEmptyDirectory(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.debug("Left mount point {} in place: {}", dir, e.toString());
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }
}
