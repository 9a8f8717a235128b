package io.stowage.internal.state;

import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A second process for the crash test: writes records in a loop and prints {@code ACK <n>}
 * after the puts of step {@code n} have returned. Step {@code n} writes volume {@code seq-<n>}
 * with ID {@code vol-<n>} and rewrites volume {@code counter} with ID {@code n-<n>}. It stops
 * by itself after a minute, in case nobody kills it.
 *
 * <p>Argument: the state directory.
 */
public final class PutLoopMain {
  private PutLoopMain() {}

  /**
   * Runs the loop.
   *
   * @param args the state directory
   */
  public static void main(String[] args) {
    long stopAt = System.nanoTime() + 60_000_000_000L;
    try (StateStore store = StateStore.open(Path.of(args[0]))) {
      for (long n = 0; System.nanoTime() < stopAt; n++) {
        store.put(sequenceRecord(n));
        store.put(VolumeRecord.of("fake", VolumeName.of("counter"), VolumeId.of("n-" + n)));
        System.out.println("ACK " + n);
        System.out.flush();
      }
    }
  }

  static VolumeRecord sequenceRecord(long n) {
    return VolumeRecord.of("fake", VolumeName.of("seq-" + n), VolumeId.of("vol-" + n))
        .withDevice(Optional.of(Path.of("/dev/loop" + n)))
        .withCaller(Caller.of("task-" + n))
        .withIntent(Intent.attaching(InstanceId.of("i-" + n), Path.of("/mnt/seq-" + n),
            Instant.ofEpochSecond(n)));
  }
}
