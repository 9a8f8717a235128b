package io.stowage.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume as the back end reports it.
 *
 * @param id the back end's identifier
 * @param name the volume name
 * @param size the provisioned size
 * @param volumeType the back end's volume type, where it has types
 * @param iops the provisioned IOPS, where the back end has them
 * @param availabilityZone the zone, where the back end has zones
 * @param encrypted whether the back end encrypts the volume at rest
 * @param status the back end's status
 * @param attachments the instances it is attached to
 * @param fields other facts the driver reports, for display
 * @param createdAt when the volume was created, where the back end records it
 */
public record Volume(
    VolumeId id,
    VolumeName name,
    ByteSize size,
    Optional<String> volumeType,
    Optional<Long> iops,
    Optional<String> availabilityZone,
    boolean encrypted,
    VolumeStatus status,
    List<Attachment> attachments,
    Map<String, String> fields,
    Optional<Instant> createdAt) {

  /**
   * Validates the volume and copies its collections.
   *
   * @param id the back end's identifier
   * @param name the volume name
   * @param size the provisioned size
   * @param volumeType the back end's volume type, where it has types
   * @param iops the provisioned IOPS, where the back end has them
   * @param availabilityZone the zone, where the back end has zones
   * @param encrypted whether the back end encrypts the volume at rest
   * @param status the back end's status
   * @param attachments the instances it is attached to
   * @param fields other facts the driver reports, for display
   * @param createdAt when the volume was created, where the back end records it
   */
  public Volume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(volumeType, "volumeType");
    Objects.requireNonNull(iops, "iops");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(status, "status");
    attachments = List.copyOf(attachments);
    fields = Map.copyOf(fields);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * Creates a volume whose back end does not record when it was created.
   *
   * @param id the back end's identifier
   * @param name the volume name
   * @param size the provisioned size
   * @param volumeType the back end's volume type, where it has types
   * @param iops the provisioned IOPS, where the back end has them
   * @param availabilityZone the zone, where the back end has zones
   * @param encrypted whether the back end encrypts the volume at rest
   * @param status the back end's status
   * @param attachments the instances it is attached to
   * @param fields other facts the driver reports, for display
   */
  public Volume(VolumeId id, VolumeName name, ByteSize size, Optional<String> volumeType,
      Optional<Long> iops, Optional<String> availabilityZone, boolean encrypted,
      VolumeStatus status, List<Attachment> attachments, Map<String, String> fields) {
    this(id, name, size, volumeType, iops, availabilityZone, encrypted, status, attachments,
        fields, Optional.empty());
  }

  /**
   * Returns this volume with other attachments, as it is after an attach or detach that the
   * caller saw succeed.
   *
   * @param attachments the attachments now
   * @return the volume
   */
  public Volume withAttachments(List<Attachment> attachments) {
    return new Volume(id, name, size, volumeType, iops, availabilityZone, encrypted, status,
        attachments, fields, createdAt);
  }

  /**
   * Returns the attachment to an instance.
   *
   * @param instance the instance
   * @return the attachment, if the volume is attached there
   */
  public Optional<Attachment> attachmentTo(InstanceId instance) {
    return attachments.stream().filter(a -> a.instanceId().equals(instance)).findFirst();
  }

  /**
   * Returns the first attachment to an instance other than the given one.
   *
   * @param instance the local instance
   * @return the attachment elsewhere, if any
   */
  public Optional<Attachment> attachmentElsewhere(InstanceId instance) {
    return attachments.stream().filter(a -> !a.instanceId().equals(instance)).findFirst();
  }
}
