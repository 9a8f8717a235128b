package io.stowage.internal.state;

import io.stowage.exception.StowageException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The state directory could not be read or written: a full disk, a permission problem, a
 * record written by a newer version of Stowage. The message names the file; nothing was
 * acknowledged.
 */
public class StateStoreException extends StowageException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param file the file or directory concerned
   * @param cause the underlying failure, possibly null
   */
  public StateStoreException(String message, Path file, Throwable cause) {
    super(message + ": " + Objects.requireNonNull(file, "file"), cause);
    this.file = file;
  }

  /**
   * Returns the file or directory concerned.
   *
   * @return the path
   */
  public Path file() {
    return file;
  }
}
