package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README's quick start, compiled and run as a test so that the README cannot drift from
 * the API: create a volume on the fake driver, mount it for a caller, write a file, unmount.
 * As root the fake driver attaches real loop devices and the file lands on a real ext4.
 */
public final class FirstMount {
  private FirstMount() {}

  /**
   * Runs the quick start under a directory.
   *
   * @param root where the fake back end, the state and the mounts live
   * @return the data directory the volume was mounted at
   * @throws IOException when the file cannot be written
   */
  public static Path run(Path root) throws IOException {
    Path written;
    // tag::readme[]
    try (Stowage stowage = Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", root.resolve("fake"))
        .setting("stowage.state.directory", root.resolve("state"))
        .setting("stowage.volume.mount.root", root.resolve("volumes"))
        .build()) {
      VolumeService volumes = stowage.volumes();
      volumes.create("pgdata", VolumeOptions.parse(Map.of("size", "1")));
      Mount mount = volumes.mount("pgdata", MountRequest.builder().caller("task-1").build());
      Files.writeString(mount.path().resolve("hello.txt"), "hello"); // <root>/volumes/pgdata/data
      volumes.unmount("pgdata", UnmountRequest.caller("task-1"));    // last use: unmount, detach
      // end::readme[]
      written = mount.path();
      volumes.remove("pgdata", false);
    }
    return written;
  }
}
