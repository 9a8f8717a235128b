package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeSource;
import io.stowage.spi.Snapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The EBS snapshots of one region, over that region's {@link Ec2Connection}, each operation
 * with as few EC2 calls as the API allows:
 *
 * <ul>
 *   <li>create: one {@code CreateSnapshot}, which sets the tags and fixes the point in time;
 *       it returns while EBS still copies the data ({@code pending}).
 *   <li>await: the region's {@link StatePoller}, whose rounds share one
 *       {@code DescribeSnapshots} per 1000 snapshots among all waits.
 *   <li>list, find by name: one {@code DescribeSnapshots} of the account's snapshots per 1000;
 *       find by ID: one {@code DescribeSnapshots}. Lookups return only snapshots with the
 *       namespace tag, when one is configured.
 *   <li>remove: one {@code DeleteSnapshot}.
 *   <li>copy: one {@code DescribeSnapshots} of the source (its size, and whether it is
 *       complete) and one {@code CopySnapshot} sent to the target region; the regions of the
 *       account come from one {@code DescribeRegions} per driver.
 * </ul>
 *
 * <p>Thread-safe. Closing it stops its poller; its connection belongs to whoever opened it.
 */
final class EbsSnapshots implements Snapshots, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EbsSnapshots.class);
  private static final int PAGE_SIZE = 1000;

  private final Ec2Connection ec2;
  private final Ec2Client client;
  private final String region;
  private final EbsBackendOptions options;
  private final SnapshotRegions regions;
  private final StatePoller<software.amazon.awssdk.services.ec2.model.Snapshot> poller;
  /** Snapshots taken or copied here by this driver, which EC2 may not list at once. */
  private final Set<String> recent = ConcurrentHashMap.newKeySet();

  /**
   * Creates the snapshots of a region and starts their poller. Nothing is sent to EC2.
   *
   * @param ec2 the region's connection
   * @param region the region
   * @param options namespace, timeout and poll schedule
   * @param regions the other regions, for copies
   */
  EbsSnapshots(Ec2Connection ec2, String region, EbsBackendOptions options,
      SnapshotRegions regions) {
    this.ec2 = Objects.requireNonNull(ec2, "ec2");
    this.client = ec2.client();
    this.region = Objects.requireNonNull(region, "region");
    this.options = Objects.requireNonNull(options, "options");
    this.regions = Objects.requireNonNull(regions, "regions");
    this.poller = new StatePoller<>("snapshots", StatePoller.SNAPSHOT_BATCH, this::describeBatch,
        options.poll());
  }

  @Override
  public Optional<String> region() {
    return Optional.of(region);
  }

  @Override
  public Snapshot create(VolumeId volume, SnapshotRequest request) {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(request, "request");
    if (!EbsDriverProvider.VOLUME_ID.matcher(volume.value()).matches()) {
      throw new VolumeNotFoundException(volume.value());
    }
    TagSpecification tags = Ec2Snapshots.tags(request, options.namespace());
    CreateSnapshotResponse r;
    try {
      r = client.createSnapshot(b -> b.volumeId(volume.value()).tagSpecifications(tags)
          .description("Stowage snapshot " + request.name() + " of " + volume));
    } catch (SdkException e) {
      if (Ec2Errors.code(e).filter(Ec2Errors.INCORRECT_STATE::equals).isPresent()) {
        throw notReady(volume, e);
      }
      throw ec2.errors().translate("CreateSnapshot", volume.value(), e);
    }
    recent.add(r.snapshotId());
    LOG.debug("took EBS snapshot {} ({}) of {}", r.snapshotId(), request.name(), volume);
    return Ec2Snapshots.toModel(software.amazon.awssdk.services.ec2.model.Snapshot.builder()
        .snapshotId(r.snapshotId()).volumeId(r.volumeId()).volumeSize(r.volumeSize())
        .state(r.stateAsString()).progress(r.progress()).startTime(r.startTime())
        .description(r.description()).encrypted(r.encrypted()).tags(r.tags()).build(), region);
  }

  /** Tells which state of the volume refused a snapshot: one {@code DescribeVolumes}. */
  private RuntimeException notReady(VolumeId volume, SdkException refusal) {
    String state = ec2.call("DescribeVolumes", volume.value(), () -> client.describeVolumes(
        b -> b.volumeIds(volume.value()))).volumes().stream().findFirst()
        .map(software.amazon.awssdk.services.ec2.model.Volume::stateAsString)
        .orElse(Ec2Errors.INCORRECT_STATE);
    InvalidStateException e = new InvalidStateException(volume.value(), state, "volume "
        + volume + " is " + state + "; a snapshot can be taken once it is available or in use",
        refusal instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
            ? s.requestId() : null, refusal);
    return e;
  }

  @Override
  public List<Snapshot> list() {
    return describePages("the snapshots of " + region, ownedBy(filters()));
  }

  @Override
  public Optional<Snapshot> find(SnapshotId id) {
    Objects.requireNonNull(id, "id");
    if (!Ec2Snapshots.SNAPSHOT_ID.matcher(id.value()).matches()) {
      return Optional.empty();
    }
    try {
      DescribeSnapshotsResponse response = ec2.call("DescribeSnapshots", id.value(),
          () -> client.describeSnapshots(b -> b.snapshotIds(id.value()).filters(filters())));
      return response.snapshots().stream().findFirst().map(s -> Ec2Snapshots.toModel(s,
          region));
    } catch (SnapshotNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<Snapshot> findByName(SnapshotName name) {
    Objects.requireNonNull(name, "name");
    List<Filter> filters = filters();
    filters.add(Filter.builder().name("tag:" + VolumeSpec.NAME_TAG).values(name.value()).build());
    return describePages(name.value(), ownedBy(filters));
  }

  @Override
  public void remove(SnapshotId id) {
    Objects.requireNonNull(id, "id");
    requireSnapshotId(id);
    ec2.call("DeleteSnapshot", id.value(), () -> client.deleteSnapshot(b -> b
        .snapshotId(id.value())));
    recent.remove(id.value());
    LOG.debug("removed EBS snapshot {}", id);
  }

  @Override
  public Snapshot await(SnapshotId id, Duration timeout) {
    Objects.requireNonNull(id, "id");
    requireSnapshotId(id);
    Optional<software.amazon.awssdk.services.ec2.model.Snapshot> done = poller.await(id.value(),
        s -> {
          if (s.isEmpty()) {
            if (recent.contains(id.value())) {
              return false; // not visible yet: EC2 is eventually consistent
            }
            throw new SnapshotNotFoundException(id.value());
          }
          SnapshotStatus status = Ec2Snapshots.status(s.get().stateAsString(), null);
          if (status.phase() == SnapshotStatus.Phase.ERROR) {
            throw new BackendException("EBS snapshot " + id + " failed: "
                + Optional.ofNullable(s.get().stateMessage()).orElse("(no message)"), false,
                null, null);
          }
          return status.phase() == SnapshotStatus.Phase.COMPLETED;
        }, timeout, "snapshot " + id + " to complete");
    return Ec2Snapshots.toModel(done.orElseThrow(), region);
  }

  @Override
  public Snapshot copy(SnapshotId id, String target, SnapshotRequest request) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    EbsSnapshots there = regions.in(target);
    TagSpecification tags = Ec2Snapshots.tags(request, options.namespace());
    Snapshot source = find(id).orElseThrow(() -> new SnapshotNotFoundException(id.value()));
    if (!source.completed()) {
      throw new InvalidStateException(id.value(), source.status().raw(), "snapshot " + id
          + " is " + source.status().raw() + "; it can be copied once it is completed");
    }
    String copy = there.ec2.call("CopySnapshot", id.value(), () -> there.client.copySnapshot(
        b -> b.sourceRegion(region).sourceSnapshotId(id.value()).destinationRegion(target)
            .tagSpecifications(tags).description("Stowage copy of " + id + " from " + region)))
        .snapshotId();
    there.recent.add(copy);
    LOG.debug("copying EBS snapshot {} of {} to {} in {}", id, region, copy, target);
    return new Snapshot(SnapshotId.of(copy), request.name(), Optional.empty(), source.size(),
        SnapshotStatus.of(SnapshotStatus.Phase.PENDING), Optional.of(target), request.tags(),
        Map.of("copiedFrom", region + "/" + id), Optional.empty());
  }

  @Override
  public Snapshots inRegion(String target) {
    return regions.in(target);
  }

  /**
   * Resolves the snapshot a create names, and checks it can be restored.
   *
   * @param source the {@code snapshotid} or {@code snapshotname} option
   * @return the complete snapshot
   * @throws SnapshotNotFoundException when no snapshot has the ID or name (with the namespace)
   * @throws InvalidArgumentException when several snapshots have the name
   * @throws InvalidStateException when it is not complete
   */
  Snapshot resolve(VolumeSource source) {
    Snapshot snapshot;
    if (source.kind() == VolumeSource.Kind.SNAPSHOT_ID) {
      snapshot = find(SnapshotId.of(source.reference()))
          .orElseThrow(() -> new SnapshotNotFoundException(source.reference()));
    } else {
      List<Snapshot> named = findByName(SnapshotName.of(source.reference()));
      if (named.isEmpty()) {
        throw new SnapshotNotFoundException(source.reference());
      }
      if (named.size() > 1) {
        throw new InvalidArgumentException("snapshotname", source.reference(), "names "
            + named.size() + " snapshots (" + String.join(", ", named.stream()
                .map(s -> s.id().value()).toList()) + "); give one with snapshotid");
      }
      snapshot = named.get(0);
    }
    if (!snapshot.completed()) {
      throw new InvalidStateException(snapshot.id().value(), snapshot.status().raw(),
          "snapshot " + snapshot.id() + " is " + snapshot.status().raw() + "; a volume can be"
              + " created from it once it is completed");
    }
    return snapshot;
  }

  /** Stops the poller, failing the waits still pending. Idempotent. */
  @Override
  public void close() {
    poller.close();
  }

  /** The poller's lookup: one call for up to 1000 IDs; a vanished ID splits the batch. */
  private Map<String, software.amazon.awssdk.services.ec2.model.Snapshot> describeBatch(
      List<String> ids) {
    Map<String, software.amazon.awssdk.services.ec2.model.Snapshot> found =
        new LinkedHashMap<>();
    try {
      ec2.call("DescribeSnapshots", ids.size() + " snapshot(s)",
          () -> client.describeSnapshots(b -> b.snapshotIds(ids))).snapshots()
          .forEach(s -> found.put(s.snapshotId(), s));
    } catch (SnapshotNotFoundException e) {
      if (ids.size() > 1) {
        found.putAll(describeBatch(ids.subList(0, ids.size() / 2)));
        found.putAll(describeBatch(ids.subList(ids.size() / 2, ids.size())));
      }
    }
    return found;
  }

  private List<Snapshot> describePages(String subject, DescribeSnapshotsRequest request) {
    return ec2.call("DescribeSnapshots", subject, () -> {
      List<Snapshot> found = new ArrayList<>();
      for (DescribeSnapshotsResponse page : client.describeSnapshotsPaginator(request)) {
        page.snapshots().forEach(s -> found.add(Ec2Snapshots.toModel(s, region)));
      }
      return found;
    });
  }

  private static DescribeSnapshotsRequest ownedBy(List<Filter> filters) {
    return DescribeSnapshotsRequest.builder().ownerIds("self").filters(filters)
        .maxResults(PAGE_SIZE).build();
  }

  private List<Filter> filters() {
    List<Filter> filters = new ArrayList<>();
    options.namespace().ifPresent(n -> filters.add(Filter.builder()
        .name("tag:" + VolumeSpec.NAMESPACE_TAG).values(n).build()));
    return filters;
  }

  private static void requireSnapshotId(SnapshotId id) {
    if (!Ec2Snapshots.SNAPSHOT_ID.matcher(id.value()).matches()) {
      throw new SnapshotNotFoundException(id.value());
    }
  }
}
