package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.mesos.DvdiVolume;
import io.stowage.mesos.DvdiVolumes;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Mesos agent does for a task whose Marathon app declares external volumes: read the
 * app's DVDI volumes, find the service each names, check every volume's options, then mount
 * them all or none for the task, run the task, and unmount them. The app is the REX-Ray
 * guide's: two volumes on two platforms, here two named services of the fake driver, each with
 * a back end of its own. Real file systems on loop devices: needs root.
 */
public final class MesosTaskVolumes {
  /** The seed Marathon app on the class path. */
  public static final String SEED_APP = "/marathon-dvdi-env.json";

  private final PrintStream out;
  private final Path work;

  /**
   * Creates the program.
   *
   * @param out where to print what it does
   * @param work an empty directory for the back ends, the state and the mounts
   */
  public MesosTaskVolumes(PrintStream out, Path work) {
    this.out = out;
    this.work = work;
  }

  /**
   * Runs the program in a new temporary directory.
   *
   * @param args ignored
   * @throws IOException when the directory cannot be created or a file written
   */
  public static void main(String[] args) throws IOException {
    if (!RootCheck.isRoot()) {
      System.err.println("This example mounts real file systems on loop devices and must run"
          + " as root.");
      System.exit(2);
    }
    new MesosTaskVolumes(System.out, Files.createTempDirectory("stowage-mesos")).run();
  }

  /**
   * Opens Stowage with the two platforms of the seed app as services of the fake driver.
   *
   * @return the open instance
   */
  public Stowage open() {
    // tag::services[]
    return Stowage.builder()
        .setting("stowage.services.platform1", Map.of("driver", "fake",
            "fake", Map.of("root", work.resolve("p1"))))
        .setting("stowage.services.platform2", Map.of("driver", "fake",
            "fake", Map.of("root", work.resolve("p2"))))
        .setting("fake.devices", "loop")
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .build();
    // end::services[]
  }

  /**
   * Mounts the seed app's volumes for a task, writes a file on each, and unmounts them.
   *
   * @return the lines it printed about each mount
   * @throws IOException when a file cannot be written
   */
  public List<String> run() throws IOException {
    List<String> report = new ArrayList<>();
    try (Stowage stowage = open()) {
      List<DvdiVolume> volumes = DvdiVolumes.fromMarathonApp(seedApp());
      List<Mount> mounts = mountAll(stowage, volumes, "task-1");
      for (int i = 0; i < mounts.size(); i++) {
        DvdiVolume volume = volumes.get(i);
        Mount mount = mounts.get(i);
        Files.writeString(mount.path().resolve("hello.txt"), "hello from task-1");
        String line = volume.name() + " through " + volume.driver() + " at " + mount.path()
            + (mount.formatted() ? " (formatted)" : "");
        out.println("mounted " + line);
        report.add(line);
      }
      unmountAll(stowage, volumes, "task-1");
      out.println("unmounted every volume of task-1");
    }
    return report;
  }

  // tag::mount[]
  /** A volume of the task with the service that mounts it and its checked options. */
  private record Planned(DvdiVolume volume, VolumeService service, VolumeOptions options) {}

  /**
   * Mounts a task's volumes for it, all or none. Every volume is checked before the first is
   * mounted: its driver must name a service, its options must suit that service's driver, and
   * an explicitly created volume must exist.
   *
   * @param stowage the open Stowage
   * @param volumes the task's volumes, as {@link DvdiVolumes} read them
   * @param task the task (its container's ID), the caller of the mounts
   * @return the mounts, in the order of the volumes
   */
  public static List<Mount> mountAll(Stowage stowage, List<DvdiVolume> volumes, String task) {
    List<Planned> plan = new ArrayList<>();
    for (DvdiVolume volume : volumes) {
      VolumeService service = stowage.volumes(volume.driver()); // rexray: the default service
      VolumeOptions options = volume.volumeOptions(
          stowage.registry().provider(service.driverName()).volumeOptionKeys());
      if (volume.explicitCreate() && service.find(volume.name()).isEmpty()) {
        throw new VolumeNotFoundException(volume.name());
      }
      plan.add(new Planned(volume, service, options));
    }
    List<Mount> mounts = new ArrayList<>();
    try {
      for (Planned p : plan) {
        mounts.add(p.service().mount(p.volume().name(),
            MountRequest.builder().caller(task).options(p.options()).build()));
      }
    } catch (RuntimeException e) {
      for (int i = mounts.size() - 1; i >= 0; i--) {
        Planned p = plan.get(i);
        try {
          p.service().unmount(p.volume().name(), UnmountRequest.caller(task));
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
        }
      }
      throw e;
    }
    return mounts;
  }

  /**
   * Releases a task's use of each of its volumes; the last use unmounts and detaches.
   *
   * @param stowage the open Stowage
   * @param volumes the task's volumes
   * @param task the task
   */
  public static void unmountAll(Stowage stowage, List<DvdiVolume> volumes, String task) {
    for (int i = volumes.size() - 1; i >= 0; i--) {
      DvdiVolume volume = volumes.get(i);
      stowage.volumes(volume.driver()).unmount(volume.name(), UnmountRequest.caller(task));
    }
  }
  // end::mount[]

  /**
   * Reads the seed app from the class path.
   *
   * @return its JSON
   */
  public static String seedApp() {
    try (InputStream in = MesosTaskVolumes.class.getResourceAsStream(SEED_APP)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
