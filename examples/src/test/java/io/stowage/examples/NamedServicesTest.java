package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named services on the fake driver and a simulated host: {@code fake} (the driver's own
 * service) and {@code shared} reach one back end; {@code platform2} reaches another.
 */
class NamedServicesTest {
  @TempDir
  Path work;

  private Stowage stowage;

  @BeforeEach
  void open() {
    stowage = open(work);
  }

  @AfterEach
  void close() {
    stowage.close();
  }

  private static Stowage open(Path work) {
    return Stowage.builder()
        .host(new SimulatedHost(work.resolve("host")))
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", work.resolve("backend-1"))
        .setting("stowage.services.shared", Map.of("driver", "fake", "volume",
            Map.of("mount", Map.of("root", work.resolve("volumes-shared").toString()))))
        .setting("stowage.services.platform2", Map.of("driver", "fake",
            "fake", Map.of("root", work.resolve("backend-2").toString())))
        .build();
  }

  private static MountRequest caller(String caller) {
    return MountRequest.builder().caller(caller).build();
  }

  @Test
  void eachServiceIsAVolumeServiceOfItsDriver() {
    assertEquals("fake", stowage.volumes().serviceName());
    assertEquals(List.of("fake", "shared", "platform2"), stowage.config().services().stream()
        .map(s -> s.name()).toList());
    VolumeService platform2 = stowage.volumes("platform2");
    assertEquals("platform2", platform2.serviceName());
    assertEquals("fake", platform2.driverName());
    assertEquals("fake", stowage.volumes("rexray").serviceName());
    DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
        () -> stowage.volumes("platform3"));
    assertEquals(List.of("fake", "shared", "platform2"), e.installed());
  }

  @Test
  void servicesOfOneBackEndSeeOneVolumeAndMountItThroughOneServiceAtATime() throws Exception {
    VolumeService own = stowage.volumes("fake");
    VolumeService shared = stowage.volumes("shared");
    own.create("data", VolumeOptions.parse(Map.of("size", "1")));
    assertTrue(shared.find("data").isPresent(), "one back end, one volume");

    Mount mount = shared.mount("data", caller("task-1"));
    assertEquals(work.resolve("volumes-shared/data/data"), mount.path());
    assertTrue(Files.readString(work.resolve("state/records/shared/data.json"))
        .contains("\"service\" : \"shared\""));
    assertTrue(Files.exists(work.resolve("state/locks/fake/data.lock")),
        "the volume is locked per driver");

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> own.mount("data", caller("task-2")));
    assertTrue(e.getMessage().contains("through service shared"), e.getMessage());
    assertThrows(VolumeInUseException.class, () -> own.remove("data", true));
    assertThrows(VolumeInUseException.class, () -> own.detach("data", true));
    assertFalse(Files.exists(work.resolve("state/records/fake/data.json")),
        "a refused mount writes nothing");

    shared.unmount("data", UnmountRequest.caller("task-1"));
    assertEquals(work.resolve("volumes/data/data"), own.mount("data", caller("task-2")).path());
    own.unmount("data", UnmountRequest.caller("task-2"));
    own.remove("data", false);
  }

  @Test
  void servicesOfTwoBackEndsKeepTheirOwnRecordsOfOneName() throws Exception {
    VolumeService own = stowage.volumes("fake");
    VolumeService platform2 = stowage.volumes("platform2");
    platform2.create("logs", VolumeOptions.parse(Map.of("size", "1")));
    InvalidArgumentException namesake = assertThrows(InvalidArgumentException.class,
        () -> own.mount("logs", caller("task-1")));
    assertTrue(namesake.getMessage().contains("belongs to the service platform2"),
        namesake.getMessage());
    own.create("logs", VolumeOptions.parse(Map.of("size", "1")));
    assertTrue(!own.find("logs").orElseThrow().id().equals(
        platform2.find("logs").orElseThrow().id()), "two back ends, two volumes");

    Mount onPlatform2 = platform2.mount("logs", caller("task-2"));
    Files.writeString(onPlatform2.path().resolve("from"), "platform2");
    // The same mount root: the second back end's namesake cannot take the mount point.
    assertThrows(VolumeInUseException.class, () -> own.mount("logs", caller("task-1")));
    platform2.unmount("logs", UnmountRequest.caller("task-2"));

    own.mount("logs", caller("task-1"));
    assertTrue(Files.exists(work.resolve("state/records/fake/logs.json")));
    stowage.close();
    stowage = open(work);
    assertEquals(work.resolve("volumes/logs/data"),
        stowage.volumes("fake").path("logs").orElseThrow());
    assertEquals(List.of(), stowage.config().warnings());
  }
}
