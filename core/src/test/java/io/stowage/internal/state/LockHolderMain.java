package io.stowage.internal.state;

import io.stowage.model.VolumeName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A second process for the cross-process lock tests: takes the lock of one volume, prints
 * {@code LOCKED}, holds it until a line (or end of input) arrives on standard input, then
 * releases it and prints {@code RELEASED}.
 *
 * <p>Arguments: state directory, driver name, volume name.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  /**
   * Runs the holder.
   *
   * @param args state directory, driver, volume name
   * @throws Exception when anything fails; the exit code is then non-zero
   */
  public static void main(String[] args) throws Exception {
    try (StateStore store = StateStore.open(Path.of(args[0]))) {
      VolumeLock lock = store.lock(args[1], VolumeName.of(args[2]), Duration.ofSeconds(30));
      try {
        System.out.println("LOCKED " + lock.key());
        System.out.flush();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        in.readLine();
      } finally {
        lock.close();
      }
      System.out.println("RELEASED");
      System.out.flush();
    }
  }
}
