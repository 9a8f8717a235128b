package io.stowage.model;

import java.util.Objects;

/**
 * The back end's status of a volume, mapped onto a small set of phases. A status the mapping
 * does not know becomes {@link Phase#UNKNOWN} and keeps the raw value.
 *
 * @param phase the mapped phase
 * @param raw the back end's own status text
 */
public record VolumeStatus(Phase phase, String raw) {
  /** The phases a volume goes through. */
  public enum Phase {
    /** Being created. */
    CREATING,
    /** Created and attached to no instance. */
    AVAILABLE,
    /** Attached to at least one instance. */
    IN_USE,
    /** Being deleted. */
    DELETING,
    /** The back end reports an error state. */
    ERROR,
    /** A status the driver does not map; see {@link VolumeStatus#raw()}. */
    UNKNOWN
  }

  /**
   * Validates the status.
   *
   * @param phase the mapped phase
   * @param raw the back end's own status text
   */
  public VolumeStatus {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(raw, "raw");
  }

  /**
   * A status whose raw text is the phase name.
   *
   * @param phase the phase
   * @return the status
   */
  public static VolumeStatus of(Phase phase) {
    return new VolumeStatus(phase, phase.name().toLowerCase(java.util.Locale.ROOT));
  }
}
