package io.stowage.driver.fake.policy;

import io.stowage.model.Attachment;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import io.stowage.spi.DeviceLocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One instance's view of the shared host, which can simulate the process dying at a host call:
 * it throws a {@link Crash}, an {@link Error} that no undo catches, so the durable state is
 * left exactly as a killed process would leave it.
 */
final class CrashingHost implements HostOs {
  /** Where the process dies. */
  enum Point { BEFORE_FORMAT, AFTER_MOUNT, BEFORE_UNMOUNT, BEFORE_GROW }

  /** The simulated death of the process. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(Point point) {
      super("simulated crash " + point);
    }
  }

  private final HostOs host;
  private Point armed;

  CrashingHost(HostOs host) {
    this.host = host;
  }

  void arm(Point point) {
    armed = point;
  }

  void disarm() {
    armed = null;
  }

  private void crashIf(Point point) {
    if (armed == point) {
      armed = null;
      throw new Crash(point);
    }
  }

  @Override
  public Optional<String> fileSystemType(Path device) {
    return host.fileSystemType(device);
  }

  @Override
  public Set<FsType> formattableTypes() {
    return host.formattableTypes();
  }

  @Override
  public void format(Path device, FsType type) {
    crashIf(Point.BEFORE_FORMAT);
    host.format(device, type);
  }

  @Override
  public void mount(Path device, Path mountPoint, FsType type, MountOptions options) {
    host.mount(device, mountPoint, type, options);
    crashIf(Point.AFTER_MOUNT);
  }

  @Override
  public void unmount(Path mountPoint) {
    crashIf(Point.BEFORE_UNMOUNT);
    host.unmount(mountPoint);
  }

  @Override
  public boolean growFileSystem(Path device, Path mountPoint, FsType type) {
    crashIf(Point.BEFORE_GROW);
    return host.growFileSystem(device, mountPoint, type);
  }

  @Override
  public OptionalLong deviceSize(Path device) {
    return host.deviceSize(device);
  }

  @Override
  public boolean canGrowMounted(FsType type) {
    return host.canGrowMounted(type);
  }

  @Override
  public boolean growsUnmounted(FsType type) {
    return host.growsUnmounted(type);
  }

  @Override
  public void freeze(Path mountPoint) {
    host.freeze(mountPoint);
  }

  @Override
  public void thaw(Path mountPoint) {
    host.thaw(mountPoint);
  }

  @Override
  public List<MountEntry> mounts() {
    return host.mounts();
  }

  @Override
  public Kind kind() {
    return host.kind();
  }
}
