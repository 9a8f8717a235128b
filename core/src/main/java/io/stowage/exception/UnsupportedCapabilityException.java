package io.stowage.exception;

/** The driver does not have the capability a call needs, such as IOPS or force-detach. */
public class UnsupportedCapabilityException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The driver that lacks the capability. */
  private final String driver;
  /** The capability it lacks. */
  private final String capability;

  /**
   * Creates the exception.
   *
   * @param driver the driver name
   * @param capability the missing capability
   * @param detail what the caller asked for
   */
  public UnsupportedCapabilityException(String driver, String capability, String detail) {
    super("driver " + driver + " does not support " + capability + ": " + detail);
    this.driver = driver;
    this.capability = capability;
  }

  /**
   * Returns the driver name.
   *
   * @return the driver
   */
  public String driver() {
    return driver;
  }

  /**
   * Returns the name of the missing capability.
   *
   * @return the capability
   */
  public String capability() {
    return capability;
  }
}
