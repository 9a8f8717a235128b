package io.stowage.examples;

// tag::readme[]
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

/** Creates a volume on the fake driver, mounts it for a caller, writes a file, unmounts it. */
public final class FirstMount {
  /**
   * Runs under a directory, by default {@code /tmp/stowage-quick-start}.
   *
   * @param args the directory, optionally
   * @throws IOException when the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "/tmp/stowage-quick-start");
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
    }
  }

  private FirstMount() {}
}
// end::readme[]
