package io.stowage.internal.state;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A file in the state directory that could not be used. The state still loads without it; the
 * problem is logged at ERROR and listed by {@link StateStore#problems()}.
 *
 * @param file where the file was found
 * @param movedTo where it was moved to (under {@code <state>/corrupt/}); empty when it was left
 *     in place, such as a record written by a newer format version
 * @param reason why it could not be used
 */
public record StateProblem(Path file, Optional<Path> movedTo, String reason) {
  /**
   * Validates the problem.
   *
   * @param file where the file was found
   * @param movedTo where it was moved to, if it was
   * @param reason why it could not be used
   */
  public StateProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(movedTo, "movedTo");
    Objects.requireNonNull(reason, "reason");
  }
}
