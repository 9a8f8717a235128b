package io.stowage.driver.fake;

import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A second process for {@link TwoProcessStoreTest}: creates {@code <prefix>-<i>} and tries
 * every {@code contested-<i>} on the store at the given root, then prints what it created.
 */
public final class StoreWorker {
  private StoreWorker() {}

  /**
   * Runs the worker.
   *
   * @param args root, instance ID, prefix, count
   */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    FakeDriver driver = new FakeDriver(FakeSettings.of(root, DeviceMode.SIMULATED)
        .withInstanceId(args[1]), Contexts.simulated(root.resolveSibling(args[1])));
    String prefix = args[2];
    int count = Integer.parseInt(args[3]);
    int contestedWon = 0;
    for (int i = 0; i < count; i++) {
      driver.create(VolumeName.of(prefix + "-" + i), VolumeOptions.NONE);
      try {
        driver.create(VolumeName.of("contested-" + i), VolumeOptions.NONE);
        contestedWon++;
      } catch (VolumeAlreadyExistsException e) {
        // The other process was first.
      }
    }
    System.out.println("created " + count + " won " + contestedWon + " sees "
        + driver.list().size());
  }
}
