package io.stowage.driver.fake;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stowage.exception.BackendException;
import io.stowage.spi.AtomicFiles;
import io.stowage.spi.CrossProcessLock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file-backed store under one root: {@code volumes/<id>.json} (written atomically: temp
 * file in the same directory, then an atomic rename),
 * {@code images/<id>.img} (sparse), {@code names/<name>} (a symbolic link to the ID, so a
 * lookup by name reads one link and one record however many volumes there are),
 * {@code snapshots/<id>.json} with the snapshots' images under {@code images/} too, and
 * {@code store.lock}. Every read-modify-write runs under
 * {@link #locked}, which excludes other threads of this JVM and other processes. Readers need
 * no lock: a record file is always either the old or the new complete version.
 *
 * <p>Nothing is fsynced. The store stands for a remote back end, whose durability is not this
 * host's to ensure: atomic renames keep it whole when a process is killed at any moment, and
 * only a power loss or kernel crash can take back its latest changes, which reconciliation
 * then treats like a back end that disagrees with the host's state.
 */
final class FakeStore {
  /** Volume IDs this store generates and accepts; anything else is not a path under root. */
  static final Pattern ID = Pattern.compile("fake-[0-9a-f]{16}");
  /** Snapshot IDs this store generates and accepts. */
  static final Pattern SNAPSHOT_ID = Pattern.compile("fake-snap-[0-9a-f]{16}");

  /** The longest a store operation waits for another thread or process to finish one. */
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

  private final Path root;
  private final Path volumes;
  private final Path images;
  private final Path names;
  private final Path devices;
  private final Path snapshots;
  private final CrossProcessLock lock;
  private final ObjectMapper json = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Opens the store under a root. Nothing is created until the first change: a store that was
   * never written reads as empty, so listing volumes creates no directories.
   */
  FakeStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.volumes = this.root.resolve("volumes");
    this.images = this.root.resolve("images");
    this.names = this.root.resolve("names");
    this.devices = this.root.resolve("devices");
    this.snapshots = this.root.resolve("snapshots");
    this.lock = new CrossProcessLock(this.root.resolve("store.lock"));
  }

  Path root() {
    return root;
  }

  Path imagePath(String id) {
    return images.resolve(id + ".img");
  }

  /** The directory of the records, where an attach's record appears when it completes. */
  Path recordDirectory() {
    return volumes;
  }

  /** The directory of the simulated devices. */
  Path simulatedDeviceDirectory() {
    return devices;
  }

  /** The simulated device of a volume: an empty file that exists while it is attached. */
  Path simulatedDevice(String id) {
    return devices.resolve(id);
  }

  /** Creates the simulated device of a volume. Call under {@link #locked}. */
  void createSimulatedDevice(String id) {
    try {
      Files.createFile(simulatedDevice(id));
    } catch (FileAlreadyExistsException e) {
      // attached again without a detach in between: the device is there
    } catch (IOException e) {
      throw failure("create the simulated device of " + id, e);
    }
  }

  /** Deletes the simulated device of a volume, if it exists. Call under {@link #locked}. */
  void deleteSimulatedDevice(String id) {
    try {
      Files.deleteIfExists(simulatedDevice(id));
    } catch (IOException e) {
      throw failure("delete the simulated device of " + id, e);
    }
  }

  /**
   * Runs an action holding the store's lock, which excludes other threads and other processes,
   * and other drivers over the same root in this JVM (simulated instances).
   */
  <T> T locked(Supplier<T> action) {
    try {
      for (Path dir : List.of(volumes, images, names, devices, snapshots)) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw failure("create the store", e);
    }
    try (CrossProcessLock.Held held = lock.acquire(LOCK_TIMEOUT)) {
      return action.get();
    }
  }

  /** Reads every record. */
  List<VolumeRecord> readAll() {
    return readAll(volumes, ID, VolumeRecord.class);
  }

  /** Reads every snapshot record, of every region. */
  List<SnapshotRecord> readAllSnapshots() {
    return readAll(snapshots, SNAPSHOT_ID, SnapshotRecord.class);
  }

  private <T> List<T> readAll(Path dir, Pattern ids, Class<T> type) {
    List<T> result = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(".json")
            && ids.matcher(fileName.substring(0, fileName.length() - 5)).matches()) {
          readFile(file, type).ifPresent(result::add);
        }
      }
    } catch (NoSuchFileException e) {
      return result; // never written: none
    } catch (IOException | UncheckedIOException e) {
      throw failure("list " + dir, e);
    }
    return result;
  }

  /** Reads one record; empty when the ID is not one of ours or has no record. */
  Optional<VolumeRecord> read(String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return readFile(volumes.resolve(id + ".json"), VolumeRecord.class);
  }

  /** Reads one snapshot record; empty when the ID is not one of ours or has no record. */
  Optional<SnapshotRecord> readSnapshot(String id) {
    if (!SNAPSHOT_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return readFile(snapshots.resolve(id + ".json"), SnapshotRecord.class);
  }

  private <T> Optional<T> readFile(Path file, Class<T> type) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("read " + file, e);
    }
    try {
      return Optional.of(json.readValue(bytes, type));
    } catch (IOException e) {
      throw failure("parse the record " + file, e);
    }
  }

  /** Writes a record atomically. Call under {@link #locked}. */
  void write(VolumeRecord record) {
    writeFile(volumes.resolve(record.id() + ".json"), record);
  }

  /** Writes a snapshot record atomically. Call under {@link #locked}. */
  void write(SnapshotRecord record) {
    writeFile(snapshots.resolve(record.id() + ".json"), record);
  }

  private void writeFile(Path target, Object record) {
    try {
      AtomicFiles.replace(target, json.writeValueAsBytes(record));
    } catch (IOException e) {
      throw failure("write " + target, e);
    }
  }

  /** Deletes a snapshot's record and then its image. Call under {@link #locked}. */
  void deleteSnapshot(String id) {
    try {
      Files.deleteIfExists(snapshots.resolve(id + ".json"));
      Files.deleteIfExists(imagePath(id));
    } catch (IOException e) {
      throw failure("delete snapshot " + id, e);
    }
  }

  /**
   * Returns the ID a volume name is linked to. A link whose record is missing or names another
   * volume (a create interrupted between the link and the record) counts as no link.
   */
  Optional<VolumeRecord> readByName(String name) {
    Path link = names.resolve(name);
    String id;
    try {
      id = Files.readSymbolicLink(link).toString();
    } catch (NoSuchFileException | NotLinkException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("read the name link " + link, e);
    }
    return read(id).filter(r -> r.name().equals(name));
  }

  /** Links a name to an ID, replacing a stale link. Call under {@link #locked}. */
  void linkName(String name, String id) {
    Path link = names.resolve(name);
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(id));
    } catch (IOException e) {
      throw failure("link the name " + name, e);
    }
  }

  /** Removes a name's link if it still points to the ID. Call under {@link #locked}. */
  void unlinkName(String name, String id) {
    Path link = names.resolve(name);
    try {
      if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().equals(id)) {
        Files.delete(link);
      }
    } catch (IOException e) {
      throw failure("unlink the name " + name, e);
    }
  }

  /** Deletes a record and then its image. Call under {@link #locked}. */
  void delete(String id) {
    try {
      Files.deleteIfExists(volumes.resolve(id + ".json"));
      Files.deleteIfExists(imagePath(id));
      Files.deleteIfExists(simulatedDevice(id));
    } catch (IOException e) {
      throw failure("delete volume " + id, e);
    }
  }

  /** Creates a sparse image file of the given size. Call under {@link #locked}. */
  void createImage(String id, long sizeBytes) {
    setImageLength(id, sizeBytes, "create");
  }

  /** Grows an image file, sparsely. Call under {@link #locked}. */
  void growImage(String id, long sizeBytes) {
    setImageLength(id, sizeBytes, "grow");
  }

  private void setImageLength(String id, long sizeBytes, String what) {
    Path image = imagePath(id);
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(sizeBytes);
    } catch (IOException e) {
      throw failure(what + " the image " + image, e);
    }
  }

  /**
   * Copies an image to a new one of at least the same size, keeping it sparse: blocks of zeros
   * are not written. Call under {@link #locked}.
   */
  void copyImage(String from, String to, long sizeBytes) {
    Path source = imagePath(from);
    Path target = imagePath(to);
    try {
      SparseFiles.copy(source, target);
    } catch (IOException e) {
      throw failure("copy the image " + source + " to " + target, e);
    }
    growImage(to, sizeBytes);
  }

  private static BackendException failure(String what, Exception e) {
    return new BackendException("fake store: cannot " + what + ": " + e.getMessage(), false,
        null, e);
  }
}
