package io.stowage.tck;

import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.VolumeId;
import io.stowage.spi.Snapshots;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Snapshots that forward every call to others; a {@link Defect} overrides what it breaks. */
class ForwardingSnapshots implements Snapshots {
  final Snapshots delegate;

  ForwardingSnapshots(Snapshots delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<String> region() {
    return delegate.region();
  }

  @Override
  public Snapshot create(VolumeId volume, SnapshotRequest request) {
    return delegate.create(volume, request);
  }

  @Override
  public List<Snapshot> list() {
    return delegate.list();
  }

  @Override
  public Optional<Snapshot> find(SnapshotId id) {
    return delegate.find(id);
  }

  @Override
  public List<Snapshot> findByName(SnapshotName name) {
    return delegate.findByName(name);
  }

  @Override
  public void remove(SnapshotId id) {
    delegate.remove(id);
  }

  @Override
  public Snapshot await(SnapshotId id, Duration timeout) {
    return delegate.await(id, timeout);
  }

  @Override
  public Snapshot copy(SnapshotId id, String region, SnapshotRequest request) {
    return delegate.copy(id, region, request);
  }

  @Override
  public Snapshots inRegion(String region) {
    return delegate.inRegion(region);
  }
}
