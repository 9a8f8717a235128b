package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.AmbiguousVolumeException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names and back-end IDs never mix: a name of the driver's ID shape is refused, a reference
 * that is one volume's name and another's ID is ambiguous, and {@code name:} and {@code id:}
 * say which is meant.
 */
class NamesAndIdsTest {
  @TempDir
  Path work;

  private Stowage stowage;
  private VolumeService volumes;

  @BeforeEach
  void open() {
    stowage = Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve("host"))).build();
    volumes = stowage.volumes();
  }

  @AfterEach
  void close() {
    stowage.close();
  }

  @Test
  void aNameWithTheShapeOfAnIdIsRefusedAndNothingIsCreated() {
    Volume a = volumes.create("a", VolumeOptions.NONE);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> volumes.create(a.id().value(), VolumeOptions.NONE));
    assertTrue(e.getMessage().contains("shape of a fake volume ID"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> volumes.mount("fake-0123456789abcdef",
        MountRequest.builder().caller("t").build()));
    assertEquals(List.of("a"), names());
    volumes.remove(a.id().value(), false);
    assertEquals(List.of(), names(), "rm <id> removed the volume with that ID");
  }

  @Test
  void anUnmountByIdReleasesAVolumeMountedByName() {
    Volume v = volumes.create("pg", VolumeOptions.NONE);
    volumes.mount("pg", MountRequest.builder().caller("t").build());
    volumes.unmount(v.id().value(), UnmountRequest.caller("t"));
    assertEquals(Optional.empty(), volumes.path("pg"));
    assertTrue(volumes.find("pg").orElseThrow().attachments().isEmpty(), "detached");
  }

  @Test
  void aReferenceThatIsOneVolumesNameAndAnothersIdIsAmbiguousUntilSaid() {
    Volume first = volumes.create("first", VolumeOptions.NONE);
    // Made straight through the driver, as another tool might have named it.
    try (FakeDriver driver = new FakeDriver(FakeSettings.of(work.resolve("backend"),
        DeviceMode.SIMULATED), Contexts.simulated(work.resolve("other")))) {
      driver.create(VolumeName.of(first.id().value()), VolumeOptions.NONE);
    }
    String reference = first.id().value();
    AmbiguousVolumeException e = assertThrows(AmbiguousVolumeException.class,
        () -> volumes.find(reference));
    assertTrue(e.getMessage().contains("name:" + reference), e.getMessage());
    assertThrows(AmbiguousVolumeException.class, () -> volumes.remove(reference, false));
    assertEquals("first", volumes.find("id:" + reference).orElseThrow().name().value());
    assertEquals(reference, volumes.find("name:" + reference).orElseThrow().name().value());
    volumes.remove("name:" + reference, false);
    assertEquals(List.of("first"), names());
  }

  @Test
  void anIdThatAnswersToNothingIsNotFoundAndNeverCreated() {
    assertThrows(VolumeNotFoundException.class, () -> volumes.mount("id:fake-00000000000000aa",
        MountRequest.builder().caller("t").build()));
    assertEquals(List.of(), names());
  }

  private List<String> names() {
    return volumes.list().stream().map(v -> v.name().value()).toList();
  }
}
