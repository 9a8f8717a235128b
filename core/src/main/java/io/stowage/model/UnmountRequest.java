package io.stowage.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How to unmount a volume.
 *
 * @param caller whose use to remove
 * @param ignoreUsedCount unmount and detach even when other callers hold the volume; empty means
 *     the configured default
 */
public record UnmountRequest(Caller caller, Optional<Boolean> ignoreUsedCount) {
  /** An unmount by the anonymous caller. */
  public static final UnmountRequest DEFAULT = new UnmountRequest(Caller.ANONYMOUS,
      Optional.empty());

  /**
   * Validates the request.
   *
   * @param caller whose use to remove
   * @param ignoreUsedCount unmount and detach even when other callers hold the volume; empty means
   *     the configured default
   */
  public UnmountRequest {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(ignoreUsedCount, "ignoreUsedCount");
  }

  /**
   * An unmount by the given caller, with the configured used-count rule.
   *
   * @param caller the caller ID
   * @return the request
   */
  public static UnmountRequest caller(String caller) {
    return new UnmountRequest(Caller.of(caller), Optional.empty());
  }

  /**
   * Returns this request with the used count ignored or honoured.
   *
   * @param ignore true to unmount whatever other callers hold
   * @return the new request
   */
  public UnmountRequest withIgnoreUsedCount(boolean ignore) {
    return new UnmountRequest(caller, Optional.of(ignore));
  }
}
