package io.stowage.driver.fake;

import io.stowage.exception.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The calls a {@link FaultInjector} can fail or slow down: the fake driver's back-end calls and
 * the {@link SimulatedHost}'s host calls.
 */
public enum Operation {
  /** {@code StorageDriver.list} and {@code findByName}. */
  LIST(true),
  /** {@code StorageDriver.find}. */
  FIND(true),
  /** {@code StorageDriver.create}. */
  CREATE(true),
  /** {@code StorageDriver.remove}. */
  REMOVE(true),
  /** {@code StorageDriver.attach}. */
  ATTACH(true),
  /** {@code StorageDriver.detach}. */
  DETACH(true),
  /** {@code Snapshots.create}, {@code copy} and {@code remove}; lookups count as list or find. */
  SNAPSHOT(true),
  /** {@code Resizer.grow}. */
  RESIZE(true),
  /** {@code HostOs.format}. */
  FORMAT(false),
  /** {@code HostOs.mount}. */
  MOUNT(false),
  /** {@code HostOs.unmount}. */
  UNMOUNT(false);

  private final boolean backendCall;

  Operation(boolean backendCall) {
    this.backendCall = backendCall;
  }

  /**
   * Returns whether this is a call to the storage back end (as opposed to the host), which is
   * what throttling applies to.
   *
   * @return true for the driver's calls
   */
  public boolean backendCall() {
    return backendCall;
  }

  /**
   * Parses an operation name, ignoring case.
   *
   * @param name the name, such as {@code attach}
   * @return the operation
   * @throws InvalidArgumentException when no operation has that name
   */
  public static Operation of(String name) {
    String upper = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
    for (Operation op : values()) {
      if (op.name().equals(upper)) {
        return op;
      }
    }
    throw new InvalidArgumentException("operation", name, "unknown; known operations: "
        + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}
