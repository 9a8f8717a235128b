package io.stowage.driver.ebs;

import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeStatus;
import io.stowage.model.VolumeStatus.Phase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;

/** Turns EC2's volumes into Stowage's model. Stateless. */
final class Ec2Volumes {
  /** The volume states lookups return: a deleting or deleted volume is gone for Stowage. */
  static final List<String> LIVE_STATES = List.of("creating", "available", "in-use", "error");

  private Ec2Volumes() {}

  /**
   * Converts a volume. Its name is the {@code Name} tag, or the volume ID when the tag is
   * missing or is no legal volume name (the tag's raw value is then in the fields).
   *
   * @param v EC2's volume
   * @return the model volume
   */
  static Volume toModel(software.amazon.awssdk.services.ec2.model.Volume v) {
    Optional<String> nameTag = tag(v, VolumeSpec.NAME_TAG);
    Map<String, String> fields = new TreeMap<>();
    if (nameTag.isPresent() && !VolumeName.isLegal(nameTag.get())) {
      fields.put("nameTag", nameTag.get());
    }
    VolumeName name = nameTag.filter(VolumeName::isLegal).map(VolumeName::of)
        .orElse(VolumeName.of(v.volumeId()));
    if (v.throughput() != null) {
      fields.put("throughput", v.throughput() + "MiB/s");
    }
    if (v.snapshotId() != null && !v.snapshotId().isEmpty()) {
      fields.put("snapshotId", v.snapshotId());
    }
    if (v.createTime() != null) {
      fields.put("createTime", v.createTime().toString());
    }
    if (Boolean.TRUE.equals(v.multiAttachEnabled())) {
      fields.put("multiAttach", "true");
    }
    return new Volume(VolumeId.of(v.volumeId()), name, ByteSize.ofGiB(v.size()),
        Optional.ofNullable(v.volumeTypeAsString()),
        Optional.ofNullable(v.iops()).map(Integer::longValue),
        Optional.ofNullable(v.availabilityZone()),
        Boolean.TRUE.equals(v.encrypted()),
        status(v.stateAsString()),
        attachments(v),
        fields);
  }

  /**
   * Maps EC2's volume state.
   *
   * @param state the state, such as {@code in-use}
   * @return the status, {@link Phase#UNKNOWN} for a state this mapping does not know
   */
  static VolumeStatus status(String state) {
    String raw = state == null ? "" : state;
    Phase phase = switch (raw) {
      case "creating" -> Phase.CREATING;
      case "available" -> Phase.AVAILABLE;
      case "in-use" -> Phase.IN_USE;
      case "deleting", "deleted" -> Phase.DELETING;
      case "error" -> Phase.ERROR;
      default -> Phase.UNKNOWN;
    };
    return new VolumeStatus(phase, raw);
  }

  /**
   * Returns the attachment to an instance that is not yet detached.
   *
   * @param v EC2's volume
   * @param instance the instance ID
   * @return the attachment, in any state but {@code detached}
   */
  static Optional<VolumeAttachment> attachmentTo(
      software.amazon.awssdk.services.ec2.model.Volume v, String instance) {
    return v.attachments().stream()
        .filter(a -> instance.equals(a.instanceId()))
        .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
        .findFirst();
  }

  /**
   * Returns the first attachment to an instance other than the given one.
   *
   * @param v EC2's volume
   * @param instance the instance ID
   * @return the attachment, in any state but {@code detached}
   */
  static Optional<VolumeAttachment> attachmentElsewhere(
      software.amazon.awssdk.services.ec2.model.Volume v, String instance) {
    return v.attachments().stream()
        .filter(a -> !instance.equals(a.instanceId()))
        .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
        .findFirst();
  }

  private static List<Attachment> attachments(
      software.amazon.awssdk.services.ec2.model.Volume v) {
    return v.attachments().stream()
        .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
        .map(a -> new Attachment(VolumeId.of(v.volumeId()), InstanceId.of(a.instanceId()),
            a.device()))
        .toList();
  }

  private static Optional<String> tag(software.amazon.awssdk.services.ec2.model.Volume v,
      String key) {
    return v.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
  }
}
