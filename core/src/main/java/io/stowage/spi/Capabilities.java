package io.stowage.spi;

import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.Capability;
import io.stowage.model.VolumeOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a call against a driver's declared capabilities, with the documented error. */
public final class Capabilities {
  private Capabilities() {}

  /**
   * Rejects options that need a capability the driver lacks.
   *
   * @param driver the driver name
   * @param capabilities its capabilities
   * @param options the options of a create
   * @throws UnsupportedCapabilityException naming the first option it cannot honour
   */
  public static void requireSupported(String driver, Set<Capability> capabilities,
      VolumeOptions options) {
    Map<String, Capability> missing = options.unsupportedBy(capabilities);
    if (!missing.isEmpty()) {
      Map.Entry<String, Capability> first = missing.entrySet().iterator().next();
      throw new UnsupportedCapabilityException(driver, first.getValue().name(),
          "volume option " + first.getKey() + " is not supported; unsupported options given: "
              + missing.keySet());
    }
  }

  /**
   * Rejects a call that needs one capability the driver lacks.
   *
   * @param driver the driver name
   * @param capabilities its capabilities
   * @param needed the capability the call needs
   * @param what what the caller asked for
   * @throws UnsupportedCapabilityException when the capability is missing
   */
  public static void require(String driver, Set<Capability> capabilities, Capability needed,
      String what) {
    if (!capabilities.contains(needed)) {
      throw new UnsupportedCapabilityException(driver, needed.name(), what);
    }
  }

  /**
   * Returns a driver's snapshots, or refuses a call that needs them.
   *
   * @param driver the driver
   * @param what what the caller asked for, for the error
   * @return the snapshots
   * @throws UnsupportedCapabilityException naming {@link Capability#SNAPSHOTS} when the driver
   *     has none
   */
  public static Snapshots snapshots(StorageDriver driver, String what) {
    return present(driver, driver.snapshots(), Capability.SNAPSHOTS, what);
  }

  /**
   * Returns what grows a driver's volumes, or refuses a call that needs it.
   *
   * @param driver the driver
   * @param what what the caller asked for, for the error
   * @return the resizer
   * @throws UnsupportedCapabilityException naming {@link Capability#RESIZE} when the driver
   *     cannot grow volumes
   */
  public static Resizer resizer(StorageDriver driver, String what) {
    return present(driver, driver.resizer(), Capability.RESIZE, what);
  }

  private static <T> T present(StorageDriver driver, Optional<T> feature, Capability needed,
      String what) {
    return feature.orElseThrow(() -> new UnsupportedCapabilityException(driver.name(),
        needed.name(), what));
  }
}
