package io.stowage.internal.os;

import io.stowage.exception.CommandFailedException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.model.Attachment;
import io.stowage.model.FsType;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 *   <li>Mounting runs {@code mount -t <type> [-o nouuid] <device> <dir>} ({@code nouuid} for
 *       xfs, so a clone of a volume can be mounted next to it); unmounting runs
 *       {@code umount <dir>} only when the directory is a mount point.
 *   <li>The mount table is read from {@code /proc/self/mountinfo}.
 *   <li>Devices are awaited with a {@link WatchService} on the locator's directories plus a
 *       short poll, without udev.
 * </ul>
 *
 * <p>Every command runs with a timeout from {@link HostTimeouts}. Thread-safe: it holds no
 * mutable state; concurrent calls on the same device are the caller's to serialize.
 */
public final class LinuxHost implements HostOs {
  /** How often {@link #awaitDevice} asks the locator when no change event comes. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

  private static final Logger LOG = LoggerFactory.getLogger(LinuxHost.class);
  private static final int BLKID_NOTHING_FOUND = 2;
  private static final Map<String, List<String>> MKFS_FLAGS = Map.of(
      "ext4", List.of("-F", "-q"),
      "ext3", List.of("-F", "-q"),
      "xfs", List.of("-f", "-q"),
      "btrfs", List.of("-f", "-q"));

  private final CommandRunner runner;
  private final Clock clock;
  private final HostTimeouts timeouts;
  private final Executables executables;
  private final Path mountInfo;
  private final Duration pollInterval;
  private final BlockDevices blockDevices = new BlockDevices();

  /**
   * Creates the host layer over the running Linux kernel.
   *
   * @param runner runs the external commands
   * @param clock measures the deadline of device waits
   * @param timeouts the command timeouts
   */
  public LinuxHost(CommandRunner runner, Clock clock, HostTimeouts timeouts) {
    this(runner, clock, timeouts, Executables.fromEnvironment(),
        Path.of("/proc/self/mountinfo"), DEFAULT_POLL_INTERVAL);
  }

  LinuxHost(CommandRunner runner, Clock clock, HostTimeouts timeouts, Executables executables,
      Path mountInfo, Duration pollInterval) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.executables = Objects.requireNonNull(executables, "executables");
    this.mountInfo = Objects.requireNonNull(mountInfo, "mountInfo");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
    }
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
    LOG.info("creating {} on {}", type, device);
    runner.run(argv, timeouts.mkfs());
  }

  @Override
  public void mount(Path device, Path mountPoint, FsType type) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(type, "type");
    List<String> argv = new ArrayList<>();
    argv.add(executables.resolve("mount"));
    argv.add("-t");
    argv.add(type.name());
    if (type.equals(FsType.XFS)) {
      argv.add("-o");
      argv.add("nouuid");
    }
    argv.add(device.toString());
    argv.add(mountPoint.toString());
    LOG.info("mounting {} ({}) on {}", device, type, mountPoint);
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
      LOG.info("unmounting {}", target);
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

  @Override
  public Path awaitDevice(DeviceLocator locator, Attachment attachment, Duration timeout) {
    Objects.requireNonNull(locator, "locator");
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(timeout, "timeout");
    Instant deadline = clock.instant().plus(timeout);
    Optional<Path> found = present(locator, attachment);
    if (found.isPresent()) {
      return found.get();
    }
    List<Path> watched = new ArrayList<>();
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      for (Path dir : locator.watchDirectories()) {
        if (Files.isDirectory(dir)) {
          try {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
            watched.add(dir);
          } catch (IOException e) {
            LOG.debug("cannot watch {}; relying on polling: {}", dir, e.toString());
          }
        }
      }
      LOG.debug("waiting up to {} ms for the device of {} (watching {})", timeout.toMillis(),
          attachment.device(), watched);
      while (true) {
        found = present(locator, attachment);
        if (found.isPresent()) {
          return found.get();
        }
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
          throw timeout(attachment, timeout, watched);
        }
        Duration wait = remaining.compareTo(pollInterval) < 0 ? remaining : pollInterval;
        WatchKey key = watcher.poll(Math.max(1, wait.toNanos()), TimeUnit.NANOSECONDS);
        while (key != null) {
          key.pollEvents();
          key.reset();
          key = watcher.poll();
        }
      }
    } catch (IOException e) {
      throw new StowageException("cannot watch for the device of attachment "
          + attachment.device() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StowageException("interrupted while waiting for the device of attachment "
          + attachment.device() + " of volume " + attachment.volumeId(), e);
    }
  }

  private static Optional<Path> present(DeviceLocator locator, Attachment attachment) {
    return locator.locate(attachment).filter(Files::exists);
  }

  private OperationTimeoutException timeout(Attachment attachment, Duration timeout,
      List<Path> watched) {
    return new OperationTimeoutException("device " + attachment.device() + " of volume "
        + attachment.volumeId() + " on instance " + attachment.instanceId()
        + " to appear (watched " + watched + ", polled every "
        + pollInterval.toMillis() + " ms)", timeout);
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
