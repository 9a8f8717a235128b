package io.stowage.exception;

import java.util.List;

/**
 * A configured driver is not installed, two installed providers share one name, or no
 * configured service answers to the name asked for ({@code Stowage.volumes(name)}, where
 * {@link #driver()} is that name and {@link #installed()} the services' names).
 */
public class DriverNotFoundException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The driver name asked for. */
  private final String driver;
  /** The names of the installed drivers, or of the configured services. */
  private final List<String> installed;

  /**
   * Creates the exception.
   *
   * @param driver the requested driver name
   * @param installed the names of the drivers that are installed, or of the services that are
   *     configured
   * @param message the full message
   */
  public DriverNotFoundException(String driver, List<String> installed, String message) {
    super(message);
    this.driver = driver;
    this.installed = List.copyOf(installed);
  }

  /**
   * The driver is not installed.
   *
   * @param driver the requested name
   * @param installed the installed driver names
   * @return the exception
   */
  public static DriverNotFoundException notInstalled(String driver, List<String> installed) {
    return new DriverNotFoundException(driver, installed, "storage driver "
        + InvalidArgumentException.quote(driver) + " is not installed; installed drivers: "
        + (installed.isEmpty() ? "(none)" : String.join(", ", installed))
        + " (add the driver's jar, e.g. io.stowage:stowage-driver-" + driver
        + ", to the class path)");
  }

  /**
   * Returns the requested driver name.
   *
   * @return the name
   */
  public String driver() {
    return driver;
  }

  /**
   * Returns the installed driver names.
   *
   * @return the names, sorted
   */
  public List<String> installed() {
    return installed;
  }
}
