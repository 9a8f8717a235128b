package io.stowage.driver.ebs;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.SnapshotStatus.Phase;
import io.stowage.model.VolumeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Turns EC2's snapshots into Stowage's model, and snapshot requests into tags. Stateless. */
final class Ec2Snapshots {
  /** The shape of an EBS snapshot ID: {@code snap-} and 8 (older snapshots) or 17 hex digits. */
  static final Pattern SNAPSHOT_ID = Pattern.compile("snap-[0-9a-f]{8}(?:[0-9a-f]{9})?");
  /** The volume ID EC2 reports for a snapshot copied from another region. */
  private static final String NO_VOLUME = "vol-ffffffff";

  private Ec2Snapshots() {}

  /**
   * Converts a snapshot. Its name is the {@code Name} tag, or the snapshot ID when the tag is
   * missing or is no legal snapshot name; the driver's own tags are left out of its tags.
   *
   * @param s EC2's snapshot
   * @param region the region it was described in
   * @return the model snapshot
   */
  static Snapshot toModel(software.amazon.awssdk.services.ec2.model.Snapshot s, String region) {
    Map<String, String> tags = new TreeMap<>();
    s.tags().forEach(t -> tags.put(t.key(), t.value()));
    String nameTag = tags.remove(VolumeSpec.NAME_TAG);
    tags.remove(VolumeSpec.NAMESPACE_TAG);
    SnapshotName name = nameTag != null && SnapshotName.isLegal(nameTag)
        ? SnapshotName.of(nameTag) : SnapshotName.of(s.snapshotId());
    Map<String, String> fields = new TreeMap<>();
    if (s.description() != null && !s.description().isEmpty()) {
      fields.put("description", s.description());
    }
    if (s.stateMessage() != null && !s.stateMessage().isEmpty()) {
      fields.put("stateMessage", s.stateMessage());
    }
    if (Boolean.TRUE.equals(s.encrypted())) {
      fields.put("encrypted", "true");
    }
    Optional<VolumeId> volume = Optional.ofNullable(s.volumeId())
        .filter(v -> !v.isEmpty() && !v.equals(NO_VOLUME)).map(VolumeId::of);
    return new Snapshot(SnapshotId.of(s.snapshotId()), name, volume,
        ByteSize.ofGiB(Math.max(1, s.volumeSize() == null ? 1 : s.volumeSize())),
        status(s.stateAsString(), s.progress()), Optional.of(region), tags, fields,
        Optional.ofNullable(s.startTime()));
  }

  /**
   * Maps EC2's snapshot state and progress.
   *
   * @param state the state, such as {@code pending}
   * @param progress the progress, such as {@code 42%}, or null
   * @return the status, {@link Phase#UNKNOWN} for a state this mapping does not know
   */
  static SnapshotStatus status(String state, String progress) {
    String raw = state == null ? "" : state;
    Phase phase = switch (raw) {
      case "pending" -> Phase.PENDING;
      case "completed" -> Phase.COMPLETED;
      case "error" -> Phase.ERROR;
      default -> Phase.UNKNOWN;
    };
    Optional<Integer> percent = Optional.empty();
    if (progress != null && progress.matches("[0-9]{1,3}%")) {
      int p = Integer.parseInt(progress.substring(0, progress.length() - 1));
      percent = p <= 100 ? Optional.of(p) : Optional.empty();
    }
    return new SnapshotStatus(phase, raw, percent);
  }

  /**
   * Returns the tags of a new snapshot, set in the call that creates it: its name, the
   * namespace tag, and the request's tags.
   *
   * @param request the name and tags asked for
   * @param namespace the namespace tag value, if configured
   * @return the tag specification
   * @throws InvalidArgumentException when the request sets a tag the driver keeps for itself
   */
  static TagSpecification tags(SnapshotRequest request, Optional<String> namespace) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key(VolumeSpec.NAME_TAG).value(request.name().value()).build());
    namespace.ifPresent(n -> tags.add(Tag.builder().key(VolumeSpec.NAMESPACE_TAG).value(n)
        .build()));
    request.tags().forEach((k, v) -> {
      if (k.equalsIgnoreCase(VolumeSpec.NAME_TAG) || k.equalsIgnoreCase(VolumeSpec.NAMESPACE_TAG)) {
        throw new InvalidArgumentException("snapshot tag key", k, "is kept by the EBS driver"
            + " for the snapshot's name and namespace");
      }
      tags.add(Tag.builder().key(k).value(v).build());
    });
    return TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags).build();
  }
}
