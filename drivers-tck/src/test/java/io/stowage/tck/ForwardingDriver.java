package io.stowage.tck;

import io.stowage.model.Attachment;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A driver that forwards every call to another; a {@link Defect} overrides what it breaks. */
class ForwardingDriver implements StorageDriver {
  final StorageDriver delegate;

  ForwardingDriver(StorageDriver delegate) {
    this.delegate = delegate;
  }

  /** The local instance's ID. */
  InstanceId local() {
    return delegate.localInstance().id();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Instance localInstance() {
    return delegate.localInstance();
  }

  @Override
  public List<Volume> list() {
    return delegate.list();
  }

  @Override
  public Optional<Volume> find(VolumeId id) {
    return delegate.find(id);
  }

  @Override
  public List<Volume> findByName(VolumeName name) {
    return delegate.findByName(name);
  }

  @Override
  public Volume create(VolumeName name, VolumeOptions options) {
    return delegate.create(name, options);
  }

  @Override
  public void remove(VolumeId id) {
    delegate.remove(id);
  }

  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    return delegate.attach(id, instance, force);
  }

  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    delegate.detach(id, instance, force);
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return delegate.snapshots();
  }

  @Override
  public Optional<Resizer> resizer() {
    return delegate.resizer();
  }

  @Override
  public DeviceLocator deviceLocator() {
    return delegate.deviceLocator();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
