package io.stowage.driver.ebs;

import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Attachment;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The EBS storage driver: Stowage's driver SPI over one {@link EbsBackend} and the
 * {@link EbsDeviceLocator}. Every call is bounded: EC2 calls by the connection's timeouts and
 * retries, waits by the back end's status timeout. A detach without force of a volume mounted
 * on this host is refused (ADR 0011). Thread-safe.
 */
final class EbsDriver implements StorageDriver {
  private final EbsBackend backend;
  private final EbsDeviceLocator locator;
  private final HostOs host;
  private final Instance local;
  /** The device names of the local attachments this driver made or saw, by volume. */
  private final Map<VolumeId, String> localDevices = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates the driver, which then owns the back end.
   *
   * @param backend the back end
   * @param locator the device locator
   * @param host the host whose mount table a detach without force consults
   */
  EbsDriver(EbsBackend backend, EbsDeviceLocator locator, HostOs host) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.host = Objects.requireNonNull(host, "host");
    InstanceIdentity identity = backend.localInstance();
    this.local = new Instance(identity.instanceId(), identity.instanceId().value(),
        Optional.of(identity.availabilityZone()));
  }

  @Override
  public String name() {
    return EbsDriverProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EbsDriverProvider.CAPABILITIES;
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  @Override
  public List<Volume> list() {
    return backend.list();
  }

  @Override
  public Optional<Volume> find(VolumeId id) {
    return backend.find(Objects.requireNonNull(id, "id"));
  }

  @Override
  public List<Volume> findByName(VolumeName name) {
    return backend.findByName(Objects.requireNonNull(name, "name"));
  }

  @Override
  public Volume create(VolumeName name, VolumeOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Capabilities.requireSupported(name(), capabilities(), options);
    return backend.create(name, options);
  }

  @Override
  public void remove(VolumeId id) {
    backend.remove(Objects.requireNonNull(id, "id"));
  }

  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    Attachment attachment = backend.attach(Objects.requireNonNull(id, "id"),
        Objects.requireNonNull(instance, "instance"), force);
    if (instance.equals(local.id())) {
      localDevices.put(id, attachment.device());
    }
    return attachment;
  }

  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    boolean here = instance.equals(local.id());
    if (here && !force) {
      refuseIfMountedHere(id);
    }
    backend.detach(id, instance, force);
    if (here) {
      localDevices.remove(id);
    }
  }

  /**
   * A detach without force refuses a volume mounted on this host: it would take the device from
   * under a file system. On a Nitro instance the volume ID finds the device without a call; on
   * Xen so does the device name of an attachment this driver made, and otherwise one
   * {@code DescribeVolumes} gives it. Only a refusal asks EC2 for the volume's name.
   */
  private void refuseIfMountedHere(VolumeId id) {
    String known = localDevices.get(id);
    Optional<Path> device = locator.locate(new Attachment(id, local.id(),
        known == null ? "" : known));
    if (device.isEmpty() && known == null && !locator.ebsOnNvme()) {
      device = backend.find(id).flatMap(v -> v.attachmentTo(local.id()))
          .flatMap(locator::locate);
    }
    if (device.isEmpty()) {
      return;
    }
    List<MountEntry> mounts = host.mountsOf(device.get());
    if (!mounts.isEmpty()) {
      String name = backend.find(id).map(v -> v.name().value()).orElse(id.value());
      throw new VolumeInUseException(name, local.id().value(), "volume " + name + " is still"
          + " mounted at " + mounts.get(0).mountPoint() + " through " + device.get()
          + "; unmount it or detach with force");
    }
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return Optional.of(backend.snapshots());
  }

  @Override
  public Optional<Resizer> resizer() {
    return Optional.of(backend::grow);
  }

  @Override
  public DeviceLocator deviceLocator() {
    return locator;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "EbsDriver[instance=" + local.id() + ", zone=" + local.availabilityZone().orElse("?")
        + "]";
  }
}
