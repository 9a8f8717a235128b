package io.stowage.driver.ebs;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.ByteSize;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateVolumeRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * A volume to create, checked against the type's documented limits before anything is sent, and
 * the one {@code CreateVolume} request that creates it with its tags.
 *
 * @param name the name, set as the {@code Name} tag
 * @param type the volume type
 * @param sizeGiB the size in GiB
 * @param iops the provisioned IOPS, where the type takes them
 * @param throughput the provisioned throughput in MiB/s (gp3)
 * @param availabilityZone the zone
 * @param encrypted whether EBS encrypts it
 * @param kmsKeyId the KMS key, when encrypted with a key other than the account's default
 * @param snapshot the snapshot the volume is created from, if any
 */
record VolumeSpec(
    VolumeName name,
    EbsVolumeType type,
    int sizeGiB,
    Optional<Integer> iops,
    Optional<Integer> throughput,
    String availabilityZone,
    boolean encrypted,
    Optional<String> kmsKeyId,
    Optional<SnapshotId> snapshot) {

  /** The EBS option beyond the common ones: {@code throughput} in MiB/s (gp3). */
  static final String THROUGHPUT = "throughput";
  /** Every driver-specific volume option the EBS back end understands. */
  static final Set<String> OPTION_KEYS = Set.of(THROUGHPUT);
  /** The type of a volume created without {@code volumetype}. */
  static final EbsVolumeType DEFAULT_TYPE = EbsVolumeType.GP3;
  /** The size of a volume created without {@code size} (at least the type's minimum). */
  static final int DEFAULT_SIZE_GIB =
      Math.toIntExact(VolumeOptions.DEFAULT_SIZE.toGiBRoundedUp());
  /** The tag that holds a volume's name. */
  static final String NAME_TAG = "Name";
  /** The namespace tag key, REX-Ray 0.3's. */
  static final String NAMESPACE_TAG = "rexraySet";

  /**
   * Validates the specification.
   */
  VolumeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(iops, "iops");
    Objects.requireNonNull(throughput, "throughput");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(kmsKeyId, "kmsKeyId");
    Objects.requireNonNull(snapshot, "snapshot");
  }

  /**
   * Turns volume options into a specification, checking them against the type's limits.
   *
   * @param name the volume name
   * @param options the options (configured defaults merged in by the caller)
   * @param defaultZone the zone when {@code availabilityzone} is not given: the instance's
   * @param defaultKmsKeyId the key for encrypted volumes when {@code encryptionkey} is not given
   * @return the specification
   * @throws InvalidArgumentException naming the first option out of range and what to fix
   * @throws UnsupportedCapabilityException for copies of volumes, which this back end does
   *     not make
   */
  static VolumeSpec of(VolumeName name, VolumeOptions options, String defaultZone,
      Optional<String> defaultKmsKeyId) {
    return of(name, options, defaultZone, defaultKmsKeyId, Optional.empty());
  }

  /**
   * Turns volume options into a specification of a volume created from a snapshot, checking
   * them against the type's limits and the snapshot's size: without {@code size} the volume
   * has the snapshot's.
   *
   * @param name the volume name
   * @param options the options (configured defaults merged in by the caller)
   * @param defaultZone the zone when {@code availabilityzone} is not given: the instance's
   * @param defaultKmsKeyId the key for encrypted volumes when {@code encryptionkey} is not given
   * @param from the snapshot the options name, resolved by the caller
   * @return the specification
   * @throws InvalidArgumentException naming the first option out of range and what to fix,
   *     such as a size smaller than the snapshot
   * @throws UnsupportedCapabilityException for copies of volumes
   */
  static VolumeSpec of(VolumeName name, VolumeOptions options, String defaultZone,
      Optional<String> defaultKmsKeyId, Optional<Snapshot> from) {
    refuseUnsupported(options);
    if (options.source().isPresent() != from.isPresent()) {
      throw new IllegalArgumentException("the snapshot of " + options.source()
          + " must be resolved, and only then");
    }
    EbsVolumeType type = options.volumeType().map(EbsVolumeType::parse).orElse(DEFAULT_TYPE);
    int size = from.isEmpty() ? size(type, options.size())
        : sizeFrom(type, options.size(), from.get());
    Optional<Integer> iops = iops(type, size, options.iops());
    Optional<Integer> throughput = throughput(type, iops, options.extra());
    boolean encrypted = options.encrypted().orElse(options.encryptionKey().isPresent());
    if (!encrypted && options.encryptionKey().isPresent()) {
      throw InvalidArgumentException.withoutValue("encryptionkey",
          "is set but encrypted is false; drop the key or set encrypted=true");
    }
    Optional<String> key = encrypted ? options.encryptionKey().or(() -> defaultKmsKeyId)
        : Optional.empty();
    return new VolumeSpec(name, type, size, iops, throughput,
        options.availabilityZone().orElse(defaultZone), encrypted, key,
        from.map(Snapshot::id));
  }

  /**
   * Builds the {@code CreateVolume} request: the {@code Name} tag and the namespace tag are
   * set in the same call, so no volume ever exists without them.
   *
   * @param namespace the namespace tag value, if configured
   * @return the request
   */
  CreateVolumeRequest toRequest(Optional<String> namespace) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key(NAME_TAG).value(name.value()).build());
    namespace.ifPresent(n -> tags.add(Tag.builder().key(NAMESPACE_TAG).value(n).build()));
    CreateVolumeRequest.Builder request = CreateVolumeRequest.builder()
        .availabilityZone(availabilityZone)
        .size(sizeGiB)
        .volumeType(type.apiName())
        .encrypted(encrypted)
        .tagSpecifications(TagSpecification.builder()
            .resourceType(ResourceType.VOLUME)
            .tags(tags)
            .build());
    iops.ifPresent(request::iops);
    throughput.ifPresent(request::throughput);
    kmsKeyId.ifPresent(request::kmsKeyId);
    snapshot.ifPresent(s -> request.snapshotId(s.value()));
    return request.build();
  }

  @Override
  public String toString() {
    return "VolumeSpec[name=" + name + ", type=" + type.apiName() + ", sizeGiB=" + sizeGiB
        + ", iops=" + iops.map(String::valueOf).orElse("-")
        + ", throughput=" + throughput.map(String::valueOf).orElse("-")
        + ", availabilityZone=" + availabilityZone + ", encrypted=" + encrypted
        + ", kmsKeyId=" + kmsKeyId.map(k -> "****").orElse("-")
        + snapshot.map(s -> ", snapshot=" + s).orElse("") + "]";
  }

  private static void refuseUnsupported(VolumeOptions options) {
    if (options.sourceVolumeId().isPresent() || options.sourceVolumeName().isPresent()) {
      throw new UnsupportedCapabilityException("ebs", "COPY_VOLUME",
          "volumeid and volumename (copies) are not supported; take a snapshot and create the"
              + " volume from it");
    }
    for (String key : options.extra().keySet()) {
      if (!OPTION_KEYS.contains(key)) {
        throw new InvalidArgumentException("volume option", key,
            "is not an EBS option; EBS options beyond the common ones: "
                + String.join(", ", OPTION_KEYS));
      }
    }
  }

  private static int size(EbsVolumeType type, Optional<ByteSize> requested) {
    if (requested.isEmpty()) {
      return Math.max(DEFAULT_SIZE_GIB, type.minGiB());
    }
    long gib = requested.get().toGiBRoundedUp();
    if (gib < type.minGiB() || gib > type.maxGiB()) {
      throw new InvalidArgumentException("size", requested.get().toString(),
          "volume type " + type.apiName() + " must be from " + type.minGiB() + " to "
              + type.maxGiB() + " GiB");
    }
    return (int) gib;
  }

  /** The size of a volume from a snapshot: at least the snapshot's, its size by default. */
  private static int sizeFrom(EbsVolumeType type, Optional<ByteSize> requested, Snapshot from) {
    long least = from.size().toGiBRoundedUp();
    if (requested.isPresent() && requested.get().toGiBRoundedUp() < least) {
      throw new InvalidArgumentException("size", requested.get().toString(), "is smaller than"
          + " snapshot " + from.id() + " of " + least + " GiB; a volume from a snapshot is at"
          + " least as large");
    }
    return requested.isPresent() ? size(type, requested)
        : (int) Math.max(least, type.minGiB());
  }

  private static Optional<Integer> iops(EbsVolumeType type, int sizeGiB,
      Optional<Long> requested) {
    Optional<EbsVolumeType.IopsLimits> limits = type.iops();
    if (limits.isEmpty()) {
      requested.ifPresent(v -> {
        throw new InvalidArgumentException("iops", v.toString(), "volume type "
            + type.apiName() + " takes no provisioned IOPS; drop iops, or use gp3, io1 or io2");
      });
      return Optional.empty();
    }
    EbsVolumeType.IopsLimits l = limits.get();
    if (requested.isEmpty()) {
      if (l.required()) {
        throw InvalidArgumentException.withoutValue("iops", "volume type " + type.apiName()
            + " needs provisioned IOPS from " + l.min() + " to " + l.max());
      }
      return Optional.empty();
    }
    long iops = requested.get();
    if (iops < l.min() || iops > l.max()) {
      throw new InvalidArgumentException("iops", Long.toString(iops), "volume type "
          + type.apiName() + " takes from " + l.min() + " to " + l.max() + " IOPS");
    }
    if (iops > l.min() && iops > (long) l.perGiB() * sizeGiB) {
      throw new InvalidArgumentException("iops", Long.toString(iops), "volume type "
          + type.apiName() + " takes at most " + l.perGiB() + " IOPS per GiB; " + sizeGiB
          + " GiB allows " + Math.max(l.min(), (long) l.perGiB() * sizeGiB)
          + ": lower iops or raise size to " + ceilDiv(iops, l.perGiB()) + " GiB");
    }
    return Optional.of((int) iops);
  }

  private static Optional<Integer> throughput(EbsVolumeType type, Optional<Integer> iops,
      Map<String, String> extra) {
    String text = extra.get(THROUGHPUT);
    if (text == null) {
      return Optional.empty();
    }
    if (type.throughput().isEmpty()) {
      throw new InvalidArgumentException(THROUGHPUT, text, "volume type " + type.apiName()
          + " takes no provisioned throughput; drop throughput, or use gp3");
    }
    EbsVolumeType.ThroughputLimits l = type.throughput().get();
    int value;
    try {
      value = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(THROUGHPUT, text, "must be a whole number of MiB/s");
    }
    if (value < l.min() || value > l.max()) {
      throw new InvalidArgumentException(THROUGHPUT, text, "volume type " + type.apiName()
          + " takes from " + l.min() + " to " + l.max() + " MiB/s");
    }
    int effectiveIops = iops.orElse(type.iops().map(EbsVolumeType.IopsLimits::min).orElse(0));
    // EBS allows at most 0.25 MiB/s per provisioned IOPS.
    if (value > l.min() && value * 4L > effectiveIops) {
      throw new InvalidArgumentException(THROUGHPUT, text, "volume type " + type.apiName()
          + " takes at most 0.25 MiB/s per IOPS; " + effectiveIops + " IOPS allow "
          + effectiveIops / 4 + " MiB/s: lower throughput or raise iops to " + value * 4L);
    }
    return Optional.of(value);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
