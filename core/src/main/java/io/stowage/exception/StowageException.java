package io.stowage.exception;

import java.util.Locale;

/**
 * The root of every exception Stowage throws. It is unchecked; callers branch on the typed
 * subclasses, never on message text.
 */
public class StowageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the object concerned
   */
  public StowageException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, naming the object concerned
   * @param cause the underlying failure
   */
  public StowageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Returns the anchor of an exception type's section on the operations page
   * ({@code docs/operations.md}), which error messages link to: the simple name, in kebab
   * case, of the type or of its nearest ancestor among this package's public types
   * ({@code VolumeNotFoundException} is {@code volume-not-found-exception}; a driver's own
   * subclass of {@link BackendException} is {@code backend-exception}).
   *
   * @param type the exception type
   * @return its anchor, without {@code #}
   */
  public static String troubleshootingAnchor(Class<? extends StowageException> type) {
    Class<?> c = type;
    while (!c.getPackageName().equals(StowageException.class.getPackageName())
        || !java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
      c = c.getSuperclass();
    }
    return c.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
