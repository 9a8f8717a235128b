package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.Attachment;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The quick start: two simulated hosts share one fake back end. Host A creates, lists,
 * attaches and detaches a volume, then mounts it (a real loop device with a real ext4 file system), writes a file and unmounts it;
 * host B mounts it with preemption and reads the file back. Needs root for the loop devices.
 */
public final class QuickStart {
  private final PrintStream out;
  private final Path work;

  /**
   * Creates the program.
   *
   * @param out where to print what it does
   * @param work an empty directory for the fake back end and both hosts' state
   */
  public QuickStart(PrintStream out, Path work) {
    this.out = out;
    this.work = work;
  }

  /**
   * Runs the quick start in a new temporary directory.
   *
   * @param args ignored
   * @throws IOException when the temporary directory cannot be created
   */
  public static void main(String[] args) throws IOException {
    if (!RootCheck.isRoot()) {
      System.err.println("The quick start mounts real file systems on loop devices and must "
          + "run as root (try: sudo ./mvnw -q -Pdemo verify).");
      System.exit(2);
    }
    new QuickStart(System.out, Files.createTempDirectory("stowage-quickstart")).run();
  }

  /**
   * Runs the steps and returns what host B read back.
   *
   * @return the content of the file written on host A, as host B read it
   * @throws IOException when the file cannot be written or read
   */
  public String run() throws IOException {
    try (Stowage hostA = openHost("host-a"); Stowage hostB = openHost("host-b")) {
      VolumeService a = hostA.volumes();
      VolumeService b = hostB.volumes();

      Volume created = a.create("pgdata", VolumeOptions.parse(Map.of("size", "1")));
      out.printf("created  %s (%s, %s)%n", created.name(), created.id(), created.size());
      a.list().forEach(v -> out.printf("list     %s %s attached to %d instance(s)%n",
          v.name(), v.size(), v.attachments().size()));

      Attachment attached = a.attach("pgdata", false);
      out.printf("attached %s to %s as %s%n", created.name(), attached.instanceId(),
          attached.device());
      a.detach("pgdata", false);
      out.printf("detached %s%n", created.name());

      Mount mountA = a.mount("pgdata", MountRequest.builder().caller("task-1").build());
      out.printf("mounted  on host-a: %s at %s (formatted: %s)%n", mountA.device(),
          mountA.path(), mountA.formatted());
      Files.writeString(mountA.path().resolve("hello.txt"), "hello from host-a");
      out.printf("wrote    %s%n", mountA.path().resolve("hello.txt"));
      a.unmount("pgdata", UnmountRequest.caller("task-1"));
      out.println("unmounted on host-a (last use: unmounted and detached)");

      // tag::preempt[]
      Mount mountB = b.mount("pgdata",
          MountRequest.builder().caller("task-2").preempt(true).build());
      String text = Files.readString(mountB.path().resolve("hello.txt"));
      // end::preempt[]
      out.printf("mounted  on host-b with preempt: %s at %s%n", mountB.device(), mountB.path());
      out.printf("read     \"%s\"%n", text);
      b.unmount("pgdata", UnmountRequest.caller("task-2"));
      b.remove("pgdata", false);
      out.println("unmounted on host-b and removed pgdata");
      return text;
    }
  }

  private Stowage openHost(String instance) {
    Path host = work.resolve(instance);
    // tag::open-host[]
    return Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("stowage.volume.mount.root", host.resolve("volumes").toString())
        .setting("stowage.state.directory", host.resolve("state").toString())
        .setting("fake.root", work.resolve("backend").toString())
        .setting("fake.instanceId", instance)
        .setting("fake.devices", "loop")
        .build();
    // end::open-host[]
  }
}
