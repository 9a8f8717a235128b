package io.stowage.spi;

import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.VolumeId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The snapshots of one back end (in one region, where it has regions), reached through
 * {@link StorageDriver#snapshots()} when the driver has
 * {@link io.stowage.model.Capability#SNAPSHOTS}. A volume is created from a snapshot with the
 * volume options {@code snapshotid} or {@code snapshotname} (capability
 * {@link io.stowage.model.Capability#CREATE_FROM_SNAPSHOT}).
 *
 * <p>A snapshot is taken in two stages. {@link #create} returns as soon as the back end has
 * fixed the snapshot's point in time: what is written to the volume afterwards is not in it.
 * The caller that froze the volume's file system for a consistent snapshot thaws it then. The
 * back end may go on copying the data ({@link io.stowage.model.SnapshotStatus.Phase#PENDING})
 * until {@link #await} sees the snapshot complete; only a complete snapshot can be restored or
 * copied.
 *
 * <p>Like its driver, an implementation is thread-safe, bounds every call and translates the
 * back end's errors into {@link io.stowage.exception.StowageException} subclasses.
 */
public interface Snapshots {
  /**
   * Returns the region these snapshots live in.
   *
   * @return the region, where the back end has regions
   */
  Optional<String> region();

  /**
   * Takes a snapshot of a volume, attached or not, and returns once its point in time is fixed.
   *
   * @param volume the volume
   * @param request the snapshot's name and tags, set in the same call
   * @return the snapshot, {@code PENDING} or already {@code COMPLETED}
   * @throws io.stowage.exception.VolumeNotFoundException when the volume does not exist
   * @throws io.stowage.exception.InvalidStateException when the volume cannot be snapshotted
   *     now (it is still being created); nothing was created
   * @throws io.stowage.exception.InvalidArgumentException when a tag is one the driver keeps
   *     for itself
   */
  Snapshot create(VolumeId volume, SnapshotRequest request);

  /**
   * Lists the snapshots the driver manages here.
   *
   * @return the snapshots, in no particular order
   */
  List<Snapshot> list();

  /**
   * Finds a snapshot by its back-end ID.
   *
   * @param id the ID
   * @return the snapshot, if it exists here
   */
  Optional<Snapshot> find(SnapshotId id);

  /**
   * Finds snapshots by name. Snapshot names need not be unique. The default filters
   * {@link #list()}; a back end that looks names up directly overrides it.
   *
   * @param name the name
   * @return every snapshot of that name
   */
  default List<Snapshot> findByName(SnapshotName name) {
    return list().stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * Removes a snapshot. Volumes created from it are not affected.
   *
   * @param id the snapshot
   * @throws io.stowage.exception.SnapshotNotFoundException when it does not exist here
   * @throws io.stowage.exception.InvalidStateException when the back end cannot remove it now
   */
  void remove(SnapshotId id);

  /**
   * Waits until a snapshot's data is complete.
   *
   * @param id the snapshot
   * @param timeout the longest wait
   * @return the snapshot, {@code COMPLETED}
   * @throws io.stowage.exception.SnapshotNotFoundException when it does not exist here, or
   *     vanishes while awaited
   * @throws io.stowage.exception.BackendException when the back end reports it failed
   * @throws io.stowage.exception.OperationTimeoutException when it is not complete in time
   */
  Snapshot await(SnapshotId id, Duration timeout);

  /**
   * Copies a complete snapshot to another region (or to this one) and returns once the back
   * end has accepted the copy; {@link #inRegion} of the target region then finds and awaits
   * it.
   *
   * @param id the snapshot to copy, in this region
   * @param region the region to copy it to
   * @param request the copy's name and tags, set in the same call
   * @return the copy, as the target region reports it
   * @throws io.stowage.exception.UnsupportedCapabilityException when the driver lacks
   *     {@link io.stowage.model.Capability#COPY_SNAPSHOT}
   * @throws io.stowage.exception.InvalidArgumentException when the back end has no such
   *     region; nothing was copied
   * @throws io.stowage.exception.SnapshotNotFoundException when the snapshot does not exist
   * @throws io.stowage.exception.InvalidStateException when it is not complete yet
   */
  Snapshot copy(SnapshotId id, String region, SnapshotRequest request);

  /**
   * Returns the snapshots of another region of the same back end, to find, await, list and
   * remove copies there.
   *
   * @param region the region
   * @return the snapshots there; this object for this region
   * @throws io.stowage.exception.UnsupportedCapabilityException when the driver lacks
   *     {@link io.stowage.model.Capability#COPY_SNAPSHOT}
   * @throws io.stowage.exception.InvalidArgumentException when the back end has no such
   *     region
   */
  Snapshots inRegion(String region);
}
