package io.stowage.driver.virtualbox;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Picks the port of a storage controller a disk is attached to: the lowest port below the
 * controller's configured port count (not its maximum) that holds no device and has not been
 * tried already in this attach.
 */
final class PortChooser {
  private PortChooser() {}

  /**
   * Returns the lowest free port.
   *
   * @param portCount the controller's configured number of ports
   * @param used the ports that hold a device
   * @param tried the ports this attach already lost to another client
   * @return the port, or empty when every port is taken
   */
  static OptionalInt firstFree(long portCount, Set<Integer> used, Set<Integer> tried) {
    for (int port = 0; port < portCount; port++) {
      if (!used.contains(port) && !tried.contains(port)) {
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }
}
