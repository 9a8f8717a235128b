package io.stowage.model;

/**
 * What a driver can do beyond the basic list, find, create, remove, attach and detach. A
 * driver declares its capabilities; a call that needs one the driver lacks fails with
 * {@link io.stowage.exception.UnsupportedCapabilityException}.
 */
public enum Capability {
  /** Detach a volume from another instance by force (needed for preemption). */
  FORCE_DETACH,
  /** Attach a volume to an instance other than the local one. */
  ATTACH_OTHER_INSTANCE,
  /** Honour the {@code iops} option. */
  IOPS,
  /** Honour the {@code volumetype} option. */
  VOLUME_TYPES,
  /** Honour the {@code availabilityzone} option. */
  AVAILABILITY_ZONES,
  /** Honour the {@code encrypted} and {@code encryptionkey} options. */
  ENCRYPTION,
  /**
   * Create a volume from a snapshot ({@code snapshotid}, {@code snapshotname}); needs
   * {@link #SNAPSHOTS}.
   */
  CREATE_FROM_SNAPSHOT,
  /** Create a volume as a copy of another ({@code volumeid}, {@code volumename}). */
  COPY_VOLUME,
  /**
   * Take, list, find and remove snapshots of volumes, through
   * {@code StorageDriver.snapshots()}.
   */
  SNAPSHOTS,
  /** Copy a snapshot to another region of the back end; needs {@link #SNAPSHOTS}. */
  COPY_SNAPSHOT,
  /** Grow a volume that is attached nowhere, through {@code StorageDriver.resizer()}. */
  RESIZE,
  /**
   * Grow a volume while it is attached, its device seeing the new size without a detach;
   * needs {@link #RESIZE}.
   */
  ONLINE_RESIZE
}
