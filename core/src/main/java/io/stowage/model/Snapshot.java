package io.stowage.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot as the back end reports it: the data of a volume at one point in time, from which
 * new volumes are created.
 *
 * @param id the back end's identifier
 * @param name the snapshot's name (its ID where the back end records none)
 * @param volumeId the volume it was taken of, where the back end reports it (a copy in
 *     another region may not)
 * @param size the size of the volume it was taken of: a volume created from it is at least
 *     this large
 * @param status the back end's status: whether its data is complete
 * @param region the region it lives in, where the back end has regions
 * @param tags the tags given when it was taken, without those the driver keeps for itself
 *     (such as its name)
 * @param fields other facts the driver reports, for display
 * @param createdAt its point in time, where the back end records it
 */
public record Snapshot(
    SnapshotId id,
    SnapshotName name,
    Optional<VolumeId> volumeId,
    ByteSize size,
    SnapshotStatus status,
    Optional<String> region,
    Map<String, String> tags,
    Map<String, String> fields,
    Optional<Instant> createdAt) {

  /**
   * Validates the snapshot and copies its maps.
   *
   * @param id the back end's identifier
   * @param name the snapshot's name (its ID where the back end records none)
   * @param volumeId the volume it was taken of, where the back end reports it (a copy in
   *     another region may not)
   * @param size the size of the volume it was taken of: a volume created from it is at least
   *     this large
   * @param status the back end's status: whether its data is complete
   * @param region the region it lives in, where the back end has regions
   * @param tags the tags given when it was taken, without those the driver keeps for itself
   *     (such as its name)
   * @param fields other facts the driver reports, for display
   * @param createdAt its point in time, where the back end records it
   */
  public Snapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(region, "region");
    tags = Map.copyOf(tags);
    fields = Map.copyOf(fields);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * Returns whether the snapshot's data is complete, so that volumes can be created from it and
   * it can be copied.
   *
   * @return true in phase {@link SnapshotStatus.Phase#COMPLETED}
   */
  public boolean completed() {
    return status.phase() == SnapshotStatus.Phase.COMPLETED;
  }
}
