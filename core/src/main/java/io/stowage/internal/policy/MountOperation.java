package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationDisabledException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.Caller;
import io.stowage.model.Capability;
import io.stowage.model.FsType;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import io.stowage.spi.Capabilities;
import io.stowage.internal.state.VolumeRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mount call, run under the volume's lock: the steps of DESIGN.md "Mount algorithm", each
 * pushing its undo so that a failure leaves the volume as it was.
 */
final class MountOperation {
  private static final Logger LOG = LoggerFactory.getLogger(MountOperation.class);

  private final PolicyVolumeService service;
  private final String reference;
  private final MountRequest request;
  private final Deque<UndoStep> undo = new ArrayDeque<>();

  /** What to run to take back one step, and its name for the log. */
  private record UndoStep(String name, Runnable action) {}

  MountOperation(PolicyVolumeService service, String reference, MountRequest request) {
    this.service = service;
    this.reference = reference;
    this.request = request;
  }

  Mount run() {
    String step = "look up";
    try {
      Optional<Volume> found = service.resolver().find(reference);
      boolean created = false;
      Volume volume;
      VolumeOptions options = request.options().orElse(service.config().createDefaults());
      if (found.isPresent()) {
        volume = found.get();
      } else {
        step = "create";
        volume = implicitCreate(options);
        created = true;
      }
      VolumeName name = volume.name();
      Optional<VolumeRecord> record = service.state().get(service.driver().name(), name);
      if (record.isPresent() && record.get().intent().isEmpty()
          && volume.attachmentTo(service.local().id()).isPresent()
          && record.get().mountPoint().filter(service::isMounted).isPresent()) {
        return addCaller(volume, record.get());
      }

      step = "attach";
      boolean preempt = request.preempt().orElse(service.config().preempt());
      refuseIfHeldElsewhere(volume, preempt);
      boolean attachedBefore = volume.attachmentTo(service.local().id()).isPresent();
      refuseIfMountPointTaken(volume, record);
      recordIntent(record, volume);
      Attachment attachment = attachHere(volume, preempt);
      service.step(name, ProgressListener.Step.WAITING_FOR_DEVICE);
      Path device = service.driver().deviceLocator().await(attachment, service.timeout(request));
      if (!attachedBefore && record.isPresent()) {
        releaseStaleMount(record.get());
      }
      step = "format";
      Path mountPoint = service.mountPointOf(name);
      boolean formatted = false;
      if (!isMountedAt(device, mountPoint)) {
        formatted = formatIfNeeded(volume, device, options);
        step = "mount";
        mountAt(volume, device, mountPoint, formatted, options);
      }
      step = "prepare data directory";
      Path data = service.prepareDataDirectory(mountPoint);
      step = "record";
      // Reaching here, any earlier record was stale (its mount was gone): start afresh.
      Set<Caller> callers = callers(Optional.empty());
      callers.add(request.caller());
      service.state().put(StateRecords.mounted(service.driver().name(), volume, device,
          mountPoint, data, callers));
      LOG.info("Mounted volume {} ({}) at {} for {}{}", name, device, data, request.caller(),
          created || formatted ? " (" + (created ? "created" + (formatted ? ", " : "") : "")
              + (formatted ? "formatted " + formattedAs(options) : "") + ")" : "");
      return new Mount(volume.withAttachments(List.of(attachment)), device, mountPoint, data,
          created, formatted);
    } catch (RuntimeException e) {
      rollBack(step, e);
      throw e;
    }
  }

  private Volume implicitCreate(VolumeOptions options) {
    if (!service.config().implicitCreate()) {
      throw new VolumeNotFoundException(reference);
    }
    if (service.config().createDisabled()) {
      throw new OperationDisabledException("implicit create", "volume.create.disable");
    }
    VolumeName name = VolumeName.of(reference);
    Optional<String> owner = service.ownerElsewhere(reference);
    if (owner.isPresent()) {
      throw new InvalidArgumentException("volume", reference, "belongs to the storage driver "
          + owner.get() + ", not " + service.driver().name() + "; mount it through that driver");
    }
    Capabilities.requireSupported(service.driver().name(), service.driver().capabilities(),
        options);
    options.newFsType().ifPresent(service::formattable);
    service.step(name, ProgressListener.Step.CREATING);
    Volume created = service.driver().create(name, options);
    LOG.debug("Created volume {} ({}) on mount", name, created.id());
    push("remove created volume " + name, () -> service.driver().remove(created.id()));
    return created;
  }

  /** Records the intent before anything changes; the undo restores the earlier record. */
  private void recordIntent(Optional<VolumeRecord> previous, Volume volume) {
    String driver = service.driver().name();
    service.state().put(StateRecords.attaching(driver, volume, service.local().id(),
        service.mountPointOf(volume.name()), service.now()));
    push("restore the state record of " + volume.name(), () -> {
      if (previous.isPresent()) {
        service.state().put(previous.get());
      } else {
        service.state().remove(driver, volume.name());
      }
    });
  }

  /**
   * The volume was not attached here, yet a record of it is: another instance took it over
   * (preempted it, or removed it by force) while it was mounted here, and that mount no longer
   * sees the device even where the device comes back under the same name. It is unmounted so
   * that the volume is mounted afresh; its callers were preempted and are not carried over.
   */
  private void releaseStaleMount(VolumeRecord stale) {
    if (stale.mountPoint().filter(service::isMounted).isPresent()) {
      LOG.warn("Volume {} was taken over by another instance while mounted here at {} (callers "
          + "{}); replacing that stale mount", stale.name(), stale.mountPoint().get(),
          stale.callers());
    }
    service.unmountAll(stale);
  }

  private Mount addCaller(Volume volume, VolumeRecord record) {
    Set<Caller> callers = callers(Optional.of(record));
    Path data = service.prepareDataDirectory(record.mountPoint().orElseThrow());
    if (callers.add(request.caller())) {
      service.state().put(record.withCallers(callers));
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
    Path mountPoint = service.mountPointOf(volume.name());
    boolean ours = record.flatMap(StateRecords::mountPoint).filter(mountPoint::equals)
        .isPresent();
    if (!ours) {
      for (MountEntry m : service.host().mountsAt(mountPoint)) {
        throw new VolumeInUseException(volume.name().value(), m.source(),
            "mount point " + mountPoint + " of volume " + volume.name() + " is taken by "
                + m.source() + ", which this driver's records do not account for");
      }
    }
  }

  /** Step 3: without preempt, a volume attached to another instance is refused. */
  private void refuseIfHeldElsewhere(Volume volume, boolean preempt) {
    if (volume.attachmentTo(service.local().id()).isPresent()) {
      return;
    }
    Optional<Attachment> elsewhere = volume.attachmentElsewhere(service.local().id());
    if (elsewhere.isPresent()) {
      if (!preempt) {
        throw VolumeInUseException.byInstance(volume.name().value(),
            elsewhere.get().instanceId().value());
      }
      Capabilities.require(service.driver().name(), service.driver().capabilities(),
          Capability.FORCE_DETACH, "preempting volume " + volume.name());
      LOG.warn("Preempting volume {} from instance {}", volume.name(),
          elsewhere.get().instanceId());
    }
  }

  /** Step 4: attach here, taking the volume over when preempting, unless it is already. */
  private Attachment attachHere(Volume volume, boolean preempt) {
    Optional<Attachment> here = volume.attachmentTo(service.local().id());
    if (here.isPresent()) {
      return here.get();
    }
    service.step(volume.name(), ProgressListener.Step.ATTACHING);
    Attachment attachment = service.driver().attach(volume.id(), service.local().id(), preempt);
    push("detach " + volume.name(), () ->
        service.driver().detach(volume.id(), service.local().id(), false));
    return attachment;
  }

  private boolean isMountedAt(Path device, Path mountPoint) {
    List<MountEntry> mounts = service.host().mountsOf(device);
    for (MountEntry m : mounts) {
      if (!m.mountPoint().equals(mountPoint)
          && m.mountPoint().startsWith(service.config().mountRoot())) {
        throw new VolumeInUseException(reference, m.mountPoint().toString(),
            "device " + device + " of volume " + reference + " is already mounted at "
                + m.mountPoint());
      }
    }
    return mounts.stream().anyMatch(m -> m.mountPoint().equals(mountPoint));
  }

  /** Step 5: format only an empty device, or any device when overwritefs is set. */
  private boolean formatIfNeeded(Volume volume, Path device, VolumeOptions options) {
    Optional<String> existing = service.host().fileSystemType(device);
    if (existing.isPresent() && !options.overwriteFsOrFalse()) {
      return false;
    }
    FsType type = service.formattable(formattedAs(options));
    LOG.debug("Formatting {} as {} ({})", device, type,
        existing.map(fs -> "replacing " + fs).orElse("no file system found"));
    service.step(volume.name(), ProgressListener.Step.FORMATTING);
    service.host().format(device, type);
    return true;
  }

  /** Step 6: mount at {@code <root>/<name>}. */
  private void mountAt(Volume volume, Path device, Path mountPoint, boolean formatted,
      VolumeOptions options) {
    FsType type;
    if (formatted) {
      type = formattedAs(options);
    } else {
      String existing = service.host().fileSystemType(device).orElseThrow();
      try {
        type = FsType.of(existing);
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException("fsType", existing, "volume " + volume.name()
            + " holds a file system Stowage does not mount; use overwritefs to replace it");
      }
    }
    if (!Files.isDirectory(mountPoint)) {
      try {
        Files.createDirectories(mountPoint);
      } catch (IOException e) {
        throw new StowageException("cannot create mount point " + mountPoint + ": " + e, e);
      }
      push("remove mount point " + mountPoint, () -> service.removeEmptyDirectory(mountPoint));
    }
    service.step(volume.name(), ProgressListener.Step.MOUNTING);
    service.host().mount(device, mountPoint, type);
    push("unmount " + mountPoint, () -> service.host().unmount(mountPoint));
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

  private void rollBack(String step, RuntimeException cause) {
    if (undo.isEmpty()) {
      return;
    }
    LOG.warn("Mount of {} failed at step '{}' ({}); undoing {}", reference, step,
        cause.toString(), undo.stream().map(UndoStep::name).toList());
    while (!undo.isEmpty()) {
      UndoStep next = undo.pop();
      PolicyVolumeService.undo(next.name(), next.action());
    }
  }
}
