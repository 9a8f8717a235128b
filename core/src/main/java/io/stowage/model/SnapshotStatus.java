package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The back end's status of a snapshot, mapped onto a small set of phases. A status the mapping
 * does not know becomes {@link Phase#UNKNOWN} and keeps the raw value.
 *
 * @param phase the mapped phase
 * @param raw the back end's own status text
 * @param progress how far the back end has copied the snapshot's data, in percent, where it
 *     reports it
 */
public record SnapshotStatus(Phase phase, String raw, Optional<Integer> progress) {
  /** The phases a snapshot goes through. */
  public enum Phase {
    /**
     * Its point in time is fixed, and the back end is still copying its data: it cannot be
     * restored or copied yet.
     */
    PENDING,
    /** Complete: it can be restored and copied. */
    COMPLETED,
    /** The back end failed to complete it. */
    ERROR,
    /** A status the driver does not map; see {@link SnapshotStatus#raw()}. */
    UNKNOWN
  }

  /**
   * Validates the status.
   *
   * @param phase the mapped phase
   * @param raw the back end's own status text
   * @param progress how far the back end has copied the snapshot's data, in percent, where it
   *     reports it
   * @throws InvalidArgumentException when the progress is not from 0 to 100
   */
  public SnapshotStatus {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(progress, "progress");
    progress.ifPresent(p -> {
      if (p < 0 || p > 100) {
        throw new InvalidArgumentException("snapshot progress", p + "%",
            "must be from 0 to 100");
      }
    });
  }

  /**
   * A status whose raw text is the phase name, without progress.
   *
   * @param phase the phase
   * @return the status
   */
  public static SnapshotStatus of(Phase phase) {
    return new SnapshotStatus(phase, phase.name().toLowerCase(Locale.ROOT), Optional.empty());
  }
}
