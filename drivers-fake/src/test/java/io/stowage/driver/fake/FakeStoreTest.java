package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.Hosts;
import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed store: records, images, locking and simulated instances over one root. */
class FakeStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"),
      ZoneOffset.UTC);

  @TempDir
  Path root;

  @TempDir
  Path hosts;

  private FakeDriver driver(String instance) {
    Path home = hosts.resolve(instance);
    return new FakeDriver(FakeSettings.of(root, DeviceMode.SIMULATED).withInstanceId(instance),
        new DriverContext(CLOCK, home.resolve("state"), new SimulatedHost(home.resolve("host")),
            Hosts.commands()));
  }

  @Test
  void createWritesOneJsonRecordAndASparseImage() throws IOException {
    FakeDriver driver = driver("host-a");
    Volume v = driver.create(VolumeName.of("pgdata"), VolumeOptions.parse(Map.of("size", "2",
        "volumetype", "gp3", "iops", "300", "availabilityzone", "zone-1",
        "encryptionkey", "key/secret-id")));

    assertTrue(FakeStore.ID.matcher(v.id().value()).matches(), v.id().value());
    Path json = root.resolve("volumes").resolve(v.id().value() + ".json");
    JsonNode node = new ObjectMapper().readTree(json.toFile());
    assertEquals("pgdata", node.get("name").asText());
    assertEquals(2L * ByteSize.GIB, node.get("sizeBytes").asLong());
    assertEquals("gp3", node.get("volumeType").asText());
    assertEquals(300, node.get("iops").asInt());
    assertEquals("zone-1", node.get("availabilityZone").asText());
    assertTrue(node.get("encrypted").asBoolean());
    assertEquals("2026-01-02T03:04:05Z", node.get("created").asText());
    assertFalse(Files.readString(json).contains("secret-id"), "the key is not stored");

    Path image = driver.imageOf(v.id());
    assertEquals(2L * ByteSize.GIB, Files.size(image));
    try (Stream<Path> files = Files.list(root.resolve("volumes"))) {
      assertEquals(List.of(json), files.toList(), "no temp files are left");
    }
    assertEquals(Optional.of("gp3"), v.volumeType());
    assertEquals(Optional.of(300L), v.iops());
    assertTrue(v.encrypted());
    assertEquals(Optional.of(CLOCK.instant()), v.createdAt());
    assertFalse(node.has("createdAt"), "the record keeps its own field name");
  }

  @Test
  void aRecordWithoutACreationTimeReadsAsUnknown() throws IOException {
    FakeDriver driver = driver("host-a");
    Volume v = driver.create(VolumeName.of("old"), VolumeOptions.NONE);
    Path json = root.resolve("volumes").resolve(v.id().value() + ".json");
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode node =
        (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json.toFile());
    node.remove("created");
    mapper.writeValue(json.toFile(), node);

    Volume old = driver.find(v.id()).orElseThrow();
    assertEquals(Optional.empty(), old.createdAt());
    assertEquals(v.name(), old.name());
    assertEquals(v.size(), old.size());
  }

  @Test
  void removeDeletesRecordAndImage() {
    FakeDriver driver = driver("host-a");
    Volume v = driver.create(VolumeName.of("gone"), VolumeOptions.NONE);
    Path image = driver.imageOf(v.id());
    assertTrue(Files.exists(image));
    assertEquals(VolumeOptions.DEFAULT_SIZE, v.size());
    driver.remove(v.id());
    assertFalse(Files.exists(image));
    assertTrue(driver.list().isEmpty());
  }

  @Test
  void idsThatAreNotOursAreNotFoundAndNeverResolvedAsPaths() throws IOException {
    FakeDriver driver = driver("host-a");
    Files.writeString(root.resolve("secret.json"), "{}");
    assertEquals(Optional.empty(), driver.find(VolumeId.of("../secret")));
    assertEquals(Optional.empty(), driver.find(VolumeId.of("vol-123")));
  }

  @Test
  void aCorruptRecordIsABackendErrorNamingTheFile() throws IOException {
    FakeDriver driver = driver("host-a");
    Path bad = Files.createDirectories(root.resolve("volumes"))
        .resolve("fake-0123456789abcdef.json");
    Files.writeString(bad, "{\"id\": ");
    BackendException e = assertThrows(BackendException.class, driver::list);
    assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void driverOptionsAreRefused() {
    FakeDriver driver = driver("host-a");
    VolumeOptions options = VolumeOptions.parse(Map.of("color", "red"), java.util.Set.of(
        "color"));
    assertThrows(InvalidArgumentException.class,
        () -> driver.create(VolumeName.of("x"), options));
    assertTrue(driver.list().isEmpty());
  }

  @Test
  void simulatedInstancesOverOneRootSeeEachOtherAndPreempt() throws IOException {
    FakeDriver a = driver("host-a");
    FakeDriver b = driver("host-b");
    Volume v = a.create(VolumeName.of("shared"), VolumeOptions.NONE);
    assertEquals(v.id(), b.findByName(VolumeName.of("shared")).get(0).id());
    assertThrows(VolumeAlreadyExistsException.class,
        () -> b.create(VolumeName.of("shared"), VolumeOptions.NONE));

    Attachment onA = a.attach(v.id(), a.localInstance().id(), false);
    assertEquals(Optional.of(root.toRealPath().resolve("devices").resolve(v.id().value())),
        a.deviceLocator().locate(onA));
    assertEquals(Optional.empty(), b.deviceLocator().locate(onA), "not local to host-b");

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> b.attach(v.id(), b.localInstance().id(), false));
    assertEquals("host-a", e.holder());

    Attachment onB = b.attach(v.id(), b.localInstance().id(), true);
    assertEquals(InstanceId.of("host-b"), onB.instanceId());
    assertEquals(List.of(onB), a.find(v.id()).orElseThrow().attachments());
    assertEquals(Optional.empty(), a.deviceLocator().locate(onA), "host-a lost it");
    assertTrue(b.deviceLocator().locate(onB).isPresent());

    assertEquals(onB, b.attach(v.id(), b.localInstance().id(), false), "attach is idempotent");
    assertThrows(VolumeInUseException.class, () -> a.remove(v.id()));
    a.detach(v.id(), InstanceId.of("host-b"), true);
    a.remove(v.id());
    assertTrue(b.list().isEmpty());
  }

  @Test
  void concurrentCreatesFromManyThreadsAndInstancesNeverDuplicateANameOrLoseAVolume()
      throws Exception {
    List<FakeDriver> drivers = List.of(driver("host-a"), driver("host-b"), driver("host-c"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        FakeDriver d = drivers.get(i % drivers.size());
        String name = "vol-" + (i % 20);
        results.add(pool.submit(() -> {
          try {
            d.create(VolumeName.of(name), VolumeOptions.parse(Map.of("size", "1")));
            return true;
          } catch (VolumeAlreadyExistsException e) {
            return false;
          }
        }));
      }
      int createdCount = 0;
      for (Future<Boolean> f : results) {
        createdCount += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(20, createdCount, "each of the 20 names was created exactly once");
    } finally {
      pool.shutdownNow();
    }
    List<Volume> all = drivers.get(0).list();
    assertEquals(20, all.size());
    assertEquals(20, all.stream().map(Volume::name).distinct().count());
  }
}
