package io.stowage.driver.fake;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stowage.exception.BackendException;
import io.stowage.exception.CommandFailedException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.FsType;
import io.stowage.model.MountOptions;
import io.stowage.spi.AtomicFiles;
import io.stowage.spi.HostOs;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated host for tests without root: block devices are records of the file system
 * each holds, and mounting moves a device's content into place.
 *
 * <p>Under the root it is given, each device keeps its content in
 * {@code devices/<key>/content}. {@link #mount} moves the mount point directory aside (to
 * {@code shadows/<mount id>}, as a real mount hides what was there) and moves the device's
 * content directory onto the mount point, so ordinary {@code java.nio} file operations under
 * the mount point see and change the device's content. {@link #unmount} moves it back, and
 * the content stays with the device. {@link #format} wipes the content and records the type.
 * Any device path is accepted; one never formatted holds no file system.
 *
 * <p>Each device's file system type ({@code devices/<key>/fstype}) and each mount
 * ({@code mounts/<id>.json}) is saved atomically in a file of its own when it changes, so a
 * new {@code SimulatedHost} over the same root sees the same devices and mounts, as a
 * restarted process sees the host's, and a change costs the same however many mounts exist.
 * A mount interrupted before the content was moved is dropped when the state is loaded.
 *
 * <p>A device is mounted at one place at a time: mounting it elsewhere takes it over, as a
 * preempting host takes a cloud volume over, and leaves the old mount in the table as a stale
 * one that no longer sees the content. A directory holds one mount (a second mount there fails
 * like a busy mount). Thread-safe within one JVM; not meant to be shared by processes.
 */
public final class SimulatedHost implements HostOs {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedHost.class);
  private static final int MOUNT_FAILURE = 32;
  private static final int MKFS_FAILURE = 1;
  private static final String FS_TYPE_FILE = "fstype";

  /**
   * A simulated block device.
   *
   * @param device the device path
   * @param fsType the file system it holds, if formatted
   * @param mountPoint where it is mounted, if it is
   */
  public record SimulatedDevice(Path device, Optional<String> fsType,
      Optional<Path> mountPoint) {
    /**
     * Validates the record.
     *
     * @param device the device path
     * @param fsType the file system it holds, if formatted
     * @param mountPoint where it is mounted, if it is
     */
    public SimulatedDevice {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(fsType, "fsType");
      Objects.requireNonNull(mountPoint, "mountPoint");
    }
  }

  /**
   * A mount in the table. A stale mount is one whose device was mounted by another simulated
   * instance since (a preempting host takes a cloud volume over): it stays in the table, as
   * the old host's mount would, but no longer sees the device's content. The options are
   * those the mount table shows: {@code ro} or {@code rw}, then the extra ones (absent in a
   * mount saved before they were kept: {@code rw,relatime}).
   */
  record MountState(int id, String device, String mountPoint, String fsType, boolean stale,
      List<String> options) {
    MountState asStale() {
      return new MountState(id, device, mountPoint, fsType, true, options);
    }
  }

  private final Path root;
  private final Path mountsDir;
  private final FaultInjector faults = new FaultInjector();
  private final ReentrantLock lock = new ReentrantLock();
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Map<String, String> fileSystems = new TreeMap<>();
  /** The mount table by ID, and indexes by mount point and by device, kept by add/removeMount. */
  private final Map<Integer, MountState> mounts = new TreeMap<>();
  private final Map<String, Integer> mountIdAt = new HashMap<>();
  private final Map<String, Set<Integer>> mountIdsOf = new HashMap<>();
  private int nextMountId = 100;

  /**
   * Creates a simulated host, or opens the one kept under a root before.
   *
   * @param root the directory holding device content and the host's state; created if needed
   */
  public SimulatedHost(Path root) {
    try {
      this.root = Files.createDirectories(root).toRealPath();
      Files.createDirectories(this.root.resolve("devices"));
      Files.createDirectories(this.root.resolve("shadows"));
      this.mountsDir = Files.createDirectories(this.root.resolve("mounts"));
    } catch (IOException e) {
      throw new BackendException("cannot create the simulated host root " + root + ": " + e,
          false, null, e);
    }
    load();
  }

  /**
   * Returns the fault injector of this host ({@link Operation#FORMAT}, {@link Operation#MOUNT},
   * {@link Operation#UNMOUNT}; latency applies to those too).
   *
   * @return the injector
   */
  public FaultInjector faults() {
    return faults;
  }

  /**
   * Lists the devices this host has seen formatted or mounted.
   *
   * @return the devices, sorted by path
   */
  public List<SimulatedDevice> devices() {
    lock.lock();
    try {
      List<SimulatedDevice> result = new ArrayList<>();
      for (Map.Entry<String, String> e : fileSystems.entrySet()) {
        Optional<Path> mountPoint = mountsOfDevice(e.getKey()).findFirst()
            .map(m -> Path.of(m.mountPoint()));
        result.add(new SimulatedDevice(Path.of(e.getKey()), Optional.of(e.getValue()),
            mountPoint));
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns {@link HostOs.Kind#SIMULATED}: this host formats and mounts simulated devices only.
   *
   * @return the kind
   */
  @Override
  public Kind kind() {
    return Kind.SIMULATED;
  }

  @Override
  public Optional<String> fileSystemType(Path device) {
    lock.lock();
    try {
      return Optional.ofNullable(fileSystems.get(key(device)));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<FsType> formattableTypes() {
    return Set.of(FsType.EXT4, FsType.XFS);
  }

  @Override
  public void format(Path device, FsType type) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(type, "type");
    List<String> argv = List.of("mkfs." + type.name(), device.toString());
    if (!formattableTypes().contains(type)) {
      throw new UnsupportedCapabilityException("simulated-host", "mkfs." + type.name(),
          "the simulated host formats only ext4 and xfs");
    }
    refuseRealDevice(argv, device, MKFS_FAILURE);
    if (faults.before(Operation.FORMAT) != FaultInjector.Fault.NONE) {
      throw new CommandFailedException(argv, MKFS_FAILURE, "injected failure", null);
    }
    lock.lock();
    try {
      String name = key(device);
      Optional<MountState> mounted = liveMountOf(name);
      if (mounted.isPresent()) {
        throw new CommandFailedException(argv, MKFS_FAILURE, device + " is mounted on "
            + mounted.get().mountPoint() + "; will not make a filesystem here!", null);
      }
      Path content = contentDir(name);
      try {
        deleteTree(content);
        Files.createDirectories(content);
      } catch (IOException | UncheckedIOException e) {
        throw new CommandFailedException(argv, MKFS_FAILURE, e.toString(), e);
      }
      fileSystems.put(name, type.name());
      writeAtomically(fsTypeFile(name), type.name().getBytes(StandardCharsets.UTF_8));
      LOG.debug("formatted simulated device {} as {}", device, type);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Mounts a simulated device. The mode and extra options are checked against the allow-list
   * and shown in the mount table; a read-only mount is not enforced on the directories, so a
   * test that needs writes to fail mounts a real loop device.
   */
  @Override
  public void mount(Path device, Path mountPoint, FsType type, MountOptions options) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(type, "type");
    options.requireAllowedFor(type, device.toString());
    Path target = mountPoint.toAbsolutePath().normalize();
    List<String> shown = new ArrayList<>();
    shown.add(options.readOnlyOrFalse() ? "ro" : "rw");
    shown.addAll(options.options());
    List<String> argv = List.of("mount", "-t", type.name(), "-o", String.join(",", shown),
        device.toString(), target.toString());
    if (options.options().stream().noneMatch(
        List.of("noatime", "relatime", "strictatime")::contains)) {
      shown.add("relatime"); // the kernel's default, as /proc/self/mountinfo shows it
    }
    refuseRealDevice(argv, device, MOUNT_FAILURE);
    if (faults.before(Operation.MOUNT) != FaultInjector.Fault.NONE) {
      throw new CommandFailedException(argv, MOUNT_FAILURE, "injected failure", null);
    }
    lock.lock();
    try {
      String name = key(device);
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new CommandFailedException(argv, MOUNT_FAILURE,
            "mount point " + target + " does not exist", null);
      }
      String fs = fileSystems.get(name);
      if (fs == null || !fs.equals(type.name())) {
        throw new CommandFailedException(argv, MOUNT_FAILURE, "wrong fs type, bad option, bad "
            + "superblock on " + device + (fs == null ? " (no file system)" : " (holds " + fs
            + ")"), null);
      }
      Optional<MountState> onTarget = mountAt(target);
      if (onTarget.isPresent()) {
        throw new CommandFailedException(argv, MOUNT_FAILURE, target + " is busy: "
            + onTarget.get().device() + " is mounted there", null);
      }
      Optional<MountState> elsewhere = liveMountOf(name);
      int id = nextMountId++;
      Path shadow = root.resolve("shadows").resolve(Integer.toString(id));
      Path content = contentDir(name);
      try {
        if (elsewhere.isPresent()) {
          takeOver(elsewhere.get(), content);
        }
        Files.createDirectories(content);
        moveTree(target, shadow);
        try {
          moveTree(content, target);
        } catch (IOException | UncheckedIOException e) {
          moveTree(shadow, target);
          throw e;
        }
      } catch (IOException | UncheckedIOException e) {
        throw new CommandFailedException(argv, MOUNT_FAILURE, e.toString(), e);
      }
      MountState added = new MountState(id, name, target.toString(), fs, false,
          List.copyOf(shown));
      addMount(added);
      saveMount(added);
      LOG.debug("mounted simulated device {} on {}", device, target);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void unmount(Path mountPoint) {
    Objects.requireNonNull(mountPoint, "mountPoint");
    Path target = mountPoint.toAbsolutePath().normalize();
    List<String> argv = List.of("umount", target.toString());
    if (faults.before(Operation.UNMOUNT) != FaultInjector.Fault.NONE) {
      throw new CommandFailedException(argv, MOUNT_FAILURE, "injected failure", null);
    }
    lock.lock();
    try {
      Optional<MountState> found = mountAt(target);
      if (found.isEmpty()) {
        return;
      }
      MountState mount = found.get();
      Path shadow = root.resolve("shadows").resolve(Integer.toString(mount.id()));
      try {
        if (mount.stale()) {
          deleteTree(target); // what a stale mount was given never reached the device
        } else {
          moveTree(target, contentDir(mount.device()));
        }
        if (Files.isDirectory(shadow)) {
          moveTree(shadow, target);
        } else {
          Files.createDirectories(target);
        }
      } catch (IOException | UncheckedIOException e) {
        throw new CommandFailedException(argv, MOUNT_FAILURE, e.toString(), e);
      }
      removeMount(mount);
      deleteMount(mount);
      LOG.debug("unmounted simulated device {} from {}", mount.device(), target);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies what one simulated device holds, its file system and files, onto another, replacing
   * what that one held: a simulated host keeps its devices' data, so the fake driver's
   * snapshots and copies of simulated volumes copy it here. A device that is mounted is copied
   * from its mount point, as a snapshot of a mounted volume copies the blocks under its file
   * system.
   *
   * @param from the device to copy
   * @param to the device that receives the copy; it must not be mounted
   * @throws CommandFailedException when {@code to} is mounted or the copy fails
   */
  public void copyDevice(Path from, Path to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    List<String> argv = List.of("dd", "if=" + from, "of=" + to);
    lock.lock();
    try {
      String source = key(from);
      String target = key(to);
      if (liveMountOf(target).isPresent()) {
        throw new CommandFailedException(argv, MKFS_FAILURE, to + " is mounted", null);
      }
      Path copy = contentDir(target);
      try {
        deleteTree(copy);
        Files.deleteIfExists(fsTypeFile(target));
        fileSystems.remove(target);
        String type = fileSystems.get(source);
        if (type == null) {
          return;
        }
        Path content = liveMountOf(source).map(m -> Path.of(m.mountPoint()))
            .orElse(contentDir(source));
        copyTree(content, copy);
      } catch (IOException | UncheckedIOException e) {
        throw new CommandFailedException(argv, MKFS_FAILURE, e.toString(), e);
      }
      fileSystems.put(target, fileSystems.get(source));
      writeAtomically(fsTypeFile(target), fileSystems.get(source)
          .getBytes(StandardCharsets.UTF_8));
      LOG.debug("copied simulated device {} to {}", from, to);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets what a simulated device holds, when the volume or snapshot it belonged to is
   * removed. A mounted device is left as it is.
   *
   * @param device the device
   */
  public void discardDevice(Path device) {
    Objects.requireNonNull(device, "device");
    lock.lock();
    try {
      String name = key(device);
      if (liveMountOf(name).isPresent()) {
        return;
      }
      deleteTree(contentDir(name).getParent());
      fileSystems.remove(name);
    } catch (IOException e) {
      throw new BackendException("cannot discard the simulated device " + device + ": " + e,
          false, null, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A real block device is the kernel's, and may be reused by another volume after a detach:
   * a simulated host keeps content by device path, so it would show that volume the content of
   * the one before. It refuses such a device instead.
   */
  private static void refuseRealDevice(List<String> argv, Path device, int exitCode) {
    if (LoopDevices.isBlockDevice(device)) {
      throw new CommandFailedException(argv, exitCode, device + " is a real block device; a"
          + " SimulatedHost formats and mounts only simulated devices (fake.devices: simulated)",
          null);
    }
  }

  @Override
  public List<MountEntry> mounts() {
    lock.lock();
    try {
      return mounts.values().stream().map(SimulatedHost::entry).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SimulatedHost[" + root + "]";
  }

  private static String key(Path device) {
    return device.toAbsolutePath().normalize().toString();
  }

  private Path contentDir(String device) {
    String encoded = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(device.getBytes(StandardCharsets.UTF_8));
    return root.resolve("devices").resolve(encoded).resolve("content");
  }

  @Override
  public List<MountEntry> mountsAt(Path mountPoint) {
    lock.lock();
    try {
      return mountAt(mountPoint).map(m -> List.of(entry(m))).orElse(List.of());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<MountEntry> mountsOf(Path device) {
    lock.lock();
    try {
      return mountsOfDevice(device.toString()).map(SimulatedHost::entry).toList();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The mounts of a device that see its content: {@link #mountsOf} without the stale ones,
   * whose device another simulated instance has taken over since.
   */
  List<MountEntry> liveMountsOf(Path device) {
    lock.lock();
    try {
      return liveMountOf(key(device)).map(m -> List.of(entry(m))).orElse(List.of());
    } finally {
      lock.unlock();
    }
  }

  private Optional<MountState> mountAt(Path target) {
    return Optional.ofNullable(mountIdAt.get(target.toString())).map(mounts::get);
  }

  /** The device's mounts, stale ones too, in table order. */
  private Stream<MountState> mountsOfDevice(String device) {
    return mountIdsOf.getOrDefault(device, Set.of()).stream().map(mounts::get);
  }

  private Optional<MountState> liveMountOf(String device) {
    return mountsOfDevice(device).filter(m -> !m.stale()).findFirst();
  }

  /** Adds a mount to the table and its indexes, or replaces the one with its ID. */
  private void addMount(MountState m) {
    mounts.put(m.id(), m);
    mountIdAt.put(m.mountPoint(), m.id());
    mountIdsOf.computeIfAbsent(m.device(), d -> new TreeSet<>()).add(m.id());
  }

  private void removeMount(MountState m) {
    mounts.remove(m.id());
    mountIdAt.remove(m.mountPoint(), m.id());
    Set<Integer> ofDevice = mountIdsOf.get(m.device());
    if (ofDevice != null) {
      ofDevice.remove(m.id());
      if (ofDevice.isEmpty()) {
        mountIdsOf.remove(m.device());
      }
    }
  }

  /** Moves the content back from the old mount, which stays in the table as stale. */
  private void takeOver(MountState old, Path content) throws IOException {
    Path oldTarget = Path.of(old.mountPoint());
    moveTree(oldTarget, content);
    Files.createDirectories(oldTarget);
    addMount(old.asStale());
    saveMount(old.asStale());
    LOG.warn("simulated device {} taken over from {}; that mount is stale now", old.device(),
        old.mountPoint());
  }

  /** Reads the saved device file systems and mounts, one small file each. */
  private void load() {
    try (Stream<Path> devices = Files.list(root.resolve("devices"))) {
      for (Path dir : (Iterable<Path>) devices::iterator) {
        Path fsType = dir.resolve(FS_TYPE_FILE);
        if (Files.exists(fsType)) {
          String device = new String(Base64.getUrlDecoder().decode(dir.getFileName().toString()),
              StandardCharsets.UTF_8);
          fileSystems.put(device, Files.readString(fsType, StandardCharsets.UTF_8));
        }
      }
      try (Stream<Path> saved = Files.list(mountsDir)) {
        for (Path file : (Iterable<Path>) saved::iterator) {
          if (file.getFileName().toString().endsWith(".json")) {
            restore(json.readValue(file.toFile(), MountState.class));
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new BackendException("cannot read the simulated host state under " + root + ": "
          + e.getMessage(), false, null, e);
    }
  }

  private void restore(MountState m) {
    nextMountId = Math.max(nextMountId, m.id() + 1);
    if (m.stale() || !Files.isDirectory(contentDir(m.device()))) {
      addMount(m);
      return;
    }
    LOG.warn("dropping the mount of {} on {}: its content never moved there", m.device(),
        m.mountPoint());
    Path shadow = root.resolve("shadows").resolve(Integer.toString(m.id()));
    try {
      if (Files.isDirectory(shadow) && !Files.exists(Path.of(m.mountPoint()))) {
        moveTree(shadow, Path.of(m.mountPoint()));
      }
      Files.deleteIfExists(mountFile(m));
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot restore the mount point {}", m.mountPoint(), e);
    }
  }

  private static MountEntry entry(MountState m) {
    return new MountEntry(m.id(), m.device(), Path.of(m.mountPoint()), m.fsType(),
        m.options() == null ? List.of("rw", "relatime") : m.options());
  }

  private Path fsTypeFile(String device) {
    return contentDir(device).resolveSibling(FS_TYPE_FILE);
  }

  private Path mountFile(MountState mount) {
    return mountsDir.resolve(mount.id() + ".json");
  }

  private void saveMount(MountState mount) {
    try {
      writeAtomically(mountFile(mount), json.writeValueAsBytes(mount));
    } catch (IOException e) {
      throw new BackendException("cannot save the simulated mount " + mount + ": "
          + e.getMessage(), false, null, e);
    }
  }

  private void deleteMount(MountState mount) {
    try {
      Files.deleteIfExists(mountFile(mount));
    } catch (IOException e) {
      throw new BackendException("cannot delete the simulated mount " + mount + ": "
          + e.getMessage(), false, null, e);
    }
  }

  /**
   * Replaces a file atomically, so a restarted host sees the old or the new version. One file
   * per device and per mount keeps the cost of a change independent of the table's size.
   */
  private static void writeAtomically(Path target, byte[] bytes) {
    try {
      Files.createDirectories(target.getParent());
      AtomicFiles.replace(target, bytes);
    } catch (IOException e) {
      throw new BackendException("cannot save the simulated host state " + target + ": "
          + e.getMessage(), false, null, e);
    }
  }

  /** Moves a directory tree: a rename where possible, else a copy and a delete. */
  private static void moveTree(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    } catch (AtomicMoveNotSupportedException e) {
      LOG.debug("{} and {} are on different file systems; copying", source, target);
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : (Iterable<Path>) walk::iterator) {
        Path to = target.resolve(source.relativize(from).toString());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      }
    }
    deleteTree(source);
  }

  private static void copyTree(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    if (!Files.isDirectory(source)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path from : (Iterable<Path>) walk::iterator) {
        Path to = target.resolve(source.relativize(from).toString());
        if (!from.equals(source)) {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

}
