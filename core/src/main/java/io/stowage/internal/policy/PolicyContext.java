package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.config.VolumeSettings;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeLock;
import io.stowage.model.Instance;
import io.stowage.model.VolumeName;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the volume service of one service and its mount and repair steps work with: the
 * service's name, its driver and the instance it runs on, its volume settings, the host state,
 * the mount root, the clock for intent times and the listener of long steps.
 *
 * @param service the service's name, which owns its records in the state
 * @param driver the driver
 * @param local the instance this process runs on, as the driver knows it
 * @param settings the service's volume settings
 * @param state the host's durable state
 * @param mounts the host side of mounting
 * @param clock the clock for intent timestamps
 * @param progress hears the long steps of mounts and unmounts
 */
public record PolicyContext(String service, StorageDriver driver, Instance local,
    VolumeSettings settings, StateStore state, MountRoot mounts, Clock clock,
    ProgressListener progress) {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyContext.class);

  /**
   * Returns the context of one service; asks the driver for its local instance once.
   *
   * @param service the service's name
   * @param driver the driver, which the caller keeps and closes
   * @param settings the service's volume settings
   * @param host the host layer
   * @param state the host's durable state
   * @param clock the clock for intent timestamps
   * @param progress hears the long steps of mounts and unmounts
   * @return the context
   */
  public static PolicyContext of(String service, StorageDriver driver, VolumeSettings settings,
      HostOs host, StateStore state, Clock clock, ProgressListener progress) {
    return new PolicyContext(service, driver, driver.localInstance(), settings, state,
        new MountRoot(host, settings), clock, progress);
  }

  String driverName() {
    return driver.name();
  }

  Instant now() {
    return clock.instant();
  }

  /** Tells the listener a step is starting; a failing listener never fails the call. */
  void step(VolumeName volume, ProgressListener.Step step) {
    try {
      progress.onStep(volume.value(), step);
    } catch (RuntimeException e) {
      LOG.warn("Progress listener failed on {} of {}", step, volume, e);
    }
  }

  /**
   * Takes a volume's lock, waiting as long as a mount may take plus a margin. Volumes are locked
   * per driver, so that every service of the driver excludes the others on one volume.
   */
  VolumeLock lock(VolumeName name) {
    return state.lock(driver.name(), name, settings.attachTimeout().plusSeconds(30));
  }
}
