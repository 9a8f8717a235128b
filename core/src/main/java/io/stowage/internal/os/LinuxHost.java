package io.stowage.internal.os;

import io.stowage.exception.CommandFailedException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.internal.os.exec.Executables;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real host: Linux block devices, file systems and mounts.
 *
 * <ul>
 *   <li>File system types are read from the superblock magic in Java (ext2/3/4, xfs, btrfs);
 *       anything else is asked of {@code blkid -p} when it is installed, so a device holding
 *       another file system is never taken for empty.
 *   <li>Formatting runs {@code mkfs.<type>} (forced, quiet), found on {@code PATH} or in the
 *       system {@code sbin} directories.
 *   <li>Mounting runs {@code mount -t <type> [-o <options>] <device> <dir>}: the options are
 *       {@code ro} for a read-only mount, the extra options (checked against the type's
 *       allow-list again, then joined with commas) and {@code nouuid} for xfs, so a clone of a
 *       volume can be mounted next to it; unmounting runs
 *       {@code umount <dir>} only when the directory is a mount point.
 *   <li>The mount table is read from {@code /proc/self/mountinfo}.
 * </ul>
 *
 * <p>Every command runs with a timeout from {@link HostTimeouts}. Thread-safe: it holds no
 * mutable state; concurrent calls on the same device are the caller's to serialize.
 */
public final class LinuxHost implements HostOs {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxHost.class);
  private static final int BLKID_NOTHING_FOUND = 2;
  private static final Map<String, List<String>> MKFS_FLAGS = Map.of(
      "ext4", List.of("-F", "-q"),
      "ext3", List.of("-F", "-q"),
      "xfs", List.of("-f", "-q"),
      "btrfs", List.of("-f", "-q"));

  private final CommandRunner runner;
  private final HostTimeouts timeouts;
  private final Executables executables;
  private final Path mountInfo;
  private final BlockDevices blockDevices = new BlockDevices();

  /**
   * Creates the host layer over the running Linux kernel.
   *
   * @param runner runs the external commands
   * @param timeouts the command timeouts
   */
  public LinuxHost(CommandRunner runner, HostTimeouts timeouts) {
    this(runner, timeouts, Executables.fromEnvironment(), Path.of("/proc/self/mountinfo"));
  }

  LinuxHost(CommandRunner runner, HostTimeouts timeouts, Executables executables,
      Path mountInfo) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.executables = Objects.requireNonNull(executables, "executables");
    this.mountInfo = Objects.requireNonNull(mountInfo, "mountInfo");
  }

  @Override
  public Kind kind() {
    return Kind.LINUX;
  }

  @Override
  public Optional<String> fileSystemType(Path device) {
    Objects.requireNonNull(device, "device");
    IOException readFailure = null;
    try {
      Superblocks.Finding finding = Superblocks.examine(device, sizeOf(device));
      if (finding.type().isPresent()) {
        LOG.debug("{} holds {} (superblock magic)", device, finding.type().get());
        return finding.type();
      }
      if (finding.blank()) {
        LOG.debug("{} is blank (zeros at both ends)", device);
        return Optional.empty();
      }
    } catch (IOException e) {
      LOG.debug("cannot read the superblocks of {}: {}", device, e.toString());
      readFailure = e;
    }
    Optional<Path> blkid = executables.find("blkid");
    if (blkid.isEmpty()) {
      if (readFailure != null) {
        throw new CommandFailedException(List.of("read", device.toString()), -1,
            readFailure.toString(), readFailure);
      }
      return Optional.empty();
    }
    List<String> argv = List.of(blkid.get().toString(), "-p", "-o", "value", "-s", "TYPE",
        device.toString());
    try {
      var result = runner.run(argv, timeouts.probe(), Set.of(BLKID_NOTHING_FOUND));
      String type = result.stdout().strip();
      if (result.exitCode() == BLKID_NOTHING_FOUND || type.isEmpty()) {
        return Optional.empty();
      }
      LOG.debug("{} holds {} (blkid)", device, type);
      return Optional.of(type);
    } catch (CommandFailedException e) {
      if (readFailure != null) {
        e.addSuppressed(readFailure);
      }
      throw e;
    }
  }

  /** The size the kernel gives for a block device, or 0 when it is not one it lists. */
  private long sizeOf(Path device) throws IOException {
    String name = device.toRealPath().getFileName().toString();
    return blockDevices.find(name).map(BlockDevice::sizeBytes).orElse(0L);
  }

  @Override
  public Set<FsType> formattableTypes() {
    Set<FsType> types = new LinkedHashSet<>();
    for (String name : FsType.KNOWN) {
      if (executables.find("mkfs." + name).isPresent()) {
        types.add(FsType.of(name));
      }
    }
    return Set.copyOf(types);
  }

  @Override
  public void format(Path device, FsType type) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(type, "type");
    String binary = "mkfs." + type.name();
    Path mkfs = executables.find(binary).orElseThrow(() -> new UnsupportedCapabilityException(
        "host", "file system " + type.name(),
        binary + " is not installed (searched " + executables.directories() + ")"));
    List<String> argv = new ArrayList<>();
    argv.add(mkfs.toString());
    argv.addAll(MKFS_FLAGS.getOrDefault(type.name(), List.of()));
    argv.add(device.toString());
    LOG.debug("creating {} on {}", type, device);
    runner.run(argv, timeouts.mkfs());
  }

  @Override
  public void mount(Path device, Path mountPoint, FsType type, MountOptions options) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(type, "type");
    options.requireAllowedFor(type, device.toString());
    List<String> argv = new ArrayList<>();
    argv.add(executables.resolve("mount"));
    argv.add("-t");
    argv.add(type.name());
    List<String> joined = new ArrayList<>();
    if (options.readOnlyOrFalse()) {
      joined.add("ro");
    }
    joined.addAll(options.options());
    if (type.equals(FsType.XFS)) {
      joined.add("nouuid");
    }
    if (!joined.isEmpty()) {
      argv.add("-o");
      argv.add(String.join(",", joined));
    }
    argv.add(device.toString());
    argv.add(mountPoint.toString());
    LOG.debug("mounting {} ({}, {}) on {}", device, type, joined, mountPoint);
    runner.run(argv, timeouts.mount());
  }

  @Override
  public void unmount(Path mountPoint) {
    Objects.requireNonNull(mountPoint, "mountPoint");
    Path target = canonical(mountPoint);
    int stacked = mountsAt(target).size();
    if (stacked == 0) {
      LOG.debug("{} is not a mount point; nothing to unmount", target);
      return;
    }
    for (int i = 0; i < stacked; i++) {
      LOG.debug("unmounting {}", target);
      runner.run(List.of(executables.resolve("umount"), target.toString()), timeouts.mount());
    }
  }

  @Override
  public List<MountEntry> mounts() {
    String text;
    try {
      text = Files.readString(mountInfo, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StowageException("cannot read the mount table " + mountInfo + ": " + e, e);
    }
    return MountInfo.parse(text);
  }

  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute;
    }
  }
}
