package io.stowage.spi;

import io.stowage.model.Capability;
import java.util.Set;

/**
 * Names a storage driver and creates it. Found through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/io.stowage.spi.StorageDriverProvider}, or passed explicitly.
 *
 * <p>A provider is cheap and stateless: its constructor and every method but {@link #create}
 * do no I/O, so that listing installed drivers never touches a back end. Implementations must
 * be thread-safe and have a public no-argument constructor.
 */
public interface StorageDriverProvider {
  /**
   * Returns the driver's name, as the configuration's {@code storageDrivers} list gives it.
   *
   * @return a lower-case name such as {@code ebs}, {@code virtualbox} or {@code fake}
   */
  String name();

  /**
   * Returns what the driver can do; the contract kit verifies the declaration.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns the names of the driver's settings that hold secrets, so they can be masked.
   *
   * @return setting names as they appear in the driver's section, such as {@code secretKey}
   */
  default Set<String> sensitiveSettings() {
    return Set.of();
  }

  /**
   * Returns the volume options this driver understands beyond the common ones.
   *
   * @return lower-case option names
   */
  default Set<String> volumeOptionKeys() {
    return Set.of();
  }

  /**
   * Creates the driver. This is where a driver binds its settings, connects and identifies
   * the local instance.
   *
   * @param config the driver's own configuration section
   * @param context what the SDK lends the driver
   * @return the driver, which the caller closes
   * @throws io.stowage.exception.ConfigurationException when the settings are invalid
   * @throws io.stowage.exception.BackendException when the back end cannot be reached
   */
  StorageDriver create(DriverConfig config, DriverContext context);
}
