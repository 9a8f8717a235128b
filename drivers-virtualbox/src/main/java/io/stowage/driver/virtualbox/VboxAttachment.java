package io.stowage.driver.virtualbox;

import java.util.Objects;

/**
 * Where a disk is attached.
 *
 * @param medium the disk's medium UUID
 * @param machineId the machine's UUID
 * @param controller the storage controller's name
 * @param port the controller port
 * @param device the device slot on the port
 */
record VboxAttachment(MediumUuid medium, String machineId, String controller, int port,
    int device) {
  /**
   * Validates the attachment.
   */
  VboxAttachment {
    Objects.requireNonNull(medium, "medium");
    Objects.requireNonNull(machineId, "machineId");
    Objects.requireNonNull(controller, "controller");
  }
}
