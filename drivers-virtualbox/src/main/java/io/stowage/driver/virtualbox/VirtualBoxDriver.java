package io.stowage.driver.virtualbox;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.model.VolumeStatus;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import io.stowage.spi.Resizer;
import io.stowage.spi.StorageDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VirtualBox storage driver: volumes are the hard disks in {@code virtualbox.volumePath}
 * on the VirtualBox host, attached to VMs through vboxwebsrv ({@link VirtualBoxBackend}). A
 * volume's ID is its medium UUID, an instance's ID its VM's UUID, and an attachment's device
 * the disk's serial number as the guest sees it ({@code VB<8 hex>-<8 hex>}), which the
 * {@link VirtualBoxDeviceLocator} finds the block device by.
 *
 * <p>Capabilities: {@link VirtualBoxDriverProvider#CAPABILITIES}. Options that need any other
 * (IOPS, volume types, zones, encryption, snapshots, copies) are refused: VirtualBox's
 * snapshots belong to a machine, not to a disk. A volume grows ({@code IMedium_resize}) when
 * its format is VDI or VHD and it is attached to no machine.
 *
 * <p>Thread-safe: the back end serializes changes per VM and shares one web session.
 */
final class VirtualBoxDriver implements StorageDriver {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualBoxDriver.class);

  private final VirtualBoxBackend backend;
  private final VirtualBoxDeviceLocator locator;
  private final HostOs host;
  private final Instance local;

  /**
   * Opens the driver: logs on to vboxwebsrv and finds the VM this host runs in. Closes the
   * back end when that fails.
   *
   * @param backend the back end, which the driver closes
   * @param locator the device locator
   * @param host the host, whose mount table a detach without force checks
   * @throws io.stowage.exception.ConfigurationException when the logon is refused or the
   *     local VM cannot be found without a guess
   * @throws io.stowage.exception.BackendException when vboxwebsrv cannot be reached
   */
  VirtualBoxDriver(VirtualBoxBackend backend, VirtualBoxDeviceLocator locator, HostOs host) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.host = Objects.requireNonNull(host, "host");
    try {
      LocalMachine machine = backend.localMachine();
      this.local = new Instance(InstanceId.of(machine.uuid()), machine.name(), Optional.empty());
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return VirtualBoxDriverProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return VirtualBoxDriverProvider.CAPABILITIES;
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  @Override
  public List<Volume> list() {
    return backend.list().stream().map(VirtualBoxDriver::toVolume).toList();
  }

  @Override
  public Optional<Volume> find(VolumeId id) {
    Objects.requireNonNull(id, "id");
    return backend.findById(id.value()).map(VirtualBoxDriver::toVolume);
  }

  @Override
  public List<Volume> findByName(VolumeName name) {
    Objects.requireNonNull(name, "name");
    return backend.findByName(name.value()).map(VirtualBoxDriver::toVolume).stream().toList();
  }

  @Override
  public Volume create(VolumeName name, VolumeOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Capabilities.requireSupported(name(), capabilities(), options);
    if (!options.extra().isEmpty()) {
      throw new InvalidArgumentException("volume option", options.extra().keySet().iterator()
          .next(), "the virtualbox driver has no options of its own");
    }
    return toVolume(backend.create(name.value(),
        options.size().orElse(VolumeOptions.DEFAULT_SIZE)));
  }

  @Override
  public void remove(VolumeId id) {
    Objects.requireNonNull(id, "id");
    backend.remove(id.value());
  }

  /**
   * Attaches a disk to a VM. Costs no lookup beforehand: a disk attached to another VM is
   * found out from VirtualBox's refusal, and only then detached there when {@code force} is
   * set. After an attach to this host's VM the SCSI hosts are asked to rescan.
   */
  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    VboxAttachment attached;
    try {
      attached = backend.attach(id.value(), instance.value());
    } catch (VolumeInUseException e) {
      if (!force) {
        throw e;
      }
      List<String> machines = backend.detachEverywhere(id.value());
      LOG.warn("force-detached volume {} from VirtualBox machine {} to attach it to {}", id,
          String.join(", ", machines), instance);
      attached = backend.attach(id.value(), instance.value());
    }
    if (instance.equals(local.id())) {
      locator.rescan();
    }
    return new Attachment(id, instance, attached.medium().serial());
  }

  /**
   * Detaches a disk from a VM; VirtualBox unplugs it at once whether or not {@code force} is
   * set. A disk that is not attached to that VM stays as it is.
   */
  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    if (!force && instance.equals(local.id())) {
      refuseIfMountedHere(id);
    }
    backend.detach(id.value(), instance.value());
  }

  /**
   * A detach without force refuses a disk mounted on this host (ADR 0011): it would take the
   * device from under a file system. The medium UUID gives the guest's serial without a call;
   * only a refusal asks VirtualBox for the volume's name.
   */
  private void refuseIfMountedHere(VolumeId id) {
    Optional<MediumUuid> uuid = MediumUuid.parse(id.value());
    if (uuid.isEmpty()) {
      return;
    }
    Optional<Path> device = locator.locate(uuid.get()).filter(Files::exists);
    if (device.isEmpty()) {
      return;
    }
    List<MountEntry> mounts = host.mountsOf(device.get());
    if (!mounts.isEmpty()) {
      String name = find(id).map(v -> v.name().value()).orElse(id.value());
      throw new VolumeInUseException(name, local.id().value(), "volume " + name + " is still"
          + " mounted at " + mounts.get(0).mountPoint() + " through " + device.get()
          + "; unmount it or detach with force");
    }
  }

  @Override
  public Optional<Resizer> resizer() {
    return Optional.of((id, size) -> toVolume(backend.grow(Objects.requireNonNull(id, "id")
        .value(), size)));
  }

  @Override
  public DeviceLocator deviceLocator() {
    return locator;
  }

  @Override
  public void close() {
    backend.close();
  }

  private static Volume toVolume(VboxVolume disk) {
    VolumeId id = VolumeId.of(disk.id().value());
    List<Attachment> attachments = disk.machineIds().stream()
        .map(machine -> new Attachment(id, InstanceId.of(machine), disk.id().serial()))
        .toList();
    // A disk VirtualBox cannot read reports size 0; a volume's size is positive.
    ByteSize size = new ByteSize(Math.max(1, disk.logicalSize()));
    return new Volume(id, VolumeName.of(disk.name()), size, Optional.empty(), Optional.empty(),
        Optional.empty(), false, VolumeStatus.of(attachments.isEmpty()
            ? VolumeStatus.Phase.AVAILABLE : VolumeStatus.Phase.IN_USE),
        attachments, Map.of("location", disk.location()));
  }
}
