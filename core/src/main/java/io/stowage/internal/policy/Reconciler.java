package io.stowage.internal.policy;

import io.stowage.exception.StowageException;
import io.stowage.model.Caller;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.spi.MountEntry;
import io.stowage.internal.state.VolumeLock;
import io.stowage.internal.state.VolumeRecord;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the durable state of one driver in line with the mount table and the back end when
 * Stowage opens: a half-finished mount is rolled back, a half-finished unmount completed, a
 * record whose mount is gone dropped, and a mount under the root with no record adopted (never
 * unmounted under a running workload). Every repair is logged at WARN.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final PolicyVolumeService service;

  /**
   * Creates a reconciler.
   *
   * @param service the volume service whose state to repair
   */
  public Reconciler(PolicyVolumeService service) {
    this.service = service;
  }

  /**
   * Runs the repairs. A repair that fails is logged and left for the next start.
   *
   * @return the number of repairs made
   */
  public int run() {
    int repairs = 0;
    String driver = service.driver().name();
    for (VolumeRecord record : service.state().all(driver)) {
      try (VolumeLock lock = service.state().lock(driver, record.name(),
          service.config().attachTimeout())) {
        Optional<VolumeRecord> current = service.state().get(driver, record.name());
        if (current.isPresent() && repair(current.get())) {
          repairs++;
        }
      } catch (StowageException e) {
        LOG.error("Could not reconcile volume {}; will retry on the next start",
            record.name(), e);
      }
    }
    repairs += adoptOrphanMounts(driver);
    return repairs;
  }

  private boolean repair(VolumeRecord record) {
    boolean mounted = StateRecords.mountPoint(record).filter(service::isMounted).isPresent();
    Optional<Volume> volume = service.driver().find(record.volumeId());
    if (record.intent().isPresent()) {
      if (mounted && !record.callers().isEmpty() && !StateRecords.isUnmounting(record)) {
        service.state().put(record.withoutIntent());
        LOG.warn("Repair: volume {} is mounted with acknowledged callers {}; finished the "
            + "interrupted {}", record.name(), record.callers(), record.intent().get());
        return true;
      }
      LOG.warn("Repair: rolling back the interrupted {} of volume {} (mounted: {}, callers: {})",
          record.intent().get(), record.name(), mounted, record.callers());
      service.unmountAll(record);
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

  /** Detaches the volume from this instance if it is still attached here, and drops the record. */
  private void forget(Optional<Volume> volume, VolumeRecord record) {
    volume.filter(v -> v.attachmentTo(service.local().id()).isPresent())
        .ifPresent(v -> service.driver().detach(v.id(), service.local().id(), false));
    service.state().remove(service.driver().name(), record.name());
  }

  /** A mount under the root whose volume this driver has attached here, but no record. */
  private int adoptOrphanMounts(String driver) {
    int adopted = 0;
    Path root = service.config().mountRoot();
    Set<VolumeName> recorded = new HashSet<>();
    service.state().all().forEach(r -> recorded.add(r.name()));
    for (MountEntry m : service.host().mounts()) {
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
      List<Volume> named = service.driver().findByName(name);
      if (named.size() != 1
          || named.get(0).attachmentTo(service.local().id()).isEmpty()) {
        continue;
      }
      Volume volume = named.get(0);
      Path data = m.mountPoint().resolve(service.config().dataDir());
      service.state().put(StateRecords.mounted(driver, volume, Path.of(m.source()),
          m.mountPoint(), data, Set.of(Caller.ANONYMOUS)));
      LOG.warn("Repair: adopted the mount of volume {} at {} with no record; it counts as one "
          + "anonymous use", name, m.mountPoint());
      adopted++;
    }
    return adopted;
  }
}
