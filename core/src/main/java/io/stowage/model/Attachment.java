package io.stowage.model;

import java.util.Objects;

/**
 * A volume's attachment to an instance.
 *
 * @param volumeId the attached volume
 * @param instanceId the instance it is attached to
 * @param device the back end's name for the attachment point (an EC2 device name, a VirtualBox
 *     port, a loop device); the driver's device locator turns it into the local block device
 */
public record Attachment(VolumeId volumeId, InstanceId instanceId, String device) {
  /**
   * Validates the attachment.
   *
   * @param volumeId the attached volume
   * @param instanceId the instance it is attached to
   * @param device the back end's name for the attachment point (an EC2 device name, a VirtualBox
   *     port, a loop device); the driver's device locator turns it into the local block device
   */
  public Attachment {
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(device, "device");
  }
}
