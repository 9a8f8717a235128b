package io.stowage.driver.fake;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One volume as the store keeps it: the JSON file {@code <root>/volumes/<id>.json}.
 *
 * @param version the record format, {@link #VERSION}
 * @param id the volume ID
 * @param name the volume name
 * @param sizeBytes the size
 * @param volumeType the type given at create, or null
 * @param iops the IOPS given at create, or null
 * @param availabilityZone the zone given at create, or null
 * @param encrypted whether encryption was asked for (recorded only)
 * @param created when it was created, ISO-8601, or null in a record written without it
 * @param attachment its attachment, or null
 * @param createdFrom the snapshot or volume it was created from ({@code snapshot <id>},
 *     {@code volume <id>}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VolumeRecord(int version, String id, String name, long sizeBytes, String volumeType,
    Long iops, String availabilityZone, boolean encrypted, String created,
    AttachmentRecord attachment, String createdFrom) {

  static final int VERSION = 1;

  /** When it was created, unless the record does not say or says it unreadably. */
  Optional<Instant> createdAt() {
    try {
      return Optional.ofNullable(created).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  VolumeRecord withAttachment(AttachmentRecord newAttachment) {
    return new VolumeRecord(version, id, name, sizeBytes, volumeType, iops, availabilityZone,
        encrypted, created, newAttachment, createdFrom);
  }

  VolumeRecord withSize(long newSizeBytes) {
    return new VolumeRecord(version, id, name, newSizeBytes, volumeType, iops,
        availabilityZone, encrypted, created, attachment, createdFrom);
  }

  /**
   * An attachment as the store keeps it.
   *
   * @param instanceId the instance the volume is attached to
   * @param device the attachment's device string, as {@code Attachment.device()} reports it
   * @param loopDevice the loop device over the image, when one was set up, or null
   * @param state {@code attached}, or {@code attaching} for a stuck attachment
   * @param since when it was attached, ISO-8601
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record AttachmentRecord(String instanceId, String device, String loopDevice, String state,
      String since) {
    static final String ATTACHED = "attached";
    static final String ATTACHING = "attaching";
  }
}
