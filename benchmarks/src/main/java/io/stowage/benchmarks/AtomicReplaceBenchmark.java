package io.stowage.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The baseline: durable atomic replaces of a small file per second, in a temporary directory on
 * the real disk, written the way the state store writes a record (temporary file in the same
 * directory, {@code FileChannel.force}, atomic rename over the file, fsync of the directory).
 * This is the physical limit of state changes per second on this disk. Each thread replaces a
 * file of its own in one shared directory, as the state store does for different volumes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AtomicReplaceBenchmark {
  /** About the size of a mounted volume's state record. */
  static final int RECORD_BYTES = 420;

  /** Creates the benchmark; JMH calls this. */
  public AtomicReplaceBenchmark() {}

  /** The shared directory. */
  @State(Scope.Benchmark)
  public static class Directory {
    Path path;
    final AtomicInteger threads = new AtomicInteger();

    /** Creates the state; JMH calls this. */
    public Directory() {}

    /** Creates the directory on the real disk. */
    @Setup(Level.Trial)
    public void create() {
      path = Directories.create("disk", "stowage-bench-replace");
    }

    /** Deletes the directory. */
    @TearDown(Level.Trial)
    public void delete() {
      Directories.delete(path);
    }
  }

  /** The file one thread replaces. */
  @State(Scope.Thread)
  public static class Target {
    Path file;
    byte[] content;

    /** Creates the state; JMH calls this. */
    public Target() {}

    /**
     * Names this thread's file.
     *
     * @param directory the shared directory
     */
    @Setup(Level.Trial)
    public void name(Directory directory) {
      file = directory.path.resolve("volume-" + directory.threads.incrementAndGet() + ".json");
      content = "x".repeat(RECORD_BYTES - 1).concat("\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * One thread replaces its file.
   *
   * @param target this thread's file
   * @throws IOException when the disk fails
   */
  @Benchmark
  @Threads(1)
  public void replaces1Thread(Target target) throws IOException {
    replace(target.file, target.content);
  }

  /**
   * Two threads each replace their own file.
   *
   * @param target this thread's file
   * @throws IOException when the disk fails
   */
  @Benchmark
  @Threads(2)
  public void replaces2Threads(Target target) throws IOException {
    replace(target.file, target.content);
  }

  static void replace(Path target, byte[] content) throws IOException {
    Path directory = target.getParent();
    Path temp = directory.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
