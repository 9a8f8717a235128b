package io.stowage.internal.state;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Caller;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this host knows about one volume of one service: where its device and mounts are, who
 * uses it, and the step in progress on it, if any. Immutable; {@link StateStore} keeps one per
 * (service, volume name) in a file of its own.
 *
 * <p>On disk a record is a JSON object (format version {@value StateStore#FORMAT_VERSION}) with
 * these fields, absent optional fields omitted:
 * <ul>
 *   <li>{@code formatVersion} (number): the format version, {@code 5};
 *   <li>{@code service} (string): the service the volume is mounted through;
 *   <li>{@code driver} (string): the service's driver;
 *   <li>{@code name} (string): the volume name;
 *   <li>{@code volumeId} (string): the back end's ID of the volume;
 *   <li>{@code device} (string, optional): the local block device, an absolute path;
 *   <li>{@code mountPoint} (string, optional): where the device is mounted, an absolute path;
 *   <li>{@code dataPath} (string, optional): the directory handed to callers, absolute;
 *   <li>{@code callers} (array of strings, sorted): the callers using the volume;
 *   <li>{@code readOnly} (boolean): whether the volume is mounted read-only, the mode every
 *       caller shares;
 *   <li>{@code mountOptions} (array of strings, sorted): the extra options it is mounted with;
 *   <li>{@code intent} (object, optional): the step in progress, with {@code step}
 *       ({@code ATTACHING}, {@code UNMOUNTING} or {@code GROWING}), {@code startedAt}
 *       (ISO-8601 instant in UTC), {@code mountPoint}, for {@code ATTACHING} {@code instance}
 *       (strings), and for {@code GROWING} {@code size} (number, bytes).
 * </ul>
 * A reader refuses unknown fields; a later format that adds fields raises the version.
 * Versions 1 to 4 are read too. Version 5 added {@code readOnly} and {@code mountOptions}:
 * the mounts of earlier versions were read-write with no extra options, and are read as such.
 * Version 4 added the step {@code GROWING} and its size. Versions 1 and 2 had no
 * {@code service}: a record of theirs lies in its driver's directory and belongs to the
 * driver's own service, of the driver's name. Version 1
 * also allowed the steps {@code MOUNTING} (read as {@code ATTACHING}) and {@code DETACHING}
 * (read as {@code UNMOUNTING}) and the intent fields {@code caller}, {@code device} and
 * {@code details}, which nothing wrote and which are ignored.
 *
 * @param service the service the volume is mounted through, a name that follows
 *     {@link io.stowage.config.ServiceConfig#NAME_RULE}
 * @param driver the service's driver, a name that follows
 *     {@link io.stowage.spi.StorageDriverProvider#NAME_RULE}
 * @param name the volume name
 * @param volumeId the back end's ID of the volume
 * @param device the local block device, when attached here
 * @param mountPoint the mount point, {@code <mount root>/<name>}, when mounted
 * @param dataPath the directory handed to callers, {@code <mount point>/<data dir>}, when mounted
 * @param callers the callers using the volume; an unmodifiable set sorted by value
 * @param intent the step in progress, if any
 * @param mount the mode and extra options of the mount, which every caller shares; its
 *     read-only flag is always set
 */
public record VolumeRecord(
    String service,
    String driver,
    VolumeName name,
    VolumeId volumeId,
    Optional<Path> device,
    Optional<Path> mountPoint,
    Optional<Path> dataPath,
    Set<Caller> callers,
    Optional<Intent> intent,
    MountOptions mount) {

  private static final Comparator<Caller> CALLER_ORDER = Comparator.comparing(Caller::value);

  /** The mount of a record that says nothing else: read-write, no extra options. */
  public static final MountOptions READ_WRITE = new MountOptions(Optional.of(false), List.of());

  /**
   * Validates the record and copies the callers into a sorted, unmodifiable set.
   *
   * @param service the service name
   * @param driver the driver name
   * @param name the volume name
   * @param volumeId the back end's ID
   * @param device the local block device, if attached here
   * @param mountPoint the mount point, if mounted
   * @param dataPath the data path, if mounted
   * @param callers the callers
   * @param intent the step in progress, if any
   * @param mount the mode and extra options of the mount; read-only must be set
   * @throws InvalidArgumentException when the service or driver name is not legal or a path is
   *     not absolute
   * @throws NullPointerException when a field or a caller is null
   * @throws IllegalArgumentException when the mount's read-only flag is not set
   */
  public VolumeRecord {
    VolumeKey.of(service, name);
    driver = VolumeKey.requireDriverName(driver);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(volumeId, "volumeId");
    device = requireAbsolute("device", device);
    mountPoint = requireAbsolute("mount point", mountPoint);
    dataPath = requireAbsolute("data path", dataPath);
    callers = sortedCopy(callers);
    Objects.requireNonNull(intent, "intent");
    if (mount.readOnly().isEmpty()) {
      throw new IllegalArgumentException("the mode of the mount of " + name + " is not set");
    }
  }

  /**
   * Creates a record of a read-write mount with no extra options.
   *
   * @param service the service name
   * @param driver the driver name
   * @param name the volume name
   * @param volumeId the back end's ID
   * @param device the local block device, if attached here
   * @param mountPoint the mount point, if mounted
   * @param dataPath the data path, if mounted
   * @param callers the callers
   * @param intent the step in progress, if any
   */
  public VolumeRecord(String service, String driver, VolumeName name, VolumeId volumeId,
      Optional<Path> device, Optional<Path> mountPoint, Optional<Path> dataPath,
      Set<Caller> callers, Optional<Intent> intent) {
    this(service, driver, name, volumeId, device, mountPoint, dataPath, callers, intent,
        READ_WRITE);
  }

  /**
   * Creates the record of a volume that is known but neither attached nor mounted here.
   *
   * @param service the service name
   * @param driver the service's driver
   * @param name the volume name
   * @param volumeId the back end's ID
   * @return the record, with no device, mounts, callers or intent
   */
  public static VolumeRecord of(String service, String driver, VolumeName name,
      VolumeId volumeId) {
    return new VolumeRecord(service, driver, name, volumeId, Optional.empty(), Optional.empty(),
        Optional.empty(), Set.of(), Optional.empty());
  }

  /**
   * Creates the record of a volume of a driver's own service, the service of the driver's name,
   * that is known but neither attached nor mounted here.
   *
   * @param driver the driver name, which is also the service name
   * @param name the volume name
   * @param volumeId the back end's ID
   * @return the record, with no device, mounts, callers or intent
   */
  public static VolumeRecord of(String driver, VolumeName name, VolumeId volumeId) {
    return of(driver, driver, name, volumeId);
  }

  /**
   * Returns the record's key.
   *
   * @return (service, name)
   */
  public VolumeKey key() {
    return new VolumeKey(service, name);
  }

  /**
   * Returns whether any caller uses the volume.
   *
   * @return true when the set of callers is not empty
   */
  public boolean inUse() {
    return !callers.isEmpty();
  }

  /**
   * Returns a copy with another back-end ID.
   *
   * @param value the ID
   * @return the copy
   */
  public VolumeRecord withVolumeId(VolumeId value) {
    return new VolumeRecord(service, driver, name,
        value, device, mountPoint, dataPath, callers, intent, mount);
  }

  /**
   * Returns a copy with another device.
   *
   * @param value the device, or empty when not attached here
   * @return the copy
   */
  public VolumeRecord withDevice(Optional<Path> value) {
    return new VolumeRecord(service, driver, name,
        volumeId, value, mountPoint, dataPath, callers, intent, mount);
  }

  /**
   * Returns a copy with another mount point.
   *
   * @param value the mount point, or empty when not mounted
   * @return the copy
   */
  public VolumeRecord withMountPoint(Optional<Path> value) {
    return new VolumeRecord(service, driver, name,
        volumeId, device, value, dataPath, callers, intent, mount);
  }

  /**
   * Returns a copy with another data path.
   *
   * @param value the data path, or empty when not mounted
   * @return the copy
   */
  public VolumeRecord withDataPath(Optional<Path> value) {
    return new VolumeRecord(service, driver, name,
        volumeId, device, mountPoint, value, callers, intent, mount);
  }

  /**
   * Returns a copy with another set of callers.
   *
   * @param value the callers
   * @return the copy
   */
  public VolumeRecord withCallers(Set<Caller> value) {
    return new VolumeRecord(service, driver, name,
        volumeId, device, mountPoint, dataPath, value, intent, mount);
  }

  /**
   * Returns a copy with one more caller; the same record when the caller is already there.
   *
   * @param caller the caller
   * @return the copy
   */
  public VolumeRecord withCaller(Caller caller) {
    Objects.requireNonNull(caller, "caller");
    if (callers.contains(caller)) {
      return this;
    }
    Set<Caller> copy = new TreeSet<>(CALLER_ORDER);
    copy.addAll(callers);
    copy.add(caller);
    return withCallers(copy);
  }

  /**
   * Returns a copy without a caller; the same record when the caller is not there.
   *
   * @param caller the caller
   * @return the copy
   */
  public VolumeRecord withoutCaller(Caller caller) {
    Objects.requireNonNull(caller, "caller");
    if (!callers.contains(caller)) {
      return this;
    }
    Set<Caller> copy = new TreeSet<>(CALLER_ORDER);
    copy.addAll(callers);
    copy.remove(caller);
    return withCallers(copy);
  }

  /**
   * Returns a copy with a step in progress.
   *
   * @param value the intent
   * @return the copy
   */
  public VolumeRecord withIntent(Intent value) {
    return new VolumeRecord(service, driver, name, volumeId, device, mountPoint, dataPath, callers,
        Optional.of(value), mount);
  }

  /**
   * Returns a copy with no step in progress.
   *
   * @return the copy
   */
  public VolumeRecord withoutIntent() {
    return new VolumeRecord(service, driver, name, volumeId, device, mountPoint, dataPath, callers,
        Optional.empty(), mount);
  }

  /**
   * Returns a copy with another mode and other extra mount options.
   *
   * @param value the options the volume is mounted with; read-only must be set
   * @return the copy
   */
  public VolumeRecord withMount(MountOptions value) {
    return new VolumeRecord(service, driver, name, volumeId, device, mountPoint, dataPath,
        callers, intent, value);
  }

  static Optional<Path> requireAbsolute(String field, Optional<Path> path) {
    Objects.requireNonNull(path, field);
    if (path.isPresent() && !path.get().isAbsolute()) {
      throw new InvalidArgumentException(field, path.get().toString(), "must be an absolute path");
    }
    return path;
  }

  private static Set<Caller> sortedCopy(Set<Caller> callers) {
    Objects.requireNonNull(callers, "callers");
    SortedSet<Caller> copy = new TreeSet<>(CALLER_ORDER);
    for (Caller caller : callers) {
      copy.add(Objects.requireNonNull(caller, "caller"));
    }
    return Collections.unmodifiableSortedSet(copy);
  }
}
