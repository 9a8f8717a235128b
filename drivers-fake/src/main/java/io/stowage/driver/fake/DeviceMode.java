package io.stowage.driver.fake;

/** What an attachment to the local instance gives the host as its block device. */
public enum DeviceMode {
  /**
   * A real loop device over the volume's image file ({@code losetup}), so the real host layer
   * formats and mounts a real file system. Needs root.
   */
  LOOP,
  /**
   * A pseudo device path, {@code /dev/fake/<volume id>}, that nothing on the host knows; pair
   * it with {@link SimulatedHost}. Needs no privileges.
   */
  SIMULATED
}
