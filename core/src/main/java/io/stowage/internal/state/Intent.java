package io.stowage.internal.state;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A step in progress on a volume, recorded durably before the step starts and cleared when it
 * has finished, so that the next start can tell a half-done step from a finished one and roll it
 * back or complete it.
 *
 * <p>Which fields a step fills: {@link Step#ATTACHING} and {@link Step#DETACHING} name the
 * {@code instance} the volume is attached to or detached from; {@link Step#MOUNTING} names the
 * {@code device} and the {@code mountPoint}; {@link Step#UNMOUNTING} names the
 * {@code mountPoint} and, when known, the {@code device}. The {@code caller} is the use on whose
 * behalf the step runs. {@code details} holds anything else the step needs to be repaired
 * (such as {@code fsType} or {@code preemptedFrom}); it is sorted by key.
 *
 * @param step the step
 * @param startedAt when the step was recorded
 * @param caller the caller on whose behalf the step runs, if any
 * @param device the block device concerned, if known
 * @param mountPoint the mount point concerned, if any
 * @param instance the instance the volume is attached to or detached from, if any
 * @param details further details of the step: keys are 1 to 64 characters without white space
 *     or control characters, values at most 4096 characters
 */
public record Intent(
    Step step,
    Instant startedAt,
    Optional<Caller> caller,
    Optional<Path> device,
    Optional<Path> mountPoint,
    Optional<InstanceId> instance,
    Map<String, String> details) {

  /** The longest detail key accepted. */
  public static final int MAX_DETAIL_KEY_LENGTH = 64;
  /** The longest detail value accepted. */
  public static final int MAX_DETAIL_VALUE_LENGTH = 4096;

  /** The steps a volume can be in the middle of. */
  public enum Step {
    /** The volume is being attached to this host's instance. */
    ATTACHING,
    /** The volume's device is being formatted (when needed) and mounted. */
    MOUNTING,
    /** The volume's mounts under the mount root are being unmounted. */
    UNMOUNTING,
    /** The volume is being detached from an instance (this one, or another one on preempt). */
    DETACHING
  }

  /**
   * Validates the intent and copies the details into a sorted, unmodifiable map.
   *
   * @param step the step
   * @param startedAt when the step was recorded
   * @param caller the caller, if any
   * @param device the block device, if known
   * @param mountPoint the mount point, if any
   * @param instance the instance, if any
   * @param details further details
   * @throws InvalidArgumentException when a path is not absolute or a detail is malformed
   */
  public Intent {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(instance, "instance");
    device = VolumeRecord.requireAbsolute("intent device", device);
    mountPoint = VolumeRecord.requireAbsolute("intent mount point", mountPoint);
    details = copyDetails(details);
  }

  /**
   * Creates the intent to attach a volume to an instance.
   *
   * @param instance the instance (this host's)
   * @param startedAt now
   * @return the intent
   */
  public static Intent attaching(InstanceId instance, Instant startedAt) {
    return new Intent(Step.ATTACHING, startedAt, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(instance), Map.of());
  }

  /**
   * Creates the intent to mount a device.
   *
   * @param device the block device
   * @param mountPoint where it is mounted
   * @param startedAt now
   * @return the intent
   */
  public static Intent mounting(Path device, Path mountPoint, Instant startedAt) {
    return new Intent(Step.MOUNTING, startedAt, Optional.empty(), Optional.of(device),
        Optional.of(mountPoint), Optional.empty(), Map.of());
  }

  /**
   * Creates the intent to unmount a mount point.
   *
   * @param mountPoint the mount point
   * @param startedAt now
   * @return the intent
   */
  public static Intent unmounting(Path mountPoint, Instant startedAt) {
    return new Intent(Step.UNMOUNTING, startedAt, Optional.empty(), Optional.empty(),
        Optional.of(mountPoint), Optional.empty(), Map.of());
  }

  /**
   * Creates the intent to detach a volume from an instance.
   *
   * @param instance the instance it is detached from (this host's, or another on preempt)
   * @param startedAt now
   * @return the intent
   */
  public static Intent detaching(InstanceId instance, Instant startedAt) {
    return new Intent(Step.DETACHING, startedAt, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(instance), Map.of());
  }

  /**
   * Returns a copy naming the caller.
   *
   * @param value the caller
   * @return the copy
   */
  public Intent withCaller(Caller value) {
    return new Intent(step, startedAt, Optional.of(value), device, mountPoint, instance, details);
  }

  /**
   * Returns a copy naming the device.
   *
   * @param value the block device, absolute
   * @return the copy
   */
  public Intent withDevice(Path value) {
    return new Intent(step, startedAt, caller, Optional.of(value), mountPoint, instance, details);
  }

  /**
   * Returns a copy naming the mount point.
   *
   * @param value the mount point, absolute
   * @return the copy
   */
  public Intent withMountPoint(Path value) {
    return new Intent(step, startedAt, caller, device, Optional.of(value), instance, details);
  }

  /**
   * Returns a copy naming the instance.
   *
   * @param value the instance
   * @return the copy
   */
  public Intent withInstance(InstanceId value) {
    return new Intent(step, startedAt, caller, device, mountPoint, Optional.of(value), details);
  }

  /**
   * Returns a copy with one more detail, replacing an earlier value of the same key.
   *
   * @param key the key
   * @param value the value
   * @return the copy
   */
  public Intent withDetail(String key, String value) {
    Map<String, String> copy = new TreeMap<>(details);
    copy.put(key, value);
    return new Intent(step, startedAt, caller, device, mountPoint, instance, copy);
  }

  private static Map<String, String> copyDetails(Map<String, String> details) {
    Objects.requireNonNull(details, "details");
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> entry : details.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      if (key == null || key.isEmpty() || key.length() > MAX_DETAIL_KEY_LENGTH
          || key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new InvalidArgumentException("intent detail key", key,
            "must be 1 to " + MAX_DETAIL_KEY_LENGTH
                + " characters without white space or control characters");
      }
      if (value == null || value.length() > MAX_DETAIL_VALUE_LENGTH) {
        throw new InvalidArgumentException("intent detail " + key, value,
            "must be present and at most " + MAX_DETAIL_VALUE_LENGTH + " characters");
      }
      copy.put(key, value);
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
