package io.stowage.internal.policy;

import io.stowage.exception.StowageException;
import io.stowage.internal.state.Intent;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeLock;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.Instance;
import io.stowage.model.MountOptions;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.spi.Capabilities;
import io.stowage.spi.MountEntry;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the durable state of one service in line with the mount table and the back end when
 * Stowage opens: a half-finished mount is rolled back, a half-finished unmount completed, a
 * half-finished resize of a mounted volume finished (the back end's grow repeated, the file
 * system grown), a record whose mount is gone dropped, and a mount under the root with no
 * record adopted (never unmounted under a running workload). Every repair is logged at WARN.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final PolicyContext ctx;
  private final StorageDriver driver;
  private final StateStore state;
  private final MountRoot mounts;
  private final Instance local;

  /**
   * Creates a reconciler.
   *
   * @param ctx the service whose state to repair, and what its volumes are mounted with
   */
  public Reconciler(PolicyContext ctx) {
    this.ctx = ctx;
    this.driver = ctx.driver();
    this.state = ctx.state();
    this.mounts = ctx.mounts();
    this.local = ctx.local();
  }

  /**
   * Runs the repairs. A repair that fails is logged and left for the next start.
   *
   * @return the number of repairs made
   */
  public int run() {
    int repairs = 0;
    String driverName = driver.name();
    String service = ctx.service();
    for (VolumeRecord record : state.all(service)) {
      if (!record.driver().equals(driverName)) {
        // The service was given another driver since; only that driver can repair the record.
        LOG.error("Volume {} of service {} was recorded through driver {}, and the service now"
            + " uses driver {}; left its record as it is", record.name(), service,
            record.driver(), driverName);
        continue;
      }
      try (VolumeLock lock = state.lock(driverName, record.name(),
          ctx.settings().attachTimeout())) {
        Optional<VolumeRecord> current = state.get(service, record.name());
        if (current.isPresent() && repair(current.get())) {
          repairs++;
        }
      } catch (StowageException e) {
        LOG.error("Could not reconcile volume {} of service {}; will retry on the next start",
            record.name(), service, e);
      }
    }
    repairs += adoptOrphanMounts();
    return repairs;
  }

  private boolean repair(VolumeRecord record) {
    boolean mounted = StateRecords.mountPoint(record).filter(mounts::isMounted).isPresent();
    Optional<Volume> volume = driver.find(record.volumeId());
    if (StateRecords.isGrowing(record) && volume.isPresent()) {
      finishGrow(record, volume.get(), mounted);
      if (mounted) {
        return true;
      }
      record = record.withoutIntent();
    }
    if (record.intent().isPresent()) {
      if (mounted && !record.callers().isEmpty() && !StateRecords.isUnmounting(record)) {
        state.put(record.withoutIntent());
        LOG.warn("Repair: volume {} is mounted with acknowledged callers {}; finished the "
            + "interrupted {}", record.name(), record.callers(), record.intent().get());
        return true;
      }
      LOG.warn("Repair: rolling back the interrupted {} of volume {} (mounted: {}, callers: {})",
          record.intent().get(), record.name(), mounted, record.callers());
      mounts.unmountAll(record);
      forget(volume, record);
      return true;
    }
    if (!mounted) {
      LOG.warn("Repair: volume {} is no longer mounted at {}; dropped its record (callers {})",
          record.name(), record.mountPoint().orElse(null), record.callers());
      forget(volume, record);
      return true;
    }
    return false;
  }

  /**
   * Repeats the back end's grow, which changes nothing when it had finished, and grows the file
   * system of a volume still mounted; one no longer mounted grows at its next mount.
   */
  private void finishGrow(VolumeRecord record, Volume volume, boolean mounted) {
    Intent intent = record.intent().orElseThrow();
    ByteSize size = intent.size().orElseThrow();
    Volume grown = volume.size().compareTo(size) >= 0 ? volume
        : Capabilities.resizer(driver, "finishing the resize of volume " + record.name())
            .grow(volume.id(), size);
    if (mounted && record.device().isPresent()) {
      new FileSystemGrowth(ctx).grow(record.name(), record.device().get(), intent.mountPoint(),
          grown.size());
      state.put(record.withoutIntent());
    }
    LOG.warn("Repair: finished the interrupted resize of volume {} to {}{}", record.name(),
        grown.size(), mounted ? ", its file system grown at " + intent.mountPoint()
            : "; its file system grows at its next mount");
  }

  /** Detaches the volume from this instance if it is still attached here, and drops the record. */
  private void forget(Optional<Volume> volume, VolumeRecord record) {
    volume.filter(v -> v.attachmentTo(local.id()).isPresent())
        .ifPresent(v -> driver.detach(v.id(), local.id(), false));
    state.remove(ctx.service(), record.name());
  }

  /**
   * A mount under the root whose volume this driver has attached here, but that no service has
   * a record of.
   */
  private int adoptOrphanMounts() {
    int adopted = 0;
    Path root = mounts.root();
    Set<VolumeName> recorded = new HashSet<>();
    state.all().forEach(r -> recorded.add(r.name()));
    for (MountEntry m : mounts.host().mounts()) {
      Path parent = m.mountPoint().getParent();
      if (parent == null || !parent.equals(root)) {
        continue;
      }
      String dirName = m.mountPoint().getFileName().toString();
      if (!VolumeName.isLegal(dirName)) {
        continue;
      }
      VolumeName name = VolumeName.of(dirName);
      if (recorded.contains(name)) {
        continue;
      }
      List<Volume> named = driver.findByName(name);
      if (named.size() != 1
          || named.get(0).attachmentTo(local.id()).isEmpty()) {
        continue;
      }
      Volume volume = named.get(0);
      Path data = mounts.dataPathOf(m.mountPoint());
      state.put(StateRecords.mounted(ctx.service(), driver.name(), volume, Path.of(m.source()),
          m.mountPoint(), data, Set.of(Caller.ANONYMOUS), modeOf(m)));
      LOG.warn("Repair: adopted the {} mount of volume {} at {} with no record; it counts as "
          + "one anonymous use", modeOf(m).mode(), name, m.mountPoint());
      adopted++;
    }
    return adopted;
  }

  /**
   * The mode of a mount found in the table. Its extra options are not adopted: the table lists
   * the kernel's defaults among them (such as {@code relatime}), which no caller asked for.
   */
  private static MountOptions modeOf(MountEntry mount) {
    return new MountOptions(Optional.of(mount.options().contains("ro")), List.of());
  }
}
