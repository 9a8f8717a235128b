package io.stowage;

import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The snapshots of one service's volumes, reached through {@link VolumeService#snapshots()}.
 * A volume is restored from a snapshot by creating a new volume with the volume option
 * {@code snapshotid} or {@code snapshotname}.
 *
 * <p>Wherever a snapshot is named, its back-end ID or its name is accepted: an ID is looked up
 * first, then a name, and a name that several snapshots share fails with an
 * {@link io.stowage.exception.InvalidArgumentException} listing their IDs, never a guess.
 *
 * <p>Every call needs a driver with {@link io.stowage.model.Capability#SNAPSHOTS} and fails
 * with an {@link io.stowage.exception.UnsupportedCapabilityException} naming it otherwise.
 * Thread-safe: a snapshot of a volume holds the volume's lock, like a mount.
 */
public interface SnapshotService {
  /**
   * Returns the region the snapshots live in.
   *
   * @return the region, where the back end has regions
   */
  Optional<String> region();

  /**
   * Takes a snapshot of a volume and returns once its point in time is fixed. When the volume
   * is mounted on this host its file system is frozen around the back end's call (and always
   * thawed), so the snapshot holds everything written before the call and nothing after.
   *
   * @param volume the volume's name or ID, as {@link VolumeService} accepts it
   * @param request the snapshot's name and tags
   * @return the snapshot, pending or complete
   * @throws io.stowage.exception.VolumeNotFoundException when the volume does not exist
   * @throws io.stowage.exception.InvalidStateException when the volume is still being created;
   *     nothing was frozen or created
   */
  Snapshot create(String volume, SnapshotRequest request);

  /**
   * Lists the snapshots of the service's back end.
   *
   * @return the snapshots, sorted by name, then ID
   */
  List<Snapshot> list();

  /**
   * Finds a snapshot by ID or name.
   *
   * @param snapshot the ID or name
   * @return the snapshot, if it exists
   * @throws io.stowage.exception.InvalidArgumentException when the name is ambiguous
   */
  Optional<Snapshot> find(String snapshot);

  /**
   * Waits until a snapshot's data is complete.
   *
   * @param snapshot the ID or name
   * @param timeout the longest wait
   * @return the snapshot, complete
   * @throws io.stowage.exception.SnapshotNotFoundException when it does not exist
   * @throws io.stowage.exception.OperationTimeoutException when it is not complete in time
   */
  Snapshot await(String snapshot, Duration timeout);

  /**
   * Removes a snapshot. Volumes created from it are not affected.
   *
   * @param snapshot the ID or name
   * @throws io.stowage.exception.SnapshotNotFoundException when it does not exist
   */
  void remove(String snapshot);

  /**
   * Copies a complete snapshot to another region of the back end and returns once the back end
   * has accepted the copy.
   *
   * @param snapshot the ID or name, in this service's region
   * @param region the region to copy to
   * @param request the copy's name and tags
   * @return the copy, as the target region reports it
   * @throws io.stowage.exception.UnsupportedCapabilityException naming
   *     {@link io.stowage.model.Capability#COPY_SNAPSHOT} when the driver cannot copy
   * @throws io.stowage.exception.InvalidArgumentException when the back end has no such region;
   *     nothing was copied
   * @throws io.stowage.exception.InvalidStateException when the snapshot is not complete yet
   */
  Snapshot copy(String snapshot, String region, SnapshotRequest request);
}
