package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.SnapshotService;
import io.stowage.VolumeService;
import io.stowage.config.VolumeSettings;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationDisabledException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.internal.state.Intent;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Capability;
import io.stowage.model.Caller;
import io.stowage.model.Instance;
import io.stowage.model.InstanceId;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.Capabilities;
import io.stowage.spi.Resizer;
import io.stowage.spi.StorageDriver;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeLock;
import io.stowage.internal.state.VolumeRecord;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume service of one service: the mount and unmount algorithm of DESIGN.md, implicit
 * create, preemption and per-caller used counts kept in the durable host state under the
 * service's name. Thread-safe; every call on a volume holds that volume's lock, which every
 * service of the driver shares, across threads and processes.
 */
public final class PolicyVolumeService implements VolumeService {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyVolumeService.class);

  private final PolicyContext ctx;
  private final StorageDriver driver;
  private final VolumeSettings config;
  private final String service;
  private final StateStore state;
  private final Instance local;
  private final Set<String> driverOptionKeys;
  private final VolumeResolver resolver;
  private final Function<String, Optional<String>> ownerElsewhere;
  private final SnapshotService snapshots;
  private final FileSystemGrowth growth;

  /**
   * Creates the service.
   *
   * @param ctx the driver and what its volumes are mounted with
   * @param driverOptionKeys the extra volume options the driver understands
   * @param volumeIdPattern the shape of the driver's volume IDs, if it declares one
   * @param ownerElsewhere names the other service, of another back end, that has a volume of a
   *     given name or ID, so that a mount never creates a namesake of another back end's volume
   */
  public PolicyVolumeService(PolicyContext ctx, Set<String> driverOptionKeys,
      Optional<Pattern> volumeIdPattern, Function<String, Optional<String>> ownerElsewhere) {
    this.ctx = ctx;
    this.driver = ctx.driver();
    this.config = ctx.settings();
    this.service = ctx.service();
    this.state = ctx.state();
    this.local = ctx.local();
    this.driverOptionKeys = Set.copyOf(driverOptionKeys);
    this.resolver = new VolumeResolver(driver, volumeIdPattern);
    this.ownerElsewhere = ownerElsewhere;
    this.snapshots = new PolicySnapshotService(ctx, resolver);
    this.growth = new FileSystemGrowth(ctx);
  }

  @Override
  public String serviceName() {
    return service;
  }

  @Override
  public String driverName() {
    return driver.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return driver.capabilities();
  }

  @Override
  public Instance localInstance() {
    return local;
  }

  /**
   * Returns the extra volume options the driver understands.
   *
   * @return lower-case option names
   */
  public Set<String> driverOptionKeys() {
    return driverOptionKeys;
  }

  @Override
  public List<Volume> list() {
    return driver.list().stream()
        .sorted(Comparator.comparing(Volume::name).thenComparing(v -> v.id().value()))
        .toList();
  }

  @Override
  public Optional<Volume> find(String volume) {
    return resolver.find(volume);
  }

  @Override
  public Volume create(String name, VolumeOptions options) {
    VolumeName volumeName = VolumeName.of(name);
    try (VolumeLock lock = ctx.lock(volumeName)) {
      return createLocked(volumeName, options);
    }
  }

  private Volume createLocked(VolumeName name, VolumeOptions options) {
    if (config.createDisabled()) {
      throw new OperationDisabledException("create", "volume.create.disable");
    }
    resolver.requireNotIdShaped(name);
    List<Volume> existing = driver.findByName(name);
    if (!existing.isEmpty()) {
      throw new io.stowage.exception.VolumeAlreadyExistsException(name.value(),
          existing.get(0).id().value());
    }
    VolumeOptions merged = options.orElse(config.createDefaults());
    Capabilities.requireSupported(driver.name(), driver.capabilities(), merged);
    merged.newFsType().ifPresent(type -> merged.mount().requireAllowedFor(type,
        "volume " + name));
    // Kept first, so that no volume exists without them; a failed create takes them back.
    state.mountDefaults().put(service, name, merged.mount());
    Volume created;
    try {
      created = driver.create(name, merged);
    } catch (RuntimeException e) {
      state.mountDefaults().remove(service, name);
      throw e;
    }
    LOG.info("Created volume {} ({}) with {}", name, created.id(), merged);
    return created;
  }

  @Override
  public void remove(String volume, boolean force) {
    if (config.removeDisabled()) {
      throw new OperationDisabledException("remove", "volume.remove.disable");
    }
    Volume found = resolver.get(volume);
    try (VolumeLock lock = ctx.lock(found.name())) {
      Volume current = current(found);
      boolean forced = force || config.removeForce();
      Optional<VolumeRecord> record = state.get(service, current.name());
      refuseIfMountedThroughAnotherService(current, "remove");
      if (record.isPresent()) {
        if (!forced) {
          throw new VolumeInUseException(current.name().value(), "this host",
              "volume " + current.name() + " is mounted on this host by "
                  + record.get().callers() + "; unmount it or remove with force");
        }
        release(record.get());
      }
      List<Attachment> attachments = current.attachments().stream()
          .filter(a -> record.isEmpty() || !a.instanceId().equals(local.id())).toList();
      if (!attachments.isEmpty()) {
        if (!forced) {
          throw VolumeInUseException.byInstance(current.name().value(),
              attachments.get(0).instanceId().value());
        }
        for (Attachment a : attachments) {
          driver.detach(current.id(), a.instanceId(), !a.instanceId().equals(local.id()));
        }
      }
      driver.remove(current.id());
      state.mountDefaults().remove(service, current.name());
      LOG.info("Removed volume {} ({})", current.name(), current.id());
    }
  }

  @Override
  public Attachment attach(String volume, boolean preempt) {
    return attach(volume, local.id(), preempt);
  }

  @Override
  public Attachment attach(String volume, InstanceId instance, boolean preempt) {
    Volume found = resolver.get(volume);
    try (VolumeLock lock = ctx.lock(found.name())) {
      Volume current = current(found);
      Optional<Attachment> there = current.attachmentTo(instance);
      if (there.isPresent()) {
        return there.get();
      }
      Optional<Attachment> elsewhere = current.attachmentElsewhere(instance);
      if (elsewhere.isPresent() && !preempt) {
        throw VolumeInUseException.byInstance(current.name().value(),
            elsewhere.get().instanceId().value());
      }
      if (elsewhere.isPresent()) {
        Capabilities.require(driver.name(), driver.capabilities(), Capability.FORCE_DETACH,
            "preempting volume " + current.name());
      }
      Attachment attachment = driver.attach(current.id(), instance, preempt);
      LOG.info("Attached volume {} ({}) to instance {}", current.name(), current.id(), instance);
      return attachment;
    }
  }

  @Override
  public void detach(String volume, boolean force) {
    detach(volume, local.id(), force);
  }

  @Override
  public void detach(String volume, InstanceId instance, boolean force) {
    Volume found = resolver.get(volume);
    try (VolumeLock lock = ctx.lock(found.name())) {
      Volume current = current(found);
      if (instance.equals(local.id())) {
        refuseIfMountedThroughAnotherService(current, "detach");
        Optional<VolumeRecord> record = state.get(service, current.name());
        if (record.isPresent()) {
          if (!force) {
            throw new VolumeInUseException(current.name().value(), "this host",
                "volume " + current.name() + " is mounted on this host by "
                    + record.get().callers() + "; unmount it or detach with force");
          }
          release(record.get());
          return;
        }
      }
      if (current.attachmentTo(instance).isPresent()) {
        driver.detach(current.id(), instance, force);
        LOG.info("Detached volume {} ({}) from instance {}", current.name(), current.id(),
            instance);
      }
    }
  }

  @Override
  public Mount mount(String volume, MountRequest request) {
    VolumeName name = resolver.nameForLock(volume);
    try (VolumeLock lock = ctx.lock(name)) {
      return new MountOperation(ctx, resolver, ownerElsewhere, volume, request).run();
    }
  }

  @Override
  public void unmount(String volume, UnmountRequest request) {
    VolumeName name = resolver.nameForLock(volume);
    try (VolumeLock lock = ctx.lock(name)) {
      Optional<VolumeRecord> record = state.get(service, name);
      if (record.isEmpty()) {
        if (resolver.find(volume).isEmpty()) {
          throw new VolumeNotFoundException(volume);
        }
        LOG.debug("Unmount of {} by {}: not mounted here, nothing to do", name,
            request.caller());
        return;
      }
      VolumeRecord current = record.get();
      Set<Caller> callers = new TreeSet<>(Comparator.comparing(Caller::value));
      callers.addAll(current.callers());
      boolean removed = callers.remove(request.caller());
      boolean ignore = request.ignoreUsedCount().orElse(config.ignoreUsedCount());
      if (!callers.isEmpty() && !ignore) {
        if (removed) {
          state.put(current.withCallers(callers));
          LOG.info("Volume {} stays mounted: {} released it, still used by {}", name,
              request.caller(), callers);
        }
        return;
      }
      release(current);
      LOG.info("Unmounted volume {} (last use released by {})", name, request.caller());
    }
  }

  @Override
  public Optional<Path> path(String volume) {
    VolumeName name = resolver.nameForLock(volume);
    // A mount whose volume was taken over by another instance (preempted, or removed by
    // force) is still in the mount table but no longer sees the volume: not a path to give out.
    return state.get(service, name)
        .filter(r -> r.mountPoint().filter(ctx.mounts()::isMounted).isPresent())
        .filter(r -> driver.find(r.volumeId())
            .flatMap(v -> v.attachmentTo(local.id())).isPresent())
        .flatMap(VolumeRecord::dataPath);
  }

  @Override
  public SnapshotService snapshots() {
    return snapshots;
  }

  @Override
  public Volume resize(String volume, ByteSize size) {
    Objects.requireNonNull(size, "size");
    Resizer resizer = Capabilities.resizer(driver, "resize of volume " + volume);
    try (VolumeLock lock = ctx.lock(resolver.nameForLock(volume))) {
      Volume current = resolver.get(volume);
      if (size.compareTo(current.size()) < 0) {
        throw new InvalidArgumentException("size", size.toString(), "is smaller than the "
            + current.size() + " of volume " + current.name() + "; volumes only grow");
      }
      refuseIfMountedThroughAnotherService(current, "resize");
      Optional<VolumeRecord> mounted = state.get(service, current.name())
          .filter(r -> r.device().isPresent() && r.mountPoint().filter(ctx.mounts()::isMounted)
              .isPresent())
          .filter(r -> current.attachmentTo(local.id()).isPresent());
      if (mounted.isEmpty()) {
        ctx.step(current.name(), ProgressListener.Step.RESIZING);
        Volume grown = resizer.grow(current.id(), size);
        LOG.info("Grew volume {} ({}) from {} to {}; its file system grows at its next mount",
            current.name(), current.id(), current.size(), grown.size());
        return grown;
      }
      Capabilities.require(driver.name(), driver.capabilities(), Capability.ONLINE_RESIZE,
          "resize of volume " + current.name() + " while it is mounted on this host");
      growth.requireGrowableWhileMounted(current.name(), mounted.get().device().orElseThrow());
      return growMounted(resizer, current, mounted.get(), size);
    }
  }

  /**
   * Grows a mounted volume: the intent first, so that a crash from here on is finished on the
   * next open; then the back end, the device and the file system. A refusal of the back end
   * changed nothing and takes the intent back; a failure after it leaves the intent for the
   * next open to finish.
   */
  private Volume growMounted(Resizer resizer, Volume volume, VolumeRecord record,
      ByteSize size) {
    Path mountPoint = record.mountPoint().orElseThrow();
    state.put(record.withIntent(Intent.growing(mountPoint, size, ctx.now())));
    Volume grown;
    try {
      ctx.step(volume.name(), ProgressListener.Step.RESIZING);
      grown = resizer.grow(volume.id(), size);
    } catch (RuntimeException e) {
      state.put(record);
      throw e;
    }
    growth.grow(volume.name(), record.device().orElseThrow(), mountPoint, grown.size());
    state.put(record.withoutIntent());
    LOG.info("Grew volume {} ({}) from {} to {} while mounted at {}", volume.name(),
        volume.id(), volume.size(), grown.size(), mountPoint);
    return grown;
  }

  /**
   * The last use: unmounts every mount of the record's device under the mount root, detaches
   * the volume here and drops the record. The detach goes to the driver without a lookup first:
   * detaching a volume that is no longer attached here (another instance took it over) changes
   * nothing, and one that is gone is gone.
   */
  private void release(VolumeRecord record) {
    state.put(StateRecords.unmounting(record, ctx.now()));
    ctx.step(record.name(), ProgressListener.Step.UNMOUNTING);
    ctx.mounts().unmountAll(record);
    ctx.step(record.name(), ProgressListener.Step.DETACHING);
    try {
      driver.detach(record.volumeId(), local.id(), false);
    } catch (VolumeNotFoundException e) {
      LOG.debug("Volume {} ({}) no longer exists; its record is dropped", record.name(),
          record.volumeId());
    }
    state.remove(service, record.name());
  }

  /**
   * A volume another service of this driver has mounted on this host is that service's to
   * unmount: removing or detaching it here would pull it from under that service's callers.
   */
  private void refuseIfMountedThroughAnotherService(Volume volume, String operation) {
    Optional<VolumeRecord> other = MountOperation.mountedThroughAnotherService(ctx, volume);
    if (other.isPresent()) {
      throw new VolumeInUseException(volume.name().value(), "service " + other.get().service(),
          "volume " + volume.name() + " is mounted on this host through service "
              + other.get().service() + " by " + other.get().callers() + "; unmount it there"
              + " before the " + operation);
    }
  }

  /** Reads a volume found before its lock was taken again, by ID, now that the lock is held. */
  private Volume current(Volume found) {
    return resolver.find(new VolumeResolver.ById(found.id()))
        .orElseThrow(() -> new VolumeNotFoundException(found.name().value()));
  }


}
