package io.stowage.internal.policy;

import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.MountOptions;
import io.stowage.model.Volume;
import io.stowage.internal.state.Intent;
import io.stowage.internal.state.VolumeRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The state records the policy writes at each step of a mount or unmount. */
final class StateRecords {
  private StateRecords() {}

  /**
   * Written before attaching, and the only write before the acknowledged record: it names the
   * mount point the call will mount at, so a crash anywhere between attach and mount is rolled
   * back there.
   */
  static VolumeRecord attaching(String service, String driver, Volume volume,
      InstanceId instance, Path mountPoint, Instant now) {
    return VolumeRecord.of(service, driver, volume.name(), volume.id())
        .withIntent(Intent.attaching(instance, mountPoint, now));
  }

  /** The acknowledged state of a mounted volume, with the mode and options it is mounted with. */
  static VolumeRecord mounted(String service, String driver, Volume volume, Path device,
      Path mountPoint, Path data, Set<Caller> callers, MountOptions mount) {
    return VolumeRecord.of(service, driver, volume.name(), volume.id())
        .withDevice(Optional.of(device))
        .withMountPoint(Optional.of(mountPoint))
        .withDataPath(Optional.of(data))
        .withCallers(callers)
        .withMount(mount);
  }

  /** Written before the last use unmounts and detaches. */
  static VolumeRecord unmounting(VolumeRecord record, Instant now) {
    Path mountPoint = record.mountPoint().orElse(Path.of("/"));
    return record.withIntent(Intent.unmounting(mountPoint, now));
  }

  /**
   * The mount point a record is mounted at, or is being mounted at: a record written before
   * mounting names it only in its intent, and a crash may come after the mount.
   */
  static Optional<Path> mountPoint(VolumeRecord record) {
    return record.mountPoint().or(() -> record.intent().map(Intent::mountPoint));
  }

  static boolean isUnmounting(VolumeRecord record) {
    return record.intent().map(i -> i.step() == Intent.Step.UNMOUNTING).orElse(false);
  }

  /** A mounted volume being grown: still mounted and used, its grow to be finished. */
  static boolean isGrowing(VolumeRecord record) {
    return record.intent().map(i -> i.step() == Intent.Step.GROWING).orElse(false);
  }
}
