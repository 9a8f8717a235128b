package io.stowage.driver.fake;

/** What an attachment to the local instance gives the host as its block device. */
public enum DeviceMode {
  /**
   * A real loop device over the volume's image file ({@code losetup}), so the real host layer
   * formats and mounts a real file system. Needs root and the real Linux host.
   */
  LOOP,
  /**
   * A simulated device, the empty file {@code <root>/devices/<volume id>} that exists while
   * the volume is attached; only a {@link SimulatedHost} formats and mounts it. Needs no
   * privileges.
   */
  SIMULATED
}
