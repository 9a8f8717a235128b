package io.stowage.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's pid file, which the running service holds locked ({@code fcntl}) for as long
 * as it lives: the lock, not the pid, says whether it runs. The kernel releases the lock when
 * the process dies, before its parent reaps it, so a service killed with SIGKILL is seen as
 * stopped at once even while it lingers as a zombie, and a pid reused by another process is
 * never taken for the service (ADR 0024). The file holds the pid, for {@code service stop}
 * and {@code status}.
 *
 * <p>Locks of a file belong to the whole process, and closing any descriptor of the file
 * drops them; so the files this process holds are kept in {@link #HELD} and never opened a
 * second time here.
 */
final class PidFile implements AutoCloseable {
  /** The pid files this process holds, by absolute path: one per process by nature. */
  private static final Map<Path, PidFile> HELD = new ConcurrentHashMap<>();

  private final Path path;
  private final FileChannel channel;

  private PidFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * A service that holds its pid file.
   *
   * @param pid its process id, or 0 in the moment between taking the lock and writing it
   */
  record Holder(long pid) {}

  /**
   * Returns who holds a pid file, if anyone.
   *
   * @param file the pid file
   * @return the live holder, or empty when no process holds the file (or there is none)
   * @throws IOException when the file exists but cannot be read
   */
  static Optional<Holder> holder(Path file) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    if (HELD.containsKey(path)) {
      return Optional.of(new Holder(ProcessHandle.current().pid()));
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
      if (probe != null) {
        probe.release();
        return Optional.empty();
      }
      return Optional.of(new Holder(readPid(ch)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (OverlappingFileLockException e) {
      return Optional.of(new Holder(ProcessHandle.current().pid()));
    }
  }

  /**
   * Takes a pid file for this process and writes its pid into it.
   *
   * @param file the pid file; its directory is created
   * @return the held file, to close when the service has stopped
   * @throws CliException (in use) when a live process holds it
   * @throws IOException when it cannot be created or written
   */
  static PidFile acquire(Path file) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    Files.createDirectories(path.getParent());
    while (true) {
      if (HELD.containsKey(path)) {
        throw running(path, ProcessHandle.current().pid());
      }
      Object before = fileKey(path);
      FileChannel ch;
      try {
        ch = before == null
            ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException | NoSuchFileException e) {
        continue; // another process made or removed it meanwhile: look again
      }
      try {
        if (before == null) {
          before = fileKey(path);
        }
        FileLock lock = ch.tryLock();
        if (lock == null) {
          throw running(path, readPid(ch));
        }
        // The last holder removes the file before it lets go: a lock on a file no longer at
        // the path holds nothing, so take the one that is there now.
        if (before == null || !before.equals(fileKey(path))) {
          ch.close();
          continue;
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        ch.write(ByteBuffer.wrap(pid), 0);
        ch.truncate(pid.length);
        ch.force(true);
        PidFile held = new PidFile(path, ch);
        HELD.put(path, held);
        return held;
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
  }

  /**
   * Waits until no process holds a pid file: its holder has exited (or been killed).
   *
   * @param file the pid file
   * @param timeout the longest wait
   * @return whether it was released in time
   * @throws IOException when the file cannot be read
   * @throws InterruptedException when interrupted while waiting
   */
  static boolean awaitRelease(Path file, Duration timeout)
      throws IOException, InterruptedException {
    Path path = file.toAbsolutePath().normalize();
    if (HELD.containsKey(path)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      FutureTask<Void> wait = new FutureTask<>(() -> {
        ch.lock(0, Long.MAX_VALUE, true).release();
        return null;
      });
      Thread waiter = new Thread(wait, "pid-file-wait");
      waiter.setDaemon(true);
      waiter.start();
      try {
        wait.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        waiter.interrupt(); // closes the channel, which ends the blocked lock call
        return false;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io
            : new IOException("waiting for " + path + " failed", e.getCause());
      }
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /**
   * Removes a pid file that no process holds.
   *
   * @param file the pid file
   * @throws IOException when it cannot be removed
   */
  static void removeStale(Path file) throws IOException {
    if (holder(file).isEmpty()) {
      Files.deleteIfExists(file);
    }
  }

  /** Removes the file, then lets go of it. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(path);
    } finally {
      HELD.remove(path, this);
      channel.close();
    }
  }

  /** The device and inode of the file at a path, or null when there is none. */
  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static long readPid(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    ch.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    int end = text.indexOf('\n');
    try {
      return Long.parseLong((end < 0 ? text : text.substring(0, end)).strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static CliException running(Path path, long pid) {
    return new CliException(ExitCodes.IN_USE, "the service of " + path + " is already running"
        + (pid > 0 ? " as pid " + pid : ""));
  }
}
