package io.stowage.internal.state;

import io.stowage.config.ServiceConfig;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.VolumeName;
import io.stowage.spi.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's durable state: one {@link VolumeRecord} per (service, volume name), and a lock per
 * (driver, volume name) that excludes other threads and other processes of the host.
 *
 * <p>Records are kept per service, so that two services never overwrite each other's records,
 * even with the same driver and volume name. Volumes are locked per driver, so that two services
 * of one driver, which may reach the same back end, lock one volume once; a mount through one
 * service can then see, under that lock, whether another service of the driver has the volume
 * mounted ({@link #recordsOf}). A driver's own service has the driver's name, so its records and
 * locks lie where format version 2 put them.
 *
 * <p>Layout of the state directory (default {@code /var/lib/stowage}, created with mode 0700):
 * <ul>
 *   <li>{@code records/<service>/<name>.json}: one record per volume and service, in the format
 *       described on {@link VolumeRecord};
 *   <li>{@code locks/<driver>/<name>.lock}: the file each volume's cross-process lock is taken
 *       on, and {@code locks/<service>/<name>.lock} the one each record's writes are taken on
 *       (the same file for a driver's own service); empty, never deleted;
 *   <li>{@code corrupt/<service>/<file>.<time>}: record files that could not be read, moved
 *       aside and reported by {@link #problems()};
 *   <li>{@code mount-defaults/<service>/<name>.json}: the mount options a volume was created
 *       with, described on {@link MountDefaults}.
 * </ul>
 *
 * <p>Durability: {@link #put} and {@link #remove} return only once the change is on stable
 * storage as far as the file system promises it. A record is written to a temporary file in the
 * same directory, forced to disk, renamed over the record atomically, and the directory is
 * forced too; a crash at any point leaves the old record or the new one, never a mixture. A
 * change writes one small file, whatever the number of volumes. Temporary files left by a crash
 * are deleted by {@link #open}.
 *
 * <p>Reads go to the files every time; the store keeps no cache, so several processes sharing
 * the directory see each other's changes. To read, change and write a record consistently,
 * hold the volume's {@link #lock lock} around the three steps; {@link #put} and {@link #remove}
 * also take the record's own lock, (service, name), always after the volume's.
 *
 * <p>Thread-safe. Different volumes are locked, read and written independently.
 */
public final class StateStore implements AutoCloseable {
  /** The format version written into every record file. */
  public static final int FORMAT_VERSION = 5;
  /** How long {@link #put} and {@link #remove} wait for the record's lock, when not held. */
  public static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(30);

  static final String RECORDS = "records";
  static final String LOCKS = "locks";
  static final String CORRUPT = "corrupt";
  private static final String RECORD_SUFFIX = ".json";
  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private final Path directory;
  private final Path records;
  private final Path corrupt;
  private final Clock clock;
  private final StateFiles files = new StateFiles();
  private final RecordCodec codec = new RecordCodec();
  private final LockTable lockTable;
  private final MountDefaults mountDefaults;
  private final List<StateProblem> problems = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private StateStore(Path directory, Clock clock) {
    this.directory = directory;
    this.records = directory.resolve(RECORDS);
    this.corrupt = directory.resolve(CORRUPT);
    this.clock = clock;
    this.lockTable = new LockTable(directory.resolve(LOCKS), files);
    this.mountDefaults = new MountDefaults(directory, files);
  }

  /**
   * Opens the state directory. Every record file is checked: temporary files left by a crash
   * are deleted, unreadable files are moved to {@code corrupt/} and listed by
   * {@link #problems()}. The state always loads. A missing directory is not created until the
   * first record is written or the first volume locked (then with mode 0700).
   *
   * @param directory the state directory, such as {@code /var/lib/stowage}
   * @return the store
   * @throws StateStoreException when the directory cannot be created or listed
   */
  public static StateStore open(Path directory) {
    return open(directory, Clock.systemUTC());
  }

  /**
   * Opens the state directory, as {@link #open(Path)}, with a clock for the names of files
   * moved aside.
   *
   * @param directory the state directory
   * @param clock the clock
   * @return the store
   * @throws StateStoreException when the directory cannot be created or listed
   */
  public static StateStore open(Path directory, Clock clock) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    StateStore store = new StateStore(directory.toAbsolutePath(), clock);
    store.load();
    return store;
  }

  /**
   * Returns the mount options each volume was created with, kept in this state directory.
   *
   * @return the store of those options
   */
  public MountDefaults mountDefaults() {
    requireOpen();
    return mountDefaults;
  }

  /**
   * Returns the files that could not be used: those found by {@link #open}, then any found
   * unreadable later.
   *
   * @return the problems, in the order found
   */
  public List<StateProblem> problems() {
    return List.copyOf(problems);
  }

  /**
   * Reads a service's record of a volume. An unreadable record file is moved aside, reported by
   * {@link #problems()}, and reads as absent.
   *
   * @param service the service name
   * @param name the volume name
   * @return the record, or empty when there is none
   * @throws InvalidArgumentException when the service name is not legal
   * @throws StateStoreException when the file cannot be read, or was written by a newer format
   */
  public Optional<VolumeRecord> get(String service, VolumeName name) {
    requireOpen();
    return read(VolumeKey.of(service, name), Mode.GET);
  }

  /**
   * Reads the records every service of a driver holds of a volume name: what a mount through
   * one service must know of the others. Hold the volume's {@link #lock lock} for an answer
   * that stays true. Unreadable files are handled as by {@link #all()}.
   *
   * @param driver the driver name
   * @param name the volume name
   * @return the records whose driver it is, sorted by service
   * @throws InvalidArgumentException when the driver name is not legal
   * @throws StateStoreException when the directory or a file cannot be read
   */
  public List<VolumeRecord> recordsOf(String driver, VolumeName name) {
    requireOpen();
    VolumeKey.requireDriverName(driver);
    List<VolumeRecord> found = new ArrayList<>();
    for (Path entry : list(records)) {
      String owner = entry.getFileName().toString();
      if (VolumeKey.isLegalOwner(owner) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        read(VolumeKey.of(owner, name), Mode.LIST).filter(r -> r.driver().equals(driver))
            .ifPresent(found::add);
      }
    }
    return found;
  }

  /**
   * Writes a volume's record, replacing the previous one. Durable once it returns. Takes the
   * record's lock, waiting at most {@link #WRITE_LOCK_TIMEOUT}, when the calling thread does
   * not hold it.
   *
   * @param record the record
   * @throws OperationTimeoutException when the record's lock cannot be had in time
   * @throws StateStoreException when the record cannot be written; it may then hold the
   *     previous record or the new one
   */
  public void put(VolumeRecord record) {
    Objects.requireNonNull(record, "record");
    requireOpen();
    VolumeKey key = record.key();
    byte[] content = codec.encode(record);
    Path file = recordFile(key);
    VolumeLock lock = lock(key, WRITE_LOCK_TIMEOUT);
    try {
      files.createPrivateDirectory(file.getParent());
      files.writeAtomically(file, content);
      LOG.debug("Wrote the state of volume {}", key);
    } catch (IOException e) {
      throw new StateStoreException("cannot write the state of volume " + key, file, e);
    } finally {
      lock.close();
    }
  }

  /**
   * Removes a service's record of a volume. Durable once it returns; removing a missing record
   * succeeds. Takes the record's lock as {@link #put} does.
   *
   * @param service the service name
   * @param name the volume name
   * @throws InvalidArgumentException when the service name is not legal
   * @throws OperationTimeoutException when the record's lock cannot be had in time
   * @throws StateStoreException when the record cannot be removed
   */
  public void remove(String service, VolumeName name) {
    requireOpen();
    VolumeKey key = VolumeKey.of(service, name);
    Path file = recordFile(key);
    VolumeLock lock = lock(key, WRITE_LOCK_TIMEOUT);
    try {
      boolean existed = Files.deleteIfExists(file);
      if (Files.isDirectory(file.getParent())) {
        files.syncDirectory(file.getParent());
      }
      if (existed) {
        LOG.debug("Removed the state of volume {}", key);
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot remove the state of volume " + key, file, e);
    } finally {
      lock.close();
    }
  }

  /**
   * Reads every record. Unreadable files are moved aside and reported as by {@link #get};
   * records written by a newer format are skipped (they were reported by {@link #open}).
   *
   * @return the records, sorted by service, then by volume name
   * @throws StateStoreException when the directory or a file cannot be read
   */
  public List<VolumeRecord> all() {
    requireOpen();
    return scan(Optional.empty(), Mode.LIST);
  }

  /**
   * Reads every record of one service, as {@link #all()}.
   *
   * @param service the service name
   * @return the service's records, sorted by volume name
   * @throws InvalidArgumentException when the service name is not legal
   * @throws StateStoreException when the directory or a file cannot be read
   */
  public List<VolumeRecord> all(String service) {
    requireOpen();
    return scan(Optional.of(ServiceConfig.requireValidName(service)), Mode.LIST);
  }

  /**
   * Takes a volume's lock, excluding other threads and other processes of this host, waiting
   * at most {@code timeout}. Volumes are locked per driver: every service of the driver takes
   * the same lock. Locks of different volumes are independent. The lock is reentrant and
   * belongs to the calling thread; close it in the same thread, with try-with-resources.
   *
   * @param driver the driver name
   * @param name the volume name
   * @param timeout the longest wait; zero tries once
   * @return the lock
   * @throws InvalidArgumentException when the driver name is not legal or the timeout negative
   * @throws OperationTimeoutException when the lock is still held by another thread or process
   *     when the timeout runs out
   * @throws StateStoreException when the lock file cannot be opened, or the thread is
   *     interrupted while waiting (its interrupt flag is set again)
   */
  public VolumeLock lock(String driver, VolumeName name, Duration timeout) {
    return lock(VolumeKey.of(VolumeKey.requireDriverName(driver), name), timeout);
  }

  /**
   * Takes a volume's lock if it is free now, as {@link #lock} with no wait.
   *
   * @param driver the driver name
   * @param name the volume name
   * @return the lock, or empty when another thread or process holds it
   * @throws InvalidArgumentException when the driver name is not legal
   * @throws StateStoreException when the lock file cannot be opened
   */
  public Optional<VolumeLock> tryLock(String driver, VolumeName name) {
    requireOpen();
    return lockTable.acquire(VolumeKey.of(VolumeKey.requireDriverName(driver), name),
        Duration.ZERO);
  }

  /**
   * Closes the store: later calls fail with {@link IllegalStateException}. Locks still held
   * stay held until they are closed. Closing twice is harmless.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOG.debug("Closed the state directory {}", directory);
    }
  }

  @Override
  public String toString() {
    return "StateStore[" + directory + "]";
  }

  private VolumeLock lock(VolumeKey key, Duration timeout) {
    requireOpen();
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new InvalidArgumentException("timeout", timeout.toString(), "must not be negative");
    }
    return lockTable.acquire(key, timeout).orElseThrow(() -> new OperationTimeoutException(
        "the lock on volume " + key + " (held by another thread or process)", timeout));
  }

  /** How a read treats a file it cannot use. */
  private enum Mode {
    /** At open: report everything, throw nothing. */
    OPEN,
    /** A single get: throw on I/O errors and newer formats. */
    GET,
    /** A listing: throw on I/O errors, skip newer formats. */
    LIST
  }

  /**
   * Checks the records there are. A state directory that does not exist yet is left so: it is
   * created, mode 0700, when the first record is written or the first volume locked, so that
   * opening Stowage to read creates nothing.
   */
  private void load() {
    if (!Files.isDirectory(records)) {
      LOG.debug("No host state in {} yet", directory);
      return;
    }
    int count = scan(Optional.empty(), Mode.OPEN).size();
    syncRecordDirectories();
    if (problems.isEmpty()) {
      LOG.debug("Opened the state directory {}: {} volume records", directory, count);
    } else {
      LOG.error("Opened the state directory {}: {} volume records, {} unusable files: {}",
          directory, count, problems.size(), problems);
    }
  }

  /**
   * Forces the record directories once at start, so that a directory another process created
   * just before it crashed, before forcing its parent, is durable before this process writes
   * into it (writers force the parent only of directories they create themselves).
   */
  private void syncRecordDirectories() {
    try {
      files.syncDirectory(records);
      for (Path entry : list(records)) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          files.syncDirectory(entry);
        }
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot force the state directory to disk", records, e);
    }
  }

  private List<VolumeRecord> scan(Optional<String> onlyService, Mode mode) {
    List<VolumeRecord> found = new ArrayList<>();
    List<Path> serviceDirectories = new ArrayList<>();
    if (onlyService.isPresent()) {
      serviceDirectories.add(records.resolve(onlyService.get()));
    } else {
      for (Path entry : list(records)) {
        String fileName = entry.getFileName().toString();
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && VolumeKey.isLegalOwner(fileName)) {
          serviceDirectories.add(entry);
        } else if (mode == Mode.OPEN) {
          report(entry, Optional.empty(), "not a service's record directory; left in place");
        }
      }
    }
    for (Path serviceDirectory : serviceDirectories) {
      String service = serviceDirectory.getFileName().toString();
      for (Path file : list(serviceDirectory)) {
        String fileName = file.getFileName().toString();
        if (AtomicFiles.isTemporary(fileName)) {
          if (mode == Mode.OPEN) {
            deleteTemporary(service, file);
          }
          continue;
        }
        Optional<VolumeKey> key = keyOf(service, fileName);
        if (key.isEmpty()) {
          if (mode == Mode.OPEN) {
            moveAside(file, "not named <volume name>" + RECORD_SUFFIX);
          }
          continue;
        }
        read(key.get(), mode).ifPresent(found::add);
      }
    }
    found.sort(Comparator.comparing(VolumeRecord::key));
    return found;
  }

  private Optional<VolumeRecord> read(VolumeKey key, Mode mode) {
    Path file = recordFile(key);
    try {
      return readFile(key, file);
    } catch (IOException e) {
      if (mode == Mode.OPEN) {
        report(file, Optional.empty(), "cannot be read (" + e + "); left in place");
        return Optional.empty();
      }
      throw new StateStoreException("cannot read the state of volume " + key, file, e);
    } catch (RecordCodec.UnreadableRecordException e) {
      if (e.newerFormat()) {
        if (mode == Mode.OPEN) {
          report(file, Optional.empty(), e.getMessage() + "; left in place");
          return Optional.empty();
        } else if (mode == Mode.GET) {
          throw new StateStoreException("cannot read the state of volume " + key + ": "
              + e.getMessage(), file, e);
        }
        LOG.debug("Skipped the state of volume {}: {}", key, e.getMessage());
        return Optional.empty();
      }
      return repair(key, file, e.getMessage());
    }
  }

  private Optional<VolumeRecord> readFile(VolumeKey key, Path file)
      throws IOException, RecordCodec.UnreadableRecordException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    VolumeRecord record = codec.decode(content);
    if (!record.key().equals(key)) {
      throw new RecordCodec.UnreadableRecordException(
          "holds the record of volume " + record.key() + ", not of " + key, false, null);
    }
    return Optional.of(record);
  }

  /**
   * Moves an unreadable record file aside, under the volume's lock so that a concurrent
   * writer's fresh record is never the one moved. When the lock is busy the file is left for
   * the lock holder, who is replacing or reading it.
   */
  private Optional<VolumeRecord> repair(VolumeKey key, Path file, String reason) {
    Optional<VolumeLock> lock = lockTable.acquire(key, Duration.ZERO);
    if (lock.isEmpty()) {
      report(file, Optional.empty(), reason + "; left in place, the volume is locked elsewhere");
      return Optional.empty();
    }
    try {
      try {
        Optional<VolumeRecord> again = readFile(key, file);
        if (again.isPresent() || !Files.exists(file)) {
          return again;
        }
      } catch (RecordCodec.UnreadableRecordException e) {
        if (e.newerFormat()) {
          LOG.debug("The state of volume {} was rewritten in a newer format", key);
          return Optional.empty();
        }
        LOG.debug("The state of volume {} is still unreadable", key, e);
      } catch (IOException e) {
        LOG.debug("The state of volume {} is still unreadable", key, e);
      }
      moveAside(file, reason);
      return Optional.empty();
    } finally {
      lock.get().close();
    }
  }

  private void moveAside(Path file, String reason) {
    Path serviceDirectory = file.getParent();
    Path target = corrupt.resolve(serviceDirectory.getFileName()).resolve(
        file.getFileName() + "." + clock.instant().toString().replace(':', '-'));
    try {
      files.createPrivateDirectory(target.getParent());
      for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
        target = target.resolveSibling(target.getFileName() + "." + i);
      }
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      files.syncDirectory(target.getParent());
      files.syncDirectory(serviceDirectory);
    } catch (IOException e) {
      report(file, Optional.empty(), reason + "; could not be moved aside (" + e + ")");
      return;
    }
    report(file, Optional.of(target), reason);
  }

  private void report(Path file, Optional<Path> movedTo, String reason) {
    StateProblem problem = new StateProblem(file, movedTo, reason);
    problems.add(problem);
    if (movedTo.isPresent()) {
      LOG.error("Unusable state file {}: {}; moved it to {}", file, reason, movedTo.get());
    } else {
      LOG.error("Unusable state file {}: {}", file, reason);
    }
  }

  private void deleteTemporary(String service, Path file) {
    String fileName = file.getFileName().toString();
    int end = fileName.lastIndexOf(RECORD_SUFFIX + ".");
    Optional<VolumeKey> key = end < 1 ? Optional.empty()
        : keyOf(service, fileName.substring(1, end + RECORD_SUFFIX.length()));
    try {
      if (key.isEmpty()) {
        Files.deleteIfExists(file);
        LOG.info("Deleted the stray temporary state file {}", file);
        return;
      }
      Optional<VolumeLock> lock = lockTable.acquire(key.get(), Duration.ZERO);
      if (lock.isEmpty()) {
        LOG.debug("Left the temporary state file {}: volume {} is being written", file,
            key.get());
        return;
      }
      try {
        Files.deleteIfExists(file);
        LOG.info("Deleted the temporary state file {} left by an interrupted write", file);
      } finally {
        lock.get().close();
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete the temporary state file {}", file, e);
    }
  }

  private static Optional<VolumeKey> keyOf(String service, String fileName) {
    if (!fileName.endsWith(RECORD_SUFFIX)) {
      return Optional.empty();
    }
    String name = fileName.substring(0, fileName.length() - RECORD_SUFFIX.length());
    if (!VolumeName.isLegal(name)) {
      return Optional.empty();
    }
    return Optional.of(VolumeKey.of(service, VolumeName.of(name)));
  }

  private List<Path> list(Path dir) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException e) {
      return entries;
    } catch (IOException e) {
      throw new StateStoreException("cannot list the state directory", dir, e);
    }
    entries.sort(Comparator.naturalOrder());
    return entries;
  }

  private Path recordFile(VolumeKey key) {
    return records.resolve(key.owner()).resolve(key.name().value() + RECORD_SUFFIX);
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the state store of " + directory + " is closed");
    }
  }
}
