package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory driver ({@link io.stowage.examples.memory}) in use: Stowage finds it through
 * ServiceLoader, mounts a volume of it on a simulated host (created on first mount), a file is
 * written, and a second mount after the unmount reads it back. Needs no root.
 */
public final class InMemoryDriverExample {
  private InMemoryDriverExample() {}

  /**
   * Runs the example in a new temporary directory and prints what it read back.
   *
   * @param args ignored
   * @throws IOException when the directory or the file cannot be created
   */
  public static void main(String[] args) throws IOException {
    System.out.println(run(Files.createTempDirectory("stowage-memory")));
  }

  /**
   * Runs the example under a directory.
   *
   * @param dir where the simulated host, the devices, the state and the mounts live
   * @return the content of the file, as the second mount read it
   * @throws IOException when the file cannot be written or read
   */
  public static String run(Path dir) throws IOException {
    try (Stowage stowage = Stowage.builder()
        .host(new SimulatedHost(dir.resolve("host")))
        .setting("stowage.storageDrivers", "memory")
        .setting("memory.deviceDirectory", dir.resolve("devices"))
        .setting("stowage.state.directory", dir.resolve("state"))
        .setting("stowage.volume.mount.root", dir.resolve("volumes"))
        .build()) {
      VolumeService volumes = stowage.volumes();
      Mount first = volumes.mount("scratch", MountRequest.builder().caller("job-1").build());
      Files.writeString(first.path().resolve("note.txt"), "kept on the device");
      volumes.unmount("scratch", UnmountRequest.caller("job-1"));

      Mount second = volumes.mount("scratch", MountRequest.builder().caller("job-2").build());
      String read = Files.readString(second.path().resolve("note.txt"));
      volumes.unmount("scratch", UnmountRequest.caller("job-2"));
      volumes.remove("scratch", false);
      return read;
    }
  }
}
