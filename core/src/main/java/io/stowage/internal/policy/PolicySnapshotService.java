package io.stowage.internal.policy;

import io.stowage.SnapshotService;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.internal.state.VolumeLock;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.Capability;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeStatus;
import io.stowage.spi.Capabilities;
import io.stowage.spi.HostOs;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of one service: the driver's {@link Snapshots}, with references by ID or name,
 * and a snapshot of a volume mounted here taken while its file system is frozen. Thread-safe.
 */
final class PolicySnapshotService implements SnapshotService {
  private static final Logger LOG = LoggerFactory.getLogger(PolicySnapshotService.class);
  private static final String NAME_PREFIX = "name:";
  private static final String ID_PREFIX = "id:";

  private final PolicyContext ctx;
  private final StorageDriver driver;
  private final VolumeResolver resolver;

  PolicySnapshotService(PolicyContext ctx, VolumeResolver resolver) {
    this.ctx = ctx;
    this.driver = ctx.driver();
    this.resolver = resolver;
  }

  @Override
  public Optional<String> region() {
    return snapshots("snapshot regions").region();
  }

  @Override
  public Snapshot create(String volume, SnapshotRequest request) {
    Objects.requireNonNull(request, "request");
    Snapshots snapshots = snapshots("snapshot of volume " + volume);
    try (VolumeLock lock = ctx.lock(resolver.nameForLock(volume))) {
      Volume current = resolver.get(volume);
      if (current.status().phase() == VolumeStatus.Phase.CREATING) {
        throw new InvalidStateException(current.name().value(), current.status().raw(),
            "volume " + current.name() + " is still being created (" + current.status().raw()
                + "); snapshot it once it is available");
      }
      Optional<Path> mounted = mountedHere(current);
      Snapshot snapshot = mounted.isPresent()
          ? createFrozen(snapshots, current, mounted.get(), request)
          : snapshots.create(current.id(), request);
      LOG.info("Took snapshot {} ({}) of volume {}{}", snapshot.name(), snapshot.id(),
          current.name(), mounted.map(m -> ", its file system at " + m + " frozen").orElse(""));
      return snapshot;
    }
  }

  /** Freezes the file system, takes the snapshot and thaws it, whatever happened. */
  private Snapshot createFrozen(Snapshots snapshots, Volume volume, Path mountPoint,
      SnapshotRequest request) {
    HostOs host = ctx.mounts().host();
    host.freeze(mountPoint);
    Snapshot snapshot;
    try {
      snapshot = snapshots.create(volume.id(), request);
    } catch (RuntimeException e) {
      try {
        host.thaw(mountPoint);
      } catch (RuntimeException thaw) {
        e.addSuppressed(thaw);
      }
      throw e;
    }
    host.thaw(mountPoint);
    return snapshot;
  }

  /**
   * Where the volume is mounted on this host through any service of the driver; looked at
   * under the volume's lock, which every service of the driver shares.
   */
  private Optional<Path> mountedHere(Volume volume) {
    return ctx.state().recordsOf(driver.name(), volume.name()).stream()
        .filter(r -> r.volumeId().equals(volume.id()))
        .map(VolumeRecord::mountPoint)
        .flatMap(Optional::stream)
        .filter(ctx.mounts()::isMounted)
        .findFirst();
  }

  @Override
  public List<Snapshot> list() {
    return snapshots("snapshot list").list().stream()
        .sorted(Comparator.comparing(Snapshot::name).thenComparing(s -> s.id().value()))
        .toList();
  }

  @Override
  public Optional<Snapshot> find(String snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    Snapshots snapshots = snapshots("snapshot lookup");
    if (snapshot.startsWith(ID_PREFIX)) {
      return snapshots.find(SnapshotId.of(snapshot.substring(ID_PREFIX.length())));
    }
    if (snapshot.startsWith(NAME_PREFIX)) {
      return byName(snapshots, SnapshotName.of(snapshot.substring(NAME_PREFIX.length())));
    }
    Optional<Snapshot> byId = snapshots.find(SnapshotId.of(snapshot));
    if (byId.isPresent() || !SnapshotName.isLegal(snapshot)) {
      return byId;
    }
    return byName(snapshots, SnapshotName.of(snapshot));
  }

  private static Optional<Snapshot> byName(Snapshots snapshots, SnapshotName name) {
    List<Snapshot> named = snapshots.findByName(name);
    if (named.size() > 1) {
      throw new InvalidArgumentException("snapshot", name.value(), "is the name of "
          + named.size() + " snapshots (" + named.stream().map(s -> s.id().value()).sorted()
              .toList() + "); name one by its ID with id:<id>");
    }
    return named.stream().findFirst();
  }

  private Snapshot get(String snapshot) {
    return find(snapshot).orElseThrow(() -> new SnapshotNotFoundException(snapshot));
  }

  @Override
  public Snapshot await(String snapshot, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return snapshots("snapshot wait").await(get(snapshot).id(), timeout);
  }

  @Override
  public void remove(String snapshot) {
    Snapshot found = get(snapshot);
    snapshots("snapshot removal").remove(found.id());
    LOG.info("Removed snapshot {} ({})", found.name(), found.id());
  }

  @Override
  public Snapshot copy(String snapshot, String region, SnapshotRequest request) {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(request, "request");
    Snapshots snapshots = snapshots("snapshot copy");
    Capabilities.require(driver.name(), driver.capabilities(), Capability.COPY_SNAPSHOT,
        "copy of snapshot " + snapshot + " to region " + region);
    Snapshot found = get(snapshot);
    Snapshot copy = snapshots.copy(found.id(), region, request);
    LOG.info("Copying snapshot {} ({}) to region {} as {} ({})", found.name(), found.id(),
        region, copy.name(), copy.id());
    return copy;
  }

  private Snapshots snapshots(String what) {
    return Capabilities.snapshots(driver, what);
  }
}
