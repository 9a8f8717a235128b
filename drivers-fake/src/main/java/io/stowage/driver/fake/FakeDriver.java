package io.stowage.driver.fake;

import io.stowage.driver.fake.VolumeRecord.AttachmentRecord;
import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
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
import io.stowage.model.VolumeSource;
import io.stowage.model.VolumeStatus;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import io.stowage.spi.Resizer;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fake storage driver: volumes are JSON records and sparse image files under
 * {@link FakeSettings#root()}, shared by every process and every simulated instance that uses
 * the same root. Attaching to the local instance gives a loop device over the image
 * ({@link DeviceMode#LOOP}, with the real Linux host) or the simulated device
 * {@code <root>/devices/<volume id>}, an empty file that exists while the volume is attached
 * ({@link DeviceMode#SIMULATED}, with a {@link SimulatedHost}); attaching to any other instance
 * ID only records it.
 *
 * <p>Capabilities: {@link FakeDriverProvider#CAPABILITIES}. Volume type, IOPS, zone and the
 * encryption flag are recorded and reported back, not enforced; the encryption key is not
 * stored. Snapshots ({@link FakeSnapshots}) and copies of volumes are sparse copies of the
 * image, made while the store's lock is held; with a {@link SimulatedHost} they copy what the
 * host keeps for the device too. A volume grows by growing its image, and a loop device over
 * it is told the new size at once ({@code losetup -c}).
 *
 * <p>Thread-safe, and safe for several processes over one root: every read-modify-write holds
 * the store's in-process and file lock.
 */
public final class FakeDriver implements StorageDriver {
  private static final Logger LOG = LoggerFactory.getLogger(FakeDriver.class);

  private final FakeSettings settings;
  private final DeviceMode devices;
  private final Clock clock;
  private final HostOs host;
  private final FakeStore store;
  private final LoopDevices loops;
  private final FaultInjector faults = new FaultInjector();
  private final Instance local;
  private final DeviceLocator locator = new Locator();
  private final FakeSnapshots snapshots;

  /**
   * Checks that the settings fit the host, opens the store under the settings' root, creating
   * its directories if needed, and applies the settings' fault injection.
   *
   * @param settings the settings
   * @param context the clock, host and command runner
   * @throws ConfigurationException when the device mode does not fit the host: loop devices
   *     need the real Linux host and root, simulated devices a {@link SimulatedHost}
   * @throws BackendException when the root cannot be created or opened
   */
  public FakeDriver(FakeSettings settings, DriverContext context) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.host = context.host();
    this.devices = deviceMode(settings, host.kind());
    this.clock = context.clock();
    this.store = new FakeStore(settings.root());
    this.loops = new LoopDevices(context.commands(), settings.commandTimeout());
    String instance = settings.instanceId().orElseGet(FakeDriver::hostName);
    this.local = new Instance(InstanceId.of(instance), instance, settings.availabilityZone());
    faults.apply(FaultInjector.parseFailOn(settings.failOn().orElse("")), settings.latency(),
        settings.throttleEvery(), settings.stuckAttach());
    this.snapshots = new FakeSnapshots(this, store, settings.region());
    LOG.debug("fake driver opened store {} as instance {} with {} devices", store.root(),
        local.id(), devices);
  }

  /**
   * The device mode the settings ask for, or the one the host takes; a mode the host cannot
   * mount is refused, naming the setting to change.
   */
  private static DeviceMode deviceMode(FakeSettings settings, HostOs.Kind host) {
    DeviceMode mode = settings.devices().orElse(
        host == HostOs.Kind.SIMULATED ? DeviceMode.SIMULATED : DeviceMode.LOOP);
    String problem = null;
    if (mode == DeviceMode.LOOP && host == HostOs.Kind.SIMULATED) {
      problem = "fake.devices is loop, but the host is a SimulatedHost, which mounts only"
          + " simulated devices; set fake.devices to simulated (or leave it unset), or build"
          + " Stowage without .host(...) to mount loop devices on the real host";
    } else if (mode == DeviceMode.SIMULATED && host == HostOs.Kind.LINUX) {
      problem = "fake.devices is simulated, but the host is the real Linux host, which can"
          + " never see a simulated device; pass Stowage.builder().host(new SimulatedHost(dir)),"
          + " or set fake.devices to loop (as root) to mount real loop devices";
    } else if (mode == DeviceMode.LOOP && !runningAsRoot()) {
      problem = "fake.devices is loop, which needs root (losetup, mount); run as root, or run"
          + " without root on a SimulatedHost: Stowage.builder().host(new SimulatedHost(dir))"
          + " with fake.devices simulated";
    }
    if (problem != null) {
      throw new ConfigurationException("fake section", List.of(problem));
    }
    return mode;
  }

  /**
   * Returns whether this process runs as root, from the real UID in
   * {@code /proc/self/status}.
   */
  static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"),
          StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          String[] fields = line.substring(4).strip().split("\\s+");
          return fields.length > 0 && fields[0].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /**
   * Returns the host name from the kernel, falling back to {@code HOSTNAME} and then
   * {@code localhost}: a name that is a valid instance ID.
   */
  static String hostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
          .strip();
    } catch (IOException | RuntimeException e) {
      name = System.getenv("HOSTNAME");
    }
    if (name == null || name.isEmpty() || name.chars().anyMatch(
        c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "localhost";
    }
    return name;
  }

  /**
   * Returns the fault injector of this driver, to inject faults from code.
   *
   * @return the injector (the same one on every call)
   */
  public FaultInjector faults() {
    return faults;
  }

  /**
   * Returns the settings this driver was opened with.
   *
   * @return the settings
   */
  public FakeSettings settings() {
    return settings;
  }

  /**
   * Returns the device mode in use: the configured one, or the one the host takes.
   *
   * @return the mode
   */
  public DeviceMode devices() {
    return devices;
  }

  /**
   * Returns the image file of a volume, the file a loop device serves.
   *
   * @param id the volume
   * @return the path of its image, which exists while the volume does
   */
  public Path imageOf(VolumeId id) {
    requireOurs(id);
    return store.imagePath(id.value());
  }

  @Override
  public String name() {
    return FakeDriverProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return FakeDriverProvider.CAPABILITIES;
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return Optional.of(snapshots);
  }

  @Override
  public Optional<Resizer> resizer() {
    return Optional.of(this::grow);
  }

  @Override
  public List<Volume> list() {
    call(Operation.LIST, "list volumes");
    return store.readAll().stream().map(this::toVolume).toList();
  }

  @Override
  public List<Volume> findByName(VolumeName name) {
    Objects.requireNonNull(name, "name");
    call(Operation.LIST, "find volumes named " + name);
    return store.readByName(name.value()).map(this::toVolume).stream().toList();
  }

  @Override
  public Optional<Volume> find(VolumeId id) {
    Objects.requireNonNull(id, "id");
    call(Operation.FIND, "find volume " + id);
    return store.read(id.value()).map(this::toVolume);
  }

  @Override
  public Volume create(VolumeName name, VolumeOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Capabilities.requireSupported(name(), capabilities(), options);
    if (!options.extra().isEmpty()) {
      throw new InvalidArgumentException("volume option", options.extra().keySet().iterator()
          .next(), "the fake driver has no options of its own");
    }
    Optional<VolumeSource> source = options.source();
    call(Operation.CREATE, "create volume " + name);
    VolumeRecord created = store.locked(() -> {
      store.readByName(name.value()).ifPresent(existing -> {
        throw new VolumeAlreadyExistsException(name.value(), existing.id());
      });
      Optional<Origin> origin = source.map(this::origin);
      ByteSize size = options.size().orElse(origin.map(Origin::size)
          .orElse(VolumeOptions.DEFAULT_SIZE));
      if (origin.isPresent() && size.compareTo(origin.get().size()) < 0) {
        throw new InvalidArgumentException("size", size.toString(), "is smaller than the "
            + origin.get().what() + " the volume is created from, of " + origin.get().size());
      }
      // Unique because it is checked under the store's lock; the random only spreads IDs out.
      String id;
      do {
        id = "fake-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
      } while (store.read(id).isPresent());
      VolumeRecord record = new VolumeRecord(VolumeRecord.VERSION, id, name.value(),
          size.bytes(), options.volumeType().orElse(null), options.iops().orElse(null),
          options.availabilityZone().orElse(null),
          options.encrypted().orElse(false) || options.encryptionKey().isPresent(),
          clock.instant().toString(), null, origin.map(Origin::what).orElse(null));
      if (origin.isEmpty()) {
        store.createImage(id, size.bytes());
      } else {
        store.copyImage(origin.get().imageId(), id, size.bytes());
        try {
          copyDeviceData(origin.get().imageId(), id);
        } catch (RuntimeException e) {
          store.delete(id);
          throw e;
        }
      }
      // The link comes first: a crash before the record leaves a link that reads as absent.
      store.linkName(name.value(), id);
      store.write(record);
      return record;
    });
    LOG.debug("created volume {} ({}) of {}{}", name, created.id(), created.sizeBytes(),
        created.createdFrom() == null ? "" : " from " + created.createdFrom());
    return toVolume(created);
  }

  /** The image a new volume is copied from, its size, and what it is. */
  private record Origin(String imageId, ByteSize size, String what) {}

  /** Resolves the snapshot or volume a create names. Call under the store's lock. */
  private Origin origin(VolumeSource source) {
    if (source.kind().snapshot()) {
      SnapshotRecord snapshot = snapshots.resolve(source);
      return new Origin(snapshot.id(), new ByteSize(snapshot.sizeBytes()),
          "snapshot " + snapshot.id());
    }
    VolumeRecord volume = (source.kind() == VolumeSource.Kind.VOLUME_ID
        ? store.read(source.reference()) : store.readByName(source.reference()))
        .orElseThrow(() -> new VolumeNotFoundException(source.reference()));
    flush(volume);
    return new Origin(volume.id(), new ByteSize(volume.sizeBytes()), "volume " + volume.id());
  }

  /**
   * Grows a volume's image and, when a loop device here serves it, tells the loop device the
   * new size, so that the device grows while attached.
   */
  private Volume grow(VolumeId id, ByteSize size) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(size, "size");
    call(Operation.RESIZE, "grow volume " + id + " to " + size);
    VolumeRecord grown = store.locked(() -> {
      VolumeRecord record = store.read(id.value())
          .orElseThrow(() -> new VolumeNotFoundException(id.value()));
      if (size.bytes() < record.sizeBytes()) {
        throw new InvalidArgumentException("size", size.toString(), "is smaller than volume "
            + InvalidArgumentException.quote(record.name()) + " of "
            + new ByteSize(record.sizeBytes()) + "; volumes only grow");
      }
      if (size.bytes() == record.sizeBytes()) {
        return record;
      }
      store.growImage(record.id(), size.bytes());
      if (devices == DeviceMode.LOOP && record.attachment() != null && hasLoopDevice(record)) {
        loops.refreshCapacity(Path.of(record.attachment().loopDevice()));
      }
      VolumeRecord updated = record.withSize(size.bytes());
      store.write(updated);
      return updated;
    });
    LOG.debug("volume {} has {} bytes", id, grown.sizeBytes());
    return toVolume(grown);
  }

  /**
   * Flushes the loop device over a volume's image, if one here serves it, so that the image
   * holds everything written to the device. Call under the store's lock.
   */
  void flush(VolumeRecord record) {
    if (devices == DeviceMode.LOOP && record.attachment() != null && hasLoopDevice(record)) {
      loops.flush(Path.of(record.attachment().loopDevice()));
    }
  }

  /** Copies what a {@link SimulatedHost} keeps for one image's device to another's. */
  void copyDeviceData(String fromId, String toId) {
    if (devices == DeviceMode.SIMULATED && host instanceof SimulatedHost simulated) {
      simulated.copyDevice(store.simulatedDevice(fromId), store.simulatedDevice(toId));
    }
  }

  /** Forgets what a {@link SimulatedHost} keeps for an image's device. */
  void discardDeviceData(String id) {
    if (devices == DeviceMode.SIMULATED && host instanceof SimulatedHost simulated) {
      simulated.discardDevice(store.simulatedDevice(id));
    }
  }

  /** The time now, by the driver's clock. */
  Instant now() {
    return clock.instant();
  }

  @Override
  public void remove(VolumeId id) {
    Objects.requireNonNull(id, "id");
    call(Operation.REMOVE, "remove volume " + id);
    store.locked(() -> {
      VolumeRecord record = store.read(id.value())
          .orElseThrow(() -> new VolumeNotFoundException(id.value()));
      if (record.attachment() != null) {
        throw VolumeInUseException.byInstance(record.name(), record.attachment().instanceId());
      }
      store.delete(record.id());
      store.unlinkName(record.name(), record.id());
      discardDeviceData(record.id());
      return null;
    });
    LOG.debug("removed volume {}", id);
  }

  @Override
  public Attachment attach(VolumeId id, InstanceId instance, boolean force) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    call(Operation.ATTACH, "attach volume " + id + " to " + instance);
    boolean toLocal = instance.equals(local.id());
    VolumeRecord result = store.locked(() -> {
      VolumeRecord record = store.read(id.value())
          .orElseThrow(() -> new VolumeNotFoundException(id.value()));
      AttachmentRecord current = record.attachment();
      if (current != null && current.instanceId().equals(instance.value())) {
        if (toLocal && devices == DeviceMode.LOOP && !hasLoopDevice(record)) {
          LOG.warn("volume {} is attached here but no loop device serves it ({}); setting up "
              + "a new one", record.id(), current.loopDevice() == null
                  ? "an attach was interrupted" : current.loopDevice() + " is gone");
          return attachHere(record, instance, toLocal);
        }
        return record;
      }
      if (current != null) {
        if (!force) {
          throw VolumeInUseException.byInstance(record.name(), current.instanceId());
        }
        LOG.warn("force-detaching volume {} from instance {} to attach it to {}", record.id(),
            current.instanceId(), instance);
        record = release(record);
      }
      return attachHere(record, instance, toLocal);
    });
    return toAttachment(result);
  }

  private VolumeRecord attachHere(VolumeRecord record, InstanceId instance, boolean toLocal) {
    String now = clock.instant().toString();
    AttachmentRecord attachment;
    String simulated = store.simulatedDevice(record.id()).toString();
    if (faults.stuckAttach()) {
      attachment = new AttachmentRecord(instance.value(), simulated, null,
          AttachmentRecord.ATTACHING, now);
    } else if (toLocal && devices == DeviceMode.LOOP) {
      return attachLoop(record, instance, now);
    } else {
      if (devices == DeviceMode.SIMULATED) {
        store.createSimulatedDevice(record.id());
      }
      attachment = new AttachmentRecord(instance.value(), simulated, null,
          AttachmentRecord.ATTACHED, now);
    }
    VolumeRecord updated = record.withAttachment(attachment);
    store.write(updated);
    LOG.debug("attached volume {} to instance {} as {}", record.id(), instance,
        attachment.device());
    return updated;
  }

  /**
   * Attaches to the local instance with a loop device. The attachment is recorded (as
   * attaching) before {@code losetup} runs, so that a crash between the two, or a
   * {@code losetup} that completes after its caller died, leaves an attachment that a detach
   * releases together with the loop device, instead of a loop device nothing records.
   */
  private VolumeRecord attachLoop(VolumeRecord record, InstanceId instance, String now) {
    Path image = store.imagePath(record.id());
    VolumeRecord attaching = record.withAttachment(new AttachmentRecord(instance.value(),
        store.simulatedDevice(record.id()).toString(), null, AttachmentRecord.ATTACHING, now));
    store.write(attaching);
    VolumeRecord updated;
    try {
      loops.detachAll(image);
      Path device = loops.attach(image);
      updated = record.withAttachment(new AttachmentRecord(instance.value(), device.toString(),
          device.toString(), AttachmentRecord.ATTACHED, now));
    } catch (RuntimeException e) {
      restore(record, e);
      throw e;
    }
    try {
      store.write(updated);
    } catch (RuntimeException e) {
      releaseLoop(updated);
      restore(record, e);
      throw e;
    }
    LOG.debug("attached volume {} to instance {} as {}", record.id(), instance,
        updated.attachment().device());
    return updated;
  }

  private void restore(VolumeRecord record, RuntimeException failure) {
    try {
      store.write(record);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Whether the record's loop device exists and still serves the volume's image. */
  private boolean hasLoopDevice(VolumeRecord record) {
    String device = record.attachment().loopDevice();
    return device != null && loops.serves(Path.of(device), store.imagePath(record.id()));
  }

  @Override
  public void detach(VolumeId id, InstanceId instance, boolean force) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instance, "instance");
    call(Operation.DETACH, "detach volume " + id + " from " + instance);
    store.locked(() -> {
      VolumeRecord record = store.read(id.value())
          .orElseThrow(() -> new VolumeNotFoundException(id.value()));
      AttachmentRecord current = record.attachment();
      if (current == null || !current.instanceId().equals(instance.value())) {
        return null;
      }
      if (!force) {
        List<Path> mounted = mountPointsHere(record, instance);
        if (!mounted.isEmpty()) {
          throw new VolumeInUseException(record.name(), instance.value(), "volume "
              + InvalidArgumentException.quote(record.name()) + " is still mounted at "
              + mounted + " through " + current.device()
              + "; unmount it or detach with force");
        }
      }
      release(record);
      return null;
    });
  }

  /**
   * Where the device of a volume attached to an instance is mounted on this host: its loop
   * device, or, on a {@link SimulatedHost}, its simulated device when attached to this
   * instance. Simulated instances may share one {@code SimulatedHost}, whose table then holds
   * the stale mounts of instances the volume was taken from; only a {@code SimulatedHost} tells
   * those apart, so on another simulated host (a test's wrapper) nothing counts as mounted.
   */
  private List<Path> mountPointsHere(VolumeRecord record, InstanceId instance) {
    List<MountEntry> mounts = List.of();
    if (devices == DeviceMode.LOOP) {
      if (hasLoopDevice(record)) {
        mounts = host.mountsOf(Path.of(record.attachment().loopDevice()));
      }
    } else if (instance.equals(local.id()) && host instanceof SimulatedHost simulated) {
      mounts = simulated.liveMountsOf(Path.of(record.attachment().device()));
    }
    return mounts.stream().map(MountEntry::mountPoint).toList();
  }

  /** Clears a record's attachment, releasing its loop device. Call under the store lock. */
  private VolumeRecord release(VolumeRecord record) {
    releaseLoop(record);
    VolumeRecord updated = record.withAttachment(null);
    store.write(updated);
    LOG.debug("detached volume {} from instance {}", record.id(),
        record.attachment().instanceId());
    return updated;
  }

  /**
   * Releases the device of an attachment. Whatever simulated instance it was attached to, the
   * device lives on this machine. A simulated device is deleted. With loop devices, every loop
   * device that serves the volume's image is released: the recorded one, and any an
   * interrupted attach set up without recording it; one that is still mounted is released by
   * the kernel at the last unmount (auto-clear).
   */
  private void releaseLoop(VolumeRecord record) {
    AttachmentRecord attachment = record.attachment();
    if (attachment == null) {
      return;
    }
    store.deleteSimulatedDevice(record.id());
    if (devices != DeviceMode.LOOP) {
      if (attachment.loopDevice() != null) {
        LOG.warn("volume {} has loop device {}, which a driver with simulated devices does "
            + "not release", record.id(), attachment.loopDevice());
      }
      return;
    }
    loops.detachAll(store.imagePath(record.id()));
  }

  @Override
  public DeviceLocator deviceLocator() {
    return locator;
  }

  @Override
  public void close() {
    LOG.debug("fake driver for store {} closed", store.root());
  }

  /** Counts a back-end call and fails it as the fault injector says. */
  void call(Operation operation, String what) {
    switch (faults.before(operation)) {
      case FAIL -> throw new BackendException("fake: injected failure of " + what, false,
          null, null);
      case THROTTLE -> throw new BackendException("fake: request limit exceeded (injected "
          + "throttling) while trying to " + what, true, null, null);
      default -> { }
    }
  }

  private static void requireOurs(VolumeId id) {
    if (!FakeStore.ID.matcher(id.value()).matches()) {
      throw new VolumeNotFoundException(id.value());
    }
  }

  private Volume toVolume(VolumeRecord r) {
    AttachmentRecord a = r.attachment();
    VolumeStatus status;
    List<Attachment> attachments;
    if (a == null) {
      status = new VolumeStatus(VolumeStatus.Phase.AVAILABLE, "available");
      attachments = List.of();
    } else {
      status = new VolumeStatus(VolumeStatus.Phase.IN_USE, a.state());
      attachments = List.of(new Attachment(VolumeId.of(r.id()), InstanceId.of(a.instanceId()),
          a.device()));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("image", store.imagePath(r.id()).toString());
    if (r.createdFrom() != null) {
      fields.put("createdFrom", r.createdFrom());
    }
    if (a != null) {
      fields.put("attachmentState", a.state());
      if (a.loopDevice() != null) {
        fields.put("loopDevice", a.loopDevice());
      }
    }
    return new Volume(VolumeId.of(r.id()), VolumeName.of(r.name()), new ByteSize(r.sizeBytes()),
        Optional.ofNullable(r.volumeType()), Optional.ofNullable(r.iops()),
        Optional.ofNullable(r.availabilityZone()), r.encrypted(), status, attachments, fields,
        r.createdAt());
  }

  private Attachment toAttachment(VolumeRecord r) {
    return new Attachment(VolumeId.of(r.id()), InstanceId.of(r.attachment().instanceId()),
        r.attachment().device());
  }

  /** Finds the local device of an attachment from the store's record. */
  private final class Locator implements DeviceLocator {
    @Override
    public Optional<Path> locate(Attachment attachment) {
      if (!attachment.instanceId().equals(local.id())) {
        return Optional.empty();
      }
      Optional<VolumeRecord> record = store.read(attachment.volumeId().value());
      if (record.isEmpty() || record.get().attachment() == null) {
        return Optional.empty();
      }
      AttachmentRecord a = record.get().attachment();
      if (!a.instanceId().equals(local.id().value())
          || !AttachmentRecord.ATTACHED.equals(a.state())) {
        return Optional.empty();
      }
      if (a.loopDevice() != null) {
        Path device = Path.of(a.loopDevice());
        return LoopDevices.isBlockDevice(device) ? Optional.of(device) : Optional.empty();
      }
      return devices == DeviceMode.SIMULATED ? Optional.of(Path.of(a.device()))
          : Optional.empty();
    }

    /** The store's records, which change when an attachment completes, and the devices. */
    @Override
    public List<Path> watchDirectories() {
      return List.of(store.recordDirectory(), devices == DeviceMode.LOOP ? Path.of("/dev")
          : store.simulatedDeviceDirectory());
    }
  }

  @Override
  public String toString() {
    return "FakeDriver[root=" + store.root() + ", instance=" + local.id() + ", devices="
        + devices.name().toLowerCase(Locale.ROOT) + "]";
  }
}
