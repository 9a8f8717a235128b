package io.stowage.cli.plugin;

import io.stowage.SnapshotService;
import io.stowage.VolumeService;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.Capability;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.model.VolumeStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** A volume service in memory, for tests of the protocol layer: counts uses per caller. */
final class InMemoryVolumeService implements VolumeService {
  /** When every volume of this service was created. */
  static final Instant CREATED_AT = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final InstanceId LOCAL = InstanceId.of("local");
  private final Object lock = new Object();
  private final Map<String, Volume> volumes = new TreeMap<>();
  private final Map<String, Set<Caller>> uses = new TreeMap<>();
  private final List<String> calls = new ArrayList<>();
  private final Path root;
  private volatile long mountDelayMillis;

  InMemoryVolumeService(Path root) {
    this.root = root;
  }

  void mountDelay(long millis) {
    mountDelayMillis = millis;
  }

  List<String> calls() {
    synchronized (lock) {
      return List.copyOf(calls);
    }
  }

  @Override
  public String driverName() {
    return "memory";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.IOPS, Capability.VOLUME_TYPES);
  }

  @Override
  public Instance localInstance() {
    return new Instance(LOCAL, "local", Optional.empty());
  }

  @Override
  public List<Volume> list() {
    synchronized (lock) {
      return List.copyOf(volumes.values());
    }
  }

  @Override
  public Optional<Volume> find(String volume) {
    synchronized (lock) {
      return Optional.ofNullable(volumes.get(volume));
    }
  }

  @Override
  public Volume create(String name, VolumeOptions options) {
    synchronized (lock) {
      calls.add("create " + name + " " + options.toMap());
      if (volumes.containsKey(name)) {
        throw new VolumeAlreadyExistsException(name, "id-" + name);
      }
      Volume v = new Volume(VolumeId.of("id-" + name), VolumeName.of(name),
          options.size().orElse(ByteSize.ofGiB(16)), options.volumeType(), options.iops(),
          Optional.empty(), false, VolumeStatus.of(VolumeStatus.Phase.AVAILABLE), List.of(),
          Map.of(), Optional.of(CREATED_AT));
      volumes.put(name, v);
      return v;
    }
  }

  @Override
  public void remove(String volume, boolean force) {
    synchronized (lock) {
      calls.add("remove " + volume);
      if (!volumes.containsKey(volume)) {
        throw new VolumeNotFoundException(volume);
      }
      if (!uses.getOrDefault(volume, Set.of()).isEmpty()) {
        throw new VolumeInUseException(volume, "callers", "volume \"" + volume
            + "\" is mounted on this host");
      }
      volumes.remove(volume);
    }
  }

  @Override
  public Attachment attach(String volume, boolean preempt) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Attachment attach(String volume, InstanceId instance, boolean preempt) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void detach(String volume, boolean force) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void detach(String volume, InstanceId instance, boolean force) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Mount mount(String volume, MountRequest request) {
    if (mountDelayMillis > 0) {
      try {
        Thread.sleep(mountDelayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    synchronized (lock) {
      calls.add("mount " + volume + " " + request.caller());
      Volume v = volumes.get(volume);
      if (v == null) {
        v = create(volume, request.options());
      }
      uses.computeIfAbsent(volume, k -> new HashSet<>()).add(request.caller());
      return new Mount(v, Path.of("/dev/mem0"), root.resolve(volume),
          root.resolve(volume).resolve("data"), false, false);
    }
  }

  @Override
  public void unmount(String volume, UnmountRequest request) {
    synchronized (lock) {
      calls.add("unmount " + volume + " " + request.caller());
      Set<Caller> callers = uses.get(volume);
      if (callers != null) {
        callers.remove(request.caller());
        if (callers.isEmpty()) {
          uses.remove(volume);
        }
      }
    }
  }

  @Override
  public Optional<Path> path(String volume) {
    synchronized (lock) {
      return uses.containsKey(volume) ? Optional.of(root.resolve(volume).resolve("data"))
          : Optional.empty();
    }
  }

  @Override
  public Volume resize(String volume, ByteSize size) {
    throw new UnsupportedCapabilityException(driverName(), Capability.RESIZE.name(),
        "resize of volume " + volume);
  }

  @Override
  public SnapshotService snapshots() {
    throw new UnsupportedCapabilityException(driverName(), Capability.SNAPSHOTS.name(),
        "snapshots");
  }
}
