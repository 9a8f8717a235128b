package io.stowage.cli;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationDisabledException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;

/**
 * The exit codes of the {@code stowage} command, one per kind of failure.
 *
 * <table>
 * <caption>Exit codes</caption>
 * <tr><td>0</td><td>success</td></tr>
 * <tr><td>1</td><td>any other failure (back end, OS command, I/O)</td></tr>
 * <tr><td>2</td><td>usage: unknown option, missing argument, invalid value</td></tr>
 * <tr><td>3</td><td>not found: volume, snapshot, driver, running service; volume not
 *     mounted for {@code path}</td></tr>
 * <tr><td>4</td><td>in use: attached elsewhere, mounted, or held by callers</td></tr>
 * <tr><td>5</td><td>configuration error</td></tr>
 * <tr><td>6</td><td>timeout</td></tr>
 * <tr><td>7</td><td>already exists</td></tr>
 * <tr><td>8</td><td>not permitted: operation disabled, capability missing</td></tr>
 * <tr><td>9</td><td>a host check of {@code doctor} failed</td></tr>
 * </table>
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Any other failure. */
  public static final int GENERAL = 1;
  /** Bad usage or an invalid value. */
  public static final int USAGE = 2;
  /** Something named does not exist. */
  public static final int NOT_FOUND = 3;
  /** The volume is in use. */
  public static final int IN_USE = 4;
  /** The configuration is invalid. */
  public static final int CONFIG = 5;
  /** A wait ran out. */
  public static final int TIMEOUT = 6;
  /** The volume already exists. */
  public static final int EXISTS = 7;
  /** The operation is disabled or unsupported. */
  public static final int NOT_PERMITTED = 8;
  /** A host check failed. */
  public static final int CHECK_FAILED = 9;

  private ExitCodes() {}

  /**
   * Returns the exit code for a failure.
   *
   * @param e the failure
   * @return its exit code
   */
  public static int of(Throwable e) {
    if (e instanceof VolumeNotFoundException || e instanceof SnapshotNotFoundException
        || e instanceof DriverNotFoundException) {
      return NOT_FOUND;
    } else if (e instanceof VolumeInUseException) {
      return IN_USE;
    } else if (e instanceof ConfigurationException) {
      return CONFIG;
    } else if (e instanceof OperationTimeoutException) {
      return TIMEOUT;
    } else if (e instanceof VolumeAlreadyExistsException) {
      return EXISTS;
    } else if (e instanceof OperationDisabledException
        || e instanceof UnsupportedCapabilityException) {
      return NOT_PERMITTED;
    } else if (e instanceof InvalidArgumentException) {
      return USAGE;
    }
    return GENERAL;
  }
}
