package io.stowage.model;

import java.util.Locale;
import java.util.Objects;

/**
 * What a new volume is created from, as its options name it: a snapshot (by ID or name) or
 * another volume (by ID or name). {@link VolumeOptions#source()} reads it.
 *
 * @param kind which option names the source
 * @param reference the option's value: an ID or a name
 */
public record VolumeSource(Kind kind, String reference) {
  /** The options that name a source, one kind each. */
  public enum Kind {
    /** {@code snapshotid}: a snapshot by its back-end ID. */
    SNAPSHOT_ID,
    /** {@code snapshotname}: the snapshot of that name. */
    SNAPSHOT_NAME,
    /** {@code volumeid}: a copy of the volume of that back-end ID. */
    VOLUME_ID,
    /** {@code volumename}: a copy of the volume of that name. */
    VOLUME_NAME;

    /**
     * Returns the volume option of this kind.
     *
     * @return the option's canonical name, such as {@code snapshotid}
     */
    public String option() {
      return name().replace("_", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Returns whether this kind names a snapshot.
     *
     * @return true for {@link #SNAPSHOT_ID} and {@link #SNAPSHOT_NAME}
     */
    public boolean snapshot() {
      return this == SNAPSHOT_ID || this == SNAPSHOT_NAME;
    }
  }

  /**
   * Validates the source.
   *
   * @param kind which option names the source
   * @param reference the option's value: an ID or a name
   */
  public VolumeSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reference, "reference");
  }
}
