package io.stowage.driver.fake;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.ByteSize;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeSource;
import io.stowage.spi.Snapshots;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake driver's snapshots in one region: a snapshot is a sparse copy of its volume's image
 * (and, on a {@link SimulatedHost}, of what the host keeps for its device), made while the
 * store's lock is held, so it is complete when {@link #create} returns; a loop device over the
 * image is flushed first. Copies to other regions of {@link FakeSettings#allRegions()} are
 * copies of the image too. Thread-safe and safe for several processes, like the store.
 */
final class FakeSnapshots implements Snapshots {
  private static final Logger LOG = LoggerFactory.getLogger(FakeSnapshots.class);

  private final FakeDriver driver;
  private final FakeStore store;
  private final String region;

  FakeSnapshots(FakeDriver driver, FakeStore store, String region) {
    this.driver = driver;
    this.store = store;
    this.region = region;
  }

  @Override
  public Optional<String> region() {
    return Optional.of(region);
  }

  @Override
  public Snapshot create(VolumeId volume, SnapshotRequest request) {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(request, "request");
    driver.call(Operation.SNAPSHOT, "take a snapshot of volume " + volume);
    SnapshotRecord taken = store.locked(() -> {
      VolumeRecord source = store.read(volume.value())
          .orElseThrow(() -> new VolumeNotFoundException(volume.value()));
      driver.flush(source);
      return add(source.id(), request, source.id(), source.sizeBytes(), region);
    });
    LOG.debug("took snapshot {} ({}) of volume {}", taken.id(), taken.name(), volume);
    return toModel(taken);
  }

  /** Copies an image to a new snapshot and records it. Call under the store's lock. */
  private SnapshotRecord add(String imageId, SnapshotRequest request, String volumeId,
      long sizeBytes, String where) {
    String id;
    do {
      id = "fake-snap-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    } while (store.readSnapshot(id).isPresent());
    store.copyImage(imageId, id, sizeBytes);
    SnapshotRecord record = new SnapshotRecord(SnapshotRecord.VERSION, id,
        request.name().value(), volumeId, sizeBytes, where, request.tags(),
        driver.now().toString());
    try {
      driver.copyDeviceData(imageId, id);
      store.write(record);
    } catch (RuntimeException e) {
      store.deleteSnapshot(id);
      throw e;
    }
    return record;
  }

  @Override
  public List<Snapshot> list() {
    driver.call(Operation.LIST, "list the snapshots of region " + region);
    return records().stream().map(FakeSnapshots::toModel).toList();
  }

  @Override
  public Optional<Snapshot> find(SnapshotId id) {
    Objects.requireNonNull(id, "id");
    driver.call(Operation.FIND, "find snapshot " + id);
    return read(id.value()).map(FakeSnapshots::toModel);
  }

  @Override
  public List<Snapshot> findByName(SnapshotName name) {
    Objects.requireNonNull(name, "name");
    driver.call(Operation.LIST, "find the snapshots named " + name);
    return records().stream().filter(r -> r.name().equals(name.value()))
        .map(FakeSnapshots::toModel).toList();
  }

  @Override
  public void remove(SnapshotId id) {
    Objects.requireNonNull(id, "id");
    driver.call(Operation.SNAPSHOT, "remove snapshot " + id);
    store.locked(() -> {
      SnapshotRecord record = read(id.value())
          .orElseThrow(() -> new SnapshotNotFoundException(id.value()));
      store.deleteSnapshot(record.id());
      driver.discardDeviceData(record.id());
      return null;
    });
    LOG.debug("removed snapshot {}", id);
  }

  /** Returns at once: a fake snapshot is complete when it is taken. */
  @Override
  public Snapshot await(SnapshotId id, Duration timeout) {
    return find(id).orElseThrow(() -> new SnapshotNotFoundException(id.value()));
  }

  @Override
  public Snapshot copy(SnapshotId id, String target, SnapshotRequest request) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    requireRegion(target);
    driver.call(Operation.SNAPSHOT, "copy snapshot " + id + " to region " + target);
    SnapshotRecord copy = store.locked(() -> {
      SnapshotRecord source = read(id.value())
          .orElseThrow(() -> new SnapshotNotFoundException(id.value()));
      return add(source.id(), request, null, source.sizeBytes(), target);
    });
    LOG.debug("copied snapshot {} to {} in region {}", id, copy.id(), target);
    return toModel(copy);
  }

  @Override
  public Snapshots inRegion(String target) {
    requireRegion(target);
    return target.equals(region) ? this : new FakeSnapshots(driver, store, target);
  }

  /**
   * Resolves the snapshot a restore names, here. Call under the store's lock.
   *
   * @param source a snapshot source
   * @return its record
   * @throws SnapshotNotFoundException when no snapshot here has the ID or name
   * @throws InvalidArgumentException when several have the name
   */
  SnapshotRecord resolve(VolumeSource source) {
    if (source.kind() == VolumeSource.Kind.SNAPSHOT_ID) {
      return read(source.reference())
          .orElseThrow(() -> new SnapshotNotFoundException(source.reference()));
    }
    List<SnapshotRecord> named = records().stream()
        .filter(r -> r.name().equals(source.reference())).toList();
    if (named.isEmpty()) {
      throw new SnapshotNotFoundException(source.reference());
    }
    if (named.size() > 1) {
      throw new InvalidArgumentException("snapshotname", source.reference(), "names "
          + named.size() + " snapshots (" + String.join(", ", named.stream()
              .map(SnapshotRecord::id).toList()) + "); give one with snapshotid");
    }
    return named.get(0);
  }

  private void requireRegion(String target) {
    Objects.requireNonNull(target, "region");
    if (!driver.settings().allRegions().contains(target)) {
      throw new InvalidArgumentException("region", target, "the fake back end has the"
          + " regions " + String.join(", ", driver.settings().allRegions())
          + " (fake.region and fake.regions)");
    }
  }

  private Optional<SnapshotRecord> read(String id) {
    return store.readSnapshot(id).filter(r -> region.equals(r.region()));
  }

  private List<SnapshotRecord> records() {
    return store.readAllSnapshots().stream().filter(r -> region.equals(r.region())).toList();
  }

  private static Snapshot toModel(SnapshotRecord r) {
    Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
    SnapshotName name = SnapshotName.isLegal(r.name()) ? SnapshotName.of(r.name())
        : SnapshotName.of(r.id());
    return new Snapshot(SnapshotId.of(r.id()), name,
        Optional.ofNullable(r.volumeId()).map(VolumeId::of), new ByteSize(r.sizeBytes()),
        SnapshotStatus.of(SnapshotStatus.Phase.COMPLETED), Optional.of(r.region()), tags,
        Map.of(), r.createdAt());
  }
}
