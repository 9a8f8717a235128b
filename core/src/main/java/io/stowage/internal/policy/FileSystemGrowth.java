package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host half of a resize: waits until the host sees a device at its new size, then grows
 * the file system mounted on it to fill it. Both halves can be repeated.
 */
final class FileSystemGrowth {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemGrowth.class);
  private static final Duration POLL = Duration.ofMillis(20);

  private final PolicyContext ctx;

  FileSystemGrowth(PolicyContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Grows the file system of a mounted volume once its device shows at least the size the back
   * end reported.
   *
   * @return true when the file system was grown
   */
  boolean grow(VolumeName volume, Path device, Path mountPoint, ByteSize size) {
    ctx.step(volume, ProgressListener.Step.GROWING_FILE_SYSTEM);
    awaitDeviceSize(device, size);
    FsType type = typeOf(volume, device);
    boolean grown = ctx.mounts().host().growFileSystem(device, mountPoint, type);
    LOG.info("{} the {} file system of volume {} at {} to its device of {}",
        grown ? "Grew" : "No need to grow", type, volume, mountPoint, size);
    return grown;
  }

  /**
   * Refuses a resize of a mounted volume whose file system the host cannot grow while mounted,
   * before anything changes.
   */
  void requireGrowableWhileMounted(VolumeName volume, Path device) {
    FsType type = typeOf(volume, device);
    if (!ctx.mounts().host().canGrowMounted(type)) {
      throw new UnsupportedCapabilityException("host", "grow of a mounted " + type.name()
          + " file system", "volume " + volume + " is mounted and this host cannot grow its "
          + type.name() + " file system while mounted (resize2fs needs CAP_SYS_RESOURCE,"
          + " xfs_growfs needs xfsprogs); unmount it and resize it, and its file system grows"
          + " at its next mount");
    }
  }

  /**
   * Grows the file system of a volume being mounted when its device is larger, as after a
   * resize of an unmounted volume: before the mount for a type that grows unmounted, after it
   * for one that grows mounted. A failure is logged, not thrown: the mount is useful as it is.
   *
   * @param mounted whether the device is mounted now
   */
  void growAtMount(VolumeName volume, Path device, Path mountPoint, FsType type,
      boolean mounted) {
    if (ctx.mounts().host().growsUnmounted(type) == mounted) {
      return;
    }
    try {
      if (ctx.mounts().host().growFileSystem(device, mountPoint, type)) {
        LOG.info("Grew the {} file system of volume {} to its device {} at mount", type, volume,
            device);
      }
    } catch (StowageException e) {
      LOG.warn("Could not grow the {} file system of volume {} to its device {}; mounted it at"
          + " its old size", type, volume, device, e);
    }
  }

  private void awaitDeviceSize(Path device, ByteSize size) {
    Duration timeout = ctx.settings().attachTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      OptionalLong seen = ctx.mounts().host().deviceSize(device);
      if (seen.isEmpty() || seen.getAsLong() >= size.bytes()) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new OperationTimeoutException("device " + device + " to show " + size + " (it"
            + " shows " + seen.getAsLong() + " bytes)", timeout);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StowageException("interrupted waiting for device " + device + " to grow", e);
      }
    }
  }

  private FsType typeOf(VolumeName volume, Path device) {
    String type = ctx.mounts().host().fileSystemType(device).orElseThrow(() ->
        new InvalidArgumentException("fsType", "none", "volume " + volume + " has no file system"
            + " on " + device));
    return FsType.of(type);
  }
}
