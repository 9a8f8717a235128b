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
import java.util.OptionalLong;
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
 *   <li>A file system grows to fill its device with {@code resize2fs <device>} (ext, mounted
 *       or not; mounted only with {@code CAP_SYS_RESOURCE}) or {@code xfs_growfs <mount
 *       point>} (xfs, mounted), run only when the superblock says the file
 *       system is at least {@value #GROW_THRESHOLD_BYTES} bytes smaller than the device, whose
 *       size is read from {@code /sys/class/block/<name>/size}.
 *   <li>Freezing and thawing run {@code fsfreeze -f|-u <mount point>}.
 * </ul>
 *
 * <p>Every command runs with a timeout from {@link HostTimeouts}. Thread-safe: it holds no
 * mutable state; concurrent calls on the same device are the caller's to serialize.
 */
public final class LinuxHost implements HostOs {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxHost.class);
  private static final int BLKID_NOTHING_FOUND = 2;
  /**
   * How much smaller than its device a file system must be to be grown: a grow stops short of
   * the device's end by less than a block group (ext) or a minimal allocation group (xfs), and
   * a file system that cannot grow further is not grown again at every mount.
   */
  static final long GROW_THRESHOLD_BYTES = 4L << 20;
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
  public OptionalLong deviceSize(Path device) {
    Objects.requireNonNull(device, "device");
    try {
      long size = sizeOf(device);
      return size > 0 ? OptionalLong.of(size) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public boolean growFileSystem(Path device, Path mountPoint, FsType type) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(type, "type");
    long deviceBytes;
    Optional<Long> fileSystemBytes;
    try {
      deviceBytes = sizeOf(device);
      fileSystemBytes = Superblocks.fileSystemBytes(device);
    } catch (IOException e) {
      throw new CommandFailedException(List.of("read", device.toString()), -1, e.toString(), e);
    }
    if (fileSystemBytes.isPresent()
        && deviceBytes - fileSystemBytes.get() < GROW_THRESHOLD_BYTES) {
      LOG.debug("{} on {} fills the device ({} of {} bytes)", type, device,
          fileSystemBytes.get(), deviceBytes);
      return false;
    }
    List<String> argv = switch (type.name()) {
      case "ext2", "ext3", "ext4" -> List.of(tool("resize2fs", type), device.toString());
      case "xfs" -> List.of(tool("xfs_growfs", type), mountPoint.toString());
      default -> throw new UnsupportedCapabilityException("host", "grow " + type.name(),
          "file system " + type.name() + " cannot be grown by Stowage");
    };
    LOG.debug("growing {} on {} ({} bytes) to its device ({} bytes)", type, device,
        fileSystemBytes.orElse(-1L), deviceBytes);
    runner.run(argv, timeouts.mkfs());
    return true;
  }

  @Override
  public boolean canGrowMounted(FsType type) {
    Objects.requireNonNull(type, "type");
    if (type.equals(FsType.XFS)) {
      return executables.find("xfs_growfs").isPresent();
    }
    // The kernel grows a mounted ext file system for a process with CAP_SYS_RESOURCE only.
    return isExt(type) && executables.find("resize2fs").isPresent()
        && ProcessCapabilities.effective().contains(ProcessCapabilities.SYS_RESOURCE);
  }

  @Override
  public boolean growsUnmounted(FsType type) {
    return isExt(type);
  }

  private static boolean isExt(FsType type) {
    return type.name().startsWith("ext");
  }

  private String tool(String binary, FsType type) {
    return executables.find(binary).orElseThrow(() -> new UnsupportedCapabilityException(
        "host", "grow " + type.name(), binary + " is not installed (searched "
            + executables.directories() + ")")).toString();
  }

  @Override
  public void freeze(Path mountPoint) {
    fsfreeze("--freeze", mountPoint);
  }

  @Override
  public void thaw(Path mountPoint) {
    fsfreeze("--unfreeze", mountPoint);
  }

  private void fsfreeze(String action, Path mountPoint) {
    Objects.requireNonNull(mountPoint, "mountPoint");
    runner.run(List.of(executables.resolve("fsfreeze"), action, mountPoint.toString()),
        timeouts.mount());
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
