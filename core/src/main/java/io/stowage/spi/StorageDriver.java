package io.stowage.spi;

import io.stowage.model.Attachment;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane of one storage back end: list, find, create, remove, attach and detach
 * volumes, identify the local instance, and locate the local device of an attachment. The
 * optional features are small interfaces reached through {@link #snapshots()} and
 * {@link #resizer()}, present where the driver declares their capability.
 * Formatting, mounting, used counts, preemption and waiting live in the core, once, for every
 * driver.
 *
 * <p>Implementations must be thread-safe: the core calls them from several threads, and locks
 * per volume itself. Every call must return or fail within a bounded time. Back-end errors
 * are translated into {@link io.stowage.exception.StowageException} subclasses.
 */
public interface StorageDriver extends AutoCloseable {
  /**
   * Returns the driver's name.
   *
   * @return the name its provider gives
   */
  String name();

  /**
   * Returns what the driver can do; equal to its provider's declaration.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns the instance this process runs on, as the back end knows it.
   *
   * @return the local instance
   */
  Instance localInstance();

  /**
   * Lists every volume the driver manages.
   *
   * @return the volumes, in no particular order
   */
  List<Volume> list();

  /**
   * Finds a volume by its back-end ID.
   *
   * @param id the ID
   * @return the volume, if it exists
   */
  Optional<Volume> find(VolumeId id);

  /**
   * Finds volumes by name. A driver whose back end can look names up directly overrides this;
   * the default lists every volume.
   *
   * @param name the name
   * @return every volume of that name (more than one is a back-end inconsistency the core
   *     reports)
   */
  default List<Volume> findByName(VolumeName name) {
    return list().stream().filter(v -> v.name().equals(name)).toList();
  }

  /**
   * Creates a volume. The caller has checked that no volume of that name exists.
   *
   * <p>With {@code snapshotid} or {@code snapshotname} the volume is created from that snapshot
   * ({@link Capability#CREATE_FROM_SNAPSHOT}); with {@code volumeid} or {@code volumename} as a
   * copy of that volume ({@link Capability#COPY_VOLUME}). Its size is then the source's unless
   * {@code size} asks for more.
   *
   * @param name the name
   * @param options the options, with configured defaults already merged in
   * @return the new volume
   * @throws io.stowage.exception.UnsupportedCapabilityException when an option needs a
   *     capability the driver lacks
   * @throws io.stowage.exception.VolumeAlreadyExistsException when the back end has the name
   * @throws io.stowage.exception.SnapshotNotFoundException when the snapshot to create from
   *     does not exist
   * @throws io.stowage.exception.VolumeNotFoundException when the volume to copy does not
   *     exist
   * @throws io.stowage.exception.InvalidArgumentException when {@code size} is smaller than
   *     the snapshot or volume created from, or a snapshot name names several snapshots
   * @throws io.stowage.exception.InvalidStateException when the snapshot is not complete yet
   */
  Volume create(VolumeName name, VolumeOptions options);

  /**
   * Removes a volume, which must not be attached.
   *
   * @param id the volume
   * @throws io.stowage.exception.VolumeNotFoundException when it does not exist
   * @throws io.stowage.exception.VolumeInUseException when it is attached
   */
  void remove(VolumeId id);

  /**
   * Attaches a volume to an instance and returns once the back end reports it attached.
   * Attaching it to the instance it is attached to returns that attachment.
   *
   * @param id the volume
   * @param instance the instance, usually {@link #localInstance()}
   * @param force detach it by force from any other instance first
   * @return the attachment
   * @throws io.stowage.exception.VolumeInUseException when it is attached elsewhere and
   *     {@code force} is false
   * @throws io.stowage.exception.UnsupportedCapabilityException when {@code instance} is not
   *     local and the driver lacks {@link Capability#ATTACH_OTHER_INSTANCE}, or {@code force}
   *     is needed and it lacks {@link Capability#FORCE_DETACH}
   */
  Attachment attach(VolumeId id, InstanceId instance, boolean force);

  /**
   * Detaches a volume from an instance. Detaching a volume that is not attached there
   * succeeds and changes nothing.
   *
   * @param id the volume
   * @param instance the instance
   * @param force detach even if the instance still uses it (preemption)
   * @throws io.stowage.exception.VolumeNotFoundException when the volume does not exist
   * @throws io.stowage.exception.VolumeInUseException when {@code force} is false and the
   *     volume's device is mounted on this host (as the context's host reports it); the volume
   *     stays attached
   * @throws io.stowage.exception.UnsupportedCapabilityException when {@code force} is set
   *     and the driver lacks {@link Capability#FORCE_DETACH}
   */
  void detach(VolumeId id, InstanceId instance, boolean force);

  /**
   * Returns the driver's snapshots, present exactly when it has {@link Capability#SNAPSHOTS}.
   * Answers from what the driver holds, without a call to the back end.
   *
   * @return the snapshots; empty by default
   */
  default Optional<Snapshots> snapshots() {
    return Optional.empty();
  }

  /**
   * Returns what grows the driver's volumes, present exactly when it has
   * {@link Capability#RESIZE}. Answers from what the driver holds, without a call to the back
   * end.
   *
   * @return the resizer; empty by default
   */
  default Optional<Resizer> resizer() {
    return Optional.empty();
  }

  /**
   * Returns the locator that finds the local block device of an attachment.
   *
   * @return the locator
   */
  DeviceLocator deviceLocator();

  /** Releases the driver's connections. Idempotent. */
  @Override
  void close();
}
