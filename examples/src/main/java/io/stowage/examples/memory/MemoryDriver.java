package io.stowage.examples.memory;

import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
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
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The memory driver: volumes live in this driver's memory, as long as it is open, and attach
 * to this instance only. An attached volume has a device, {@code <deviceDirectory>/<volume
 * id>}: an empty file that exists while it is attached and that a simulated host formats and
 * mounts. Since a volume is never attached elsewhere, {@code force} only matters to a detach:
 * a detach without force refuses a device that is still mounted.
 *
 * <p>Thread-safe: every call holds one lock, and none waits on anything while holding it.
 */
public final class MemoryDriver implements StorageDriver {
  private final MemorySettings settings;
  private final HostOs host;
  private final Instance local;
  private final Object lock = new Object();
  private final Map<VolumeId, Volume> volumes = new LinkedHashMap<>();
  private final DeviceLocator locator = new Locator();

  /**
   * Opens the driver, creating the device directory if needed.
   *
   * @param settings the settings
   * @param host the host the devices are mounted on
   * @throws ConfigurationException when the host is not a simulated one
   * @throws BackendException when the device directory cannot be created
   */
  public MemoryDriver(MemorySettings settings, HostOs host) {
    if (host.kind() != HostOs.Kind.SIMULATED) {
      throw new ConfigurationException("memory section", List.of("the memory driver's devices"
          + " are plain files, which only a simulated host mounts; pass one to"
          + " Stowage.builder().host(...)"));
    }
    this.settings = settings;
    this.host = host;
    this.local = new Instance(InstanceId.of(settings.instanceId()), settings.instanceId(),
        Optional.empty());
    try {
      Files.createDirectories(settings.deviceDirectory());
    } catch (IOException e) {
      throw new BackendException("cannot create the device directory "
          + settings.deviceDirectory() + ": " + e.getMessage(), false, null, e);
    }
  }

  @Override
  public String name() {
    return MemoryDriverProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return MemoryDriverProvider.CAPABILITIES;
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  @Override
  public List<Volume> list() {
    synchronized (lock) {
      return List.copyOf(volumes.values());
    }
  }

  @Override
  public Optional<Volume> find(VolumeId id) {
    synchronized (lock) {
      return Optional.ofNullable(volumes.get(id));
    }
  }

  @Override
  public List<Volume> findByName(VolumeName name) {
    synchronized (lock) {
      return volumes.values().stream().filter(v -> v.name().equals(name)).toList();
    }
  }

  @Override
  public Volume create(VolumeName name, VolumeOptions options) {
    Capabilities.requireSupported(name(), capabilities(), options);
    if (!options.extra().isEmpty()) {
      throw new InvalidArgumentException("volume option",
          options.extra().keySet().iterator().next(), "the memory driver has no options of"
              + " its own");
    }
    synchronized (lock) {
      for (Volume existing : volumes.values()) {
        if (existing.name().equals(name)) {
          throw new VolumeAlreadyExistsException(name.value(), existing.id().value());
        }
      }
      VolumeId id;
      do {
        id = VolumeId.of("mem-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextLong()));
      } while (volumes.containsKey(id));
      Volume volume = new Volume(id, name, options.size().orElse(settings.defaultSize()),
          options.volumeType(), Optional.empty(), Optional.empty(), false,
          statusOf(List.of()), List.of(), Map.of());
      volumes.put(id, volume);
      return volume;
    }
  }

  @Override
  public void remove(VolumeId id) {
    synchronized (lock) {
      Volume volume = get(id);
      if (!volume.attachments().isEmpty()) {
        throw VolumeInUseException.byInstance(volume.name().value(),
            volume.attachments().get(0).instanceId().value());
      }
      volumes.remove(id);
    }
  }

  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    if (!instance.equals(local.id())) {
      Capabilities.require(name(), capabilities(), Capability.ATTACH_OTHER_INSTANCE,
          "attaching volume " + id + " to instance " + instance);
    }
    synchronized (lock) {
      Volume volume = get(id);
      Optional<Attachment> here = volume.attachmentTo(instance);
      if (here.isPresent()) {
        return here.get();
      }
      createDevice(id);
      Attachment attachment = new Attachment(id, instance, deviceOf(id).toString());
      volumes.put(id, withAttachments(volume, List.of(attachment)));
      return attachment;
    }
  }

  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    synchronized (lock) {
      Volume volume = get(id);
      if (volume.attachmentTo(instance).isEmpty()) {
        return;
      }
      if (!force) {
        List<Path> mounted = host.mountsOf(deviceOf(id)).stream()
            .map(MountEntry::mountPoint).toList();
        if (!mounted.isEmpty()) {
          throw new VolumeInUseException(volume.name().value(), instance.value(), "volume "
              + volume.name() + " is mounted at " + mounted + "; unmount it or detach with"
              + " force");
        }
      }
      release(volume);
    }
  }

  @Override
  public DeviceLocator deviceLocator() {
    return locator;
  }

  /** Nothing to release: the volumes live as long as this driver object. */
  @Override
  public void close() {}

  private Volume get(VolumeId id) {
    Volume volume = volumes.get(id);
    if (volume == null) {
      throw new VolumeNotFoundException(id.value());
    }
    return volume;
  }

  /** Deletes a volume's device and forgets its attachment. Call holding the lock. */
  private void release(Volume volume) {
    try {
      Files.deleteIfExists(deviceOf(volume.id()));
    } catch (IOException e) {
      throw new BackendException("cannot delete the device of " + volume.id() + ": "
          + e.getMessage(), false, null, e);
    }
    volumes.put(volume.id(), withAttachments(volume, List.of()));
  }

  private void createDevice(VolumeId id) {
    try {
      Files.createFile(deviceOf(id));
    } catch (IOException e) {
      throw new BackendException("cannot create the device of " + id + ": " + e.getMessage(),
          false, null, e);
    }
  }

  private Path deviceOf(VolumeId id) {
    return settings.deviceDirectory().resolve(id.value());
  }

  private static Volume withAttachments(Volume v, List<Attachment> attachments) {
    return new Volume(v.id(), v.name(), v.size(), v.volumeType(), v.iops(),
        v.availabilityZone(), v.encrypted(), statusOf(attachments), attachments, v.fields());
  }

  private static VolumeStatus statusOf(List<Attachment> attachments) {
    return attachments.isEmpty()
        ? new VolumeStatus(VolumeStatus.Phase.AVAILABLE, "available")
        : new VolumeStatus(VolumeStatus.Phase.IN_USE, "in-use");
  }

  /** Finds the device of an attachment while its volume is attached. */
  private final class Locator implements DeviceLocator {
    @Override
    public Optional<Path> locate(Attachment attachment) {
      if (!attachment.instanceId().equals(local.id())) {
        return Optional.empty();
      }
      return find(attachment.volumeId()).flatMap(v -> v.attachmentTo(local.id()))
          .map(a -> deviceOf(a.volumeId()));
    }

    /** The device directory, where a device appears when its volume is attached here. */
    @Override
    public List<Path> watchDirectories() {
      return List.of(settings.deviceDirectory());
    }
  }
}
