package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.Stowage;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.mesos.DvdiVolume;
import io.stowage.mesos.DvdiVolumes;
import io.stowage.model.Mount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesosTaskVolumesTest {
  @TempDir
  Path work;

  private static boolean loopDevices() {
    boolean loopDevices = RootCheck.isRoot() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI must run as root with loop devices (/dev/loop-control)");
    }
    return loopDevices;
  }

  /** The two platforms on a simulated host, for the checks that fail before any mount. */
  private Stowage simulated() {
    return Stowage.builder()
        .host(new SimulatedHost(work.resolve("host")))
        .setting("stowage.services.platform1", Map.of("driver", "fake",
            "fake", Map.of("root", work.resolve("p1"))))
        .setting("stowage.services.platform2", Map.of("driver", "fake",
            "fake", Map.of("root", work.resolve("p2"))))
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .build();
  }

  @Test
  void theSeedAppsVolumesMountThroughTheirPlatformsOnLoopDevices() throws Exception {
    assumeTrue(loopDevices(), "needs root and loop devices");
    MesosTaskVolumes program = new MesosTaskVolumes(new PrintStream(
        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), work);
    try (Stowage stowage = program.open()) {
      List<DvdiVolume> volumes = DvdiVolumes.fromMarathonApp(MesosTaskVolumes.seedApp());
      List<Mount> mounts = MesosTaskVolumes.mountAll(stowage, volumes, "task-1");
      String mountInfo = Files.readString(Path.of("/proc/self/mountinfo"));
      assertTrue(mountInfo.contains(work.resolve("volumes/testing") + " ")
          && mountInfo.lines().anyMatch(l -> l.contains(work.resolve("volumes/testing2") + " ")
              && l.contains(" - xfs ")), mountInfo);
      assertEquals(1, stowage.volumes("platform1").list().size());
      assertEquals("testing2", stowage.volumes("platform2").list().get(0).name().value());
      assertEquals(6L << 30, stowage.volumes("platform2").list().get(0).size().bytes());
      assertTrue(mounts.get(1).formatted(), "overwritefs=true formats testing2 as xfs");
      MesosTaskVolumes.unmountAll(stowage, volumes, "task-1");
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<String> report = new MesosTaskVolumes(
        new PrintStream(printed, true, StandardCharsets.UTF_8), work).run();
    assertEquals(List.of(
        "testing through platform1 at " + work.resolve("volumes/testing/data"),
        "testing2 through platform2 at " + work.resolve("volumes/testing2/data")
            + " (formatted)"), report);
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(work.toString()),
        "the example left a mount");
  }

  @Test
  void aVolumeOfAnUnknownServiceOrWithABadOptionStopsTheTaskBeforeAnyMount() throws Exception {
    try (Stowage stowage = simulated()) {
      List<DvdiVolume> unknown = DvdiVolumes.fromEnvironment(Map.of(
          "DVDI_VOLUME_NAME", "testing", "DVDI_VOLUME_DRIVER", "platform1",
          "DVDI_VOLUME_NAME1", "testing2", "DVDI_VOLUME_DRIVER1", "platform3"));
      DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
          () -> MesosTaskVolumes.mountAll(stowage, unknown, "task-1"));
      assertEquals("platform3", e.driver());

      List<DvdiVolume> badOption = DvdiVolumes.fromEnvironment(Map.of(
          "DVDI_VOLUME_NAME", "testing", "DVDI_VOLUME_DRIVER", "platform1",
          "DVDI_VOLUME_NAME1", "testing2", "DVDI_VOLUME_DRIVER1", "platform2",
          "DVDI_VOLUME_OPTS1", "size=6,tier=gold"));
      InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
          () -> MesosTaskVolumes.mountAll(stowage, badOption, "task-1"));
      assertEquals("DVDI_VOLUME_OPTS1", bad.field());

      List<DvdiVolume> missing = DvdiVolumes.fromEnvironment(Map.of(
          "DVDI_VOLUME_NAME", "testing", "DVDI_VOLUME_DRIVER", "platform1",
          "DVDI_VOLUME_NAME1", "absent", "DVDI_VOLUME_EXPLICITCREATE1", "true"));
      assertThrows(VolumeNotFoundException.class,
          () -> MesosTaskVolumes.mountAll(stowage, missing, "task-1"));

      assertEquals(List.of(), stowage.volumes("platform1").list(), "nothing was created");
      assertFalse(Files.exists(work.resolve("state/records")), "nothing was recorded");
    }
  }

  @Test
  void aMountThatFailsUndoesTheMountsBeforeIt() throws Exception {
    try (Stowage stowage = simulated()) {
      // testing2 exists on platform1's back end, so platform2 may not create a namesake.
      stowage.volumes("platform1").create("testing2", io.stowage.model.VolumeOptions.NONE);
      List<DvdiVolume> volumes = DvdiVolumes.fromMarathonApp(MesosTaskVolumes.seedApp());
      assertThrows(InvalidArgumentException.class,
          () -> MesosTaskVolumes.mountAll(stowage, volumes, "task-1"));
      assertEquals(java.util.Optional.empty(), stowage.volumes("platform1").path("testing"),
          "testing was mounted, then unmounted when testing2 failed");
      try (Stream<Path> records = Files.list(work.resolve("state/records/platform1"))) {
        assertEquals(0, records.count());
      }
    }
  }

  @Test
  void docsMesosShowsTheCompiledProgram() throws Exception {
    Path module = Path.of("").toAbsolutePath();
    String source = Files.readString(
        module.resolve("src/main/java/io/stowage/examples/MesosTaskVolumes.java"));
    String docs = Files.readString(module.resolveSibling("docs/mesos.md"));
    for (String tag : List.of("services", "mount")) {
      String snippet = source.substring(source.indexOf("// tag::" + tag + "[]\n")
          + ("// tag::" + tag + "[]\n").length(), source.indexOf("// end::" + tag + "[]"));
      String indent = tag.equals("services") ? "    " : "  ";
      List<String> lines = Arrays.stream(snippet.split("\n", -1))
          .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
          .toList();
      String expected = String.join("\n", lines).stripTrailing();
      assertTrue(docs.contains(expected), "docs/mesos.md must show the " + tag
          + " snippet exactly as MesosTaskVolumes compiles it:\n" + expected);
    }
  }
}
