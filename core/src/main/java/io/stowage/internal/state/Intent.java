package io.stowage.internal.state;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A step in progress on a volume, recorded durably before the step starts and cleared when it
 * has finished, so that the next start can tell a half-done step from a finished one and roll it
 * back or complete it.
 *
 * <p>{@link Step#ATTACHING} is written before a mount attaches and names the {@code instance}
 * and the {@code mountPoint} the mount will use; {@link Step#UNMOUNTING} is written before the
 * last use unmounts and detaches, and names the {@code mountPoint}; {@link Step#GROWING} is
 * written before a resize of a mounted volume asks the back end to grow it, and names the
 * {@code mountPoint} and the {@code size} to grow to.
 *
 * @param step the step
 * @param startedAt when the step was recorded
 * @param mountPoint the mount point concerned
 * @param instance the instance the volume is being attached to, for {@link Step#ATTACHING}
 * @param size the size the volume grows to, for {@link Step#GROWING}
 */
public record Intent(Step step, Instant startedAt, Path mountPoint,
    Optional<InstanceId> instance, Optional<ByteSize> size) {

  /** The steps a volume can be in the middle of. */
  public enum Step {
    /** A mount: the volume is being attached here, formatted when empty and mounted. */
    ATTACHING,
    /** The last use's unmount: the volume is being unmounted and detached here. */
    UNMOUNTING,
    /**
     * A resize of a mounted volume: the back end is growing it, then its file system grows
     * online. Reconciliation finishes it.
     */
    GROWING
  }

  /**
   * Validates the intent.
   *
   * @param step the step
   * @param startedAt when the step was recorded
   * @param mountPoint the mount point concerned
   * @param instance the instance the volume is being attached to, for {@link Step#ATTACHING}
   * @param size the size the volume grows to, for {@link Step#GROWING}
   * @throws InvalidArgumentException when the mount point is not absolute, or a
   *     {@link Step#GROWING} intent has no size
   */
  public Intent {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(size, "size");
    if (step == Step.GROWING && size.isEmpty()) {
      throw new InvalidArgumentException("intent size", "none", "a grow names its size");
    }
    mountPoint = VolumeRecord.requireAbsolute("intent mount point", Optional.of(mountPoint))
        .orElseThrow();
  }

  /**
   * Returns the intent of a mount about to attach.
   *
   * @param instance the instance the volume is attached to
   * @param mountPoint where the mount will be
   * @param startedAt now
   * @return the intent
   */
  public static Intent attaching(InstanceId instance, Path mountPoint, Instant startedAt) {
    return new Intent(Step.ATTACHING, startedAt, mountPoint, Optional.of(instance),
        Optional.empty());
  }

  /**
   * Returns the intent of an unmount of the last use.
   *
   * @param mountPoint the mount point being unmounted
   * @param startedAt now
   * @return the intent
   */
  public static Intent unmounting(Path mountPoint, Instant startedAt) {
    return new Intent(Step.UNMOUNTING, startedAt, mountPoint, Optional.empty(),
        Optional.empty());
  }

  /**
   * Returns the intent of a resize of a mounted volume.
   *
   * @param mountPoint where the volume is mounted
   * @param size the size it grows to
   * @param startedAt now
   * @return the intent
   */
  public static Intent growing(Path mountPoint, ByteSize size, Instant startedAt) {
    return new Intent(Step.GROWING, startedAt, mountPoint, Optional.empty(),
        Optional.of(size));
  }
}
