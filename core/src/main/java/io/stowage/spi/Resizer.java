package io.stowage.spi;

import io.stowage.model.ByteSize;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;

/**
 * Grows volumes, reached through {@link StorageDriver#resizer()} when the driver has
 * {@link io.stowage.model.Capability#RESIZE}. Volumes only grow. Growing the file system on
 * the device is the core's job, after {@link #grow} returns.
 *
 * <p>Like its driver, an implementation is thread-safe, bounds every call and translates the
 * back end's errors into {@link io.stowage.exception.StowageException} subclasses.
 */
public interface Resizer {
  /**
   * Grows a volume and returns once the back end serves the new size: with
   * {@link io.stowage.model.Capability#ONLINE_RESIZE}, the device of an attached volume sees
   * it without a detach. The back end may round the size up to its granularity. Growing a
   * volume to the size it has (after rounding) changes nothing and returns it, so a grow that
   * was interrupted can be repeated.
   *
   * @param id the volume
   * @param size the new size
   * @return the volume at its new size
   * @throws io.stowage.exception.InvalidArgumentException when the size is smaller than the
   *     volume's, or larger than the back end allows; nothing was changed
   * @throws io.stowage.exception.VolumeNotFoundException when the volume does not exist
   * @throws io.stowage.exception.VolumeInUseException when the volume is attached and the
   *     driver lacks {@link io.stowage.model.Capability#ONLINE_RESIZE}, or the back end
   *     cannot grow it while the instance holding it runs; nothing was changed
   * @throws io.stowage.exception.UnsupportedCapabilityException naming
   *     {@link io.stowage.model.Capability#RESIZE} when the back end cannot grow this volume
   *     (its format); nothing was changed
   * @throws io.stowage.exception.InvalidStateException when the volume cannot be grown now
   *     (the last resize is still in progress)
   */
  Volume grow(VolumeId id, ByteSize size);
}
