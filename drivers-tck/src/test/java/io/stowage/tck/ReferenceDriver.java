package io.stowage.tck;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
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
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An in-memory driver that keeps the whole contract, for the kit's own tests. A local
 * attachment's device is an empty file under the device directory that exists while the
 * volume is attached here.
 */
final class ReferenceDriver implements StorageDriver {
  static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE, Capability.IOPS,
      Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES, Capability.ENCRYPTION));

  private final String name;
  private final Path devices;
  private final HostOs host;
  private final Instance local;
  private final Object lock = new Object();
  private final Map<VolumeId, Volume> volumes = new LinkedHashMap<>();

  ReferenceDriver(String name, ReferenceSettings settings, HostOs host) {
    this.name = name;
    this.devices = settings.deviceDirectory();
    this.host = host;
    this.local = new Instance(InstanceId.of(settings.instanceId()), settings.instanceId(),
        Optional.empty());
    try {
      Files.createDirectories(devices);
    } catch (IOException e) {
      throw new BackendException("cannot create " + devices + ": " + e, false, null, e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
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
  public Volume create(VolumeName volumeName, VolumeOptions options) {
    Capabilities.requireSupported(name, CAPABILITIES, options);
    if (!options.extra().isEmpty()) {
      throw new InvalidArgumentException("volume option", options.extra().keySet().iterator()
          .next(), "the reference driver has no options of its own");
    }
    synchronized (lock) {
      for (Volume v : volumes.values()) {
        if (v.name().equals(volumeName)) {
          throw new VolumeAlreadyExistsException(volumeName.value(), v.id().value());
        }
      }
      VolumeId id;
      do {
        id = VolumeId.of("ref-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextLong()));
      } while (volumes.containsKey(id));
      Volume volume = new Volume(id, volumeName, options.size().orElse(ByteSize.ofGiB(1)),
          options.volumeType(), options.iops(), options.availabilityZone(),
          options.encrypted().orElse(false), status(List.of()), List.of(), Map.of());
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
    synchronized (lock) {
      Volume volume = get(id);
      if (!instance.equals(local.id())) {
        Capabilities.require(name, CAPABILITIES, Capability.ATTACH_OTHER_INSTANCE,
            "attaching to instance " + instance);
      }
      Optional<Attachment> there = volume.attachmentTo(instance);
      if (there.isPresent()) {
        return there.get();
      }
      Optional<Attachment> elsewhere = volume.attachmentElsewhere(instance);
      if (elsewhere.isPresent()) {
        if (!force) {
          throw VolumeInUseException.byInstance(volume.name().value(),
              elsewhere.get().instanceId().value());
        }
        Capabilities.require(name, CAPABILITIES, Capability.FORCE_DETACH,
            "taking volume " + volume.name() + " over");
        volume = release(volume);
      }
      Attachment attachment = new Attachment(id, instance, deviceOf(id).toString());
      if (instance.equals(local.id())) {
        try {
          Files.createFile(deviceOf(id));
        } catch (IOException e) {
          throw new BackendException("cannot create the device of " + id + ": " + e, false,
              null, e);
        }
      }
      volumes.put(id, withAttachments(volume, List.of(attachment)));
      return attachment;
    }
  }

  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    synchronized (lock) {
      Volume volume = get(id);
      if (force) {
        Capabilities.require(name, CAPABILITIES, Capability.FORCE_DETACH, "a forced detach");
      }
      if (volume.attachmentTo(instance).isEmpty()) {
        return;
      }
      if (!force && instance.equals(local.id())) {
        List<Path> mounted = host.mountsOf(deviceOf(id)).stream().map(MountEntry::mountPoint)
            .toList();
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
    return new DeviceLocator() {
      @Override
      public Optional<Path> locate(Attachment attachment) {
        if (!attachment.instanceId().equals(local.id())) {
          return Optional.empty();
        }
        return find(attachment.volumeId()).flatMap(v -> v.attachmentTo(local.id()))
            .map(a -> deviceOf(a.volumeId()));
      }

      @Override
      public List<Path> watchDirectories() {
        return List.of(devices);
      }
    };
  }

  @Override
  public void close() {
    // Nothing to release: the volumes live as long as this driver.
  }

  private Volume get(VolumeId id) {
    Volume volume = volumes.get(id);
    if (volume == null) {
      throw new VolumeNotFoundException(id.value());
    }
    return volume;
  }

  /** Detaches a volume from wherever it is attached. Call holding the lock. */
  private Volume release(Volume volume) {
    try {
      Files.deleteIfExists(deviceOf(volume.id()));
    } catch (IOException e) {
      throw new BackendException("cannot delete the device of " + volume.id() + ": " + e,
          false, null, e);
    }
    Volume released = withAttachments(volume, List.of());
    volumes.put(volume.id(), released);
    return released;
  }

  private Path deviceOf(VolumeId id) {
    return devices.resolve(id.value());
  }

  private static Volume withAttachments(Volume v, List<Attachment> attachments) {
    return new Volume(v.id(), v.name(), v.size(), v.volumeType(), v.iops(),
        v.availabilityZone(), v.encrypted(), status(attachments), attachments, v.fields());
  }

  private static VolumeStatus status(List<Attachment> attachments) {
    return attachments.isEmpty()
        ? new VolumeStatus(VolumeStatus.Phase.AVAILABLE, "available")
        : new VolumeStatus(VolumeStatus.Phase.IN_USE, "in-use");
  }
}
