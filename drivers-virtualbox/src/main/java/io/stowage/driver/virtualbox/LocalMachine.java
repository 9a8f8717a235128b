package io.stowage.driver.virtualbox;

import java.util.Objects;

/**
 * The VirtualBox machine this process runs in.
 *
 * @param uuid the machine UUID (the instance ID)
 * @param name the machine name
 */
record LocalMachine(String uuid, String name) {
  /**
   * Validates the machine.
   */
  LocalMachine {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return "\"" + name + "\" (" + uuid + ")";
  }
}
