package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Snapshot;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.DetachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeModification;

/**
 * EBS volumes in Stowage's model, over one {@link Ec2Connection}: the operations the EBS driver
 * calls, each with as few EC2 calls as the API allows.
 *
 * <ul>
 *   <li>list: one {@code DescribeVolumes} per 500 volumes of the region; find by name or ID:
 *       one {@code DescribeVolumes}. Lookups return only volumes with the namespace tag (when
 *       one is configured) that are not being deleted.
 *   <li>create: one {@code DescribeVolumes} (a volume of that name in any zone is reported,
 *       never duplicated), one {@code CreateVolume} that also sets the tags, then polls.
 *   <li>remove: one {@code DeleteVolume}; EC2 refuses an attached volume, and one
 *       {@code DescribeVolumes} then names the instance that holds it.
 *   <li>attach: one {@code AttachVolume} with a device name from {@link DeviceNameAllocator},
 *       then polls; the instance's mapped names come once from IMDS (or one
 *       {@code DescribeInstances}) and are read again only when EC2 refuses a name.
 *   <li>detach: one {@code DetachVolume} naming the instance, then polls.
 *   <li>create from a snapshot: one {@code DescribeSnapshots} more than a create (the
 *       snapshot's size, and whether it is complete), and {@code CreateVolume} names it.
 *   <li>grow: one {@code DescribeVolumes} (the size now, with the namespace), one
 *       {@code ModifyVolume}, then polls {@code DescribeVolumesModifications} until the
 *       modification is {@code optimizing} or {@code completed}, when the new size is usable.
 * </ul>
 *
 * <p>Snapshots are {@link EbsSnapshots}, per region ({@link SnapshotRegions}). Polls go
 * through one {@link StatePoller} per kind (volumes, modifications, each region's snapshots), so
 * concurrent waits share batched describe calls. Every wait ends at
 * {@link EbsBackendOptions#statusTimeout()}.
 *
 * <p>Thread-safe. It owns the connection, the poller and the metadata client, and closes them.
 */
final class EbsBackend implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EbsBackend.class);
  private static final int PAGE_SIZE = 500;
  private static final int ATTACH_ATTEMPTS = 3;

  private final Ec2Connection ec2;
  private final Ec2Client client;
  private final InstanceIdentity local;
  private final Optional<InstanceMetadata> metadata;
  private final Predicate<String> localDevicePresent;
  private final EbsBackendOptions options;
  private final Random random;
  private final StatePoller<software.amazon.awssdk.services.ec2.model.Volume> poller;
  private final StatePoller<VolumeModification> modifications;
  private final SnapshotRegions snapshots;
  private final ReentrantLock allocatorsLock = new ReentrantLock();
  private final Map<String, DeviceNameAllocator> allocators = new HashMap<>();

  /**
   * Creates the back end and starts its poller. Nothing is sent to EC2.
   *
   * @param ec2 the connection
   * @param local the instance this process runs on
   * @param metadata the metadata service, for the local instance's block device mappings;
   *     empty to read them with one {@code DescribeInstances}
   * @param localDevicePresent whether a device of a name ({@code xvdba}) exists on this host,
   *     such as {@link EbsDeviceLocator#hasDeviceName}
   * @param options namespace, default key, timeout and poll schedule
   * @param random the order device names are tried in
   * @param otherRegions opens a connection to another region, for copies of snapshots
   */
  EbsBackend(Ec2Connection ec2, InstanceIdentity local, Optional<InstanceMetadata> metadata,
      Predicate<String> localDevicePresent, EbsBackendOptions options, Random random,
      Function<String, Ec2Connection> otherRegions) {
    this.ec2 = Objects.requireNonNull(ec2, "ec2");
    this.client = ec2.client();
    this.local = Objects.requireNonNull(local, "local");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.localDevicePresent = Objects.requireNonNull(localDevicePresent, "localDevicePresent");
    this.options = Objects.requireNonNull(options, "options");
    this.random = Objects.requireNonNull(random, "random");
    this.poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, this::describeBatch,
        options.poll());
    this.modifications = new StatePoller<>("modifications", StatePoller.VOLUME_BATCH,
        this::describeModifications, options.poll());
    this.snapshots = new SnapshotRegions(ec2, local.region(), options, otherRegions);
  }

  /**
   * Returns the snapshots of the driver's region.
   *
   * @return the snapshots
   */
  EbsSnapshots snapshots() {
    return snapshots.home();
  }

  /**
   * Returns the instance this process runs on.
   *
   * @return the identity
   */
  InstanceIdentity localInstance() {
    return local;
  }

  /**
   * Lists the region's volumes (with the namespace tag, when one is configured).
   *
   * @return the volumes
   */
  List<Volume> list() {
    return describePages("the region's volumes", DescribeVolumesRequest.builder()
        .filters(lookupFilters())
        .maxResults(PAGE_SIZE)
        .build());
  }

  /**
   * Finds a volume by ID. An ID that is not of EBS's form is not sent.
   *
   * @param id the volume ID
   * @return the volume, if it exists, carries the namespace tag and is not being deleted
   */
  Optional<Volume> find(VolumeId id) {
    if (!EbsDriverProvider.VOLUME_ID.matcher(id.value()).matches()) {
      return Optional.empty();
    }
    try {
      DescribeVolumesResponse response = ec2.call("DescribeVolumes", id.value(),
          () -> client.describeVolumes(b -> b.volumeIds(id.value()).filters(lookupFilters())));
      return response.volumes().stream().findFirst().map(Ec2Volumes::toModel);
    } catch (VolumeNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Finds the volumes of a name, in every zone of the region.
   *
   * @param name the name
   * @return the volumes whose {@code Name} tag is the name
   */
  List<Volume> findByName(VolumeName name) {
    List<Filter> filters = new ArrayList<>(lookupFilters());
    filters.add(filter("tag:" + VolumeSpec.NAME_TAG, name.value()));
    return describePages(name.value(), DescribeVolumesRequest.builder()
        .filters(filters)
        .maxResults(PAGE_SIZE)
        .build());
  }

  /**
   * Creates a volume and waits until it is available.
   *
   * @param name the name
   * @param options the options, with configured defaults merged in
   * @return the new volume
   * @throws io.stowage.exception.InvalidArgumentException when an option is out of the type's
   *     range (before any call)
   * @throws io.stowage.exception.UnsupportedCapabilityException for copies of volumes
   * @throws io.stowage.exception.SnapshotNotFoundException when the snapshot to create from
   *     does not exist
   * @throws io.stowage.exception.InvalidStateException when that snapshot is not complete
   * @throws VolumeAlreadyExistsException when a volume of the name exists, in any zone
   * @throws io.stowage.exception.OperationTimeoutException when it is not available in time
   */
  Volume create(VolumeName name, VolumeOptions options) {
    Optional<Snapshot> from = options.source().filter(s -> s.kind().snapshot())
        .map(snapshots.home()::resolve);
    VolumeSpec spec = VolumeSpec.of(name, options, local.availabilityZone(),
        this.options.kmsKeyId(), from);
    List<Volume> existing = findByName(name);
    if (!existing.isEmpty()) {
      Volume same = existing.stream()
          .filter(v -> v.availabilityZone().orElse("").equals(spec.availabilityZone()))
          .findFirst().orElse(existing.get(0));
      String zone = same.availabilityZone().orElse("?");
      throw new VolumeAlreadyExistsException(name.value(), zone.equals(spec.availabilityZone())
          ? same.id().value()
          : same.id().value() + " in availability zone " + zone + "; not creating a second one"
              + " in " + spec.availabilityZone());
    }
    CreateVolumeResponse created = ec2.call("CreateVolume", name.value(),
        () -> client.createVolume(spec.toRequest(this.options.namespace())));
    String id = created.volumeId();
    LOG.debug("created EBS volume {} ({}), waiting until it is available", id, spec);
    AtomicBoolean seen = new AtomicBoolean();
    Optional<software.amazon.awssdk.services.ec2.model.Volume> ready = poller.await(id, v -> {
      if (v.isEmpty()) {
        if (seen.get()) {
          throw new BackendException("volume " + id + " (" + name + ") vanished while being"
              + " created; EC2 deletes a volume it cannot create (check the KMS key)", false,
              null, null);
        }
        return false; // not visible yet: EC2 is eventually consistent
      }
      seen.set(true);
      return switch (v.get().stateAsString()) {
        case "available", "in-use" -> true;
        case "creating" -> false;
        default -> throw new BackendException("volume " + id + " (" + name + ") entered state "
            + v.get().stateAsString() + " while being created", false, null, null);
      };
    }, this.options.statusTimeout(), "volume " + id + " (" + name + ") to become available");
    return Ec2Volumes.toModel(ready.orElseThrow());
  }

  /**
   * Removes a volume. EC2 refuses an attached volume; nothing is changed then.
   *
   * @param id the volume
   * @throws VolumeNotFoundException when it does not exist
   * @throws VolumeInUseException naming the instance it is attached to
   */
  void remove(VolumeId id) {
    requireEbsId(id);
    try {
      ec2.call("DeleteVolume", id.value(), () -> client.deleteVolume(b -> b.volumeId(id.value())));
    } catch (VolumeInUseException e) {
      software.amazon.awssdk.services.ec2.model.Volume volume = describeRaw(id.value());
      List<String> holders = volume.attachments().stream()
          .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
          .map(VolumeAttachment::instanceId)
          .toList();
      if (holders.isEmpty()) {
        throw e;
      }
      throw VolumeInUseException.byInstance(Ec2Volumes.toModel(volume).name().value(),
          String.join(", ", holders));
    }
    LOG.debug("removed EBS volume {}", id);
  }

  /**
   * Attaches a volume and waits until EC2 reports it attached. Attaching a volume that is
   * already attached to the instance returns that attachment.
   *
   * @param id the volume
   * @param instance the instance
   * @param force detach it by force from another instance first
   * @return the attachment, whose device is the name given to EC2 ({@code /dev/xvdkq})
   * @throws VolumeInUseException when it is attached elsewhere and {@code force} is false
   * @throws VolumeNotFoundException when it does not exist
   */
  Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    requireEbsId(id);
    DeviceNameAllocator names = allocator(instance);
    boolean refreshed = false;
    for (int attempt = 1; ; attempt++) {
      String device = names.next();
      try {
        client.attachVolume(b -> b.volumeId(id.value()).instanceId(instance.value())
            .device(device));
      } catch (SdkException e) {
        String code = Ec2Errors.code(e).orElse("");
        if (code.equals(Ec2Errors.INVALID_PARAMETER_VALUE) && attempt < ATTACH_ATTEMPTS) {
          // Mostly "attachment point in use": a name this process could not know of.
          LOG.warn("EC2 refused device {} for {} on {}; trying another name", device, id,
              instance);
          names.markUnusable(device);
          if (!refreshed) {
            names.refreshMappings(instanceDevices(instance));
            refreshed = true;
          }
          continue;
        }
        names.release(device);
        boolean unsettled = code.equals(Ec2Errors.VOLUME_IN_USE)
            || code.equals(Ec2Errors.INCORRECT_STATE);
        if (!unsettled || attempt >= ATTACH_ATTEMPTS) {
          throw ec2.errors().translate("AttachVolume", id.value(), e);
        }
        Optional<Attachment> done = settle(id, instance, force, names);
        if (done.isPresent()) {
          return done.get();
        }
        continue;
      }
      awaitAttached(id, instance);
      LOG.debug("attached EBS volume {} to instance {} as {}", id, instance, device);
      return new Attachment(id, instance, device);
    }
  }

  /**
   * Detaches a volume from an instance and waits until EC2 reports it detached. A volume that
   * is not attached there is left as it is.
   *
   * @param id the volume
   * @param instance the instance
   * @param force detach even if the instance still uses it (preemption)
   * @throws VolumeNotFoundException when the volume does not exist
   */
  void detach(VolumeId id, InstanceId instance, boolean force) {
    requireEbsId(id);
    String device;
    try {
      DetachVolumeResponse response = client.detachVolume(b -> b.volumeId(id.value())
          .instanceId(instance.value()).force(force));
      device = response.device();
    } catch (SdkException e) {
      String code = Ec2Errors.code(e).orElse("");
      if (!code.equals(Ec2Errors.INCORRECT_STATE)
          && !code.equals(Ec2Errors.ATTACHMENT_NOT_FOUND)) {
        throw ec2.errors().translate("DetachVolume", id.value(), e);
      }
      Optional<VolumeAttachment> attachment =
          Ec2Volumes.attachmentTo(describeRaw(id.value()), instance.value());
      if (attachment.isEmpty()) {
        return;
      }
      device = attachment.get().device();
    }
    awaitDetached(id, instance);
    LOG.debug("detached EBS volume {} from instance {}", id, instance);
    if (device != null) {
      releaseName(instance, device);
    }
  }

  /**
   * Grows a volume and waits until EC2 serves the new size: the modification is
   * {@code optimizing} or {@code completed}. Growing it to the size it has changes nothing.
   *
   * @param id the volume
   * @param size the new size, rounded up to whole GiB
   * @return the volume at its new size
   * @throws InvalidArgumentException when the size is smaller than the volume's or above its
   *     type's limit; nothing is sent
   * @throws VolumeNotFoundException when it does not exist (with the namespace)
   * @throws io.stowage.exception.InvalidStateException when a modification is in progress
   * @throws io.stowage.exception.OperationTimeoutException when it is not served in time
   */
  Volume grow(VolumeId id, ByteSize size) {
    Volume volume = find(id).orElseThrow(() -> new VolumeNotFoundException(id.value()));
    long current = volume.size().toGiBRoundedUp();
    long wanted = size.toGiBRoundedUp();
    if (wanted < current) {
      throw new InvalidArgumentException("size", size.toString(), "is smaller than volume "
          + volume.name() + " (" + id + ") of " + current + " GiB; volumes only grow");
    }
    if (wanted == current) {
      return volume;
    }
    EbsVolumeType type = EbsVolumeType.parse(volume.volumeType().orElse(
        VolumeSpec.DEFAULT_TYPE.apiName()));
    if (wanted > type.maxGiB()) {
      throw new InvalidArgumentException("size", size.toString(), "volume type "
          + type.apiName() + " is at most " + type.maxGiB() + " GiB");
    }
    ec2.call("ModifyVolume", id.value(), () -> client.modifyVolume(b -> b.volumeId(id.value())
        .size((int) wanted)));
    LOG.debug("growing EBS volume {} from {} to {} GiB", id, current, wanted);
    modifications.await(id.value(), m -> {
      if (m.isEmpty() || m.get().targetSize() == null || m.get().targetSize() < wanted) {
        return false; // not visible yet: EC2 is eventually consistent
      }
      return switch (m.get().modificationStateAsString()) {
        case "optimizing", "completed" -> true;
        case "failed" -> throw new BackendException("EC2 failed to grow volume " + id + " to "
            + wanted + " GiB: " + Optional.ofNullable(m.get().statusMessage())
                .orElse("(no message)"), false, null, null);
        default -> false;
      };
    }, options.statusTimeout(), "volume " + id + " to grow to " + wanted + " GiB");
    return new Volume(volume.id(), volume.name(), ByteSize.ofGiB(wanted), volume.volumeType(),
        volume.iops(), volume.availabilityZone(), volume.encrypted(), volume.status(),
        volume.attachments(), volume.fields(), volume.createdAt());
  }

  @Override
  public void close() {
    snapshots.close();
    modifications.close();
    poller.close();
    ec2.close();
    metadata.ifPresent(InstanceMetadata::close);
  }

  /** After AttachVolume said "in use" or "incorrect state": learn why and act on it. */
  private Optional<Attachment> settle(VolumeId id, InstanceId instance, boolean force,
      DeviceNameAllocator names) {
    software.amazon.awssdk.services.ec2.model.Volume volume = describeRaw(id.value());
    Optional<VolumeAttachment> here = Ec2Volumes.attachmentTo(volume, instance.value());
    if (here.isPresent()) {
      names.markInUse(here.get().device());
      if (here.get().state() != VolumeAttachmentState.ATTACHED) {
        awaitAttached(id, instance);
      }
      return Optional.of(new Attachment(id, instance, here.get().device()));
    }
    Optional<VolumeAttachment> elsewhere =
        Ec2Volumes.attachmentElsewhere(volume, instance.value());
    if (elsewhere.isPresent()) {
      String holder = elsewhere.get().instanceId();
      if (!force) {
        throw VolumeInUseException.byInstance(Ec2Volumes.toModel(volume).name().value(), holder);
      }
      LOG.debug("detaching EBS volume {} by force from instance {} to attach it to {}", id,
          holder, instance);
      InstanceId other = InstanceId.of(holder);
      ec2.call("DetachVolume", id.value(), () -> client.detachVolume(b -> b
          .volumeId(id.value()).instanceId(holder).force(true)));
      awaitDetached(id, other);
      releaseName(other, elsewhere.get().device());
      return Optional.empty();
    }
    if ("creating".equals(volume.stateAsString())) {
      poller.await(id.value(), v -> v.isPresent() && !"creating".equals(v.get().stateAsString()),
          options.statusTimeout(), "volume " + id + " to finish being created");
    }
    return Optional.empty();
  }

  private void awaitAttached(VolumeId id, InstanceId instance) {
    AtomicBoolean seen = new AtomicBoolean();
    poller.await(id.value(), v -> {
      if (v.isEmpty()) {
        throw new VolumeNotFoundException(id.value());
      }
      Optional<VolumeAttachment> a = Ec2Volumes.attachmentTo(v.get(), instance.value());
      if (a.isEmpty()) {
        if (seen.get()) {
          throw new BackendException("EC2 dropped the attachment of volume " + id
              + " to instance " + instance + " before it completed", true, null, null);
        }
        return false; // not visible yet: EC2 is eventually consistent
      }
      seen.set(true);
      return a.get().state() == VolumeAttachmentState.ATTACHED;
    }, options.statusTimeout(), "volume " + id + " to attach to instance " + instance);
  }

  private void awaitDetached(VolumeId id, InstanceId instance) {
    poller.await(id.value(),
        v -> v.isEmpty() || Ec2Volumes.attachmentTo(v.get(), instance.value()).isEmpty(),
        options.statusTimeout(), "volume " + id + " to detach from instance " + instance);
  }

  /** The poller's lookup: one call for up to 500 IDs; a vanished ID splits the batch. */
  private Map<String, software.amazon.awssdk.services.ec2.model.Volume> describeBatch(
      List<String> ids) {
    Map<String, software.amazon.awssdk.services.ec2.model.Volume> found = new LinkedHashMap<>();
    try {
      DescribeVolumesResponse response = ec2.call("DescribeVolumes", ids.size() + " volume(s)",
          () -> client.describeVolumes(b -> b.volumeIds(ids)));
      response.volumes().forEach(v -> found.put(v.volumeId(), v));
    } catch (VolumeNotFoundException e) {
      if (ids.size() > 1) {
        found.putAll(describeBatch(ids.subList(0, ids.size() / 2)));
        found.putAll(describeBatch(ids.subList(ids.size() / 2, ids.size())));
      }
    }
    return found;
  }

  /** The modifications poller's lookup: the latest modification of up to 500 volumes. */
  private Map<String, VolumeModification> describeModifications(List<String> ids) {
    Map<String, VolumeModification> found = new LinkedHashMap<>();
    try {
      ec2.call("DescribeVolumesModifications", ids.size() + " volume(s)",
          () -> client.describeVolumesModifications(b -> b.volumeIds(ids)))
          .volumesModifications().forEach(m -> found.merge(m.volumeId(), m,
              (a, b) -> a.startTime() != null && b.startTime() != null
                  && a.startTime().isAfter(b.startTime()) ? a : b));
    } catch (VolumeNotFoundException e) {
      if (ids.size() > 1) {
        found.putAll(describeModifications(ids.subList(0, ids.size() / 2)));
        found.putAll(describeModifications(ids.subList(ids.size() / 2, ids.size())));
      }
    }
    return found;
  }

  private software.amazon.awssdk.services.ec2.model.Volume describeRaw(String id) {
    return ec2.call("DescribeVolumes", id, () -> client.describeVolumes(b -> b.volumeIds(id)))
        .volumes().stream().findFirst()
        .orElseThrow(() -> new VolumeNotFoundException(id));
  }

  private List<Volume> describePages(String subject, DescribeVolumesRequest request) {
    return ec2.call("DescribeVolumes", subject, () -> {
      List<Volume> volumes = new ArrayList<>();
      for (DescribeVolumesResponse page : client.describeVolumesPaginator(request)) {
        page.volumes().forEach(v -> volumes.add(Ec2Volumes.toModel(v)));
      }
      return volumes;
    });
  }

  private List<Filter> lookupFilters() {
    List<Filter> filters = new ArrayList<>();
    filters.add(Filter.builder().name("status").values(Ec2Volumes.LIVE_STATES).build());
    options.namespace().ifPresent(n -> filters.add(filter("tag:" + VolumeSpec.NAMESPACE_TAG, n)));
    return filters;
  }

  private static Filter filter(String name, String value) {
    return Filter.builder().name(name).values(value).build();
  }

  private DeviceNameAllocator allocator(InstanceId instance) {
    allocatorsLock.lock();
    try {
      DeviceNameAllocator names = allocators.get(instance.value());
      if (names == null) {
        boolean isLocal = instance.equals(local.instanceId());
        Set<String> mapped = isLocal ? localMappings() : instanceDevices(instance);
        names = new DeviceNameAllocator(mapped, isLocal ? localDevicePresent : n -> false,
            random);
        allocators.put(instance.value(), names);
      }
      return names;
    } finally {
      allocatorsLock.unlock();
    }
  }

  private void releaseName(InstanceId instance, String device) {
    allocatorsLock.lock();
    DeviceNameAllocator names;
    try {
      names = allocators.get(instance.value());
    } finally {
      allocatorsLock.unlock();
    }
    if (names != null) {
      names.release(device);
    }
  }

  private Set<String> localMappings() {
    if (metadata.isPresent()) {
      try {
        return metadata.get().blockDeviceNames();
      } catch (StowageException e) {
        LOG.warn("reading the block device mapping from the instance metadata failed; asking"
            + " EC2 instead: {}", e.getMessage());
      }
    }
    return instanceDevices(local.instanceId());
  }

  private Set<String> instanceDevices(InstanceId instance) {
    Set<String> names = new TreeSet<>();
    ec2.call("DescribeInstances", instance.value(),
        () -> client.describeInstances(b -> b.instanceIds(instance.value())))
        .reservations().forEach(r -> r.instances().forEach(i -> i.blockDeviceMappings().stream()
            .map(InstanceBlockDeviceMapping::deviceName)
            .filter(Objects::nonNull)
            .forEach(d -> names.add(DeviceNameAllocator.normalise(d)))));
    return names;
  }

  private static void requireEbsId(VolumeId id) {
    if (!EbsDriverProvider.VOLUME_ID.matcher(id.value()).matches()) {
      throw new VolumeNotFoundException(id.value());
    }
  }
}
