package io.stowage.tck;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.model.VolumeSource;
import io.stowage.model.VolumeStatus;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An in-memory driver that keeps the whole contract, for the kit's own tests. A local
 * attachment's device is an empty file under the device directory that exists while the
 * volume is attached here. A volume's data is the directory {@code <device>.data} that a
 * {@link TableHost} formats and mounts; snapshots and copies copy it. Its snapshots live in
 * {@link #HOME} or {@link #AWAY}, and stay pending until they are awaited, so that a caller
 * that does not await them sees them pending.
 */
final class ReferenceDriver implements StorageDriver {
  /** What the driver can do without the optional features. */
  static final Set<Capability> BASIC = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE, Capability.IOPS,
      Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES, Capability.ENCRYPTION));
  /** Everything. */
  static final Set<Capability> ALL = Collections.unmodifiableSet(EnumSet.allOf(Capability.class));
  /** The driver's own region. */
  static final String HOME = "tck-home";
  /** The other region of its back end. */
  static final String AWAY = "tck-away";

  private final String name;
  private final Set<Capability> capabilities;
  private final Path devices;
  private final Path snapshotData;
  private final HostOs host;
  private final Instance local;
  private final Object lock = new Object();
  private final Map<VolumeId, Volume> volumes = new LinkedHashMap<>();
  private final Map<SnapshotId, Snapshot> snapshots = new LinkedHashMap<>();
  private final RegionSnapshots home = new RegionSnapshots(HOME);
  private final RegionSnapshots away = new RegionSnapshots(AWAY);

  ReferenceDriver(String name, Set<Capability> capabilities, ReferenceSettings settings,
      HostOs host) {
    this.name = name;
    this.capabilities = capabilities;
    this.devices = settings.deviceDirectory();
    this.snapshotData = devices.resolveSibling(devices.getFileName() + "-snapshots");
    this.host = host;
    this.local = new Instance(InstanceId.of(settings.instanceId()), settings.instanceId(),
        Optional.empty());
    try {
      Files.createDirectories(devices);
      Files.createDirectories(snapshotData);
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
    return capabilities;
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return capabilities.contains(Capability.SNAPSHOTS) ? Optional.of(home) : Optional.empty();
  }

  @Override
  public Optional<Resizer> resizer() {
    return capabilities.contains(Capability.RESIZE) ? Optional.of(this::grow)
        : Optional.empty();
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
    Capabilities.requireSupported(name, capabilities, options);
    if (!options.extra().isEmpty()) {
      throw new InvalidArgumentException("volume option", options.extra().keySet().iterator()
          .next(), "the reference driver has no options of its own");
    }
    Optional<VolumeSource> source = options.source();
    synchronized (lock) {
      for (Volume v : volumes.values()) {
        if (v.name().equals(volumeName)) {
          throw new VolumeAlreadyExistsException(volumeName.value(), v.id().value());
        }
      }
      Path sourceData = null;
      ByteSize size = options.size().orElse(ByteSize.ofGiB(1));
      if (source.isPresent()) {
        ByteSize least;
        if (source.get().kind().snapshot()) {
          Snapshot snapshot = home.resolve(source.get());
          least = snapshot.size();
          sourceData = dataOf(snapshot.id());
        } else {
          Volume volume = resolveVolume(source.get());
          least = volume.size();
          sourceData = dataOf(volume.id());
        }
        size = options.size().orElse(least);
        if (size.compareTo(least) < 0) {
          throw new InvalidArgumentException("size", size.toString(), "is smaller than the "
              + source.get().kind().option() + " " + source.get().reference() + " of " + least);
        }
      }
      VolumeId id;
      do {
        id = VolumeId.of("ref-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextLong()));
      } while (volumes.containsKey(id));
      if (sourceData != null) {
        copyTree(sourceData, dataOf(id));
      }
      Volume volume = new Volume(id, volumeName, size, options.volumeType(), options.iops(),
          options.availabilityZone(), options.encrypted().orElse(false), status(List.of()),
          List.of(), Map.of());
      volumes.put(id, volume);
      return volume;
    }
  }

  private Volume resolveVolume(VolumeSource source) {
    if (source.kind() == VolumeSource.Kind.VOLUME_ID) {
      return get(VolumeId.of(source.reference()));
    }
    return volumes.values().stream().filter(v -> v.name().value().equals(source.reference()))
        .findFirst().orElseThrow(() -> new VolumeNotFoundException(source.reference()));
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
      deleteTree(dataOf(id));
    }
  }

  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    synchronized (lock) {
      Volume volume = get(id);
      if (!instance.equals(local.id())) {
        Capabilities.require(name, capabilities, Capability.ATTACH_OTHER_INSTANCE,
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
        Capabilities.require(name, capabilities, Capability.FORCE_DETACH,
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
        Capabilities.require(name, capabilities, Capability.FORCE_DETACH, "a forced detach");
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

  private Volume grow(VolumeId id, ByteSize size) {
    synchronized (lock) {
      Volume volume = get(id);
      if (size.compareTo(volume.size()) < 0) {
        throw new InvalidArgumentException("size", size.toString(), "is smaller than volume "
            + volume.name() + " of " + volume.size() + "; volumes only grow");
      }
      if (size.equals(volume.size())) {
        return volume;
      }
      if (!volume.attachments().isEmpty() && !capabilities.contains(Capability.ONLINE_RESIZE)) {
        throw new VolumeInUseException(volume.name().value(),
            volume.attachments().get(0).instanceId().value(), "volume " + volume.name()
                + " is attached; detach it to grow it");
      }
      Volume grown = new Volume(id, volume.name(), size, volume.volumeType(), volume.iops(),
          volume.availabilityZone(), volume.encrypted(), volume.status(), volume.attachments(),
          volume.fields());
      volumes.put(id, grown);
      return grown;
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

  /** The data of a volume, where {@link TableHost} keeps what its device holds. */
  private Path dataOf(VolumeId id) {
    return TableHost.dataOf(deviceOf(id));
  }

  private Path dataOf(SnapshotId id) {
    return snapshotData.resolve(id.value());
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

  private static void copyTree(Path from, Path to) {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    } catch (IOException e) {
      throw new BackendException("cannot copy " + from + ": " + e, false, null, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new BackendException("cannot delete " + dir + ": " + e, false, null, e);
    }
  }

  /** The snapshots of one region. */
  private final class RegionSnapshots implements Snapshots {
    private final String region;

    RegionSnapshots(String region) {
      this.region = region;
    }

    @Override
    public Optional<String> region() {
      return Optional.of(region);
    }

    @Override
    public Snapshot create(VolumeId volumeId, SnapshotRequest request) {
      synchronized (lock) {
        Volume volume = ReferenceDriver.this.get(volumeId);
        Snapshot snapshot = add(request, Optional.of(volume.id()), volume.size(), region);
        copyTree(dataOf(volume.id()), dataOf(snapshot.id()));
        return snapshot;
      }
    }

    private Snapshot add(SnapshotRequest request, Optional<VolumeId> volume, ByteSize size,
        String where) {
      SnapshotId id;
      do {
        id = SnapshotId.of("refsnap-" + HexFormat.of().toHexDigits(
            ThreadLocalRandom.current().nextLong()));
      } while (snapshots.containsKey(id));
      Snapshot snapshot = new Snapshot(id, request.name(), volume, size,
          SnapshotStatus.of(SnapshotStatus.Phase.PENDING), Optional.of(where), request.tags(),
          Map.of(), Optional.empty());
      snapshots.put(id, snapshot);
      return snapshot;
    }

    @Override
    public List<Snapshot> list() {
      synchronized (lock) {
        return snapshots.values().stream()
            .filter(s -> s.region().orElseThrow().equals(region)).toList();
      }
    }

    @Override
    public Optional<Snapshot> find(SnapshotId id) {
      synchronized (lock) {
        return Optional.ofNullable(snapshots.get(id))
            .filter(s -> s.region().orElseThrow().equals(region));
      }
    }

    @Override
    public List<Snapshot> findByName(SnapshotName snapshotName) {
      return list().stream().filter(s -> s.name().equals(snapshotName)).toList();
    }

    @Override
    public void remove(SnapshotId id) {
      synchronized (lock) {
        get(id);
        snapshots.remove(id);
        deleteTree(dataOf(id));
      }
    }

    @Override
    public Snapshot await(SnapshotId id, Duration timeout) {
      synchronized (lock) {
        Snapshot s = get(id);
        Snapshot done = new Snapshot(s.id(), s.name(), s.volumeId(), s.size(),
            SnapshotStatus.of(SnapshotStatus.Phase.COMPLETED), s.region(), s.tags(), s.fields(),
            s.createdAt());
        snapshots.put(id, done);
        return done;
      }
    }

    @Override
    public Snapshot copy(SnapshotId id, String target, SnapshotRequest request) {
      Capabilities.require(name, capabilities, Capability.COPY_SNAPSHOT, "copying snapshots");
      RegionSnapshots there = (RegionSnapshots) inRegion(target);
      synchronized (lock) {
        Snapshot source = get(id);
        if (!source.completed()) {
          throw new InvalidStateException(id.value(), source.status().raw(), "snapshot " + id
              + " is not complete yet");
        }
        Snapshot copy = there.add(request, Optional.empty(), source.size(), target);
        copyTree(dataOf(source.id()), dataOf(copy.id()));
        return copy;
      }
    }

    @Override
    public Snapshots inRegion(String target) {
      Capabilities.require(name, capabilities, Capability.COPY_SNAPSHOT,
          "the snapshots of region " + target);
      return switch (target) {
        case HOME -> home;
        case AWAY -> away;
        default -> throw new InvalidArgumentException("region", target, "the reference back"
            + " end has the regions " + HOME + " and " + AWAY);
      };
    }

    /** The snapshot of an ID here, as it is now. */
    private Snapshot get(SnapshotId id) {
      return find(id).orElseThrow(() -> new SnapshotNotFoundException(id.value()));
    }

    /** The complete snapshot a volume option names, for a restore. */
    Snapshot resolve(VolumeSource source) {
      Snapshot snapshot;
      if (source.kind() == VolumeSource.Kind.SNAPSHOT_ID) {
        snapshot = get(SnapshotId.of(source.reference()));
      } else {
        List<Snapshot> named = findByName(SnapshotName.of(source.reference()));
        if (named.isEmpty()) {
          throw new SnapshotNotFoundException(source.reference());
        }
        if (named.size() > 1) {
          throw new InvalidArgumentException("snapshotname", source.reference(), "names "
              + named.size() + " snapshots; give snapshotid");
        }
        snapshot = named.get(0);
      }
      if (!snapshot.completed()) {
        throw new InvalidStateException(snapshot.id().value(), snapshot.status().raw(),
            "snapshot " + snapshot.id() + " is not complete yet");
      }
      return snapshot;
    }
  }
}
