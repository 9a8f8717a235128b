package io.stowage.spi;

import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the SDK needs from the host: file systems on block devices and mounts. The real one,
 * {@code Hosts.linux()}, runs {@code mkfs}, {@code mount} and {@code umount} and reads
 * {@code /proc/self/mountinfo}; the fake driver's {@code SimulatedHost} keeps everything in
 * plain directories, for tests without root. {@code Stowage.builder().host(...)} takes one.
 *
 * <p>Implementations are thread-safe. After {@link #mount} returns, ordinary file operations
 * under the mount point see the device's content; after {@link #unmount} they no longer do, and
 * the content stays with the device.
 */
public interface HostOs {
  /** What kind of devices a host formats and mounts; drivers declare the kinds they work with. */
  enum Kind {
    /** Real block devices of the running Linux kernel. */
    LINUX,
    /** Simulated devices: plain files and directories, nothing touches the kernel. */
    SIMULATED
  }

  /**
   * Returns what kind of devices this host formats and mounts.
   *
   * @return the kind
   */
  Kind kind();

  /**
   * Reads the type of the file system on a device.
   *
   * @param device the block device
   * @return the type, such as {@code ext4}; empty when the device holds no file system
   * @throws io.stowage.exception.CommandFailedException when the device cannot be read
   */
  Optional<String> fileSystemType(Path device);

  /**
   * Returns the file system types this host can create (their mkfs is installed).
   *
   * @return the types
   */
  Set<FsType> formattableTypes();

  /**
   * Creates a file system on a device, replacing whatever is there.
   *
   * @param device the block device
   * @param type the file system type
   * @throws io.stowage.exception.UnsupportedCapabilityException when the type's mkfs is missing
   * @throws io.stowage.exception.CommandFailedException when mkfs fails
   */
  void format(Path device, FsType type);

  /**
   * Mounts a device read-write on an existing directory, with no extra options.
   *
   * @param device the block device
   * @param mountPoint the directory
   * @param type the device's file system type
   * @throws io.stowage.exception.CommandFailedException when mount fails
   */
  default void mount(Path device, Path mountPoint, FsType type) {
    mount(device, mountPoint, type, MountOptions.NONE);
  }

  /**
   * Mounts a device on an existing directory, read-only when the options say so and with
   * their extra options, which have been checked against the allow-list of the type. A host
   * applies every option or fails: it never mounts with fewer, and never read-write when
   * read-only was asked for.
   *
   * @param device the block device
   * @param mountPoint the directory
   * @param type the device's file system type
   * @param options read-only and the extra options
   * @throws io.stowage.exception.CommandFailedException when mount fails
   */
  void mount(Path device, Path mountPoint, FsType type, MountOptions options);

  /**
   * Unmounts whatever is mounted on a directory. Unmounting a directory that is not a mount
   * point succeeds and changes nothing.
   *
   * @param mountPoint the directory
   * @throws io.stowage.exception.CommandFailedException when umount fails (device busy)
   */
  void unmount(Path mountPoint);

  /**
   * Reads the mount table.
   *
   * @return every mount, in table order
   */
  List<MountEntry> mounts();

  /**
   * The mounts on one directory, in table order (more than one where mounts are stacked). This
   * default filters {@link #mounts()}; a host that indexes its table answers without a scan.
   *
   * @param mountPoint the directory, as the mount table shows it (absolute, normalized)
   * @return its mounts; empty when it is not a mount point
   */
  default List<MountEntry> mountsAt(Path mountPoint) {
    return mounts().stream().filter(m -> m.mountPoint().equals(mountPoint)).toList();
  }

  /**
   * The mounts of one device, wherever they are, in table order. This default filters
   * {@link #mounts()}; a host that indexes its table answers without a scan.
   *
   * @param device the device, as the mount table names the source
   * @return its mounts; empty when it is not mounted
   */
  default List<MountEntry> mountsOf(Path device) {
    String source = device.toString();
    return mounts().stream().filter(m -> m.source().equals(source)).toList();
  }

  /**
   * Returns the size of a block device as the host sees it now; after a back end grows a
   * volume, this is how the core sees the device follow. The default cannot tell.
   *
   * @param device the block device
   * @return its size in bytes; empty when the host cannot tell (simulated devices)
   */
  default OptionalLong deviceSize(Path device) {
    return OptionalLong.empty();
  }

  /**
   * Says whether {@link #growFileSystem} can grow a file system of a type while it is mounted,
   * so that a resize of a mounted volume is refused before the back end changes anything. The
   * default, which grows nothing, says yes.
   *
   * @param type the file system type
   * @return true when a mounted file system of that type can be grown here
   */
  default boolean canGrowMounted(FsType type) {
    return true;
  }

  /**
   * Says whether {@link #growFileSystem} grows a file system of a type before it is mounted
   * (ext, with {@code resize2fs} on the bare device) rather than once it is (xfs, whose
   * {@code xfs_growfs} works only on a mounted file system). The default says no.
   *
   * @param type the file system type
   * @return true when the type grows unmounted
   */
  default boolean growsUnmounted(FsType type) {
    return false;
  }

  /**
   * Grows the file system on a device to fill the device, when the device is larger than the
   * file system; a file system that fills its device is left as it is, so the call can be
   * repeated. A type that {@link #growsUnmounted grows unmounted} may also be grown while
   * mounted where {@link #canGrowMounted} says so; any other is grown while mounted. The
   * default grows nothing.
   *
   * @param device the block device
   * @param mountPoint where it is mounted, or is to be mounted
   * @param type its file system type
   * @return true when the file system was grown
   * @throws io.stowage.exception.UnsupportedCapabilityException when the type cannot be grown
   *     here (its tool is not installed, or the type cannot grow)
   * @throws io.stowage.exception.CommandFailedException when the grow fails
   */
  default boolean growFileSystem(Path device, Path mountPoint, FsType type) {
    return false;
  }

  /**
   * Freezes the file system mounted at a mount point: writes block and what was written is on
   * the device, so that a snapshot taken now is consistent. The caller always calls
   * {@link #thaw} afterwards. The default does nothing: its snapshots are crash-consistent only.
   *
   * @param mountPoint the mount point
   * @throws io.stowage.exception.CommandFailedException when the freeze fails
   */
  default void freeze(Path mountPoint) {
  }

  /**
   * Thaws a file system {@link #freeze frozen} before. The default does nothing.
   *
   * @param mountPoint the mount point
   * @throws io.stowage.exception.CommandFailedException when the thaw fails
   */
  default void thaw(Path mountPoint) {
  }
}
