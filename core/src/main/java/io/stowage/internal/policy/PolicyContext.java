package io.stowage.internal.policy;

import io.stowage.ProgressListener;
import io.stowage.config.StowageConfig;
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
 * What the volume service of one driver and its mount and repair steps work with: the driver
 * and the instance it runs on, the configuration, the host state, the mount root, the clock for
 * intent times and the listener of long steps.
 *
 * @param driver the driver
 * @param local the instance this process runs on, as the driver knows it
 * @param config the effective configuration
 * @param state the host's durable state
 * @param mounts the host side of mounting
 * @param clock the clock for intent timestamps
 * @param progress hears the long steps of mounts and unmounts
 */
public record PolicyContext(StorageDriver driver, Instance local, StowageConfig config,
    StateStore state, MountRoot mounts, Clock clock, ProgressListener progress) {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyContext.class);

  /**
   * Returns the context of one driver; asks the driver for its local instance once.
   *
   * @param driver the driver, which the caller keeps and closes
   * @param config the effective configuration
   * @param host the host layer
   * @param state the host's durable state
   * @param clock the clock for intent timestamps
   * @param progress hears the long steps of mounts and unmounts
   * @return the context
   */
  public static PolicyContext of(StorageDriver driver, StowageConfig config, HostOs host,
      StateStore state, Clock clock, ProgressListener progress) {
    return new PolicyContext(driver, driver.localInstance(), config, state,
        new MountRoot(host, config), clock, progress);
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

  /** Takes a volume's lock, waiting as long as a mount may take plus a margin. */
  VolumeLock lock(VolumeName name) {
    return state.lock(driver.name(), name, config.attachTimeout().plusSeconds(30));
  }
}
