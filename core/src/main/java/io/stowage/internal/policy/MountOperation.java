package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.config.VolumeSettings;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationDisabledException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.Attachment;
import io.stowage.model.Caller;
import io.stowage.model.Capability;
import io.stowage.model.FsType;
import io.stowage.model.Instance;
import io.stowage.model.Mount;
import io.stowage.model.MountOptions;
import io.stowage.model.MountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.Capabilities;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.DeviceWatch;
import io.stowage.spi.MountEntry;
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mount call, run under the volume's lock: the steps of DESIGN.md "Mount algorithm", each
 * pushing its undo so that a failure leaves the volume as it was.
 */
final class MountOperation {
  private static final Logger LOG = LoggerFactory.getLogger(MountOperation.class);

  private final PolicyContext ctx;
  private final StorageDriver driver;
  private final StateStore state;
  private final MountRoot mounts;
  private final Instance local;
  private final VolumeSettings config;
  private final String service;
  private final VolumeResolver resolver;
  private final Function<String, Optional<String>> ownerElsewhere;
  private final String reference;
  private final MountRequest request;
  private final Deque<UndoStep> undo = new ArrayDeque<>();

  /** What to run to take back one step, and its name for the log. */
  private record UndoStep(String name, Runnable action) {}

  MountOperation(PolicyContext ctx, VolumeResolver resolver,
      Function<String, Optional<String>> ownerElsewhere, String reference,
      MountRequest request) {
    this.ctx = ctx;
    this.driver = ctx.driver();
    this.state = ctx.state();
    this.mounts = ctx.mounts();
    this.local = ctx.local();
    this.config = ctx.settings();
    this.service = ctx.service();
    this.resolver = resolver;
    this.ownerElsewhere = ownerElsewhere;
    this.reference = reference;
    this.request = request;
  }

  Mount run() {
    String step = "look up";
    try {
      VolumeResolver.Reference parsed = resolver.parse(reference);
      Optional<Volume> found = resolver.find(parsed);
      boolean created = false;
      Volume volume;
      VolumeOptions options = request.options().orElse(config.createDefaults());
      MountOptions mode = mountOptions(found, options);
      if (found.isPresent()) {
        volume = found.get();
      } else {
        step = "create";
        volume = implicitCreate(parsed, options);
        created = true;
      }
      VolumeName name = volume.name();
      refuseIfMountedThroughAnotherService(volume);
      Optional<VolumeRecord> record = state.get(service, name);
      if (record.isPresent()
          && (record.get().intent().isEmpty() || StateRecords.isGrowing(record.get()))
          && volume.attachmentTo(local.id()).isPresent()
          && record.get().mountPoint().filter(mounts::isMounted).isPresent()) {
        return addCaller(volume, record.get(), mode);
      }

      step = "attach";
      boolean preempt = request.preempt().orElse(config.preempt());
      refuseIfHeldElsewhere(volume, preempt);
      boolean attachedBefore = volume.attachmentTo(local.id()).isPresent();
      refuseIfMountPointTaken(volume, record);
      recordIntent(record, volume);
      Attached attached = attachHere(volume, preempt);
      Path device = attached.device();
      if (!attachedBefore && record.isPresent()) {
        releaseStaleMount(record.get());
      }
      step = "format";
      Path mountPoint = mounts.mountPointOf(name);
      boolean formatted = false;
      Optional<FsType> mountedAs = Optional.empty();
      if (!isMountedAt(device, mountPoint, mode)) {
        formatted = formatIfNeeded(volume, device, options);
        step = "mount";
        mountedAs = Optional.of(mountAt(volume, device, mountPoint, formatted, options, mode));
      }
      step = "prepare data directory";
      Path data = prepareDataDirectory(device, mountPoint, mountedAs, mode);
      step = "record";
      // Reaching here, any earlier record was stale (its mount was gone): start afresh.
      Set<Caller> callers = callers(Optional.empty());
      callers.add(request.caller());
      state.put(StateRecords.mounted(service, driver.name(), volume, device, mountPoint, data,
          callers, mode));
      LOG.info("Mounted volume {} ({}) {} at {} for {}{}", name, device, mode.mode(), data,
          request.caller(),
          created || formatted ? " (" + (created ? "created" + (formatted ? ", " : "") : "")
              + (formatted ? "formatted " + formattedAs(options) : "") + ")" : "");
      return new Mount(volume.withAttachments(List.of(attached.attachment())), device,
          mountPoint, data, created, formatted);
    } catch (RuntimeException e) {
      rollBack(step, e);
      throw e;
    }
  }

  private Volume implicitCreate(VolumeResolver.Reference parsed, VolumeOptions options) {
    if (!config.implicitCreate() || parsed instanceof VolumeResolver.ById) {
      throw new VolumeNotFoundException(reference);
    }
    if (config.createDisabled()) {
      throw new OperationDisabledException("implicit create", "volume.create.disable");
    }
    VolumeName name = VolumeName.of(parsed.text());
    resolver.requireNotIdShaped(name);
    Optional<String> owner = ownerElsewhere.apply(reference);
    if (owner.isPresent()) {
      throw new InvalidArgumentException("volume", reference, "belongs to the service "
          + owner.get() + ", not " + service + "; mount it through that service");
    }
    Capabilities.requireSupported(driver.name(), driver.capabilities(),
        options);
    options.newFsType().ifPresent(mounts::formattable);
    ctx.step(name, ProgressListener.Step.CREATING);
    state.mountDefaults().put(service, name, options.mount());
    push("forget the mount options of " + name, () -> state.mountDefaults().remove(service,
        name));
    Volume created = driver.create(name, options);
    LOG.debug("Created volume {} ({}) on mount", name, created.id());
    push("remove created volume " + name, () -> driver.remove(created.id()));
    return created;
  }

  /** Records the intent before anything changes; the undo restores the earlier record. */
  private void recordIntent(Optional<VolumeRecord> previous, Volume volume) {
    state.put(StateRecords.attaching(service, driver.name(), volume, local.id(),
        mounts.mountPointOf(volume.name()), ctx.now()));
    push("restore the state record of " + volume.name(), () -> {
      if (previous.isPresent()) {
        state.put(previous.get());
      } else {
        state.remove(service, volume.name());
      }
    });
  }

  /**
   * A volume is mounted on a host through one service at a time: two services of one driver
   * may reach the same back end, and each keeps its own callers, so a second service mounting
   * the volume would share a device whose last use it cannot see. Services of a driver lock a
   * volume with one lock, so what this finds under it stays true for the whole mount.
   */
  private void refuseIfMountedThroughAnotherService(Volume volume) {
    Optional<VolumeRecord> other = mountedThroughAnotherService(ctx, volume);
    if (other.isPresent()) {
      throw new VolumeInUseException(volume.name().value(), "service " + other.get().service(),
          "volume " + volume.name() + " is mounted on this host through service "
              + other.get().service() + " by " + other.get().callers() + "; mount it through"
              + " that service, or unmount it there first");
    }
  }

  /**
   * Returns the record of another service of the driver that has this very volume (same
   * back-end ID) mounted or being mounted on this host. Call it under the volume's lock.
   */
  static Optional<VolumeRecord> mountedThroughAnotherService(PolicyContext ctx, Volume volume) {
    return ctx.state().recordsOf(ctx.driver().name(), volume.name()).stream()
        .filter(r -> !r.service().equals(ctx.service()))
        .filter(r -> r.volumeId().equals(volume.id()))
        .findFirst();
  }

  /**
   * The volume was not attached here, yet a record of it is: another instance took it over
   * (preempted it, or removed it by force) while it was mounted here, and that mount no longer
   * sees the device even where the device comes back under the same name. It is unmounted so
   * that the volume is mounted afresh; its callers were preempted and are not carried over.
   */
  private void releaseStaleMount(VolumeRecord stale) {
    if (stale.mountPoint().filter(mounts::isMounted).isPresent()) {
      LOG.warn("Volume {} was taken over by another instance while mounted here at {} (callers "
          + "{}); replacing that stale mount", stale.name(), stale.mountPoint().get(),
          stale.callers());
    }
    mounts.unmountAll(stale);
  }

  /**
   * The mode and options of this mount: the request's mount options, then its volume options
   * ({@code ro}, {@code mountoptions}), then those the volume was created with; read-write
   * when none says. Checked before anything changes, against the file system that a new volume
   * will get too.
   */
  private MountOptions mountOptions(Optional<Volume> found, VolumeOptions options) {
    String volume = found.map(v -> v.name().value()).orElse(reference);
    MountOptions requested = request.mountOptions().over(request.options().mount(), volume);
    MountOptions mode = found.isPresent()
        ? requested.over(state.mountDefaults().get(service, found.get().name()), volume)
        : requested.requireAllowedFor(formattedAs(options), "volume " + volume);
    return mode.withReadOnly(mode.readOnlyOrFalse());
  }

  /**
   * Every caller of a mounted volume uses it in one mode with one set of options: a mount that
   * asks for another is refused, naming who holds it and how, rather than quietly given the
   * mount that exists.
   */
  private void refuseAnotherMode(VolumeName name, VolumeRecord record, MountOptions mode) {
    if (!record.mount().equals(mode)) {
      throw new VolumeInUseException(name.value(), "callers " + record.callers(),
          "volume " + name + " is mounted " + described(record.mount()) + " by "
              + record.callers() + "; caller " + request.caller() + " asks for "
              + described(mode) + ": all callers of a mounted volume share one mode and one"
              + " set of options (unmount it everywhere first, or ask for the same)");
    }
  }

  private static String described(MountOptions mount) {
    return mount.mode() + (mount.options().isEmpty() ? "" : " with " + mount.options());
  }

  private Mount addCaller(Volume volume, VolumeRecord record, MountOptions mode) {
    refuseAnotherMode(volume.name(), record, mode);
    Set<Caller> callers = callers(Optional.of(record));
    Path data = mounts.prepareDataDirectory(record.mountPoint().orElseThrow(),
        mode.readOnlyOrFalse());
    if (callers.add(request.caller())) {
      state.put(record.withCallers(callers));
    }
    return new Mount(volume, record.device().orElseThrow(), record.mountPoint().orElseThrow(),
        data, false, false);
  }

  /**
   * A mount point that something else is mounted on (another driver's volume of the same name,
   * a mount Stowage did not make) is refused before anything changes; only this volume's own
   * record may name it.
   */
  private void refuseIfMountPointTaken(Volume volume, Optional<VolumeRecord> record) {
    Path mountPoint = mounts.mountPointOf(volume.name());
    boolean ours = record.flatMap(StateRecords::mountPoint).filter(mountPoint::equals)
        .isPresent();
    if (!ours) {
      for (MountEntry m : mounts.host().mountsAt(mountPoint)) {
        throw new VolumeInUseException(volume.name().value(), m.source(),
            "mount point " + mountPoint + " of volume " + volume.name() + " is taken by "
                + m.source() + ", which this driver's records do not account for");
      }
    }
  }

  /** Step 3: without preempt, a volume attached to another instance is refused. */
  private void refuseIfHeldElsewhere(Volume volume, boolean preempt) {
    if (volume.attachmentTo(local.id()).isPresent()) {
      return;
    }
    Optional<Attachment> elsewhere = volume.attachmentElsewhere(local.id());
    if (elsewhere.isPresent()) {
      if (!preempt) {
        throw VolumeInUseException.byInstance(volume.name().value(),
            elsewhere.get().instanceId().value());
      }
      Capabilities.require(driver.name(), driver.capabilities(),
          Capability.FORCE_DETACH, "preempting volume " + volume.name());
      LOG.warn("Preempting volume {} from instance {}", volume.name(),
          elsewhere.get().instanceId());
    }
  }

  /** An attachment to this instance and its local device. */
  private record Attached(Attachment attachment, Path device) {}

  /**
   * Step 4: attach here, taking the volume over when preempting, unless it is already, and
   * wait for the local device. The watch starts before the attach, so that setting it up
   * overlaps the attach and no change is missed.
   */
  private Attached attachHere(Volume volume, boolean preempt) {
    DeviceLocator locator = driver.deviceLocator();
    Duration timeout = request.timeout().orElse(config.attachTimeout());
    Optional<Attachment> here = volume.attachmentTo(local.id());
    if (here.isPresent()) {
      ctx.step(volume.name(), ProgressListener.Step.WAITING_FOR_DEVICE);
      return new Attached(here.get(), locator.await(here.get(), timeout));
    }
    try (DeviceWatch watch = locator.watch()) {
      ctx.step(volume.name(), ProgressListener.Step.ATTACHING);
      Attachment attachment = driver.attach(volume.id(), local.id(), preempt);
      push("detach " + volume.name(), () -> driver.detach(volume.id(), local.id(), false));
      ctx.step(volume.name(), ProgressListener.Step.WAITING_FOR_DEVICE);
      return new Attached(attachment, watch.await(attachment, timeout));
    }
  }


  private boolean isMountedAt(Path device, Path mountPoint, MountOptions mode) {
    List<MountEntry> onDevice = mounts.host().mountsOf(device);
    for (MountEntry m : onDevice) {
      if (!m.mountPoint().equals(mountPoint)
          && m.mountPoint().startsWith(mounts.root())) {
        throw new VolumeInUseException(reference, m.mountPoint().toString(),
            "device " + device + " of volume " + reference + " is already mounted at "
                + m.mountPoint());
      }
    }
    Optional<MountEntry> here = onDevice.stream()
        .filter(m -> m.mountPoint().equals(mountPoint)).findFirst();
    if (here.isPresent() && here.get().options().contains("ro") != mode.readOnlyOrFalse()) {
      String found = here.get().options().contains("ro") ? "read-only" : "read-write";
      throw new VolumeInUseException(reference, mountPoint.toString(), "volume " + reference
          + " is already mounted " + found + " at " + mountPoint + " by a mount no record"
          + " accounts for; caller " + request.caller() + " asks for " + mode.mode());
    }
    return here.isPresent();
  }

  /**
   * Creates the data directory, or checks it for a read-only mount. A read-only volume without
   * one (a new volume) gets it in a short read-write mount, which the read-only one replaces.
   */
  private Path prepareDataDirectory(Path device, Path mountPoint, Optional<FsType> mountedAs,
      MountOptions mode) {
    Path data = mounts.dataPathOf(mountPoint);
    if (!mode.readOnlyOrFalse() || Files.isDirectory(data) || mountedAs.isEmpty()) {
      return mounts.prepareDataDirectory(mountPoint, mode.readOnlyOrFalse());
    }
    LOG.info("Volume at {} has no data directory: creating it read-write before mounting it"
        + " read-only", mountPoint);
    MountOptions readWrite = new MountOptions(Optional.of(false), mode.options());
    mounts.host().unmount(mountPoint);
    mounts.host().mount(device, mountPoint, mountedAs.get(), readWrite);
    mounts.prepareDataDirectory(mountPoint, false);
    mounts.host().unmount(mountPoint);
    mounts.host().mount(device, mountPoint, mountedAs.get(), mode);
    return data;
  }

  /** Step 5: format only an empty device, or any device when overwritefs is set. */
  private boolean formatIfNeeded(Volume volume, Path device, VolumeOptions options) {
    Optional<String> existing = mounts.host().fileSystemType(device);
    if (existing.isPresent() && !options.overwriteFsOrFalse()) {
      return false;
    }
    FsType type = mounts.formattable(formattedAs(options));
    LOG.debug("Formatting {} as {} ({})", device, type,
        existing.map(fs -> "replacing " + fs).orElse("no file system found"));
    ctx.step(volume.name(), ProgressListener.Step.FORMATTING);
    mounts.host().format(device, type);
    return true;
  }

  /** Step 6: mount at {@code <root>/<name>}; returns the file system mounted. */
  private FsType mountAt(Volume volume, Path device, Path mountPoint, boolean formatted,
      VolumeOptions options, MountOptions mode) {
    FsType type;
    if (formatted) {
      type = formattedAs(options);
    } else {
      String existing = mounts.host().fileSystemType(device).orElseThrow();
      try {
        type = FsType.of(existing);
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException("fsType", existing, "volume " + volume.name()
            + " holds a file system Stowage does not mount; use overwritefs to replace it");
      }
    }
    mode.requireAllowedFor(type, "volume " + volume.name());
    if (!Files.isDirectory(mountPoint)) {
      try {
        Files.createDirectories(mountPoint);
      } catch (IOException e) {
        throw new StowageException("cannot create mount point " + mountPoint + ": " + e, e);
      }
      push("remove mount point " + mountPoint, () -> mounts.removeEmptyDirectory(mountPoint));
    }
    // A volume grown while it was not mounted here gets its file system grown now.
    FileSystemGrowth growth = new FileSystemGrowth(ctx);
    if (!formatted) {
      growth.growAtMount(volume.name(), device, mountPoint, type, false);
    }
    ctx.step(volume.name(), ProgressListener.Step.MOUNTING);
    mounts.host().mount(device, mountPoint, type, mode);
    push("unmount " + mountPoint, () -> mounts.host().unmount(mountPoint));
    if (!formatted) {
      growth.growAtMount(volume.name(), device, mountPoint, type, true);
    }
    return type;
  }

  /** The file system a format creates: {@code newfstype}, else ext4. */
  private static FsType formattedAs(VolumeOptions options) {
    return options.newFsType().orElse(FsType.EXT4);
  }

  private static Set<Caller> callers(Optional<VolumeRecord> record) {
    Set<Caller> callers = new TreeSet<>(Comparator.comparing(Caller::value));
    record.ifPresent(r -> callers.addAll(r.callers()));
    return callers;
  }

  private void push(String name, Runnable step) {
    undo.push(new UndoStep(name, step));
  }

  /** Runs one undo step, logging instead of throwing so that the rest of the undo still runs. */
  private static void undo(UndoStep step) {
    try {
      step.action().run();
    } catch (RuntimeException e) {
      // The original failure is what the caller sees; a failed undo step is logged.
      LOG.error("Undo step failed: {}", step.name(), e);
    }
  }

  private void rollBack(String step, RuntimeException cause) {
    if (undo.isEmpty()) {
      return;
    }
    LOG.warn("Mount of {} failed at step '{}' ({}); undoing {}", reference, step,
        reason(cause), undo.stream().map(UndoStep::name).toList());
    while (!undo.isEmpty()) {
      UndoStep next = undo.pop();
      undo(next);
    }
  }

  /**
   * A typed failure's message speaks to the user, who sees warnings on the command line; only
   * an unexpected one is named by its type.
   */
  private static String reason(RuntimeException cause) {
    return cause instanceof StowageException ? cause.getMessage() : cause.toString();
  }
}
